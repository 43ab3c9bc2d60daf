/**
 * The sensitive-word filter of each organisation: Kefu's built-in lexicon plus the organisation's
 * words and allow-list. Built lazily and cached per process; a change bumps the organisation's
 * lexicon version, which every server checks every couple of seconds, so edits take effect
 * everywhere within seconds without a restart.
 */
import { buildFilter, defaultAllowList, defaultLexicon, type Filter, type Level } from '@kefu/filter';
import type { Ctx } from '../context.ts';

let builtin: Filter | null = null;

/** The built-in filter (no organisation words): templates in tests, tools, benchmarks. */
export function sensitiveFilter(): Filter {
  builtin ??= buildFilter(defaultLexicon(), { allow: defaultAllowList() });
  return builtin;
}

const VERSION_CHECK_MS = 2000;
interface Cached { version: number; filter: Filter; checkedAt: number; building?: Promise<Filter> }
const cache = new WeakMap<Ctx, Map<string, Cached>>();

async function currentVersion(ctx: Ctx, orgId: string): Promise<number> {
  const row = await ctx.database.db.selectFrom('lexicon_versions').select('version').where('org_id', '=', orgId).executeTakeFirst();
  return Number(row?.version ?? 0);
}

export async function orgFilter(ctx: Ctx, orgId: string): Promise<Filter> {
  let m = cache.get(ctx);
  if (!m) cache.set(ctx, (m = new Map()));
  const hit = m.get(orgId);
  const now = Date.now();
  if (hit && now - hit.checkedAt < VERSION_CHECK_MS) return hit.filter;
  const version = await currentVersion(ctx, orgId);
  if (hit && hit.version === version) {
    hit.checkedAt = now;
    return hit.filter;
  }
  if (version === 0) {
    m.set(orgId, { version, filter: sensitiveFilter(), checkedAt: now });
    return sensitiveFilter();
  }
  const rows = await ctx.database.db.selectFrom('org_lexicon').select(['kind', 'word', 'level', 'category']).where('org_id', '=', orgId).execute();
  const words = rows.filter((r) => r.kind === 'word').map((r) => ({ word: r.word, level: (r.level ?? 1) as Level, category: r.category ?? 'custom' }));
  const allow = rows.filter((r) => r.kind === 'allow').map((r) => r.word);
  const filter = buildFilter([...defaultLexicon(), ...words], { allow: [...defaultAllowList(), ...allow] });
  m.set(orgId, { version, filter, checkedAt: now });
  return filter;
}

/** Forget this process's copy now (the writer's own server should not wait for the check). */
export function invalidateOrgFilter(ctx: Ctx, orgId: string) {
  cache.get(ctx)?.delete(orgId);
}
