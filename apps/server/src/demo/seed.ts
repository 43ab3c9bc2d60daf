/**
 * The demo organisation: one agent per tier, a few hundred platform users with orders, and
 * conversations across the three business types, written through the same use cases as the API.
 */
import { randomInt } from 'node:crypto';
import type { BusinessType, Tier } from '@kefu/shared';
import type { Ctx } from '../domain/context.ts';
import { createOrganisation } from '../domain/orgs/service.ts';
import { createAgent } from '../domain/agents/service.ts';
import { upsertContactTx, upsertOrderTx } from '../domain/contacts/service.ts';
import { issueCustomerToken } from '../domain/platform/customers.ts';
import { conversationRepo, messageRepo } from '../domain/conversations/repository.ts';
import { newId, randomToken } from '../lib/ids.ts';
import { GIVEN, NICK_PARTS, NICK_TAILS, PRODUCTS, SCRIPTS, SURNAMES } from './content.ts';

export interface DemoAgent { email: string; password: string; tier: Tier; name: string; id: string }
export interface DemoResult {
  orgId: string;
  orgName: string;
  agents: DemoAgent[];
  platformSecret: string;
  webhookSecret: string;
  customer: { platformId: string; nickname: string; token: string };
}

const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)]!;

export async function seedDemo(ctx: Ctx, opts: { contacts?: number; conversations?: number; domain?: string } = {}): Promise<DemoResult> {
  const nContacts = opts.contacts ?? 300;
  const nConversations = Math.min(opts.conversations ?? 60, nContacts);
  const domain = opts.domain ?? 'demo.kefu.local';
  const org = await createOrganisation(ctx, '星河优选旗舰店');

  const agentSpecs: Array<{ tier: Tier; name: string; local: string }> = [
    { tier: 'admin', name: '周主管', local: 'admin' },
    { tier: 'senior', name: '林晓雯', local: 'senior' },
    { tier: 'basic', name: '陈思远', local: 'basic' },
  ];
  const agents: DemoAgent[] = [];
  for (const s of agentSpecs) {
    const password = randomToken(12);
    const email = `${s.local}@${domain}`;
    const a = await createAgent(ctx, { orgId: org.id, email, name: s.name, tier: s.tier, password });
    agents.push({ email, password, tier: s.tier, name: s.name, id: a.id });
  }

  // Platform users and orders.
  const now = ctx.clock.now();
  const contacts: Array<{ id: string; platformId: string; nickname: string; orderNos: string[]; product: string; phone: string }> = [];
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < nContacts; i++) {
    const nickname = i % 3 === 0 ? `${pick(NICK_PARTS)}${pick(NICK_TAILS)}` : `${pick(SURNAMES)}${pick(GIVEN)}`;
    const platformId = `ks${String(100000000 + randomInt(899999999))}`;
    const phone = `1${pick(['38', '39', '50', '58', '86', '88', '36', '77'])}${String(randomInt(100000000)).padStart(8, '0')}`;
    const nOrders = 1 + randomInt(3);
    const orderNos: string[] = [];
    const product = pick(PRODUCTS);
    writes.push(
      ctx.database.write(async (trx) => {
        const { row } = await upsertContactTx(ctx, trx, org.id, { platformId, nickname, phone });
        for (let k = 0; k < nOrders; k++) {
          const p = k === 0 ? product : pick(PRODUCTS);
          const qty = 1 + (randomInt(4) === 0 ? 1 : 0);
          const orderNo = `${new Date(now).getFullYear()}${String(randomInt(1e12)).padStart(12, '0')}`;
          orderNos.push(orderNo);
          await upsertOrderTx(ctx, trx, org.id, {
            orderNo,
            platformId,
            items: [{ name: p.name, quantity: qty, price: p.price }],
            amount: Math.round(p.price * qty * 100) / 100,
            status: pick(['paid', 'shipped', 'delivered', 'completed', 'refunding'] as const),
            createdAt: new Date(now - randomInt(30 * 86_400_000)).toISOString(),
          });
        }
        contacts.push({ id: row.id, platformId, nickname, orderNos, product: product.name, phone });
      }),
    );
  }
  await Promise.all(writes);

  // Conversations with history, spread over the last days, across business types and agents.
  const types: BusinessType[] = ['ecommerce_after_sales', 'ecommerce_after_sales', 'ecommerce_after_sales', 'content_review', 'account_ban'];
  const convWrites: Promise<unknown>[] = [];
  for (let i = 0; i < nConversations; i++) {
    const c = contacts[i]!;
    const type = types[i % types.length]!;
    const script = pick(SCRIPTS[type]);
    const assignee = i % 4 === 3 ? null : agents[i % agents.length]!;
    const finished = i % 3 === 0;
    const turns = finished ? script : script.slice(0, Math.max(1, randomInt(script.length) + 1));
    const start = now - randomInt(3 * 86_400_000) - 3_600_000;
    convWrites.push(
      ctx.database.write(async (trx) => {
        const id = newId(start);
        let seq = 0;
        let t = start;
        let lastInbound = 0;
        const rows = turns
          .filter(([who]) => who === 'u' || assignee)
          .map(([who, text]) => {
            t += 20_000 + randomInt(150_000);
            seq++;
            const body = text.replace('{order}', c.orderNos[0]!).replace('{product}', c.product).replace('{tail}', c.phone.slice(-4));
            if (who === 'u') lastInbound = seq;
            return {
              id: newId(t), org_id: org.id, conversation_id: id, seq, direction: who === 'u' ? 'inbound' : 'outbound',
              sender_type: who === 'u' ? 'contact' : 'agent', sender_id: who === 'u' ? c.id : assignee!.id,
              sender_key: who === 'u' ? `c:${c.id}` : `a:${assignee!.id}`, client_message_id: `demo-${id}-${seq}`,
              body_enc: ctx.keys.encrypt(body), created_at: t, delivered_at: t + 1000, read_at: who === 'u' && finished ? t + 5000 : null, _text: body,
            };
          });
        const last = rows[rows.length - 1]!;
        const agentRead = finished ? seq : rows.findLastIndex((r) => r.direction === 'outbound') + 1;
        await conversationRepo.insert(trx, {
          id, org_id: org.id, contact_id: c.id, assignee_id: assignee?.id ?? null,
          status: finished ? 'resolved' : i % 5 === 0 ? 'pending' : 'open', business_type: type, channel: pick(['h5', 'h5', 'mobile', 'web'] as const),
          last_seq: seq, last_message_at: last.created_at, last_preview_enc: ctx.keys.encrypt(last._text.slice(0, 80)),
          unread_count: rows.filter((r) => r.direction === 'inbound' && r.seq > agentRead).length, agent_read_seq: agentRead,
          contact_delivered_seq: seq, contact_read_seq: finished ? seq : lastInbound, created_at: start, updated_at: last.created_at,
        });
        for (const { _text, ...r } of rows) await messageRepo.insert(trx, r);
      }),
    );
  }
  await Promise.all(convWrites);

  const customerContact = contacts[nConversations] ?? contacts[0]!;
  const token = await issueCustomerToken(ctx, org.id, customerContact.platformId, customerContact.nickname);
  return {
    orgId: org.id,
    orgName: org.name,
    agents,
    platformSecret: org.platformSecret,
    webhookSecret: org.webhookSecret,
    customer: { platformId: customerContact.platformId, nickname: customerContact.nickname, token },
  };
}
