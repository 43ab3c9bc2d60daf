/** Table types for Kysely. Times are epoch milliseconds; booleans are 0/1 on both databases. */
import type { Generated } from 'kysely';

export interface OrganisationsTable {
  id: string;
  name: string;
  time_zone: string;
  /** HS256 secret the platform signs customer tokens with (encrypted). */
  platform_secret_enc: string;
  /** HMAC secret of the platform's webhooks (encrypted). */
  webhook_secret_enc: string;
  created_at: number;
}

export interface AgentsTable {
  id: string;
  org_id: string;
  email: string;
  name: string;
  tier: string;
  password_hash: string;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
  /** Last accepted TOTP time step: a code of this step or earlier is a replay. */
  totp_last_step: number;
  failed_logins: number;
  locked_until: number | null;
  disabled: number;
  /** Set by an admin working an account-review case: the agent cannot send until cleared. */
  send_restricted?: number;
  created_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a stolen database does not yield live sessions. */
  id: string;
  agent_id: string;
  mfa_passed: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string | null;
  ip: string | null;
}

export interface ContactsTable {
  id: string;
  org_id: string;
  platform_id: string;
  nickname: string;
  phone_enc: string | null;
  /** Keyed blind index of the normalised phone number (HMAC), for exact lookup. */
  phone_bidx: string | null;
  phone_masked: string | null;
  avatar_url: string | null;
  created_at: number;
  updated_at: number;
}

export interface OrdersTable {
  id: string;
  org_id: string;
  order_no: string;
  contact_id: string;
  items_json: string;
  amount_fen: number;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface ConversationsTable {
  id: string;
  org_id: string;
  contact_id: string;
  assignee_id: string | null;
  status: string;
  business_type: string;
  channel: string;
  last_seq: number;
  last_message_at: number | null;
  last_preview_enc: string | null;
  unread_count: number;
  agent_read_seq: number;
  contact_delivered_seq: number;
  contact_read_seq: number;
  created_at: number;
  updated_at: number;
}

export interface MessagesTable {
  id: string;
  org_id: string;
  conversation_id: string;
  seq: number;
  direction: string;
  sender_type: string;
  sender_id: string | null;
  /** `a:<agentId>` or `c:<contactId>`: the scope of client message ids. */
  sender_key: string;
  client_message_id: string;
  body_enc: string;
  created_at: number;
  delivered_at: number | null;
  read_at: number | null;
  /** What moderation decided for this message: hits, statement inserted, step-up, bypass, approval. */
  moderation_json?: string | null;
}

export interface AttachmentsTable {
  id: string;
  org_id: string;
  conversation_id: string;
  /** `a:<agentId>` or `c:<contactId>`: only the uploader may attach it to a message. */
  uploader_key: string;
  /** Null until a message carries it. */
  message_id: string | null;
  kind: string;
  mime: string;
  name: string;
  size: number;
  width: number | null;
  height: number | null;
  storage_key: string;
  thumb_key: string | null;
  created_at: number;
}

export interface WebhookEventsTable {
  org_id: string;
  event_id: string;
  received_at: number;
}

export interface OrgSettingsTable {
  org_id: string;
  tier_policy_json: string;
  link_allow_hosts_json: string;
  working_hours_json: string;
  updated_at: number;
}

export interface PolicyChangesTable {
  id: string;
  org_id: string;
  actor_id: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  created_at: number;
}

export interface AgentDailyUsageTable {
  agent_id: string;
  day: string;
  sent: number;
  bypasses: number;
}

export interface CannedRepliesTable {
  id: string;
  org_id: string;
  owner_id: string | null;
  title: string;
  body: string;
  hotkey: number | null;
  flagged_json: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface AutoReplyRulesTable {
  id: string;
  org_id: string;
  trigger: string;
  keywords_json: string;
  body: string;
  enabled: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface AuditHeadsTable {
  org_id: string;
  seq: number;
  hash: string;
}

export interface AuditEventsTable {
  org_id: string;
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  data_json: string;
  prev_hash: string;
  hash: string;
}

export interface ExportsTable {
  id: string;
  org_id: string;
  agent_id: string;
  format: string;
  filter_json: string;
  status: string;
  rows: number;
  total: number | null;
  bytes: number;
  error: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface OrgLexiconTable { id: string; org_id: string; kind: string; word: string; level: number | null; category: string | null; created_by: string; created_at: number }
export interface LexiconVersionsTable { org_id: string; version: number }
export interface StatementsTable { org_id: string; category: string; text: string; updated_by: string; updated_at: number }
export interface ReviewCasesTable {
  id: string; org_id: string; agent_id: string; status: string; priority: number; attempts: number; last_attempt_enc: string | null;
  last_hits_json: string; resolution_note: string | null; resolved_by: string | null; created_at: number; updated_at: number;
}
export interface HeldMessagesTable {
  id: string; org_id: string; conversation_id: string; agent_id: string; client_message_id: string; body_enc: string; hits_json: string; note: string | null;
  status: string; reason: string | null; decided_by: string | null; decided_at: number | null; message_id: string | null; created_at: number;
}
export interface WebauthnCredentialsTable { id: string; agent_id: string; public_key: string; counter: number; transports_json: string; created_at: number }
export interface StepupChallengesTable { id: string; agent_id: string; kind: string; challenge: string; purpose: string; expires_at: number; verified_at: number | null; used_at: number | null }
export interface JobsTable { id: string; kind: string; payload_json: string; run_at: number; attempts: number; locked_until: number | null; done_at: number | null; error: string | null; created_at: number }
export interface PostReviewsTable {
  id: string; org_id: string; message_id: string; conversation_id: string; agent_id: string; source: string; priority: number; suspected_type: string | null;
  evidence_json: string; status: string; deadline_at: number; reviewer_id: string | null; decided_at: number | null; created_at: number;
}
export interface ViolationsTable {
  id: string; org_id: string; agent_id: string; message_id: string; review_id: string; type: string; detected_at: number; deadline_at: number; confirmed_at: number;
  overdue: number; appeal_status: string; appeal_statement: string | null; appeal_decided_by: string | null; appeal_decided_at: number | null; appeal_note: string | null;
}

export interface KefuMetaTable {
  key: string;
  value: string;
}

export interface DB {
  organisations: OrganisationsTable;
  agents: AgentsTable;
  sessions: SessionsTable;
  contacts: ContactsTable;
  orders: OrdersTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  webhook_events: WebhookEventsTable;
  kefu_meta: KefuMetaTable;
  org_settings: OrgSettingsTable;
  policy_changes: PolicyChangesTable;
  agent_daily_usage: AgentDailyUsageTable;
  canned_replies: CannedRepliesTable;
  auto_reply_rules: AutoReplyRulesTable;
  audit_heads: AuditHeadsTable;
  audit_events: AuditEventsTable;
  exports: ExportsTable;
  org_lexicon: OrgLexiconTable;
  lexicon_versions: LexiconVersionsTable;
  statements: StatementsTable;
  review_cases: ReviewCasesTable;
  held_messages: HeldMessagesTable;
  webauthn_credentials: WebauthnCredentialsTable;
  stepup_challenges: StepupChallengesTable;
  jobs: JobsTable;
  post_reviews: PostReviewsTable;
  violations: ViolationsTable;
}

export type Unused = Generated<number>;
