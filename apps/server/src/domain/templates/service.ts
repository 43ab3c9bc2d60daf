/**
 * Canned replies (话术库) with variables and hotkey slots, and auto-reply rules. Senior and admin
 * agents manage them (tier policy `manageTemplates`); everyone may use them. A template that trips
 * a sensitive word or carries an external link is flagged when saved.
 */
import { KefuError } from '@kefu/shared';
import type { CannedRepliesTable, AutoReplyRulesTable } from '../../infra/db/schema.ts';
import { newId } from '../../lib/ids.ts';
import type { AgentActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { effectivePolicy, allowedHosts } from '../tiers/policy.ts';
import { findExternalLinks } from '../moderation/links.ts';
import { orgFilter } from '../moderation/lexicon.ts';
import { appendAuditTx } from '../audit/service.ts';
import { contactRepo, orderRepo } from '../contacts/repository.ts';
import { conversationRepo } from '../conversations/repository.ts';
import { can } from '../policy.ts';

export interface TemplateFlag { kind: 'sensitive' | 'link'; text: string; start: number; end: number; level?: number; category?: string }

export interface CannedReply {
  id: string;
  scope: 'org' | 'personal';
  title: string;
  body: string;
  hotkey: number | null;
  flags: TemplateFlag[];
  createdBy: string;
  updatedAt: string;
}

const present = (r: CannedRepliesTable): CannedReply => ({
  id: r.id,
  scope: r.owner_id ? 'personal' : 'org',
  title: r.title,
  body: r.body,
  hotkey: r.hotkey,
  flags: JSON.parse(r.flagged_json) as TemplateFlag[],
  createdBy: r.created_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

async function requireManage(ctx: Ctx, actor: AgentActor) {
  if (!(await effectivePolicy(ctx, actor.orgId, actor.tier)).manageTemplates) throw new KefuError('TIER_FORBIDDEN', 'Your tier may use templates but not create or edit them.');
}

export async function flagText(ctx: Ctx, orgId: string, text: string): Promise<TemplateFlag[]> {
  const flags: TemplateFlag[] = [];
  for (const h of (await orgFilter(ctx, orgId)).scan(text).hits) flags.push({ kind: 'sensitive', text: text.slice(h.start, h.end), start: h.start, end: h.end, level: h.level, category: h.category });
  for (const l of findExternalLinks(text, await allowedHosts(ctx, orgId))) flags.push({ kind: 'link', text: text.slice(l.start, l.end), start: l.start, end: l.end });
  return flags;
}

/** The replies an agent sees: the organisation's and their own; a personal hotkey shadows the org's. */
export async function listCanned(ctx: Ctx, actor: AgentActor) {
  const rows = await ctx.database.db
    .selectFrom('canned_replies')
    .selectAll()
    .where('org_id', '=', actor.orgId)
    .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', actor.agentId)]))
    .orderBy('hotkey')
    .orderBy('title')
    .execute();
  const replies = rows.map(present);
  const hotkeys: Record<string, string> = {};
  for (const r of replies.filter((x) => x.hotkey && x.scope === 'org')) hotkeys[r.hotkey!] = r.id;
  for (const r of replies.filter((x) => x.hotkey && x.scope === 'personal')) hotkeys[r.hotkey!] = r.id;
  return { replies, hotkeys };
}

export interface CannedInput { scope?: 'org' | 'personal'; title?: string; body?: string; hotkey?: number | null }

export async function createCanned(ctx: Ctx, actor: AgentActor, input: Required<Pick<CannedInput, 'title' | 'body'>> & CannedInput) {
  await requireManage(ctx, actor);
  const now = ctx.clock.now();
  const row: CannedRepliesTable = {
    id: newId(now),
    org_id: actor.orgId,
    owner_id: input.scope === 'personal' ? actor.agentId : null,
    title: input.title.trim(),
    body: input.body,
    hotkey: input.hotkey ?? null,
    flagged_json: JSON.stringify(await flagText(ctx, actor.orgId, input.body)),
    created_by: actor.agentId,
    created_at: now,
    updated_at: now,
  };
  await ctx.database.write(async (trx) => {
    if (row.hotkey) {
      // One reply per hotkey slot and scope: taking a slot frees it from the previous holder.
      let q = trx.updateTable('canned_replies').set({ hotkey: null }).where('org_id', '=', actor.orgId).where('hotkey', '=', row.hotkey);
      q = row.owner_id ? q.where('owner_id', '=', row.owner_id) : q.where('owner_id', 'is', null);
      await q.execute();
    }
    await trx.insertInto('canned_replies').values(row).execute();
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'template.created', subject: row.id, data: { scope: input.scope ?? 'org', flags: JSON.parse(row.flagged_json).length } });
  });
  return present(row);
}

async function loadOwned(ctx: Ctx, actor: AgentActor, id: string) {
  const row = await ctx.database.db.selectFrom('canned_replies').selectAll().where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!row || (row.owner_id && row.owner_id !== actor.agentId)) throw new KefuError('NOT_FOUND');
  return row;
}

export async function updateCanned(ctx: Ctx, actor: AgentActor, id: string, patch: CannedInput) {
  await requireManage(ctx, actor);
  const row = await loadOwned(ctx, actor, id);
  const now = ctx.clock.now();
  const next: CannedRepliesTable = {
    ...row,
    ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
    ...(patch.body !== undefined ? { body: patch.body, flagged_json: JSON.stringify(await flagText(ctx, actor.orgId, patch.body)) } : {}),
    ...(patch.hotkey !== undefined ? { hotkey: patch.hotkey } : {}),
    updated_at: now,
  };
  await ctx.database.write(async (trx) => {
    if (patch.hotkey) {
      let q = trx.updateTable('canned_replies').set({ hotkey: null }).where('org_id', '=', actor.orgId).where('hotkey', '=', patch.hotkey).where('id', '!=', id);
      q = row.owner_id ? q.where('owner_id', '=', row.owner_id) : q.where('owner_id', 'is', null);
      await q.execute();
    }
    await trx.updateTable('canned_replies').set(next).where('id', '=', id).execute();
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'template.updated', subject: id });
  });
  return present(next);
}

export async function deleteCanned(ctx: Ctx, actor: AgentActor, id: string) {
  await requireManage(ctx, actor);
  await loadOwned(ctx, actor, id);
  await ctx.database.write(async (trx) => {
    await trx.deleteFrom('canned_replies').where('id', '=', id).execute();
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'template.deleted', subject: id });
  });
}

/** Fill `{昵称}`, `{订单号}`, `{客服名}` for a conversation the agent may see. */
export async function renderCanned(ctx: Ctx, actor: AgentActor, id: string, conversationId: string) {
  const row = await loadOwned(ctx, actor, id);
  const conv = await conversationRepo.byId(ctx.database.db, actor.orgId, conversationId);
  if (!conv || !can(actor, 'conversation.read', { orgId: conv.org_id, assigneeId: conv.assignee_id, contactId: conv.contact_id })) throw new KefuError('CONVERSATION_NOT_FOUND');
  const contact = await contactRepo.byId(ctx.database.db, actor.orgId, conv.contact_id);
  const [order] = await orderRepo.forContact(ctx.database.db, conv.contact_id, 1);
  return { text: fillVariables(row.body, { nickname: contact?.nickname ?? '', orderNo: order?.order_no ?? '', agentName: actor.name }) };
}

export function fillVariables(body: string, v: { nickname: string; orderNo: string; agentName: string }) {
  return body
    .replaceAll(/\{(昵称|nickname)\}/g, v.nickname)
    .replaceAll(/\{(订单号|orderNo)\}/g, v.orderNo)
    .replaceAll(/\{(客服名|agentName)\}/g, v.agentName);
}

// ---- auto-reply rules ----------------------------------------------------------------------

export type AutoTrigger = 'outside_hours' | 'keyword' | 'no_agent_online';
export interface AutoReplyRule { id: string; trigger: AutoTrigger; keywords: string[]; body: string; enabled: boolean; flags: TemplateFlag[]; updatedAt: string }

const presentRule = async (ctx: Ctx, r: AutoReplyRulesTable): Promise<AutoReplyRule> => ({
  id: r.id,
  trigger: r.trigger as AutoTrigger,
  keywords: JSON.parse(r.keywords_json) as string[],
  body: r.body,
  enabled: !!r.enabled,
  flags: await flagText(ctx, r.org_id, r.body),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function listRules(ctx: Ctx, orgId: string) {
  const rows = await ctx.database.db.selectFrom('auto_reply_rules').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
  return Promise.all(rows.map((r) => presentRule(ctx, r)));
}

export async function upsertRule(ctx: Ctx, actor: AgentActor, id: string | null, input: { trigger?: AutoTrigger; keywords?: string[]; body?: string; enabled?: boolean }) {
  await requireManage(ctx, actor);
  const now = ctx.clock.now();
  const existing = id ? await ctx.database.db.selectFrom('auto_reply_rules').selectAll().where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst() : undefined;
  if (id && !existing) throw new KefuError('NOT_FOUND');
  const row: AutoReplyRulesTable = {
    id: existing?.id ?? newId(now),
    org_id: actor.orgId,
    trigger: input.trigger ?? existing?.trigger ?? 'keyword',
    keywords_json: JSON.stringify(input.keywords ?? (existing ? JSON.parse(existing.keywords_json) : [])),
    body: input.body ?? existing?.body ?? '',
    enabled: input.enabled === undefined ? (existing?.enabled ?? 1) : input.enabled ? 1 : 0,
    created_by: existing?.created_by ?? actor.agentId,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  if (!row.body.trim()) throw new KefuError('VALIDATION_FAILED', 'The reply text is empty.', { field: 'body' });
  if (row.trigger === 'keyword' && (JSON.parse(row.keywords_json) as string[]).filter((k) => k.trim()).length === 0) {
    throw new KefuError('VALIDATION_FAILED', 'A keyword rule needs at least one keyword.', { field: 'keywords' });
  }
  await ctx.database.write(async (trx) => {
    if (existing) await trx.updateTable('auto_reply_rules').set(row).where('id', '=', row.id).execute();
    else await trx.insertInto('auto_reply_rules').values(row).execute();
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: existing ? 'autoreply.updated' : 'autoreply.created', subject: row.id });
  });
  return presentRule(ctx, row);
}

export async function deleteRule(ctx: Ctx, actor: AgentActor, id: string) {
  await requireManage(ctx, actor);
  const r = await ctx.database.write((trx) => trx.deleteFrom('auto_reply_rules').where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst());
  if (Number(r.numDeletedRows) === 0) throw new KefuError('NOT_FOUND');
}
