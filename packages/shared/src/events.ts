/**
 * The one typed map of Socket.IO events, shared by server and clients. Sockets authenticate at
 * connect (agent: session cookie; contact: platform token in `auth.token`) or are dropped; the
 * server joins them to every room they may see before the connection completes.
 */
import type { Conversation, DraftCheck, HeldMessage, Message } from './api.ts';
import type { ErrorBody } from './errors.ts';

export type Side = 'agent' | 'contact';

export interface ReceiptEvent {
  conversationId: string;
  /** Who delivered / read: the contact reads outbound messages, agents read inbound ones. */
  side: Side;
  kind: 'delivered' | 'read';
  uptoSeq: number;
  at: string;
}

export interface TypingEvent {
  conversationId: string;
  side: Side;
  agentId: string | null;
  typing: boolean;
}

export interface ServerToClientEvents {
  'message.created': (e: { conversationId: string; message: Message }) => void;
  'message.receipt': (e: ReceiptEvent) => void;
  'conversation.updated': (e: { conversation: Conversation }) => void;
  typing: (e: TypingEvent) => void;
  presence: (e: { agentId: string; online: boolean }) => void;
  'session.ended': (e: { reason: string }) => void;
  /** The agent's own daily quota after each of their sends (`limit`/`remaining` null: unlimited). */
  'quota.updated': (e: { day: string; sent: number; limit: number | null; remaining: number | null; resetAt: string }) => void;
  /** A held message (supervisor review) changed: to its author and to admins. */
  'held.updated': (e: { held: HeldMessage }) => void;
}

export type Ack<T> = (reply: T | ErrorBody) => void;

export interface ClientToServerEvents {
  /** After a reconnect: everything after the given seq per conversation, in seq order. */
  sync: (req: { since: Record<string, number> }, ack: Ack<{ messages: Message[] }>) => void;
  typing: (req: { conversationId: string; typing: boolean }) => void;
  receipt: (req: { conversationId: string; kind: 'delivered' | 'read'; uptoSeq: number }, ack?: Ack<{ ok: true }>) => void;
  /**
   * Check a draft as it is typed: send the whole `text` once, then `edit`s against it (the server
   * keeps the state per `draftId` and re-scans only what an edit can affect).
   */
  'draft.check': (
    req: { draftId: string; conversationId?: string; text?: string; edit?: { start: number; deleteCount: number; insert: string } },
    ack: Ack<DraftCheck>,
  ) => void;
  'message.send': (req: { conversationId?: string; clientMessageId: string; text: string; attachmentIds?: string[] }, ack: Ack<{ message: Message }>) => void;
}

/** Room names: the server joins, clients never do. */
export const rooms = {
  org: (orgId: string) => `org:${orgId}`,
  agent: (agentId: string) => `agent:${agentId}`,
  conversation: (conversationId: string) => `conv:${conversationId}`,
  contact: (contactId: string) => `contact:${contactId}`,
} as const;
