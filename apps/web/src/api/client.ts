/**
 * The typed API client. Every type comes from the TypeBox schemas in `@kefu/shared`, the same
 * ones the server validates with, so a change on one side fails the type check on the other.
 */
import type { Static } from 'typebox';
import type {
  AgentListReply,
  AgentReply,
  ConversationListQuery,
  ConversationListReply,
  ConversationReply,
  CreateAgentBody,
  CustomerSessionReply,
  HistoryQuery,
  HistoryReply,
  LoginBody,
  LoginReply,
  LookupQuery,
  LookupReply,
  MeReply,
  MessageReply,
  OkReply,
  OpenConversationBody,
  Order,
  ReceiptBody,
  SendMessageBody,
  TotpEnrollReply,
  TotpVerifyBody,
  UpdateConversationBody,
  QuotaSchema,
  CannedListReply,
  RenderedReply,
  AttachmentReply,
} from '@kefu/shared';
import { request, upload } from './http.ts';

export type LoginResult = Static<typeof LoginReply>;
export type MeResult = Static<typeof MeReply>;
export type AgentWithPresence = Static<typeof AgentListReply>['agents'][number];
export type LookupResult = Static<typeof LookupReply>;
export type ConversationFilter = Static<typeof ConversationListQuery>;
export type History = Static<typeof HistoryReply>;
export type HistoryParams = Static<typeof HistoryQuery>;
export type CustomerSession = Static<typeof CustomerSessionReply>;
export type CreateAgent = Static<typeof CreateAgentBody>;
export type ConversationPatch = Static<typeof UpdateConversationBody>;
export type Receipt = Static<typeof ReceiptBody>;
export type SendBody = Static<typeof SendMessageBody>;

const enc = encodeURIComponent;

export const api = {
  auth: {
    login: (body: Static<typeof LoginBody>) => request<LoginResult>('POST', '/auth/login', { body }),
    enroll: () => request<Static<typeof TotpEnrollReply>>('POST', '/auth/totp/enroll', { body: {} }),
    verify: (body: Static<typeof TotpVerifyBody>) => request<Static<typeof AgentReply>>('POST', '/auth/totp/verify', { body }),
    me: () => request<MeResult>('GET', '/auth/me'),
    logout: () => request<Static<typeof OkReply>>('POST', '/auth/logout', { body: {} }),
  },
  me: {
    quota: () => request<Static<typeof QuotaSchema>>('GET', '/me/quota'),
  },
  attachments: {
    upload: (conversationId: string, file: File) => upload<Static<typeof AttachmentReply>>(`/conversations/${enc(conversationId)}/attachments`, file, file.name),
  },
  canned: {
    list: () => request<Static<typeof CannedListReply>>('GET', '/canned-replies'),
    render: (id: string, conversationId: string) => request<Static<typeof RenderedReply>>('POST', `/canned-replies/${enc(id)}/render`, { body: { conversationId } }),
  },
  agents: {
    list: () => request<Static<typeof AgentListReply>>('GET', '/agents'),
    create: (body: CreateAgent) => request<Static<typeof AgentReply>>('POST', '/agents', { body }),
  },
  contacts: {
    lookup: (q: Static<typeof LookupQuery>) => request<LookupResult>('GET', '/contacts/lookup', { query: q }),
    orders: (contactId: string) => request<{ orders: Order[] }>('GET', `/contacts/${enc(contactId)}/orders`),
  },
  conversations: {
    list: (q: ConversationFilter = {}) => request<Static<typeof ConversationListReply>>('GET', '/conversations', { query: q }),
    open: (body: Static<typeof OpenConversationBody>) => request<Static<typeof ConversationReply>>('POST', '/conversations', { body }),
    get: (id: string) => request<Static<typeof ConversationReply>>('GET', `/conversations/${enc(id)}`),
    update: (id: string, body: ConversationPatch) => request<Static<typeof ConversationReply>>('PATCH', `/conversations/${enc(id)}`, { body }),
    messages: (id: string, q: HistoryParams = {}) => request<History>('GET', `/conversations/${enc(id)}/messages`, { query: q }),
    send: (id: string, body: SendBody) => request<Static<typeof MessageReply>>('POST', `/conversations/${enc(id)}/messages`, { body }),
    receipt: (id: string, body: Receipt) => request<Static<typeof OkReply>>('POST', `/conversations/${enc(id)}/receipts`, { body }),
  },
};

/** The customer page's client: the platform token instead of a session cookie. */
export function customerApi(token: string) {
  return {
    session: () => request<CustomerSession>('GET', '/customer/session', { token }),
    messages: (q: HistoryParams = {}) => request<History>('GET', '/customer/messages', { token, query: q }),
    send: (body: SendBody) => request<Static<typeof MessageReply>>('POST', '/customer/messages', { token, body }),
    receipt: (body: Receipt) => request<Static<typeof OkReply>>('POST', '/customer/receipts', { token, body }),
  };
}
export type CustomerApi = ReturnType<typeof customerApi>;
