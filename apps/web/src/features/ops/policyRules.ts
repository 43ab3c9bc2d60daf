/**
 * The tighten-only rule of tier policies (DESIGN 1.1), applied in the form before the server
 * applies it again: a value is allowed when it is no looser than the platform ceiling.
 */
import { TIERS, type Tier, type TierPolicy } from '@kefu/shared';
import type { PolicyPatch } from '../../api/ops.ts';

export const POLICY_FIELDS = ['dailyMessages', 'attachments', 'externalLinks', 'bypassesPerDay', 'manageTemplates', 'readOthers', 'bulkExport'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];
export type Policies = Record<Tier, TierPolicy>;

const ATTACH_RANK = { images: 0, images_video: 1, all: 2 } as const;

/** True when `value` is looser than `ceiling` (null = unlimited, the loosest). */
export function aboveCeiling(field: PolicyField, value: unknown, ceiling: unknown): boolean {
  switch (field) {
    case 'dailyMessages':
      if (ceiling === null) return false;
      if (value === null || value === undefined || value === '') return true;
      return Number(value) > Number(ceiling);
    case 'bypassesPerDay':
      return Number(value) > Number(ceiling);
    case 'attachments':
      return ATTACH_RANK[value as keyof typeof ATTACH_RANK] > ATTACH_RANK[ceiling as keyof typeof ATTACH_RANK];
    default:
      return value === true && ceiling !== true;
  }
}

/** Every field of every tier looser than its ceiling, as `tier.field`. */
export function violations(values: Policies, ceiling: Policies): string[] {
  const out: string[] = [];
  for (const tier of TIERS) for (const f of POLICY_FIELDS) if (aboveCeiling(f, values[tier][f], ceiling[tier][f])) out.push(`${tier}.${f}`);
  return out;
}

/** Only what changed, in the PATCH's shape; null when nothing did. */
export function policyPatch(before: Policies, after: Policies): PolicyPatch | null {
  const tiers: NonNullable<PolicyPatch['tiers']> = {};
  let any = false;
  for (const tier of TIERS) {
    for (const f of POLICY_FIELDS) {
      const a = before[tier][f];
      const b = after[tier][f] ?? (f === 'dailyMessages' ? null : a);
      if (a !== b) {
        (tiers[tier] ??= {} as never);
        (tiers[tier] as Record<string, unknown>)[f] = b;
        any = true;
      }
    }
  }
  return any ? { tiers } : null;
}
