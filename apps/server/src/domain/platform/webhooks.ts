/**
 * Signed platform webhooks. Header `X-Kefu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">` with the organisation's webhook secret; 5-minute window; each event id is
 * processed once (the dedup row and the upsert commit together).
 */
import { KefuError, LIMITS, type UpsertContact, type UpsertOrder } from '@kefu/shared';
import { retryOnUnique } from '../../infra/db/index.ts';
import { hmacHex, safeEqual } from '../../lib/crypto.ts';
import type { Ctx } from '../context.ts';
import { orgSecrets } from '../orgs/service.ts';
import { upsertContactTx, upsertOrderTx } from '../contacts/service.ts';

export interface WebhookEvent {
  id: string;
  type: 'contact.upserted' | 'order.upserted';
  data: UpsertContact | UpsertOrder;
}

export function signWebhook(secret: string, rawBody: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${hmacHex(secret, `${t}.${rawBody}`)}`;
}

export async function verifyWebhook(ctx: Ctx, orgId: string, header: string | undefined, rawBody: string) {
  const secrets = await orgSecrets(ctx, orgId);
  if (!secrets || !header) throw new KefuError('INVALID_SIGNATURE');
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) throw new KefuError('INVALID_SIGNATURE');
  if (!safeEqual(hmacHex(secrets.webhookSecret, `${t}.${rawBody}`), parts.v1)) throw new KefuError('INVALID_SIGNATURE');
  if (Math.abs(ctx.clock.now() / 1000 - t) > LIMITS.webhookWindowSeconds) throw new KefuError('STALE_TIMESTAMP');
}

/** Returns false when the event was already processed (a retry): the answer is still 200. */
export async function handleWebhook(ctx: Ctx, orgId: string, event: WebhookEvent): Promise<boolean> {
  return retryOnUnique(() => ctx.database.write(async (trx) => {
    const seen = await trx.selectFrom('webhook_events').select('event_id').where('org_id', '=', orgId).where('event_id', '=', event.id).executeTakeFirst();
    if (seen) return false;
    await trx.insertInto('webhook_events').values({ org_id: orgId, event_id: event.id, received_at: ctx.clock.now() }).execute();
    if (event.type === 'contact.upserted') await upsertContactTx(ctx, trx, orgId, event.data as UpsertContact);
    else await upsertOrderTx(ctx, trx, orgId, event.data as UpsertOrder);
    return true;
  }));
}
