import { sql } from 'kysely';
/**
 * Conversations and messages: opening, listing, sending (idempotent, gap-free seq, durable
 * before acknowledged), history and receipts.
 */
import { KefuError, LIMITS, type Attachment, type BusinessType, type Channel, type ConversationStatus, type Message } from '@kefu/shared';
import { attachmentsForMessages, claimAttachmentsTx } from '../attachments/links.ts';
import { retryOnUnique, type Tx } from '../../infra/db/index.ts';
import type { ConversationsTable, MessagesTable } from '../../infra/db/schema.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AgentActor, ContactActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { can } from '../policy.ts';
import { presentConversation, presentMessage } from '../presenters.ts';
import { contactRepo } from '../contacts/repository.ts';
import { conversationRepo, messageRepo } from './repository.ts';
import { TIER_DEFAULTS } from '@kefu/shared';
import { allowedHosts, effectivePolicy } from '../tiers/policy.ts';
import { consumeQuotaTx, orgTimeZone, type QuotaState } from '../tiers/quota.ts';
import { findExternalLinks } from '../moderation/links.ts';
import { orgFilter } from '../moderation/lexicon.ts';
import { actionFor } from '../moderation/decide.ts';
import { statementFor } from '../moderation/admin.ts';
import { recordBlockedAttempt, isRestricted } from '../moderation/cases.ts';
import { consumeStepUpTx, purposeOf, stepUpChallenge, type RelyingParty } from '../moderation/stepup.ts';
import { enqueueJobTx, queueBypassTx } from '../moderation/postreview.ts';
import { appendAuditTx } from '../audit/service.ts';
import { consumeBypassTx } from '../tiers/quota.ts';
import { sha256 } from '../../lib/crypto.ts';
import { audit } from '../audit/service.ts';

const subject = (c: ConversationsTable) => ({ orgId: c.org_id, assigneeId: c.assignee_id, contactId: c.contact_id });

/** Load a conversation the actor may see; one the actor may not see does not exist for them. */
async function loadVisible(ctx: Ctx, actor: Actor, id: string, action: 'conversation.read' | 'conversation.send' | 'conversation.update' = 'conversation.read') {
  const c = await conversationRepo.byId(ctx.database.db, actor.orgId, id);
  if (!c || !can(actor, action, subject(c))) throw new KefuError('CONVERSATION_NOT_FOUND');
  return c;
}

async function withContact(ctx: Ctx, c: ConversationsTable) {
  const contact = await contactRepo.byId(ctx.database.db, c.org_id, c.contact_id);
  return presentConversation(c, ctx.keys, contact);
}

export async function openConversation(
  ctx: Ctx,
  actor: AgentActor,
  input: { contactId: string; businessType?: BusinessType; channel?: Channel },
) {
  const contact = await contactRepo.byId(ctx.database.db, actor.orgId, input.contactId);
  if (!contact) throw new KefuError('CONTACT_NOT_FOUND');
  const result = await retryOnUnique(() => ctx.database.write(async (trx) => {
    const open = await conversationRepo.openForContact(trx, contact.id);
    if (open) return { row: open, created: false };
    const now = ctx.clock.now();
    const row: ConversationsTable = {
      id: newId(now),
      org_id: actor.orgId,
      contact_id: contact.id,
      assignee_id: actor.agentId,
      status: 'open',
      business_type: input.businessType ?? 'ecommerce_after_sales',
      channel: input.channel ?? 'web',
      last_seq: 0,
      last_message_at: null,
      last_preview_enc: null,
      unread_count: 0,
      agent_read_seq: 0,
      contact_delivered_seq: 0,
      contact_read_seq: 0,
      created_at: now,
      updated_at: now,
    };
    await conversationRepo.insert(trx, row);
    return { row, created: true };
  }));
  if (!can(actor, 'conversation.read', subject(result.row))) throw new KefuError('CONVERSATION_NOT_FOUND');
  const conversation = presentConversation(result.row, ctx.keys, contact);
  if (result.created) ctx.bus.emit('conversation.updated', { orgId: actor.orgId, conversation, previousAssigneeId: null });
  return { conversation, created: result.created };
}

export async function listConversations(
  ctx: Ctx,
  actor: AgentActor,
  q: { status?: ConversationStatus; businessType?: BusinessType; assignee?: string; limit?: number; before?: string },
) {
  const rows = await conversationRepo.list(ctx.database.db, {
    orgId: actor.orgId,
    ...(TIER_DEFAULTS[actor.tier].readOthers ? {} : { visibleTo: actor.agentId }),
    ...(q.status ? { status: q.status } : {}),
    ...(q.businessType ? { businessType: q.businessType } : {}),
    ...(q.assignee === 'me' ? { assignee: actor.agentId } : q.assignee === 'none' ? { assignee: null } : q.assignee ? { assignee: q.assignee } : {}),
    ...(q.before ? { before: Date.parse(q.before) } : {}),
    limit: q.limit ?? 50,
  });
  const contacts = await contactRepo.byIds(ctx.database.db, actor.orgId, [...new Set(rows.map((r) => r.contact_id))]);
  const byId = new Map(contacts.map((c) => [c.id, c]));
  return rows.map((r) => presentConversation(r, ctx.keys, byId.get(r.contact_id)));
}

export async function getConversation(ctx: Ctx, actor: Actor, id: string) {
  return withContact(ctx, await loadVisible(ctx, actor, id));
}

export async function updateConversation(
  ctx: Ctx,
  actor: AgentActor,
  id: string,
  patch: { status?: ConversationStatus; assigneeId?: string | null; businessType?: BusinessType },
) {
  const before = await loadVisible(ctx, actor, id, 'conversation.update');
  if (patch.assigneeId !== undefined && actor.tier !== 'admin') {
    // Non-admins may take a conversation or hand back their own, not assign colleagues.
    const ok = patch.assigneeId === actor.agentId || (patch.assigneeId === null && before.assignee_id === actor.agentId);
    if (!ok) throw new KefuError('FORBIDDEN', 'Only admins assign conversations to other agents.');
  }
  if (patch.assigneeId) {
    const assignee = await ctx.database.db.selectFrom('agents').select(['id', 'org_id', 'disabled']).where('id', '=', patch.assigneeId).executeTakeFirst();
    if (!assignee || assignee.org_id !== actor.orgId || assignee.disabled) throw new KefuError('AGENT_NOT_FOUND');
  }
  const row = await ctx.database.write(async (trx) => {
    if (patch.status && patch.status !== 'resolved' && before.status === 'resolved') {
      const open = await conversationRepo.openForContact(trx, before.contact_id);
      if (open) throw new KefuError('CONFLICT', 'This user already has an open conversation.', { conversationId: open.id });
    }
    return conversationRepo.update(trx, id, {
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.assigneeId !== undefined ? { assignee_id: patch.assigneeId } : {}),
      ...(patch.businessType ? { business_type: patch.businessType } : {}),
      updated_at: ctx.clock.now(),
    });
  });
  const conversation = await withContact(ctx, row);
  ctx.bus.emit('conversation.updated', { orgId: actor.orgId, conversation, previousAssigneeId: before.assignee_id });
  return conversation;
}

interface SendInput { clientMessageId: string; text: string; attachmentIds?: string[] | undefined }

function validateText(text: string, attachments: number) {
  const trimmed = text.replace(/\s+$/u, '');
  if (trimmed.trim().length === 0 && attachments === 0) throw new KefuError('VALIDATION_FAILED', 'The message is empty.', { field: 'text' });
  if (trimmed.length > LIMITS.messageTextMax) throw new KefuError('VALIDATION_FAILED', 'The message is too long.', { field: 'text' });
  return trimmed;
}

/**
 * The unit of work of one send, run inside a (possibly shared) transaction. Returns the stored
 * message and whether it is new; a retry with the same client message id returns the original.
 */
async function sendTx(
  ctx: Ctx,
  trx: Tx,
  conv: { id: string; orgId: string },
  sender: Sender,
  input: SendInput,
  text: string,
): Promise<{ message: MessagesTable; conversation: ConversationsTable; created: boolean; attachments: Attachment[]; quota: QuotaState | null }> {
  const existing = await messageRepo.byClientId(trx, conv.orgId, sender.key, input.clientMessageId);
  if (existing) {
    // The same request again: same conversation and the same text as typed (the stored body may
    // carry an inserted statement; the typed text's hash is kept with the moderation record).
    const sameText = ctx.keys.decrypt(existing.body_enc) === text || (existing.moderation_json && (JSON.parse(existing.moderation_json) as { inputHash?: string }).inputHash === sha256(text));
    if (existing.conversation_id !== conv.id || !sameText) throw new KefuError('CLIENT_MESSAGE_ID_REUSED');
    const conversation = await conversationRepo.byId(trx, conv.orgId, conv.id);
    const attachments = (await attachmentsForMessages(trx, [existing.id])).get(existing.id) ?? [];
    return { message: existing, conversation: conversation!, created: false, attachments, quota: null };
  }
  await sender.beforeInsert?.(trx);
  const now = ctx.clock.now();
  const inbound = sender.type === 'contact';
  const preview = text.length > 80 ? `${text.slice(0, 80)}…` : text || '[附件]';
  const conversation = await conversationRepo.nextSeq(
    trx,
    conv.id,
    {
      last_message_at: now,
      last_preview_enc: ctx.keys.encrypt(preview),
      updated_at: now,
      // An agent's reply claims an unassigned conversation. It does not reopen a resolved one: the
      // user's next message starts a new conversation (one unresolved conversation per user).
      ...(sender.type === 'agent' ? { assignee_id: sql<string>`coalesce(assignee_id, ${sender.id})` } : {}),
    },
    inbound,
  );
  const message: MessagesTable = {
    id: newId(now),
    org_id: conv.orgId,
    conversation_id: conv.id,
    seq: conversation.last_seq,
    direction: inbound ? 'inbound' : 'outbound',
    sender_type: sender.type,
    sender_id: sender.id,
    sender_key: sender.key,
    client_message_id: input.clientMessageId,
    body_enc: ctx.keys.encrypt(text),
    created_at: now,
    delivered_at: null,
    read_at: null,
    moderation_json: sender.moderation ? JSON.stringify(sender.moderation) : null,
  };
  await messageRepo.insert(trx, message);
  await sender.afterInsert?.(trx, message.id);
  // The quota unit is taken last: in the same transaction (a send that fails gives it back, a
  // retry never gets here), and on PostgreSQL the agent's counter row stays locked only for the
  // end of the transaction. Unlimited senders have no counter to contend on.
  const quota = sender.quota && sender.quota.limit !== null ? await consumeQuotaTx(ctx, trx, sender.id!, sender.quota.limit, sender.quota.timeZone) : null;
  const attachments = await claimAttachmentsTx(trx, conv.id, sender.key, input.attachmentIds ?? [], message.id);
  return { message, conversation, created: true, attachments, quota };
}

interface Sender {
  type: 'agent' | 'contact' | 'system';
  /** Agent or contact id; null for the system (auto-replies). */
  id: string | null;
  /** Scope of client message ids: `a:<agentId>`, `c:<contactId>`, `s:<rule>`. */
  key: string;
  name: string | null;
  /** Agents' sends count against their daily quota. */
  quota?: { limit: number | null; timeZone: string };
  /** Stored with the message: what moderation decided. */
  moderation?: Record<string, unknown>;
  /** In the send's transaction, before / after the insert (step-up, bypass, review jobs). */
  beforeInsert?: (trx: Tx) => Promise<void>;
  afterInsert?: (trx: Tx, messageId: string) => Promise<void>;
}

async function durableSend(ctx: Ctx, conv: { id: string; orgId: string }, sender: Sender, input: SendInput) {
  const text = validateText(input.text, input.attachmentIds?.length ?? 0);
  // Two concurrent first attempts with one client id (PostgreSQL): the loser returns the winner's message.
  const result = await retryOnUnique(() => ctx.database.write((trx) => sendTx(ctx, trx, conv, sender, input, text)));
  const contact = await contactRepo.byId(ctx.database.db, conv.orgId, result.conversation.contact_id);
  const message = presentMessage(result.message, ctx.keys, sender.name, result.attachments);
  if (result.quota && sender.id) ctx.bus.emit('quota.updated', { orgId: conv.orgId, agentId: sender.id, quota: result.quota });
  if (result.created) {
    ctx.bus.emit('message.created', {
      orgId: conv.orgId,
      conversation: presentConversation(result.conversation, ctx.keys, contact),
      message,
      contactId: result.conversation.contact_id,
    });
  }
  return { message, created: result.created };
}

export interface AgentSendOptions {
  /** Send a level-1/2 message at once with a written reason (senior 3/day, admin 10/day). */
  bypassReason?: string;
  /** A verified face step-up for exactly this message. */
  stepUpId?: string;
  /** Where the browser is, for a WebAuthn challenge. */
  rp?: RelyingParty;
  /** A supervisor approved this held message: sent as the author, without quota or checks. */
  approvedHeldId?: string;
}

export async function sendAgentMessage(ctx: Ctx, actor: AgentActor, conversationId: string, input: SendInput, opts: AgentSendOptions = {}) {
  const conv = await loadVisible(ctx, actor, conversationId, 'conversation.send');
  const sender: Sender = { type: 'agent', id: actor.agentId, key: `a:${actor.agentId}`, name: actor.name };
  const target = { id: conv.id, orgId: conv.org_id };
  // A retry of a message already sent returns it as it is: no second moderation, quota or step-up.
  // (Checked only where moderation would refuse or change it: a clean retry is answered by the
  // idempotency check inside the send's transaction.)
  const alreadySent = async () => !!(await messageRepo.byClientId(ctx.database.db, conv.org_id, sender.key, input.clientMessageId));

  const policy = await effectivePolicy(ctx, actor.orgId, actor.tier);
  if (opts.approvedHeldId) {
    sender.moderation = { action: 'approved', heldId: opts.approvedHeldId };
    sender.afterInsert = (trx, messageId) => enqueueJobTx(ctx, trx, 'ai_review', { messageId });
    return durableSend(ctx, target, sender, input);
  }
  const restricted = actor.restricted ?? (await isRestricted(ctx, actor.agentId));
  const links = policy.externalLinks ? [] : findExternalLinks(input.text, await allowedHosts(ctx, actor.orgId));
  const scan = (await orgFilter(ctx, actor.orgId)).scan(input.text);
  const action = actionFor(scan);
  if ((restricted || links.length || action !== 'send') && (await alreadySent())) return durableSend(ctx, target, sender, input);
  if (restricted) throw new KefuError('SEND_RESTRICTED');
  if (links.length) throw new KefuError('EXTERNAL_LINK_FORBIDDEN', undefined, { spans: links });
  const hits = scan.hits.map((h) => ({ word: h.word, level: h.level, category: h.category, start: h.start, end: h.end }));
  let text = input.text;
  const moderation: Record<string, unknown> = { action, hits, inputHash: sha256(input.text) };
  const bypassReason = opts.bypassReason?.trim();
  let bypass = false;
  if ((action === 'blocked' || action === 'step_up') && bypassReason) {
    if (policy.bypassesPerDay === 0) throw new KefuError('BYPASS_QUOTA_EXCEEDED', 'Your tier has no bypasses.', { limit: 0 });
    bypass = true;
    moderation.bypass = { reason: bypassReason.slice(0, 500) };
  } else if (action === 'blocked') {
    const caseId = await recordBlockedAttempt(ctx, actor, input.text, scan.hits, { conversationId: conv.id, clientMessageId: input.clientMessageId });
    throw new KefuError('SENSITIVE_BLOCKED', undefined, { hits, caseId });
  }
  const purpose = purposeOf(conv.id, input.clientMessageId, input.text);
  if (action === 'step_up' && !bypass && !opts.stepUpId) {
    const challenge = await stepUpChallenge(ctx, actor, opts.rp ?? { rpID: 'localhost', origin: 'http://localhost' }, purpose);
    throw new KefuError('STEP_UP_REQUIRED', undefined, { hits, ...challenge });
  }
  // Level 3: the organisation's official statement for the hit's category goes with the message.
  const level3 = scan.hits.find((h) => h.level === 3);
  if (level3) {
    const statement = await statementFor(ctx, actor.orgId, level3.category);
    text = `${input.text}\n\n${statement}`;
    moderation.statement = { category: level3.category, word: level3.word, text: statement };
  }
  const tz = await orgTimeZone(ctx, actor.orgId);
  sender.quota = { limit: policy.dailyMessages, timeZone: tz };
  sender.moderation = moderation;
  sender.beforeInsert = async (trx) => {
    if (bypass) await consumeBypassTx(ctx, trx, actor.agentId, policy.bypassesPerDay, tz);
    else if (action === 'step_up') {
      if (!(await consumeStepUpTx(ctx, trx, actor.agentId, opts.stepUpId!, purpose))) {
        throw new KefuError('STEP_UP_FAILED', 'The verification is missing, expired, already used or for another message.');
      }
      moderation.stepUp = { id: opts.stepUpId };
    }
  };
  sender.afterInsert = async (trx, messageId) => {
    await enqueueJobTx(ctx, trx, 'ai_review', { messageId });
    if (bypass) await queueBypassTx(ctx, trx, { orgId: actor.orgId, messageId, conversationId: conv.id, agentId: actor.agentId, reason: bypassReason!, hits });
    if (action !== 'send' || bypass) {
      await appendAuditTx(ctx, trx, actor.orgId, {
        actor: `a:${actor.agentId}`, action: bypass ? 'moderation.bypass' : action === 'step_up' ? 'moderation.step_up' : 'moderation.statement', subject: messageId,
        data: { hits, ...(bypass ? { reason: bypassReason } : {}), ...(moderation.statement ? { statement: (moderation.statement as { category: string }).category } : {}) },
      });
    }
  };
  return durableSend(ctx, target, sender, { ...input, text });
}

/** Auto-replies and other messages Kefu writes itself: the same send path, no agent's quota. */
export async function sendSystemMessage(ctx: Ctx, orgId: string, conversationId: string, key: string, input: SendInput) {
  return durableSend(ctx, { id: conversationId, orgId }, { type: 'system', id: null, key: `s:${key}`, name: null }, input);
}

/** The contact writes into their open conversation, or starts a new one. */
export async function sendContactMessage(ctx: Ctx, actor: ContactActor, input: SendInput) {
  const conv = await ensureContactConversation(ctx, actor);
  return durableSend(ctx, { id: conv.id, orgId: actor.orgId }, { type: 'contact', id: actor.contactId, key: `c:${actor.contactId}`, name: actor.nickname }, input);
}

/** The contact's open conversation, or a new one (the user's first message, text or file). */
export async function ensureContactConversation(ctx: Ctx, actor: ContactActor) {
  const open = await conversationRepo.openForContact(ctx.database.db, actor.contactId);
  if (open) return open;
  const created = await retryOnUnique(() => ctx.database.write(async (trx) => {
    const again = await conversationRepo.openForContact(trx, actor.contactId);
    if (again) return { row: again, created: false };
    const now = ctx.clock.now();
    const row: ConversationsTable = {
      id: newId(now), org_id: actor.orgId, contact_id: actor.contactId, assignee_id: null, status: 'open',
      business_type: 'ecommerce_after_sales', channel: 'h5', last_seq: 0, last_message_at: null, last_preview_enc: null,
      unread_count: 0, agent_read_seq: 0, contact_delivered_seq: 0, contact_read_seq: 0, created_at: now, updated_at: now,
    };
    await conversationRepo.insert(trx, row);
    return { row, created: true };
  }));
  if (created.created) {
    ctx.bus.emit('conversation.updated', { orgId: actor.orgId, conversation: await withContact(ctx, created.row), previousAssigneeId: null });
  }
  return created.row;
}

export async function history(ctx: Ctx, actor: Actor, conversationId: string, q: { afterSeq?: number; beforeSeq?: number; limit?: number; reason?: string }) {
  const conv = await loadVisible(ctx, actor, conversationId);
  if (actor.kind === 'agent' && conv.assignee_id && conv.assignee_id !== actor.agentId) {
    // Oversight: an admin reading a colleague's conversation says why, and the read is audited.
    const reason = q.reason?.trim();
    if (!reason) throw new KefuError('READ_REASON_REQUIRED');
    await audit(ctx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'conversation.read_other', subject: conv.id, data: { reason: reason.slice(0, 500), assigneeId: conv.assignee_id } });
  }
  return pageOf(ctx, conv, q);
}

async function pageOf(ctx: Ctx, conv: ConversationsTable, q: { afterSeq?: number; beforeSeq?: number; limit?: number }) {
  const { rows, hasMore } = await messageRepo.page(ctx.database.db, conv.id, {
    ...(q.afterSeq !== undefined ? { afterSeq: q.afterSeq } : {}),
    ...(q.beforeSeq !== undefined ? { beforeSeq: q.beforeSeq } : {}),
    limit: Math.min(q.limit ?? 50, LIMITS.historyPageMax),
  });
  let contactName: string | null = null;
  if (rows.some((r) => r.sender_type === 'contact')) contactName = (await contactRepo.byId(ctx.database.db, conv.org_id, conv.contact_id))?.nickname ?? null;
  const attachments = await attachmentsForMessages(ctx.database.db, rows.map((r) => r.id));
  const messages: Message[] = rows.map((r) => presentMessage(r, ctx.keys, r.sender_type === 'agent' ? r.agent_name : contactName, attachments.get(r.id)));
  return { messages, hasMore };
}

export async function customerSession(ctx: Ctx, actor: ContactActor) {
  const contact = await contactRepo.byId(ctx.database.db, actor.orgId, actor.contactId);
  if (!contact) throw new KefuError('CONTACT_NOT_FOUND');
  const conv = await conversationRepo.latestForContact(ctx.database.db, actor.contactId);
  if (!conv) return { contact, conversation: null, messages: [] as Message[] };
  const { messages } = await pageOf(ctx, conv, { limit: 50 });
  return { contact, conversation: presentConversation(conv, ctx.keys, contact), messages };
}

export async function customerHistory(ctx: Ctx, actor: ContactActor, q: { afterSeq?: number; beforeSeq?: number; limit?: number }) {
  const conv = await conversationRepo.latestForContact(ctx.database.db, actor.contactId);
  if (!conv) return { messages: [] as Message[], hasMore: false };
  return pageOf(ctx, conv, q);
}

/**
 * Delivered / read watermarks. Agents read inbound messages; the contact receives and reads
 * outbound ones. Watermarks only move forward; read implies delivered.
 */
export async function markReceipt(ctx: Ctx, actor: Actor, conversationId: string | null, kind: 'delivered' | 'read', uptoSeq: number) {
  const conv = conversationId
    ? await loadVisible(ctx, actor, conversationId)
    : await conversationRepo.latestForContact(ctx.database.db, (actor as ContactActor).contactId);
  if (!conv) throw new KefuError('CONVERSATION_NOT_FOUND');
  const now = ctx.clock.now();
  const upto = Math.min(uptoSeq, conv.last_seq);
  const side = actor.kind;
  const row = await ctx.database.write(async (trx) => {
    const cur = (await conversationRepo.byId(trx, conv.org_id, conv.id))!;
    if (side === 'agent') {
      if (kind !== 'read' || upto <= cur.agent_read_seq) return null;
      await messageRepo.markRange(trx, cur.id, 'inbound', 'read_at', cur.agent_read_seq, upto, now);
      await messageRepo.markRange(trx, cur.id, 'inbound', 'delivered_at', cur.agent_read_seq, upto, now);
      const unread = await messageRepo.countInboundAfter(trx, cur.id, upto);
      return conversationRepo.update(trx, cur.id, { agent_read_seq: upto, unread_count: unread });
    }
    const patch: Partial<ConversationsTable> = {};
    if (upto > cur.contact_delivered_seq) {
      await messageRepo.markRange(trx, cur.id, 'outbound', 'delivered_at', cur.contact_delivered_seq, upto, now);
      patch.contact_delivered_seq = upto;
    }
    if (kind === 'read' && upto > cur.contact_read_seq) {
      await messageRepo.markRange(trx, cur.id, 'outbound', 'read_at', cur.contact_read_seq, upto, now);
      patch.contact_read_seq = upto;
    }
    return Object.keys(patch).length ? conversationRepo.update(trx, cur.id, patch) : null;
  });
  if (row) {
    ctx.bus.emit('message.receipt', {
      orgId: conv.org_id,
      conversation: presentConversation(row, ctx.keys),
      side,
      kind,
      uptoSeq: upto,
      at: now,
    });
  }
  return { ok: true };
}

/** After a reconnect: every message after the given seq, per conversation the actor may see. */
export async function syncSince(ctx: Ctx, actor: Actor, since: Record<string, number>) {
  const out: Message[] = [];
  for (const [conversationId, seq] of Object.entries(since).slice(0, 200)) {
    const conv = await conversationRepo.byId(ctx.database.db, actor.orgId, conversationId);
    if (!conv || !can(actor, 'conversation.read', subject(conv))) continue;
    let after = Math.max(0, Math.floor(Number(seq) || 0));
    for (;;) {
      const { messages, hasMore } = await pageOf(ctx, conv, { afterSeq: after, limit: LIMITS.historyPageMax });
      out.push(...messages);
      if (!hasMore || messages.length === 0) break;
      after = messages[messages.length - 1]!.seq;
    }
  }
  return out;
}
