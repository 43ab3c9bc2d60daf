/**
 * Supervisor review (主管复核): a blocked message may be submitted with a note. It is held — not
 * delivered, not counted against quota — until an admin approves it (then it is sent as the
 * author) or rejects it with a reason shown to the author, who sees the state live.
 */
import { KefuError } from '@kefu/shared';
import type { HeldMessagesTable } from '../../infra/db/schema.ts';
import { newId } from '../../lib/ids.ts';
import type { AgentActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { appendAuditTx } from '../audit/service.ts';
import { orgFilter } from './lexicon.ts';
import { actionFor } from './decide.ts';
import { requireAdmin } from './admin.ts';
import { conversationRepo } from '../conversations/repository.ts';
import { can } from '../policy.ts';
import { sendAgentMessage } from '../conversations/service.ts';
import type { HeldMessage, Tier } from '@kefu/shared';

export type { HeldMessage } from '@kefu/shared';

function present(ctx: Ctx, h: HeldMessagesTable & { agent_name?: string | null }): HeldMessage {
  return {
    id: h.id, conversationId: h.conversation_id, agentId: h.agent_id, agentName: h.agent_name ?? null, clientMessageId: h.client_message_id, text: ctx.keys.decrypt(h.body_enc),
    hits: JSON.parse(h.hits_json) as HeldMessage['hits'], note: h.note, status: h.status as HeldMessage['status'], reason: h.reason, decidedBy: h.decided_by,
    decidedAt: h.decided_at ? new Date(h.decided_at).toISOString() : null, messageId: h.message_id, createdAt: new Date(h.created_at).toISOString(),
    waitingMs: (h.decided_at ?? ctx.clock.now()) - h.created_at,
  };
}

export async function submitForReview(ctx: Ctx, actor: AgentActor, conversationId: string, input: { clientMessageId: string; text: string; note?: string }) {
  const conv = await conversationRepo.byId(ctx.database.db, actor.orgId, conversationId);
  if (!conv || !can(actor, 'conversation.send', { orgId: conv.org_id, assigneeId: conv.assignee_id, contactId: conv.contact_id })) throw new KefuError('CONVERSATION_NOT_FOUND');
  const scan = (await orgFilter(ctx, actor.orgId)).scan(input.text);
  const action = actionFor(scan);
  if (action !== 'blocked' && action !== 'step_up') throw new KefuError('VALIDATION_FAILED', 'Nothing in this message needs a supervisor; send it normally.');
  const now = ctx.clock.now();
  const hits = scan.hits.map((h) => ({ word: h.word, level: h.level, category: h.category, start: h.start, end: h.end }));
  const row = await ctx.database.write(async (trx) => {
    const existing = await trx.selectFrom('held_messages').selectAll().where('agent_id', '=', actor.agentId).where('client_message_id', '=', input.clientMessageId).executeTakeFirst();
    if (existing) return existing; // a retry of the same submission
    const held: HeldMessagesTable = {
      id: newId(now), org_id: actor.orgId, conversation_id: conv.id, agent_id: actor.agentId, client_message_id: input.clientMessageId, body_enc: ctx.keys.encrypt(input.text),
      hits_json: JSON.stringify(hits), note: input.note?.slice(0, 500) ?? null, status: 'pending', reason: null, decided_by: null, decided_at: null, message_id: null, created_at: now,
    };
    await trx.insertInto('held_messages').values(held).execute();
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'review.submitted', subject: held.id, data: { conversationId: conv.id, hits } });
    return held;
  });
  const held = present(ctx, { ...row, agent_name: actor.name });
  ctx.bus.emit('held.updated', { orgId: actor.orgId, held });
  return held;
}

export async function listHeld(ctx: Ctx, actor: AgentActor, status?: string) {
  let q = ctx.database.db.selectFrom('held_messages').leftJoin('agents', 'agents.id', 'held_messages.agent_id').selectAll('held_messages').select('agents.name as agent_name')
    .where('held_messages.org_id', '=', actor.orgId);
  if (actor.tier !== 'admin') q = q.where('held_messages.agent_id', '=', actor.agentId);
  if (status) q = q.where('held_messages.status', '=', status);
  return (await q.orderBy('held_messages.created_at').limit(200).execute()).map((r) => present(ctx, r));
}

export async function approveHeld(ctx: Ctx, actor: AgentActor, id: string) {
  requireAdmin(actor);
  const h = await ctx.database.db.selectFrom('held_messages').selectAll().where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!h) throw new KefuError('NOT_FOUND');
  if (h.status !== 'pending') throw new KefuError('CONFLICT', `This message was already ${h.status}.`);
  const author = await ctx.database.db.selectFrom('agents').select(['id', 'org_id', 'tier', 'name', 'disabled']).where('id', '=', h.agent_id).executeTakeFirstOrThrow();
  const authorActor: AgentActor = { kind: 'agent', agentId: author.id, orgId: author.org_id, tier: author.tier as Tier, name: author.name, sessionId: 'approval', mfa: true };
  // Sent as the author, idempotently by the held message's client id: two approvals racing send
  // one message, and only one of them records the decision.
  const { message } = await sendAgentMessage(ctx, authorActor, h.conversation_id, { clientMessageId: h.client_message_id, text: ctx.keys.decrypt(h.body_enc) }, { approvedHeldId: h.id });
  const now = ctx.clock.now();
  const row = await ctx.database.write(async (trx) => {
    const r = await trx.updateTable('held_messages').set({ status: 'approved', decided_by: actor.agentId, decided_at: now, message_id: message.id }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new KefuError('CONFLICT', 'This message was already decided.');
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'review.approved', subject: id, data: { messageId: message.id, authorId: h.agent_id } });
    return { ...h, status: 'approved', decided_by: actor.agentId, decided_at: now, message_id: message.id };
  });
  const held = present(ctx, { ...row, agent_name: author.name });
  ctx.bus.emit('held.updated', { orgId: actor.orgId, held });
  return held;
}

export async function rejectHeld(ctx: Ctx, actor: AgentActor, id: string, reason: string) {
  requireAdmin(actor);
  if (!reason.trim()) throw new KefuError('VALIDATION_FAILED', 'Give the author a reason.', { field: 'reason' });
  const now = ctx.clock.now();
  const row = await ctx.database.write(async (trx) => {
    const h = await trx.selectFrom('held_messages').selectAll().where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst();
    if (!h) throw new KefuError('NOT_FOUND');
    const r = await trx.updateTable('held_messages').set({ status: 'rejected', reason: reason.slice(0, 500), decided_by: actor.agentId, decided_at: now }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new KefuError('CONFLICT', `This message was already ${h.status}.`);
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'review.rejected', subject: id, data: { reason } });
    return { ...h, status: 'rejected', reason: reason.slice(0, 500), decided_by: actor.agentId, decided_at: now };
  });
  const held = present(ctx, row);
  ctx.bus.emit('held.updated', { orgId: actor.orgId, held });
  return held;
}
