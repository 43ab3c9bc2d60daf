/**
 * Bulk export of conversation records (admins; tier policy `bulkExport`): CSV or JSONL, filtered
 * by date range, agent and business type, streamed in keyset-paged chunks with backpressure, so
 * memory stays flat for a million messages. Progress is kept on the export row.
 */
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { KefuError, type BusinessType } from '@kefu/shared';
import { newId } from '../../lib/ids.ts';
import type { AgentActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { effectivePolicy } from '../tiers/policy.ts';
import { appendAuditTx } from '../audit/service.ts';

export interface ExportFilter { from: string; to: string; agentId?: string; businessType?: BusinessType; format: 'csv' | 'jsonl' }

export interface ExportInfo { id: string; format: string; status: 'running' | 'done' | 'failed'; rows: number; total: number | null; bytes: number; error: string | null; createdAt: string; finishedAt: string | null; filter: ExportFilter }

const COLUMNS = ['conversation_id', 'seq', 'created_at', 'direction', 'sender_type', 'sender', 'contact_platform_id', 'contact_nickname', 'business_type', 'assignee', 'text'] as const;

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote always; neutralise spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replaceAll('"', '""')}"`;
}

function filterQuery(ctx: Ctx, orgId: string, f: ExportFilter) {
  let q = ctx.database.db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .where('messages.org_id', '=', orgId)
    .where('messages.created_at', '>=', Date.parse(f.from))
    .where('messages.created_at', '<', Date.parse(f.to));
  if (f.agentId) q = q.where('conversations.assignee_id', '=', f.agentId);
  if (f.businessType) q = q.where('conversations.business_type', '=', f.businessType);
  return q;
}

/** Write the export to `file`; `onProgress(rows, total)` after each chunk. */
export async function writeExport(ctx: Ctx, orgId: string, f: ExportFilter, file: string, onProgress: (rows: number, total: number) => void | Promise<void> = () => {}) {
  const totalRow = await filterQuery(ctx, orgId, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const total = Number(totalRow.n);
  const agents = new Map((await ctx.database.db.selectFrom('agents').select(['id', 'name']).where('org_id', '=', orgId).execute()).map((a) => [a.id, a.name]));
  const contacts = new Map<string, { platform_id: string; nickname: string }>();
  const tmp = `${file}.part`;
  const out = createWriteStream(tmp);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  if (f.format === 'csv') await write(`\ufeff${COLUMNS.join(',')}\n`);
  let rows = 0;
  let cursor: { t: number; id: string } | null = null;
  for (;;) {
    let q = filterQuery(ctx, orgId, f)
      .select([
        'messages.id', 'messages.conversation_id', 'messages.seq', 'messages.created_at', 'messages.direction', 'messages.sender_type',
        'messages.sender_id', 'messages.body_enc', 'conversations.contact_id', 'conversations.business_type', 'conversations.assignee_id',
      ])
      .orderBy('messages.created_at')
      .orderBy('messages.id')
      .limit(1000);
    if (cursor) {
      const c = cursor;
      q = q.where((eb) => eb.or([eb('messages.created_at', '>', c.t), eb.and([eb('messages.created_at', '=', c.t), eb('messages.id', '>', c.id)])]));
    }
    const chunk = await q.execute();
    if (chunk.length === 0) break;
    const missing = [...new Set(chunk.map((r) => r.contact_id).filter((id) => !contacts.has(id)))];
    if (missing.length) {
      for (const c of await ctx.database.db.selectFrom('contacts').select(['id', 'platform_id', 'nickname']).where('id', 'in', missing).execute()) contacts.set(c.id, c);
    }
    for (const r of chunk) {
      const contact = contacts.get(r.contact_id);
      const record = {
        conversation_id: r.conversation_id,
        seq: r.seq,
        created_at: new Date(r.created_at).toISOString(),
        direction: r.direction,
        sender_type: r.sender_type,
        sender: r.sender_type === 'agent' ? (agents.get(r.sender_id ?? '') ?? r.sender_id) : r.sender_type === 'contact' ? contact?.nickname : 'system',
        contact_platform_id: contact?.platform_id ?? null,
        contact_nickname: contact?.nickname ?? null,
        business_type: r.business_type,
        assignee: r.assignee_id ? (agents.get(r.assignee_id) ?? r.assignee_id) : null,
        text: ctx.keys.decrypt(r.body_enc),
      };
      await write(f.format === 'csv' ? `${COLUMNS.map((c) => csvCell(record[c])).join(',')}\n` : `${JSON.stringify(record)}\n`);
    }
    rows += chunk.length;
    const last = chunk[chunk.length - 1]!;
    cursor = { t: last.created_at, id: last.id };
    // A contact cache for a million messages would grow; it is bounded by the organisation's contacts.
    await onProgress(rows, total);
  }
  out.end();
  await once(out, 'finish');
  await rename(tmp, file);
  return { rows, total, bytes: statSync(file).size };
}

const present = (r: { id: string; format: string; status: string; rows: number; total: number | null; bytes: number; error: string | null; created_at: number; finished_at: number | null; filter_json: string }): ExportInfo => ({
  id: r.id, format: r.format, status: r.status as ExportInfo['status'], rows: Number(r.rows), total: r.total === null ? null : Number(r.total), bytes: Number(r.bytes), error: r.error,
  createdAt: new Date(r.created_at).toISOString(), finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null, filter: JSON.parse(r.filter_json) as ExportFilter,
});

export function exportFile(ctx: Ctx, id: string, format: string) {
  return join(ctx.dataDir, 'exports', `${id}.${format}`);
}

async function requireExport(ctx: Ctx, actor: AgentActor) {
  if (!(await effectivePolicy(ctx, actor.orgId, actor.tier)).bulkExport) throw new KefuError('TIER_FORBIDDEN', 'Only admins export conversation records.');
}

/** Start an export in the background; poll `getExport` for progress. */
export async function startExport(ctx: Ctx, actor: AgentActor, f: ExportFilter): Promise<{ info: ExportInfo; done: Promise<void> }> {
  await requireExport(ctx, actor);
  if (Number.isNaN(Date.parse(f.from)) || Number.isNaN(Date.parse(f.to)) || Date.parse(f.from) >= Date.parse(f.to)) {
    throw new KefuError('VALIDATION_FAILED', 'from must be a date before to.', { field: 'from' });
  }
  const now = ctx.clock.now();
  const id = newId(now);
  await ctx.database.write(async (trx) => {
    await trx.insertInto('exports').values({ id, org_id: actor.orgId, agent_id: actor.agentId, format: f.format, filter_json: JSON.stringify(f), status: 'running', rows: 0, total: null, bytes: 0, error: null, created_at: now, finished_at: null }).execute();
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'export.created', subject: id, data: { ...f } });
  });
  mkdirSync(join(ctx.dataDir, 'exports'), { recursive: true });
  let lastUpdate = 0;
  const done = writeExport(ctx, actor.orgId, f, exportFile(ctx, id, f.format), async (rows, total) => {
    if (Date.now() - lastUpdate < 500) return;
    lastUpdate = Date.now();
    await ctx.database.write((trx) => trx.updateTable('exports').set({ rows, total }).where('id', '=', id).execute());
  })
    .then((r) => ctx.database.write((trx) => trx.updateTable('exports').set({ status: 'done', rows: r.rows, total: r.total, bytes: r.bytes, finished_at: ctx.clock.now() }).where('id', '=', id).execute()))
    .then(() => undefined)
    .catch(async (err) => {
      ctx.log.error({ err, exportId: id }, 'export failed');
      await ctx.database.write((trx) => trx.updateTable('exports').set({ status: 'failed', error: String((err as Error).message ?? err), finished_at: ctx.clock.now() }).where('id', '=', id).execute());
    });
  const info = await getExport(ctx, actor, id);
  return { info, done };
}

export async function getExport(ctx: Ctx, actor: AgentActor, id: string): Promise<ExportInfo> {
  await requireExport(ctx, actor);
  const r = await ctx.database.db.selectFrom('exports').selectAll().where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!r) throw new KefuError('NOT_FOUND');
  return present(r);
}

export async function listExports(ctx: Ctx, actor: AgentActor) {
  await requireExport(ctx, actor);
  const rows = await ctx.database.db.selectFrom('exports').selectAll().where('org_id', '=', actor.orgId).orderBy('created_at', 'desc').limit(50).execute();
  return rows.map(present);
}
