/**
 * Client functions of the admin and supervisor pages (tiers, templates, moderation, oversight).
 * Types come from the TypeBox schemas in `@kefu/shared`, like `client.ts`.
 */
import type { Static } from 'typebox';
import type {
  AgentReply,
  AuditEntrySchema,
  AuditListReply,
  AuditVerifyReply,
  AutoReplyBody,
  AutoReplyListReply,
  AutoReplyRuleReply,
  AutoReplyRuleSchema,
  CannedListReply,
  CannedReplyReply,
  CreateCannedBody,
  DecideReviewBody,
  DecideReviewReply,
  DraftCheckReply,
  ExportFilterSchema,
  ExportListReply,
  ExportReply,
  ExportSchema,
  HeldListReply,
  HeldReply,
  ImportLexiconBody,
  ImportLexiconReply,
  AddLexiconEntryBody,
  LexiconEntrySchema,
  LexiconListReply,
  MyPolicyReply,
  OkReply,
  OrgPolicyPatch,
  OrgPolicyReply,
  PolicyChangesReply,
  PostReviewListReply,
  PostReviewSchema,
  ResolveCaseBody,
  ReviewCaseListReply,
  ReviewCaseReply,
  ReviewCaseSchema,
  StatementsReply,
  UpdateAgentBody,
  UpdateCannedBody,
  ViolationListReply,
  ViolationReply,
  ViolationSchema,
} from '@kefu/shared';
import { buildUrl, request } from './http.ts';

export type OrgPolicy = Static<typeof OrgPolicyReply>;
export type PolicyPatch = Static<typeof OrgPolicyPatch>;
export type PolicyChange = Static<typeof PolicyChangesReply>['changes'][number];
export type CannedList = Static<typeof CannedListReply>;
export type AutoReplyRule = Static<typeof AutoReplyRuleSchema>;
export type AutoReplyInput = Static<typeof AutoReplyBody>;
export type LexiconEntry = Static<typeof LexiconEntrySchema>;
export type ImportResult = Static<typeof ImportLexiconReply>;
export type Statements = Static<typeof StatementsReply>;
export type ReviewCase = Static<typeof ReviewCaseSchema>;
export type PostReview = Static<typeof PostReviewSchema>;
export type Violation = Static<typeof ViolationSchema>;
export type ExportInfo = Static<typeof ExportSchema>;
export type ExportFilter = Static<typeof ExportFilterSchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type AuditVerify = Static<typeof AuditVerifyReply>;
export type DraftCheckResult = Static<typeof DraftCheckReply>;

const enc = encodeURIComponent;

export const opsApi = {
  myPolicy: () => request<Static<typeof MyPolicyReply>>('GET', '/me/policy'),
  agents: {
    update: (id: string, body: Static<typeof UpdateAgentBody>) => request<Static<typeof AgentReply>>('PATCH', `/agents/${enc(id)}`, { body }),
    resetMfa: (id: string) => request<Static<typeof AgentReply>>('POST', `/agents/${enc(id)}/reset-mfa`, { body: {} }),
  },
  policy: {
    get: () => request<OrgPolicy>('GET', '/org/policy'),
    update: (body: PolicyPatch) => request<OrgPolicy>('PATCH', '/org/policy', { body }),
    changes: () => request<Static<typeof PolicyChangesReply>>('GET', '/org/policy/changes'),
  },
  canned: {
    list: () => request<CannedList>('GET', '/canned-replies'),
    create: (body: Static<typeof CreateCannedBody>) => request<Static<typeof CannedReplyReply>>('POST', '/canned-replies', { body }),
    update: (id: string, body: Static<typeof UpdateCannedBody>) => request<Static<typeof CannedReplyReply>>('PATCH', `/canned-replies/${enc(id)}`, { body }),
    remove: (id: string) => request<Static<typeof OkReply>>('DELETE', `/canned-replies/${enc(id)}`),
  },
  autoReplies: {
    list: () => request<Static<typeof AutoReplyListReply>>('GET', '/auto-replies'),
    create: (body: AutoReplyInput) => request<Static<typeof AutoReplyRuleReply>>('POST', '/auto-replies', { body }),
    update: (id: string, body: AutoReplyInput) => request<Static<typeof AutoReplyRuleReply>>('PATCH', `/auto-replies/${enc(id)}`, { body }),
    remove: (id: string) => request<Static<typeof OkReply>>('DELETE', `/auto-replies/${enc(id)}`),
  },
  lexicon: {
    list: () => request<Static<typeof LexiconListReply>>('GET', '/lexicon'),
    add: (body: Static<typeof AddLexiconEntryBody>) => request<Static<typeof OkReply>>('POST', '/lexicon', { body }),
    remove: (id: string) => request<Static<typeof OkReply>>('DELETE', `/lexicon/${enc(id)}`),
    import: (body: Static<typeof ImportLexiconBody>) => request<ImportResult>('POST', '/lexicon/import', { body }),
    test: (text: string) => request<DraftCheckResult>('POST', '/lexicon/test', { body: { text } }),
    statements: () => request<Statements>('GET', '/statements'),
    // `request` types only the verbs the workbench used so far; it hands the method to fetch as is.
    setStatement: (category: string, text: string) => request<Static<typeof OkReply>>('PUT' as 'POST', `/statements/${enc(category)}`, { body: { text } }),
  },
  held: {
    list: (status?: 'pending' | 'approved' | 'rejected') => request<Static<typeof HeldListReply>>('GET', '/held', { query: { status } }),
    approve: (id: string) => request<Static<typeof HeldReply>>('POST', `/held/${enc(id)}/approve`, { body: {} }),
    reject: (id: string, reason: string) => request<Static<typeof HeldReply>>('POST', `/held/${enc(id)}/reject`, { body: { reason } }),
  },
  cases: {
    list: (status?: string) => request<Static<typeof ReviewCaseListReply>>('GET', '/review-cases', { query: { status } }),
    resolve: (id: string, body: Static<typeof ResolveCaseBody>) => request<Static<typeof ReviewCaseReply>>('POST', `/review-cases/${enc(id)}/resolve`, { body }),
  },
  postReviews: {
    list: (status?: 'pending' | 'confirmed' | 'dismissed') => request<Static<typeof PostReviewListReply>>('GET', '/post-reviews', { query: { status } }),
    decide: (id: string, body: Static<typeof DecideReviewBody>) => request<Static<typeof DecideReviewReply>>('POST', `/post-reviews/${enc(id)}/decision`, { body }),
  },
  violations: {
    list: (agentId?: string) => request<Static<typeof ViolationListReply>>('GET', '/violations', { query: { agentId } }),
    appeal: (id: string, statement: string) => request<Static<typeof ViolationReply>>('POST', `/violations/${enc(id)}/appeal`, { body: { statement } }),
    decide: (id: string, outcome: 'uphold' | 'overturn', note?: string) =>
      request<Static<typeof ViolationReply>>('POST', `/violations/${enc(id)}/appeal/decision`, { body: { outcome, ...(note ? { note } : {}) } }),
  },
  exports: {
    start: (body: ExportFilter) => request<Static<typeof ExportReply>>('POST', '/exports', { body }),
    get: (id: string) => request<Static<typeof ExportReply>>('GET', `/exports/${enc(id)}`),
    list: () => request<Static<typeof ExportListReply>>('GET', '/exports'),
    downloadUrl: (id: string) => buildUrl(`/exports/${enc(id)}/download`),
  },
  audit: {
    list: (q: { action?: string; beforeSeq?: number; limit?: number } = {}) => request<Static<typeof AuditListReply>>('GET', '/audit', { query: q }),
    verify: () => request<AuditVerify>('GET', '/audit/verify'),
  },
};

export const opsKeys = {
  myPolicy: ['ops', 'my-policy'] as const,
  policy: ['ops', 'policy'] as const,
  policyChanges: ['ops', 'policy', 'changes'] as const,
  canned: ['ops', 'canned'] as const,
  autoReplies: ['ops', 'auto-replies'] as const,
  lexicon: ['ops', 'lexicon'] as const,
  statements: ['ops', 'statements'] as const,
  held: ['ops', 'held'] as const,
  cases: ['ops', 'cases'] as const,
  postReviews: ['ops', 'post-reviews'] as const,
  violations: (agentId?: string) => ['ops', 'violations', agentId ?? 'all'] as const,
  exports: ['ops', 'exports'] as const,
  export: (id: string) => ['ops', 'export', id] as const,
  audit: ['ops', 'audit'] as const,
};
