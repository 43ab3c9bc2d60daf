/**
 * The tier policy in force for an agent: the platform's ceiling (DESIGN 1.1 defaults, adjustable
 * only by server configuration) tightened by the organisation. Every tier rule (quota,
 * attachments, links, bypasses, templates, oversight) is read through here.
 */
import { KefuError, TIER_DEFAULTS, TIERS, type Tier } from '@kefu/shared';
import type { Ctx } from '../context.ts';
import { newId } from '../../lib/ids.ts';
import { appendAuditTx } from '../audit/service.ts';

export type TierPolicy = (typeof TIER_DEFAULTS)[Tier];
export type TierPolicies = Record<Tier, TierPolicy>;
type Field = keyof TierPolicy;

const ATTACHMENT_ORDER = ['images', 'images_video', 'all'] as const;
const FIELDS: Field[] = ['dailyMessages', 'attachments', 'externalLinks', 'bypassesPerDay', 'manageTemplates', 'readOthers', 'bulkExport'];

/** Is `value` at most as permissive as `ceiling` for this field? */
function withinCeiling(field: Field, value: unknown, ceiling: unknown): boolean {
  switch (field) {
    case 'dailyMessages':
      if (value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) return false;
      return ceiling === null || (value !== null && (value as number) <= (ceiling as number));
    case 'bypassesPerDay':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= (ceiling as number);
    case 'attachments':
      return ATTACHMENT_ORDER.includes(value as never) && ATTACHMENT_ORDER.indexOf(value as never) <= ATTACHMENT_ORDER.indexOf(ceiling as never);
    default:
      return typeof value === 'boolean' && (ceiling === true || value === false);
  }
}

/** The platform ceiling: the defaults, changed by `KEFU_TIER_CEILING` (which may loosen them). */
export function platformCeiling(json: string | null): TierPolicies {
  const out = structuredClone(TIER_DEFAULTS) as TierPolicies;
  if (!json) return out;
  const patch = JSON.parse(json) as Partial<Record<Tier, Partial<TierPolicy>>>;
  for (const tier of TIERS) Object.assign(out[tier], patch[tier] ?? {});
  return out;
}

export interface WorkingHours { days: number[]; start: string; end: string }
const cache = new WeakMap<Ctx, Map<string, { at: number; policies: TierPolicies; allowHosts: string[]; workingHours: WorkingHours }>>();
/** Policies are cached briefly per process: a change reaches every server within seconds. */
const TTL_MS = 3000;

async function orgSettings(ctx: Ctx, orgId: string) {
  let m = cache.get(ctx);
  if (!m) cache.set(ctx, (m = new Map()));
  const hit = m.get(orgId);
  const now = Date.now();
  if (hit && now - hit.at < TTL_MS) return hit;
  const row = await ctx.database.db.selectFrom('org_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  const org = (row ? JSON.parse(row.tier_policy_json) : {}) as Partial<Record<Tier, Partial<TierPolicy>>>;
  const policies = structuredClone(ctx.platform.tierCeiling);
  for (const tier of TIERS) {
    for (const field of FIELDS) {
      const v = org[tier]?.[field];
      // A stored value above a (since lowered) ceiling is ignored: the ceiling always wins.
      if (v !== undefined && withinCeiling(field, v, policies[tier][field])) (policies[tier] as Record<Field, unknown>)[field] = v;
    }
  }
  const entry = {
    at: now,
    policies,
    allowHosts: row ? (JSON.parse(row.link_allow_hosts_json) as string[]) : [],
    workingHours: row ? (JSON.parse(row.working_hours_json) as WorkingHours) : DEFAULT_WORKING_HOURS,
  };
  m.set(orgId, entry);
  return entry;
}

export async function effectivePolicy(ctx: Ctx, orgId: string, tier: Tier): Promise<TierPolicy> {
  return (await orgSettings(ctx, orgId)).policies[tier];
}

export async function orgPolicies(ctx: Ctx, orgId: string) {
  const s = await orgSettings(ctx, orgId);
  return { policies: s.policies, ceiling: ctx.platform.tierCeiling, linkAllowHosts: s.allowHosts, workingHours: s.workingHours };
}

/** Hosts whose links are not external: the platform's own plus the organisation's allow-list. */
export async function allowedHosts(ctx: Ctx, orgId: string): Promise<string[]> {
  return [...ctx.platform.domains, ...(await orgSettings(ctx, orgId)).allowHosts];
}

export interface PolicyPatch {
  tiers?: Partial<Record<Tier, Partial<TierPolicy>>>;
  linkAllowHosts?: string[];
  workingHours?: WorkingHours;
}

export async function workingHours(ctx: Ctx, orgId: string): Promise<WorkingHours> {
  return (await orgSettings(ctx, orgId)).workingHours;
}

/** Admins tighten their organisation's policy; every changed value is recorded (who, when, old, new). */
export async function updateOrgPolicy(ctx: Ctx, orgId: string, actorId: string, patch: PolicyPatch) {
  const ceiling = ctx.platform.tierCeiling;
  for (const [tier, fields] of Object.entries(patch.tiers ?? {}) as [Tier, Partial<TierPolicy>][]) {
    for (const [field, value] of Object.entries(fields) as [Field, unknown][]) {
      if (!FIELDS.includes(field)) throw new KefuError('VALIDATION_FAILED', `Unknown policy field ${field}.`, { field });
      if (!withinCeiling(field, value, ceiling[tier][field])) {
        throw new KefuError('VALIDATION_FAILED', `${tier}.${field} cannot be looser than the platform allows (${JSON.stringify(ceiling[tier][field])}); that is a server setting.`, {
          field: `${tier}.${field}`,
          ceiling: ceiling[tier][field],
        });
      }
    }
  }
  const hosts = patch.linkAllowHosts?.map((h) => h.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, ''));
  if (hosts?.some((h) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(h))) throw new KefuError('VALIDATION_FAILED', 'An allowed host is not a domain name.', { field: 'linkAllowHosts' });
  const now = ctx.clock.now();
  await ctx.database.write(async (trx) => {
    const row = await trx.selectFrom('org_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();
    const current = (row ? JSON.parse(row.tier_policy_json) : {}) as Partial<Record<Tier, Partial<TierPolicy>>>;
    const currentHosts = row ? (JSON.parse(row.link_allow_hosts_json) as string[]) : [];
    const changes: Array<{ field: string; old: unknown; new: unknown }> = [];
    for (const [tier, fields] of Object.entries(patch.tiers ?? {}) as [Tier, Partial<TierPolicy>][]) {
      const before = { ...ceiling[tier], ...(current[tier] ?? {}) };
      for (const [field, value] of Object.entries(fields) as [Field, unknown][]) {
        if (JSON.stringify(before[field]) === JSON.stringify(value)) continue;
        changes.push({ field: `${tier}.${field}`, old: before[field], new: value });
        current[tier] = { ...(current[tier] ?? {}), [field]: value };
      }
    }
    if (hosts && JSON.stringify(hosts) !== JSON.stringify(currentHosts)) changes.push({ field: 'linkAllowHosts', old: currentHosts, new: hosts });
    const currentHours = row ? (JSON.parse(row.working_hours_json) as WorkingHours) : DEFAULT_WORKING_HOURS;
    if (patch.workingHours && JSON.stringify(patch.workingHours) !== JSON.stringify(currentHours)) changes.push({ field: 'workingHours', old: currentHours, new: patch.workingHours });
    const values = {
      tier_policy_json: JSON.stringify(current),
      link_allow_hosts_json: JSON.stringify(hosts ?? currentHosts),
      working_hours_json: JSON.stringify(patch.workingHours ?? currentHours),
      updated_at: now,
    };
    if (row) await trx.updateTable('org_settings').set(values).where('org_id', '=', orgId).execute();
    else await trx.insertInto('org_settings').values({ org_id: orgId, ...values }).execute();
    for (const c of changes) {
      await trx.insertInto('policy_changes').values({ id: newId(now), org_id: orgId, actor_id: actorId, field: c.field, old_value: JSON.stringify(c.old), new_value: JSON.stringify(c.new), created_at: now }).execute();
    }
    if (changes.length) await appendAuditTx(ctx, trx, orgId, { actor: `a:${actorId}`, action: 'policy.changed', subject: orgId, data: { changes } });
  });
  cache.get(ctx)?.delete(orgId);
  return orgPolicies(ctx, orgId);
}

export async function policyChanges(ctx: Ctx, orgId: string, limit = 100) {
  const rows = await ctx.database.db.selectFrom('policy_changes').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, actorId: r.actor_id, field: r.field, oldValue: r.old_value === null ? null : JSON.parse(r.old_value), newValue: r.new_value === null ? null : JSON.parse(r.new_value),
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

export const DEFAULT_WORKING_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5, 6, 0], start: '09:00', end: '22:00' };
