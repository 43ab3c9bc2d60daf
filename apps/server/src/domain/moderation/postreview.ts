/**
 * After sending (DESIGN 1.4): every agent message gets an AI-review job, written in the send's
 * own transaction so no message escapes screening, even across a crash. Suspected violations and
 * every bypass enter the human review queue (bypasses first); confirmed violations are recorded
 * against the agent with the type's handling deadline; the agent may appeal once.
 */
import { sql } from 'kysely';
import { KefuError } from '@kefu/shared';
import type { Tx } from '../../infra/db/index.ts';
import type { PostReviewsTable, ViolationsTable } from '../../infra/db/schema.ts';
import { newId } from '../../lib/ids.ts';
import type { AgentActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { appendAuditTx } from '../audit/service.ts';
import { allowedHosts } from '../tiers/policy.ts';
import { orgFilter } from './lexicon.ts';
import { HANDLING_DEADLINE_MS, ruleReviewer, type Evidence, type Reviewer, type Verdict, type ViolationType } from './reviewer.ts';
import { requireAdmin } from './admin.ts';

const VIOLATION_TYPES = Object.keys(HANDLING_DEADLINE_MS) as ViolationType[];
/** Queue order: bypasses first, then suspected violations. */
const PRIORITY = { bypass: 0, ai: 1 } as const;

export async function enqueueJobTx(ctx: Ctx, trx: Tx, kind: string, payload: Record<string, unknown>) {
  const now = ctx.clock.now();
  await trx.insertInto('jobs').values({ id: newId(now), kind, payload_json: JSON.stringify(payload), run_at: now, attempts: 0, locked_until: null, done_at: null, error: null, created_at: now }).execute();
}

/** A bypassed message goes to the human queue at once, ahead of everything else. */
export async function queueBypassTx(ctx: Ctx, trx: Tx, m: { orgId: string; messageId: string; conversationId: string; agentId: string; reason: string; hits: unknown[] }) {
  const now = ctx.clock.now();
  await trx.insertInto('post_reviews').values({
    id: newId(now), org_id: m.orgId, message_id: m.messageId, conversation_id: m.conversationId, agent_id: m.agentId, source: 'bypass', priority: PRIORITY.bypass,
    suspected_type: null, evidence_json: JSON.stringify({ reason: m.reason, hits: m.hits }), status: 'pending', deadline_at: now + Math.min(...Object.values(HANDLING_DEADLINE_MS)),
    reviewer_id: null, decided_at: null, created_at: now,
  }).execute();
}

interface Assessment { message: { id: string; org_id: string; conversation_id: string; sender_id: string; created_at: number }; verdict: Verdict }

/** Read a message and run the reviewer on it (no writes). */
async function assess(ctx: Ctx, messageId: string, reviewer: Reviewer): Promise<Assessment | null> {
  const m = await ctx.database.db.selectFrom('messages').select(['id', 'org_id', 'conversation_id', 'sender_type', 'sender_id', 'body_enc', 'created_at']).where('id', '=', messageId).executeTakeFirst();
  if (!m || m.sender_type !== 'agent' || !m.sender_id) return null;
  const verdict = reviewer.review(ctx.keys.decrypt(m.body_enc), { filter: await orgFilter(ctx, m.org_id), allowHosts: await allowedHosts(ctx, m.org_id) });
  return verdict ? { message: { ...m, sender_id: m.sender_id }, verdict } : null;
}

/** Record a suspected violation in the human queue; a second run for the same message adds nothing. */
async function recordTx(ctx: Ctx, trx: Tx, a: Assessment) {
  const now = ctx.clock.now();
  const { message: m, verdict } = a;
  const r = await trx.insertInto('post_reviews').values({
    id: newId(now), org_id: m.org_id, message_id: m.id, conversation_id: m.conversation_id, agent_id: m.sender_id, source: 'ai', priority: PRIORITY.ai,
    suspected_type: verdict.type, evidence_json: JSON.stringify({ score: verdict.score, evidence: verdict.evidence }), status: 'pending',
    deadline_at: m.created_at + HANDLING_DEADLINE_MS[verdict.type], reviewer_id: null, decided_at: null, created_at: now,
  }).onConflict((oc) => oc.columns(['message_id', 'source']).doNothing()).executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) {
    await appendAuditTx(ctx, trx, m.org_id, { actor: 'system:ai-reviewer', action: 'review.suspected', subject: m.id, data: { type: verdict.type, score: verdict.score } });
  }
}

/** Screen one message now (tests and tools; the job runner does the same in batches). */
export async function screenMessage(ctx: Ctx, messageId: string, reviewer: Reviewer = ruleReviewer) {
  const a = await assess(ctx, messageId, reviewer);
  if (a) await ctx.database.write((trx) => recordTx(ctx, trx, a));
  return a?.verdict ?? null;
}

const DONE_JOBS_KEPT_MS = 7 * 86_400_000;

/**
 * The durable job loop. Jobs are claimed with a lease (a crashed worker's jobs run again when it
 * expires) in batches: one write claims up to `batch` jobs, the reviewer runs on all of them in
 * memory, one write records every verdict and marks the batch done. With SQLite's single writer,
 * a write per job would queue behind every send of a burst; a write per batch keeps pace.
 */
export function startJobRunner(ctx: Ctx, opts: { intervalMs?: number; leaseMs?: number; batch?: number; reviewer?: Reviewer } = {}) {
  const interval = opts.intervalMs ?? 200;
  const lease = opts.leaseMs ?? 30_000;
  const batch = opts.batch ?? 500;
  const reviewer = opts.reviewer ?? ruleReviewer;
  let running = false;
  let stopped = false;
  let lastPurge = 0;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      for (;;) {
        const now = ctx.clock.now();
        const unlocked = (eb: any) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]);
        const due = await ctx.database.db.selectFrom('jobs').select('id').where('done_at', 'is', null).where('run_at', '<=', now).where(unlocked).orderBy('run_at').limit(batch).execute();
        if (due.length === 0 || stopped) break;
        const jobs = await ctx.database.write((trx) =>
          trx.updateTable('jobs').set({ locked_until: now + lease, attempts: sql<number>`attempts + 1` })
            .where('id', 'in', due.map((d) => d.id)).where(unlocked).returning(['id', 'kind', 'payload_json', 'attempts']).execute(),
        );
        const found: Assessment[] = [];
        const done: string[] = [];
        const failed: Array<{ id: string; attempts: number; error: string }> = [];
        for (const job of jobs) {
          try {
            if (job.kind === 'ai_review') {
              const a = await assess(ctx, String((JSON.parse(job.payload_json) as { messageId: unknown }).messageId), reviewer);
              if (a) found.push(a);
            }
            done.push(job.id);
          } catch (err) {
            ctx.log.error({ err, job: job.id }, 'job failed');
            failed.push({ id: job.id, attempts: Number(job.attempts), error: String((err as Error).message ?? err) });
          }
        }
        await ctx.database.write(async (trx) => {
          for (const a of found) await recordTx(ctx, trx, a);
          if (done.length) await trx.updateTable('jobs').set({ done_at: ctx.clock.now(), error: null }).where('id', 'in', done).execute();
          for (const f of failed) {
            const backoff = Math.min(60_000, 1000 * 2 ** f.attempts);
            await trx.updateTable('jobs').set({ error: f.error, run_at: ctx.clock.now() + backoff, locked_until: null }).where('id', '=', f.id).execute();
          }
        });
      }
      // Finished jobs are kept a week for inspection, then removed.
      const now = ctx.clock.now();
      if (now - lastPurge > 3_600_000) {
        lastPurge = now;
        await ctx.database.write((trx) => trx.deleteFrom('jobs').where('done_at', '<', now - DONE_JOBS_KEPT_MS).execute());
      }
    } catch (err) {
      if (!stopped) ctx.log.error({ err }, 'job runner failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), interval);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 10));
    },
  };
}

// ---- the human queue -------------------------------------------------------------------------

export interface PostReview {
  id: string; messageId: string; conversationId: string; agentId: string; agentName: string | null; source: 'ai' | 'bypass'; priority: number;
  suspectedType: ViolationType | null; text: string; evidence: Evidence[]; bypassReason: string | null; status: 'pending' | 'confirmed' | 'dismissed'; deadlineAt: string; overdue: boolean;
  reviewerId: string | null; decidedAt: string | null; createdAt: string;
}

function presentReview(ctx: Ctx, r: PostReviewsTable & { body_enc: string | null; agent_name: string | null }): PostReview {
  const ev = JSON.parse(r.evidence_json) as { evidence?: Evidence[]; reason?: string; hits?: Array<{ start: number; end: number; word: string }> };
  const text = r.body_enc ? ctx.keys.decrypt(r.body_enc) : '';
  const evidence = ev.evidence ?? (ev.hits ?? []).map((h) => ({ start: h.start, end: h.end, text: text.slice(h.start, h.end), why: h.word }));
  const now = ctx.clock.now();
  return {
    id: r.id, messageId: r.message_id, conversationId: r.conversation_id, agentId: r.agent_id, agentName: r.agent_name, source: r.source as 'ai' | 'bypass', priority: r.priority,
    suspectedType: r.suspected_type as ViolationType | null, text, evidence, bypassReason: ev.reason ?? null, status: r.status as PostReview['status'], deadlineAt: new Date(r.deadline_at).toISOString(),
    overdue: (r.decided_at ?? now) > r.deadline_at, reviewerId: r.reviewer_id, decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null, createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function listPostReviews(ctx: Ctx, actor: AgentActor, status = 'pending') {
  requireAdmin(actor);
  const rows = await ctx.database.db.selectFrom('post_reviews')
    .leftJoin('messages', 'messages.id', 'post_reviews.message_id')
    .leftJoin('agents', 'agents.id', 'post_reviews.agent_id')
    .selectAll('post_reviews').select(['messages.body_enc', 'agents.name as agent_name'])
    .where('post_reviews.org_id', '=', actor.orgId).where('post_reviews.status', '=', status)
    .orderBy('post_reviews.priority').orderBy('post_reviews.created_at').limit(200).execute();
  return rows.map((r) => presentReview(ctx, r));
}

export interface Violation {
  id: string; agentId: string; messageId: string; type: ViolationType; detectedAt: string; deadlineAt: string; confirmedAt: string; overdue: boolean;
  appealStatus: 'none' | 'pending' | 'upheld' | 'overturned'; appealStatement: string | null; appealNote: string | null; appealDecidedAt: string | null;
}

const presentViolation = (v: ViolationsTable): Violation => ({
  id: v.id, agentId: v.agent_id, messageId: v.message_id, type: v.type as ViolationType, detectedAt: new Date(v.detected_at).toISOString(), deadlineAt: new Date(v.deadline_at).toISOString(),
  confirmedAt: new Date(v.confirmed_at).toISOString(), overdue: !!v.overdue, appealStatus: v.appeal_status as Violation['appealStatus'], appealStatement: v.appeal_statement,
  appealNote: v.appeal_note, appealDecidedAt: v.appeal_decided_at ? new Date(v.appeal_decided_at).toISOString() : null,
});

export async function decidePostReview(ctx: Ctx, actor: AgentActor, id: string, verdict: 'confirm' | 'dismiss', type?: ViolationType) {
  requireAdmin(actor);
  const now = ctx.clock.now();
  return ctx.database.write(async (trx) => {
    const r = await trx.selectFrom('post_reviews').selectAll().where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst();
    if (!r) throw new KefuError('NOT_FOUND');
    const vtype = (type ?? r.suspected_type) as ViolationType | null;
    if (verdict === 'confirm' && (!vtype || !VIOLATION_TYPES.includes(vtype))) throw new KefuError('VALIDATION_FAILED', 'Say which violation type this is.', { field: 'type' });
    // Only a pending item can be decided: a second decision (two reviewers at once) gets CONFLICT.
    const upd = await trx.updateTable('post_reviews').set({ status: verdict === 'confirm' ? 'confirmed' : 'dismissed', reviewer_id: actor.agentId, decided_at: now })
      .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw new KefuError('CONFLICT', 'This item was already decided.');
    let violation: Violation | null = null;
    if (verdict === 'confirm') {
      const msg = await trx.selectFrom('messages').select('created_at').where('id', '=', r.message_id).executeTakeFirst();
      const detected = msg?.created_at ?? r.created_at;
      const deadline = detected + HANDLING_DEADLINE_MS[vtype!];
      const row: ViolationsTable = {
        id: newId(now), org_id: r.org_id, agent_id: r.agent_id, message_id: r.message_id, review_id: r.id, type: vtype!, detected_at: detected, deadline_at: deadline,
        confirmed_at: now, overdue: now > deadline ? 1 : 0, appeal_status: 'none', appeal_statement: null, appeal_decided_by: null, appeal_decided_at: null, appeal_note: null,
      };
      await trx.insertInto('violations').values(row).execute();
      violation = presentViolation(row);
    }
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: `review.${verdict}`, subject: r.message_id, data: { reviewId: id, type: vtype, source: r.source } });
    return { status: verdict === 'confirm' ? 'confirmed' : 'dismissed', violation };
  });
}

export async function listViolations(ctx: Ctx, actor: AgentActor, agentId?: string) {
  let q = ctx.database.db.selectFrom('violations').selectAll().where('org_id', '=', actor.orgId);
  // Agents see their own record; admins anyone's.
  if (actor.tier !== 'admin') q = q.where('agent_id', '=', actor.agentId);
  else if (agentId) q = q.where('agent_id', '=', agentId);
  return (await q.orderBy('confirmed_at', 'desc').limit(500).execute()).map(presentViolation);
}

export async function appeal(ctx: Ctx, actor: AgentActor, violationId: string, statement: string) {
  if (!statement.trim()) throw new KefuError('VALIDATION_FAILED', 'Write why the decision is wrong.', { field: 'statement' });
  return ctx.database.write(async (trx) => {
    const v = await trx.selectFrom('violations').selectAll().where('org_id', '=', actor.orgId).where('id', '=', violationId).executeTakeFirst();
    if (!v || v.agent_id !== actor.agentId) throw new KefuError('NOT_FOUND');
    const r = await trx.updateTable('violations').set({ appeal_status: 'pending', appeal_statement: statement.slice(0, 2000) }).where('id', '=', violationId).where('appeal_status', '=', 'none').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new KefuError('CONFLICT', 'A violation can be appealed once.');
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'violation.appealed', subject: violationId });
    return presentViolation({ ...v, appeal_status: 'pending', appeal_statement: statement.slice(0, 2000) });
  });
}

export async function decideAppeal(ctx: Ctx, actor: AgentActor, violationId: string, outcome: 'uphold' | 'overturn', note?: string) {
  requireAdmin(actor);
  const now = ctx.clock.now();
  return ctx.database.write(async (trx) => {
    const v = await trx.selectFrom('violations').selectAll().where('org_id', '=', actor.orgId).where('id', '=', violationId).executeTakeFirst();
    if (!v) throw new KefuError('NOT_FOUND');
    const status = outcome === 'uphold' ? 'upheld' : 'overturned';
    const r = await trx.updateTable('violations').set({ appeal_status: status, appeal_decided_by: actor.agentId, appeal_decided_at: now, appeal_note: note ?? null })
      .where('id', '=', violationId).where('appeal_status', '=', 'pending').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new KefuError('CONFLICT', 'There is no pending appeal.');
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: `appeal.${outcome}`, subject: violationId, data: { note: note ?? null } });
    return presentViolation({ ...v, appeal_status: status, appeal_decided_by: actor.agentId, appeal_decided_at: now, appeal_note: note ?? null });
  });
}
