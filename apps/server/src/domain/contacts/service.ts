/**
 * Platform users (contacts) and their orders. Upserts are idempotent by platform id / order
 * number, so webhooks, CSV imports and the API can all deliver the same record repeatedly.
 */
import { KefuError, type UpsertContact, type UpsertOrder } from '@kefu/shared';
import { retryOnUnique, type Tx } from '../../infra/db/index.ts';
import { maskPhone, normalisePhone } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import type { Ctx } from '../context.ts';
import { presentContact, presentOrder } from '../presenters.ts';
import { contactRepo, orderRepo } from './repository.ts';

function phoneFields(ctx: Ctx, phone: string | null | undefined) {
  if (phone === undefined) return {};
  if (phone === null || phone.trim() === '') return { phone_enc: null, phone_bidx: null, phone_masked: null };
  const normal = normalisePhone(phone);
  if (!normal) throw new KefuError('VALIDATION_FAILED', 'The phone number is not valid.', { field: 'phone' });
  return { phone_enc: ctx.keys.encrypt(normal), phone_bidx: ctx.keys.blindIndex('phone', normal), phone_masked: maskPhone(normal) };
}

/** Insert or update inside a unit of work (used by the API, webhooks and imports). */
export async function upsertContactTx(ctx: Ctx, trx: Tx, orgId: string, input: UpsertContact) {
  const now = ctx.clock.now();
  const phone = phoneFields(ctx, input.phone);
  const existing = await contactRepo.byPlatformId(trx, orgId, input.platformId);
  if (existing) {
    const patch = { nickname: input.nickname, ...phone, ...(input.avatarUrl !== undefined ? { avatar_url: input.avatarUrl } : {}), updated_at: now };
    await contactRepo.update(trx, existing.id, patch);
    return { row: { ...existing, ...patch }, created: false };
  }
  const row = {
    id: newId(now),
    org_id: orgId,
    platform_id: input.platformId,
    nickname: input.nickname,
    phone_enc: null,
    phone_bidx: null,
    phone_masked: null,
    ...phone,
    avatar_url: input.avatarUrl ?? null,
    created_at: now,
    updated_at: now,
  };
  await contactRepo.insert(trx, row);
  return { row, created: true };
}

export async function upsertContact(ctx: Ctx, orgId: string, input: UpsertContact) {
  // Concurrent first upserts of one platform id (PostgreSQL): the second attempt updates.
  const { row, created } = await retryOnUnique(() => ctx.database.write((trx) => upsertContactTx(ctx, trx, orgId, input)));
  return { contact: presentContact(row), created };
}

export async function upsertOrderTx(ctx: Ctx, trx: Tx, orgId: string, input: UpsertOrder) {
  const now = ctx.clock.now();
  const contact = await contactRepo.byPlatformId(trx, orgId, input.platformId);
  if (!contact) throw new KefuError('CONTACT_NOT_FOUND', `No platform user ${input.platformId}; send the user first.`, { platformId: input.platformId });
  const amountFen = Math.round(input.amount * 100);
  const createdAt = input.createdAt ? Date.parse(input.createdAt) : now;
  const existing = await orderRepo.byNo(trx, orgId, input.orderNo);
  if (existing) {
    const patch = {
      contact_id: contact.id,
      items_json: JSON.stringify(input.items),
      amount_fen: amountFen,
      ...(input.status ? { status: input.status } : {}),
      updated_at: now,
    };
    await orderRepo.update(trx, existing.id, patch);
    return { row: { ...existing, ...patch }, created: false };
  }
  const row = {
    id: newId(now),
    org_id: orgId,
    order_no: input.orderNo,
    contact_id: contact.id,
    items_json: JSON.stringify(input.items),
    amount_fen: amountFen,
    status: input.status ?? 'paid',
    created_at: createdAt,
    updated_at: now,
  };
  await orderRepo.insert(trx, row);
  return { row, created: true };
}

export async function upsertOrder(ctx: Ctx, orgId: string, input: UpsertOrder) {
  const { row, created } = await retryOnUnique(() => ctx.database.write((trx) => upsertOrderTx(ctx, trx, orgId, input)));
  return { order: presentOrder(row), created };
}

export type LookupKey = { phone: string } | { platformId: string } | { orderNo: string };

/** Exact lookup by phone (through the blind index), platform id or order number. */
export async function lookupContact(ctx: Ctx, orgId: string, key: LookupKey) {
  const db = ctx.database.db;
  let contact;
  if ('phone' in key) {
    const normal = normalisePhone(key.phone);
    if (!normal) throw new KefuError('VALIDATION_FAILED', 'The phone number is not valid.', { field: 'phone' });
    contact = await contactRepo.byPhoneIndex(db, orgId, ctx.keys.blindIndex('phone', normal));
  } else if ('platformId' in key) {
    contact = await contactRepo.byPlatformId(db, orgId, key.platformId.trim());
  } else {
    const order = await orderRepo.byNo(db, orgId, key.orderNo.trim());
    contact = order ? await contactRepo.byId(db, orgId, order.contact_id) : undefined;
  }
  if (!contact) throw new KefuError('CONTACT_NOT_FOUND');
  const orders = await orderRepo.forContact(db, contact.id);
  return { contact: presentContact(contact), orders: orders.map(presentOrder) };
}

export async function getContact(ctx: Ctx, orgId: string, id: string) {
  const c = await contactRepo.byId(ctx.database.db, orgId, id);
  if (!c) throw new KefuError('CONTACT_NOT_FOUND');
  return presentContact(c);
}

export async function contactOrders(ctx: Ctx, orgId: string, contactId: string) {
  const c = await contactRepo.byId(ctx.database.db, orgId, contactId);
  if (!c) throw new KefuError('CONTACT_NOT_FOUND');
  return (await orderRepo.forContact(ctx.database.db, c.id)).map(presentOrder);
}
