import { DEFAULT_TIME_ZONE } from '@kefu/shared';
import { newId, randomToken } from '../../lib/ids.ts';
import type { Ctx } from '../context.ts';
import { orgRepo } from './repository.ts';

export interface OrgSecrets { platformSecret: string; webhookSecret: string }

/** Secrets are cached per process: they are read on every customer token and webhook. */
const secretCache = new WeakMap<Ctx, Map<string, OrgSecrets>>();

export async function createOrganisation(ctx: Ctx, name: string, timeZone = DEFAULT_TIME_ZONE) {
  const id = newId();
  const secrets: OrgSecrets = { platformSecret: randomToken(32), webhookSecret: randomToken(32) };
  await ctx.database.write((trx) =>
    orgRepo.insert(trx, {
      id,
      name,
      time_zone: timeZone,
      platform_secret_enc: ctx.keys.encrypt(secrets.platformSecret),
      webhook_secret_enc: ctx.keys.encrypt(secrets.webhookSecret),
      created_at: ctx.clock.now(),
    }),
  );
  return { id, name, timeZone, ...secrets };
}

export async function orgSecrets(ctx: Ctx, orgId: string): Promise<OrgSecrets | null> {
  let cache = secretCache.get(ctx);
  if (!cache) secretCache.set(ctx, (cache = new Map()));
  const hit = cache.get(orgId);
  if (hit) return hit;
  const row = await orgRepo.byId(ctx.database.db, orgId);
  if (!row) return null;
  const secrets = { platformSecret: ctx.keys.decrypt(row.platform_secret_enc), webhookSecret: ctx.keys.decrypt(row.webhook_secret_enc) };
  cache.set(orgId, secrets);
  return secrets;
}
