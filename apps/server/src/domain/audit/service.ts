/**
 * The audit trail: append-only and hash-chained per organisation. Each entry's hash covers the
 * previous entry's hash and its own content, so editing or deleting any entry breaks the chain
 * from there on; `verifyAuditChain` names the first entry that does not fit.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../infra/db/index.ts';
import type { AuditEventsTable } from '../../infra/db/schema.ts';
import type { Ctx } from '../context.ts';

export interface AuditInput { actor: string; action: string; subject?: string | null; data?: Record<string, unknown> }

const GENESIS = 'genesis';

function entryHash(e: Pick<AuditEventsTable, 'org_id' | 'seq' | 'at' | 'actor' | 'action' | 'subject' | 'data_json' | 'prev_hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([e.prev_hash, e.org_id, e.seq, e.at, e.actor, e.action, e.subject, e.data_json]))
    .digest('hex');
}

export async function appendAuditTx(ctx: Ctx, trx: Tx, orgId: string, input: AuditInput) {
  await trx.insertInto('audit_heads').values({ org_id: orgId, seq: 0, hash: GENESIS }).onConflict((oc) => oc.column('org_id').doNothing()).execute();
  // Raising the head's seq locks the row until commit (PostgreSQL), so entries chain in order.
  const head = await trx
    .updateTable('audit_heads')
    .set({ seq: sql<number>`seq + 1` })
    .where('org_id', '=', orgId)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const entry = {
    org_id: orgId,
    seq: Number(head.seq),
    at: ctx.clock.now(),
    actor: input.actor,
    action: input.action,
    subject: input.subject ?? null,
    data_json: JSON.stringify(input.data ?? {}),
    prev_hash: head.hash,
  };
  const hash = entryHash(entry);
  await trx.insertInto('audit_events').values({ ...entry, hash }).execute();
  await trx.updateTable('audit_heads').set({ hash }).where('org_id', '=', orgId).execute();
  return { seq: entry.seq, hash };
}

export function audit(ctx: Ctx, orgId: string, input: AuditInput) {
  return ctx.database.write((trx) => appendAuditTx(ctx, trx, orgId, input));
}

export async function verifyAuditChain(ctx: Ctx, orgId: string): Promise<{ ok: boolean; entries: number; firstBad: number | null; reason: string | null }> {
  let prev = GENESIS;
  let expectSeq = 1;
  let entries = 0;
  let after = 0;
  for (;;) {
    const rows = await ctx.database.db.selectFrom('audit_events').selectAll().where('org_id', '=', orgId).where('seq', '>', after).orderBy('seq').limit(1000).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      if (Number(r.seq) !== expectSeq) return { ok: false, entries, firstBad: expectSeq, reason: 'missing entry' };
      if (r.prev_hash !== prev) return { ok: false, entries, firstBad: Number(r.seq), reason: 'previous hash does not match' };
      if (entryHash(r) !== r.hash) return { ok: false, entries, firstBad: Number(r.seq), reason: 'content does not match its hash' };
      prev = r.hash;
      expectSeq++;
      entries++;
      after = Number(r.seq);
    }
  }
  const head = await ctx.database.db.selectFrom('audit_heads').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (head && (Number(head.seq) !== entries || head.hash !== prev)) return { ok: false, entries, firstBad: entries + 1, reason: 'entries after the last one were removed' };
  return { ok: true, entries, firstBad: null, reason: null };
}

export async function listAudit(ctx: Ctx, orgId: string, q: { action?: string; limit?: number; beforeSeq?: number }) {
  let query = ctx.database.db.selectFrom('audit_events').selectAll().where('org_id', '=', orgId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.beforeSeq) query = query.where('seq', '<', q.beforeSeq);
  const rows = await query.orderBy('seq', 'desc').limit(q.limit ?? 100).execute();
  return rows.map((r) => ({ seq: Number(r.seq), at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, subject: r.subject, data: JSON.parse(r.data_json) as Record<string, unknown> }));
}
