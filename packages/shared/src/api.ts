/**
 * Request and response schemas of the public HTTP API (TypeBox → JSON Schema). The server
 * validates and serialises with them and publishes them as OpenAPI; the web app derives its
 * types from them, so the two cannot drift.
 */
import { Type, type Static } from 'typebox';
import { BUSINESS_TYPES, CHANNELS, CONVERSATION_STATUSES, DIRECTIONS, LIMITS, ORDER_STATUSES, TIERS } from './domain.ts';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Time = Type.String({ format: 'date-time' });

export const TierSchema = Type.Enum(TIERS);
export const ConversationStatusSchema = Type.Enum(CONVERSATION_STATUSES);
export const BusinessTypeSchema = Type.Enum(BUSINESS_TYPES);
export const ChannelSchema = Type.Enum(CHANNELS);
export const DirectionSchema = Type.Enum(DIRECTIONS);
export const OrderStatusSchema = Type.Enum(ORDER_STATUSES);

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true }),
});

export const AgentSchema = Type.Object({
  id: Id,
  orgId: Id,
  email: Type.String(),
  name: Type.String(),
  tier: TierSchema,
  disabled: Type.Boolean(),
  totpEnrolled: Type.Boolean(),
  createdAt: Time,
});
export type Agent = Static<typeof AgentSchema>;

export const ContactSchema = Type.Object({
  id: Id,
  platformId: Type.String(),
  nickname: Type.String(),
  /** Masked for display (138****1234); the full number is never returned. */
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  createdAt: Time,
});
export type Contact = Static<typeof ContactSchema>;

export const OrderItemSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
  price: Type.Number({ minimum: 0, maximum: 100000000 }),
});
export type OrderItem = Static<typeof OrderItemSchema>;

export const OrderSchema = Type.Object({
  id: Id,
  orderNo: Type.String(),
  contactId: Id,
  items: Type.Array(OrderItemSchema),
  /** In yuan, two decimals. */
  amount: Type.Number(),
  status: OrderStatusSchema,
  createdAt: Time,
});
export type Order = Static<typeof OrderSchema>;

export const AttachmentSchema = Type.Object({
  id: Id,
  kind: Type.Enum(['image', 'video', 'audio', 'file'] as const),
  /** Sniffed from the bytes, never taken from the name. */
  mime: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  url: Type.String(),
  thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
});
export type Attachment = Static<typeof AttachmentSchema>;

export const MessageSchema = Type.Object({
  id: Id,
  conversationId: Id,
  seq: Type.Integer(),
  direction: DirectionSchema,
  senderType: Type.Enum(['agent', 'contact', 'system'] as const),
  senderId: Type.Union([Id, Type.Null()]),
  senderName: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  attachments: Type.Array(AttachmentSchema),
  clientMessageId: Type.String(),
  createdAt: Time,
  deliveredAt: Type.Union([Time, Type.Null()]),
  readAt: Type.Union([Time, Type.Null()]),
});
export type Message = Static<typeof MessageSchema>;

export const ConversationSchema = Type.Object({
  id: Id,
  contactId: Id,
  contact: Type.Optional(ContactSchema),
  assigneeId: Type.Union([Id, Type.Null()]),
  status: ConversationStatusSchema,
  businessType: BusinessTypeSchema,
  channel: ChannelSchema,
  lastSeq: Type.Integer(),
  lastMessageAt: Type.Union([Time, Type.Null()]),
  lastMessagePreview: Type.Union([Type.String(), Type.Null()]),
  /** Inbound messages the agent side has not read. */
  unreadCount: Type.Integer(),
  agentReadSeq: Type.Integer(),
  contactDeliveredSeq: Type.Integer(),
  contactReadSeq: Type.Integer(),
  createdAt: Time,
  updatedAt: Time,
});
export type Conversation = Static<typeof ConversationSchema>;

// ---- requests -------------------------------------------------------------------------------

export const LoginBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: LIMITS.passwordMax }),
});
export const LoginReply = Type.Object({ next: Type.Enum(['totp_enroll', 'totp_verify'] as const) });
export const TotpEnrollReply = Type.Object({ secret: Type.String(), otpauthUrl: Type.String() });
export const TotpVerifyBody = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) });
export const AgentReply = Type.Object({ agent: AgentSchema });
export const MeReply = Type.Object({ agent: AgentSchema, mfa: Type.Boolean() });

export const CreateAgentBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254, format: 'email' }),
  name: Type.String({ minLength: 1, maxLength: 64 }),
  tier: TierSchema,
  password: Type.String({ minLength: LIMITS.passwordMin, maxLength: LIMITS.passwordMax }),
});
export const AgentListReply = Type.Object({
  agents: Type.Array(Type.Intersect([AgentSchema, Type.Object({ online: Type.Boolean() })])),
});

export const UpsertContactBody = Type.Object({
  platformId: Type.String({ minLength: 1, maxLength: 64 }),
  nickname: Type.String({ minLength: 1, maxLength: LIMITS.nicknameMax }),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
  avatarUrl: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
});
export type UpsertContact = Static<typeof UpsertContactBody>;
export const ContactReply = Type.Object({ contact: ContactSchema });

export const UpsertOrderBody = Type.Object({
  orderNo: Type.String({ minLength: 1, maxLength: 64 }),
  platformId: Type.String({ minLength: 1, maxLength: 64 }),
  items: Type.Array(OrderItemSchema, { maxItems: 200 }),
  amount: Type.Number({ minimum: 0, maximum: 100000000 }),
  status: Type.Optional(OrderStatusSchema),
  createdAt: Type.Optional(Time),
});
export type UpsertOrder = Static<typeof UpsertOrderBody>;
export const OrderReply = Type.Object({ order: OrderSchema });

export const LookupQuery = Type.Object({
  phone: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  platformId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  orderNo: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export const LookupReply = Type.Object({ contact: ContactSchema, orders: Type.Array(OrderSchema) });

export const OpenConversationBody = Type.Object({
  contactId: Id,
  businessType: Type.Optional(BusinessTypeSchema),
  channel: Type.Optional(ChannelSchema),
});
export const ConversationReply = Type.Object({ conversation: ConversationSchema });
export const ConversationListQuery = Type.Object({
  status: Type.Optional(ConversationStatusSchema),
  businessType: Type.Optional(BusinessTypeSchema),
  assignee: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  before: Type.Optional(Time),
});
export const ConversationListReply = Type.Object({ conversations: Type.Array(ConversationSchema) });
export const UpdateConversationBody = Type.Object({
  status: Type.Optional(ConversationStatusSchema),
  assigneeId: Type.Optional(Type.Union([Id, Type.Null()])),
  businessType: Type.Optional(BusinessTypeSchema),
});

export const SendMessageBody = Type.Object({
  clientMessageId: Type.String({ minLength: 1, maxLength: LIMITS.clientMessageIdMax, pattern: '^[A-Za-z0-9._:-]+$' }),
  /** May be empty when the message carries attachments. */
  text: Type.String({ maxLength: LIMITS.messageTextMax }),
  attachmentIds: Type.Optional(Type.Array(Id, { maxItems: 9, uniqueItems: true })),
  /** Send a level-1/2 message at once with this written reason (tier bypass allowance). */
  bypassReason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  /** A verified face step-up (`POST /stepup/verify`) for exactly this message. */
  stepUpId: Type.Optional(Id),
});
export type SendMessage = Static<typeof SendMessageBody>;
export const MessageReply = Type.Object({ message: MessageSchema });
export const HistoryQuery = Type.Object({
  /** Admins reading a colleague's conversation must say why (audited). */
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
  beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.historyPageMax })),
});
export const HistoryReply = Type.Object({ messages: Type.Array(MessageSchema), hasMore: Type.Boolean() });
export const ReceiptBody = Type.Object({
  kind: Type.Enum(['delivered', 'read'] as const),
  uptoSeq: Type.Integer({ minimum: 0 }),
});
export const CustomerSessionReply = Type.Object({
  contact: ContactSchema,
  /** null until the user (or an agent) writes the first message. */
  conversation: Type.Union([ConversationSchema, Type.Null()]),
  messages: Type.Array(MessageSchema),
});
export const OkReply = Type.Object({ ok: Type.Boolean() });
export const AttachmentReply = Type.Object({ attachment: AttachmentSchema });

// ---- tiers, quotas, templates, oversight ------------------------------------------------------

export const QuotaSchema = Type.Object({
  day: Type.String(),
  sent: Type.Integer(),
  /** null: unlimited. */
  limit: Type.Union([Type.Integer(), Type.Null()]),
  remaining: Type.Union([Type.Integer(), Type.Null()]),
  resetAt: Time,
});
export type Quota = Static<typeof QuotaSchema>;

export const TierPolicySchema = Type.Object({
  dailyMessages: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  attachments: Type.Enum(['images', 'images_video', 'all'] as const),
  externalLinks: Type.Boolean(),
  bypassesPerDay: Type.Integer({ minimum: 0 }),
  manageTemplates: Type.Boolean(),
  readOthers: Type.Boolean(),
  bulkExport: Type.Boolean(),
});
export type TierPolicy = Static<typeof TierPolicySchema>;
const TierPolicies = Type.Object({ basic: TierPolicySchema, senior: TierPolicySchema, admin: TierPolicySchema });
const PartialPolicy = Type.Partial(TierPolicySchema);

export const MyPolicyReply = Type.Object({ tier: TierSchema, policy: TierPolicySchema, quota: QuotaSchema });
export const WorkingHoursSchema = Type.Object({
  days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 7, uniqueItems: true }),
  start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  end: Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$' }),
});
export const OrgPolicyReply = Type.Object({
  policies: TierPolicies,
  /** The platform's ceiling: organisations may only tighten below it. */
  ceiling: TierPolicies,
  linkAllowHosts: Type.Array(Type.String()),
  workingHours: WorkingHoursSchema,
});
export const OrgPolicyPatch = Type.Object({
  tiers: Type.Optional(Type.Object({ basic: Type.Optional(PartialPolicy), senior: Type.Optional(PartialPolicy), admin: Type.Optional(PartialPolicy) })),
  linkAllowHosts: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 200 })),
  workingHours: Type.Optional(WorkingHoursSchema),
});
export const PolicyChangeSchema = Type.Object({
  id: Id, actorId: Id, field: Type.String(), oldValue: Type.Unknown(), newValue: Type.Unknown(), createdAt: Time,
});
export const PolicyChangesReply = Type.Object({ changes: Type.Array(PolicyChangeSchema) });

export const UpdateAgentBody = Type.Object({
  tier: Type.Optional(TierSchema),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  disabled: Type.Optional(Type.Boolean()),
});

const FlagSchema = Type.Object({
  kind: Type.Enum(['sensitive', 'link'] as const), text: Type.String(), start: Type.Integer(), end: Type.Integer(),
  level: Type.Optional(Type.Integer()), category: Type.Optional(Type.String()),
});
export const CannedReplySchema = Type.Object({
  id: Id,
  scope: Type.Enum(['org', 'personal'] as const),
  title: Type.String(),
  body: Type.String(),
  hotkey: Type.Union([Type.Integer({ minimum: 1, maximum: 9 }), Type.Null()]),
  /** Sensitive words and external links found when it was saved. */
  flags: Type.Array(FlagSchema),
  createdBy: Id,
  updatedAt: Time,
});
export type CannedReply = Static<typeof CannedReplySchema>;
export const CannedListReply = Type.Object({
  replies: Type.Array(CannedReplySchema),
  /** Slot (1–9) → reply id, personal slots shadowing the organisation's. */
  hotkeys: Type.Record(Type.String(), Id),
});
export const CreateCannedBody = Type.Object({
  scope: Type.Optional(Type.Enum(['org', 'personal'] as const)),
  title: Type.String({ minLength: 1, maxLength: 60 }),
  body: Type.String({ minLength: 1, maxLength: LIMITS.messageTextMax }),
  hotkey: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 9 }), Type.Null()])),
});
export const UpdateCannedBody = Type.Partial(Type.Object({
  title: Type.String({ minLength: 1, maxLength: 60 }),
  body: Type.String({ minLength: 1, maxLength: LIMITS.messageTextMax }),
  hotkey: Type.Union([Type.Integer({ minimum: 1, maximum: 9 }), Type.Null()]),
}));
export const CannedReplyReply = Type.Object({ reply: CannedReplySchema });
export const RenderCannedBody = Type.Object({ conversationId: Id });
export const RenderedReply = Type.Object({ text: Type.String() });

export const AutoReplyRuleSchema = Type.Object({
  id: Id,
  trigger: Type.Enum(['outside_hours', 'keyword', 'no_agent_online'] as const),
  keywords: Type.Array(Type.String()),
  body: Type.String(),
  enabled: Type.Boolean(),
  flags: Type.Array(FlagSchema),
  updatedAt: Time,
});
export const AutoReplyListReply = Type.Object({ rules: Type.Array(AutoReplyRuleSchema) });
export const AutoReplyRuleReply = Type.Object({ rule: AutoReplyRuleSchema });
export const AutoReplyBody = Type.Object({
  trigger: Type.Optional(Type.Enum(['outside_hours', 'keyword', 'no_agent_online'] as const)),
  keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 })),
  body: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.messageTextMax })),
  enabled: Type.Optional(Type.Boolean()),
});

export const ExportFilterSchema = Type.Object({
  from: Time,
  to: Time,
  agentId: Type.Optional(Id),
  businessType: Type.Optional(BusinessTypeSchema),
  format: Type.Enum(['csv', 'jsonl'] as const),
});
export const ExportSchema = Type.Object({
  id: Id,
  format: Type.String(),
  status: Type.Enum(['running', 'done', 'failed'] as const),
  rows: Type.Integer(),
  total: Type.Union([Type.Integer(), Type.Null()]),
  bytes: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Time,
  finishedAt: Type.Union([Time, Type.Null()]),
  filter: ExportFilterSchema,
});
export const ExportReply = Type.Object({ export: ExportSchema });
export const ExportListReply = Type.Object({ exports: Type.Array(ExportSchema) });

export const AuditEntrySchema = Type.Object({
  seq: Type.Integer(), at: Time, actor: Type.String(), action: Type.String(), subject: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export const AuditListReply = Type.Object({ entries: Type.Array(AuditEntrySchema) });
export const AuditVerifyReply = Type.Object({ ok: Type.Boolean(), entries: Type.Integer(), firstBad: Type.Union([Type.Integer(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]) });

// ---- moderation ----------------------------------------------------------------------------

export const HitSchema = Type.Object({
  word: Type.String(), level: Type.Integer({ minimum: 1, maximum: 3 }), category: Type.String(), start: Type.Integer(), end: Type.Integer(),
});
export type SensitiveHit = Static<typeof HitSchema>;
export const LinkSpanSchema = Type.Object({ start: Type.Integer(), end: Type.Integer(), host: Type.String() });
/** What the send button will do: send, blocked (level 1), face verification (2), statement added (3). */
export const ModerationActionSchema = Type.Enum(['send', 'blocked', 'step_up', 'statement'] as const);
export const DraftCheckReply = Type.Object({
  maxLevel: Type.Integer({ minimum: 0, maximum: 3 }),
  hits: Type.Array(HitSchema),
  action: ModerationActionSchema,
  links: Type.Array(LinkSpanSchema),
});
export type DraftCheck = Static<typeof DraftCheckReply>;

export const LexiconEntrySchema = Type.Object({
  id: Id, kind: Type.Enum(['word', 'allow'] as const), word: Type.String(), level: Type.Union([Type.Integer(), Type.Null()]), category: Type.Union([Type.String(), Type.Null()]), createdAt: Time,
});
export const LexiconListReply = Type.Object({ entries: Type.Array(LexiconEntrySchema) });
export const AddLexiconEntryBody = Type.Object({
  kind: Type.Optional(Type.Enum(['word', 'allow'] as const)),
  word: Type.String({ minLength: 1, maxLength: 64 }),
  level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
});
export const ImportLexiconBody = Type.Object({
  content: Type.String({ maxLength: 5_000_000 }),
  format: Type.Optional(Type.Enum(['text', 'csv'] as const)),
  kind: Type.Optional(Type.Enum(['word', 'allow'] as const)),
  level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
});
const LineError = Type.Object({ line: Type.Integer(), message: Type.String() });
export const ImportLexiconReply = Type.Object({ imported: Type.Integer(), errors: Type.Array(LineError), warnings: Type.Array(LineError) });
export const LexiconTestBody = Type.Object({ text: Type.String({ maxLength: LIMITS.messageTextMax }) });
export const StatementsReply = Type.Object({ defaultText: Type.String(), statements: Type.Array(Type.Object({ category: Type.String(), text: Type.String(), updatedAt: Time })) });
export const StatementBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 1000 }) });

export const HeldMessageSchema = Type.Object({
  id: Id, conversationId: Id, agentId: Id, agentName: Type.Union([Type.String(), Type.Null()]), clientMessageId: Type.String(), text: Type.String(), hits: Type.Array(HitSchema),
  note: Type.Union([Type.String(), Type.Null()]), status: Type.Enum(['pending', 'approved', 'rejected'] as const), reason: Type.Union([Type.String(), Type.Null()]),
  decidedBy: Type.Union([Id, Type.Null()]), decidedAt: Type.Union([Time, Type.Null()]), messageId: Type.Union([Id, Type.Null()]), createdAt: Time,
  /** How long it has waited (or waited until decided), in milliseconds. */
  waitingMs: Type.Integer(),
});
export type HeldMessage = Static<typeof HeldMessageSchema>;
export const HeldReply = Type.Object({ held: HeldMessageSchema });
export const HeldListReply = Type.Object({ held: Type.Array(HeldMessageSchema) });
export const SubmitHeldBody = Type.Object({
  clientMessageId: Type.String({ minLength: 1, maxLength: LIMITS.clientMessageIdMax, pattern: '^[A-Za-z0-9._:-]+$' }),
  text: Type.String({ minLength: 1, maxLength: LIMITS.messageTextMax }),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export const RejectHeldBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) });

export const ReviewCaseSchema = Type.Object({
  id: Id, agentId: Id, agentName: Type.Union([Type.String(), Type.Null()]), status: Type.Enum(['open', 'cleared', 'warned', 'restricted'] as const),
  priority: Type.Integer(), attempts: Type.Integer(), lastAttempt: Type.Union([Type.String(), Type.Null()]), lastHits: Type.Array(HitSchema),
  resolutionNote: Type.Union([Type.String(), Type.Null()]), resolvedBy: Type.Union([Id, Type.Null()]), createdAt: Time, updatedAt: Time,
});
export const ReviewCaseListReply = Type.Object({ cases: Type.Array(ReviewCaseSchema) });
export const ReviewCaseReply = Type.Object({ case: ReviewCaseSchema });
export const ResolveCaseBody = Type.Object({ action: Type.Enum(['clear', 'warn', 'restrict'] as const), note: Type.Optional(Type.String({ maxLength: 500 })) });

export const VIOLATION_TYPES = ['external_link', 'false_promise', 'abuse'] as const;
export const EvidenceSchema = Type.Object({ start: Type.Integer(), end: Type.Integer(), text: Type.String(), why: Type.String() });
export const PostReviewSchema = Type.Object({
  id: Id, messageId: Id, conversationId: Id, agentId: Id, agentName: Type.Union([Type.String(), Type.Null()]), source: Type.Enum(['ai', 'bypass'] as const),
  priority: Type.Integer(), suspectedType: Type.Union([Type.Enum(VIOLATION_TYPES), Type.Null()]), text: Type.String(), evidence: Type.Array(EvidenceSchema),
  bypassReason: Type.Union([Type.String(), Type.Null()]), status: Type.Enum(['pending', 'confirmed', 'dismissed'] as const), deadlineAt: Time, overdue: Type.Boolean(),
  reviewerId: Type.Union([Id, Type.Null()]), decidedAt: Type.Union([Time, Type.Null()]), createdAt: Time,
});
export const PostReviewListReply = Type.Object({ reviews: Type.Array(PostReviewSchema) });
export const DecideReviewBody = Type.Object({ verdict: Type.Enum(['confirm', 'dismiss'] as const), type: Type.Optional(Type.Enum(VIOLATION_TYPES)) });
export const ViolationSchema = Type.Object({
  id: Id, agentId: Id, messageId: Id, type: Type.Enum(VIOLATION_TYPES), detectedAt: Time, deadlineAt: Time, confirmedAt: Time, overdue: Type.Boolean(),
  appealStatus: Type.Enum(['none', 'pending', 'upheld', 'overturned'] as const), appealStatement: Type.Union([Type.String(), Type.Null()]),
  appealNote: Type.Union([Type.String(), Type.Null()]), appealDecidedAt: Type.Union([Time, Type.Null()]),
});
export const DecideReviewReply = Type.Object({ status: Type.String(), violation: Type.Union([ViolationSchema, Type.Null()]) });
export const ViolationListReply = Type.Object({ violations: Type.Array(ViolationSchema) });
export const ViolationReply = Type.Object({ violation: ViolationSchema });
export const AppealBody = Type.Object({ statement: Type.String({ minLength: 1, maxLength: 2000 }) });
export const AppealDecisionBody = Type.Object({ outcome: Type.Enum(['uphold', 'overturn'] as const), note: Type.Optional(Type.String({ maxLength: 500 })) });

export const WebAuthnOptionsReply = Type.Object({ options: Type.Record(Type.String(), Type.Unknown()) });
export const WebAuthnRegisterBody = Type.Object({ response: Type.Record(Type.String(), Type.Unknown()) });
export const StepUpVerifyBody = Type.Object({ stepUpId: Id, response: Type.Record(Type.String(), Type.Unknown()) });
export const StepUpVerifyReply = Type.Object({ stepUpId: Id, expiresAt: Time });
