/**
 * Daily send quota per agent, counted per local day of the organisation's time zone. The counter
 * is raised inside the send's transaction by an upsert that only succeeds under the limit, so
 * 1,000 parallel sends against a limit of 200 accept exactly 200 on either database; a send that
 * fails later in the same transaction takes its unit back with it.
 */
import { sql } from 'kysely';
import { DEFAULT_TIME_ZONE, KefuError } from '@kefu/shared';
import type { Tx } from '../../infra/db/index.ts';
import type { Ctx } from '../context.ts';

const dayFormats = new Map<string, Intl.DateTimeFormat>();
function parts(t: number, timeZone: string) {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    dayFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute), s: Number(p.second) };
}

/** `YYYY-MM-DD` in the time zone. */
export function localDay(t: number, timeZone = DEFAULT_TIME_ZONE): string {
  const p = parts(t, timeZone);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** The instant of the next local midnight (when the quota resets). */
export function nextLocalMidnight(t: number, timeZone = DEFAULT_TIME_ZONE): number {
  const p = parts(t, timeZone);
  const offset = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(t / 1000) * 1000;
  let candidate = Date.UTC(p.y, p.m - 1, p.d + 1) - offset;
  // A daylight-saving change between now and midnight moves the offset: correct once.
  const q = parts(candidate, timeZone);
  if (q.h !== 0 || q.min !== 0) {
    const offset2 = Date.UTC(q.y, q.m - 1, q.d, q.h, q.min, q.s) - Math.floor(candidate / 1000) * 1000;
    candidate = Date.UTC(p.y, p.m - 1, p.d + 1) - offset2;
  }
  return candidate;
}

const tzCache = new WeakMap<Ctx, Map<string, string>>();
export async function orgTimeZone(ctx: Ctx, orgId: string): Promise<string> {
  let m = tzCache.get(ctx);
  if (!m) tzCache.set(ctx, (m = new Map()));
  const hit = m.get(orgId);
  if (hit) return hit;
  const row = await ctx.database.db.selectFrom('organisations').select('time_zone').where('id', '=', orgId).executeTakeFirst();
  const tz = row?.time_zone ?? DEFAULT_TIME_ZONE;
  m.set(orgId, tz);
  return tz;
}

export interface QuotaState { day: string; sent: number; limit: number | null; remaining: number | null; resetAt: string }

/**
 * Raise one of today's counters (`sent` or `bypasses`) by one if it is under `limit` (null: no
 * limit), in the caller's transaction; null when the limit is reached. The upsert's WHERE makes
 * the check and the increment one atomic step on both databases.
 */
async function takeDailyUnitTx(trx: Tx, agentId: string, day: string, column: 'sent' | 'bypasses', limit: number | null): Promise<number | null> {
  if (limit !== null && limit <= 0) return null;
  const row = await trx
    .insertInto('agent_daily_usage')
    .values({ agent_id: agentId, day, sent: column === 'sent' ? 1 : 0, bypasses: column === 'bypasses' ? 1 : 0 })
    .onConflict((oc) => {
      const upd = oc.columns(['agent_id', 'day']).doUpdateSet({ [column]: sql<number>`agent_daily_usage.${sql.ref(column)} + 1` });
      return limit === null ? upd : upd.where(`agent_daily_usage.${column}`, '<', limit);
    })
    .returning(column)
    .executeTakeFirst();
  return row ? Number((row as Record<string, unknown>)[column]) : null;
}

/** Take one unit of today's quota inside the send transaction, or refuse with the reset time. */
export async function consumeQuotaTx(ctx: Ctx, trx: Tx, agentId: string, limit: number | null, timeZone: string): Promise<QuotaState> {
  const now = ctx.clock.now();
  const day = localDay(now, timeZone);
  const resetAt = new Date(nextLocalMidnight(now, timeZone)).toISOString();
  const sent = await takeDailyUnitTx(trx, agentId, day, 'sent', limit);
  if (sent === null) throw new KefuError('DAILY_QUOTA_EXCEEDED', `The daily quota of ${limit} messages is used up; it resets at ${resetAt}.`, { limit, resetAt });
  return { day, sent, limit, remaining: limit === null ? null : limit - sent, resetAt };
}

export async function quotaState(ctx: Ctx, agentId: string, limit: number | null, timeZone: string): Promise<QuotaState> {
  const now = ctx.clock.now();
  const day = localDay(now, timeZone);
  const row = await ctx.database.db.selectFrom('agent_daily_usage').select('sent').where('agent_id', '=', agentId).where('day', '=', day).executeTakeFirst();
  const sent = Number(row?.sent ?? 0);
  return { day, sent, limit, remaining: limit === null ? null : Math.max(0, limit - sent), resetAt: new Date(nextLocalMidnight(now, timeZone)).toISOString() };
}

/** Take one of today's bypasses inside the send transaction, or refuse. */
export async function consumeBypassTx(ctx: Ctx, trx: Tx, agentId: string, limit: number, timeZone: string): Promise<number> {
  const now = ctx.clock.now();
  const used = await takeDailyUnitTx(trx, agentId, localDay(now, timeZone), 'bypasses', limit);
  if (used === null) {
    const resetAt = new Date(nextLocalMidnight(now, timeZone)).toISOString();
    throw new KefuError('BYPASS_QUOTA_EXCEEDED', `All ${limit} bypasses of today are used; they reset at ${resetAt}.`, { limit, resetAt });
  }
  return used;
}
