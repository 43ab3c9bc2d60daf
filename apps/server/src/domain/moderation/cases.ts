/**
 * Account-review cases (DESIGN 1.3 level 1): a blocked send opens a case on the sender, or adds
 * the attempt to their open case; repeated attempts in a day raise its priority. Admins work the
 * case: clear, warn, or restrict (the agent cannot send until a later clear).
 */
import type { Hit } from '@kefu/filter';
import { KefuError } from '@kefu/shared';
import { newId } from '../../lib/ids.ts';
import type { AgentActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { appendAuditTx } from '../audit/service.ts';
import { requireAdmin } from './admin.ts';
import type { ReviewCasesTable } from '../../infra/db/schema.ts';

/** 3 = normal, 2 = raised, 1 = urgent. */
export function priorityFor(attemptsToday: number): number {
  return attemptsToday >= 3 ? 1 : attemptsToday === 2 ? 2 : 3;
}

export async function recordBlockedAttempt(ctx: Ctx, actor: AgentActor, text: string, hits: Hit[], meta: { conversationId: string; clientMessageId: string }) {
  const now = ctx.clock.now();
  return ctx.database.write(async (trx) => {
    const open = await trx.selectFrom('review_cases').selectAll().where('agent_id', '=', actor.agentId).where('status', '=', 'open').executeTakeFirst();
    let caseId: string;
    if (open) {
      // Attempts in the last 24 hours decide the priority.
      const sameDay = now - open.updated_at < 86_400_000 ? open.attempts + 1 : 1;
      await trx.updateTable('review_cases').set({
        attempts: open.attempts + 1, priority: Math.min(open.priority, priorityFor(sameDay)), last_attempt_enc: ctx.keys.encrypt(text), last_hits_json: JSON.stringify(hits), updated_at: now,
      }).where('id', '=', open.id).execute();
      caseId = open.id;
    } else {
      caseId = newId(now);
      await trx.insertInto('review_cases').values({
        id: caseId, org_id: actor.orgId, agent_id: actor.agentId, status: 'open', priority: priorityFor(1), attempts: 1, last_attempt_enc: ctx.keys.encrypt(text),
        last_hits_json: JSON.stringify(hits), resolution_note: null, resolved_by: null, created_at: now, updated_at: now,
      }).execute();
    }
    await appendAuditTx(ctx, trx, actor.orgId, {
      actor: `a:${actor.agentId}`, action: 'moderation.blocked', subject: meta.conversationId,
      data: { caseId, clientMessageId: meta.clientMessageId, hits: hits.map((h) => ({ word: h.word, level: h.level, category: h.category, start: h.start, end: h.end })) },
    });
    return caseId;
  });
}

export interface ReviewCase {
  id: string; agentId: string; agentName: string | null; status: 'open' | 'cleared' | 'warned' | 'restricted'; priority: number; attempts: number; lastAttempt: string | null;
  lastHits: Hit[]; resolutionNote: string | null; resolvedBy: string | null; createdAt: string; updatedAt: string;
}

function present(ctx: Ctx, r: ReviewCasesTable & { agent_name?: string | null }): ReviewCase {
  return {
    id: r.id, agentId: r.agent_id, agentName: r.agent_name ?? null, status: r.status as ReviewCase['status'], priority: r.priority, attempts: r.attempts,
    lastAttempt: r.last_attempt_enc ? ctx.keys.decrypt(r.last_attempt_enc) : null, lastHits: JSON.parse(r.last_hits_json) as Hit[],
    resolutionNote: r.resolution_note, resolvedBy: r.resolved_by, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function listCases(ctx: Ctx, actor: AgentActor, status?: string) {
  requireAdmin(actor);
  let q = ctx.database.db.selectFrom('review_cases').leftJoin('agents', 'agents.id', 'review_cases.agent_id').selectAll('review_cases').select('agents.name as agent_name').where('review_cases.org_id', '=', actor.orgId);
  if (status) q = q.where('review_cases.status', '=', status);
  return (await q.orderBy('review_cases.priority').orderBy('review_cases.updated_at', 'desc').limit(200).execute()).map((r) => present(ctx, r));
}

export async function resolveCase(ctx: Ctx, actor: AgentActor, caseId: string, action: 'clear' | 'warn' | 'restrict', note?: string) {
  requireAdmin(actor);
  const now = ctx.clock.now();
  const status = action === 'clear' ? 'cleared' : action === 'warn' ? 'warned' : 'restricted';
  const row = await ctx.database.write(async (trx) => {
    const c = await trx.selectFrom('review_cases').selectAll().where('org_id', '=', actor.orgId).where('id', '=', caseId).executeTakeFirst();
    if (!c) throw new KefuError('NOT_FOUND');
    if (c.status === 'cleared') throw new KefuError('CONFLICT', 'The case is already cleared.');
    if (c.status !== 'open' && !(c.status === 'restricted' && action === 'clear')) throw new KefuError('CONFLICT', 'Only an open case, or a restriction being lifted, can be decided.');
    await trx.updateTable('review_cases').set({ status, resolution_note: note ?? null, resolved_by: actor.agentId, updated_at: now }).where('id', '=', caseId).execute();
    await trx.updateTable('agents').set({ send_restricted: action === 'restrict' ? 1 : 0 }).where('id', '=', c.agent_id).execute();
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: `case.${action}`, subject: caseId, data: { agentId: c.agent_id, note: note ?? null } });
    return { ...c, status, resolution_note: note ?? null, resolved_by: actor.agentId, updated_at: now };
  });
  return present(ctx, row);
}

export async function isRestricted(ctx: Ctx, agentId: string): Promise<boolean> {
  const r = await ctx.database.db.selectFrom('agents').select('send_restricted').where('id', '=', agentId).executeTakeFirst();
  return !!r?.send_restricted;
}
