/**
 * Lexicon management (admins): organisation words with level and category, the allow-list,
 * imports from text or CSV with line-numbered errors, the official statements, and a test box.
 */
import { sql } from 'kysely';
import { parseLexicon, type Level } from '@kefu/filter';
import { KefuError } from '@kefu/shared';
import type { Tx } from '../../infra/db/index.ts';
import { newId } from '../../lib/ids.ts';
import type { AgentActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { appendAuditTx } from '../audit/service.ts';
import { invalidateOrgFilter, orgFilter } from './lexicon.ts';
import { actionFor, DEFAULT_STATEMENT } from './decide.ts';
import { allowedHosts } from '../tiers/policy.ts';
import { findExternalLinks } from './links.ts';

export function requireAdmin(actor: AgentActor) {
  if (actor.tier !== 'admin') throw new KefuError('TIER_FORBIDDEN');
}

async function bumpVersion(trx: Tx, orgId: string) {
  await trx.insertInto('lexicon_versions').values({ org_id: orgId, version: 1 })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ version: sql<number>`lexicon_versions.version + 1` }))
    .execute();
}

export interface LexiconEntryDto { id: string; kind: 'word' | 'allow'; word: string; level: number | null; category: string | null; createdAt: string }

export async function listLexicon(ctx: Ctx, actor: AgentActor): Promise<LexiconEntryDto[]> {
  requireAdmin(actor);
  const rows = await ctx.database.db.selectFrom('org_lexicon').selectAll().where('org_id', '=', actor.orgId).orderBy('kind').orderBy('word').execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind as 'word' | 'allow', word: r.word, level: r.level, category: r.category, createdAt: new Date(r.created_at).toISOString() }));
}

export interface NewEntry { kind: 'word' | 'allow'; word: string; level?: Level; category?: string }

async function upsertEntries(ctx: Ctx, actor: AgentActor, entries: NewEntry[], source: string) {
  const now = ctx.clock.now();
  await ctx.database.write(async (trx) => {
    for (const e of entries) {
      await trx
        .insertInto('org_lexicon')
        .values({ id: newId(now), org_id: actor.orgId, kind: e.kind, word: e.word, level: e.kind === 'word' ? (e.level ?? 1) : null, category: e.kind === 'word' ? (e.category ?? 'custom') : null, created_by: actor.agentId, created_at: now })
        // Duplicates keep the most severe level (1 is the most severe).
        .onConflict((oc) => oc.columns(['org_id', 'kind', 'word']).doUpdateSet((eb) => ({
          level: sql<number>`case when coalesce(org_lexicon.level, 3) <= coalesce(${eb.ref('excluded.level')}, 3) then org_lexicon.level else ${eb.ref('excluded.level')} end`,
          category: eb.ref('excluded.category'),
        })))
        .execute();
    }
    await bumpVersion(trx, actor.orgId);
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'lexicon.changed', subject: actor.orgId, data: { source, count: entries.length } });
  });
  invalidateOrgFilter(ctx, actor.orgId);
}

export async function addEntry(ctx: Ctx, actor: AgentActor, e: NewEntry) {
  requireAdmin(actor);
  const word = e.word.trim();
  if (!word) throw new KefuError('VALIDATION_FAILED', 'The word is empty.', { field: 'word' });
  await upsertEntries(ctx, actor, [{ ...e, word }], 'manual');
}

export async function deleteEntry(ctx: Ctx, actor: AgentActor, id: string) {
  requireAdmin(actor);
  const done = await ctx.database.write(async (trx) => {
    const r = await trx.deleteFrom('org_lexicon').where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return false;
    await bumpVersion(trx, actor.orgId);
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'lexicon.changed', subject: id, data: { source: 'delete' } });
    return true;
  });
  if (!done) throw new KefuError('NOT_FOUND');
  invalidateOrgFilter(ctx, actor.orgId);
}

/** Import a text or CSV lexicon. Nothing is stored when any line is bad: the errors come back by line. */
export async function importLexicon(ctx: Ctx, actor: AgentActor, input: { content: string; format?: 'text' | 'csv'; kind?: 'word' | 'allow'; level?: Level; category?: string }) {
  requireAdmin(actor);
  const parsed = parseLexicon(input.content, { ...(input.format ? { format: input.format } : {}), ...(input.level ? { level: input.level } : {}), ...(input.category ? { category: input.category } : {}) });
  if (parsed.errors.length) return { imported: 0, errors: parsed.errors, warnings: parsed.warnings ?? [] };
  const kind = input.kind ?? 'word';
  await upsertEntries(ctx, actor, parsed.entries.map((e) => ({ kind, word: e.word, level: e.level, category: e.category })), 'import');
  return { imported: parsed.entries.length, errors: [], warnings: parsed.warnings ?? [] };
}

export async function testText(ctx: Ctx, actor: AgentActor, text: string) {
  const scan = (await orgFilter(ctx, actor.orgId)).scan(text);
  return { ...scan, action: actionFor(scan), links: findExternalLinks(text, await allowedHosts(ctx, actor.orgId)) };
}

export async function statementFor(ctx: Ctx, orgId: string, category: string): Promise<string> {
  const rows = await ctx.database.db.selectFrom('statements').select(['category', 'text']).where('org_id', '=', orgId).where('category', 'in', [category, '*']).execute();
  return rows.find((r) => r.category === category)?.text ?? rows.find((r) => r.category === '*')?.text ?? DEFAULT_STATEMENT;
}

export async function listStatements(ctx: Ctx, orgId: string) {
  const rows = await ctx.database.db.selectFrom('statements').selectAll().where('org_id', '=', orgId).orderBy('category').execute();
  return { defaultText: DEFAULT_STATEMENT, statements: rows.map((r) => ({ category: r.category, text: r.text, updatedAt: new Date(r.updated_at).toISOString() })) };
}

export async function setStatement(ctx: Ctx, actor: AgentActor, category: string, text: string) {
  requireAdmin(actor);
  if (!text.trim()) throw new KefuError('VALIDATION_FAILED', 'The statement is empty.', { field: 'text' });
  const now = ctx.clock.now();
  await ctx.database.write(async (trx) => {
    await trx.insertInto('statements').values({ org_id: actor.orgId, category, text, updated_by: actor.agentId, updated_at: now })
      .onConflict((oc) => oc.columns(['org_id', 'category']).doUpdateSet({ text, updated_by: actor.agentId, updated_at: now }))
      .execute();
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'statement.changed', subject: category });
  });
}
