import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../src/domain/platform/webhooks.ts';
import { importCsv } from '../src/domain/platform/csv.ts';
import { DIALECTS, makeKefu, type Kefu } from './helpers/harness.ts';

describe.each(DIALECTS)('platform data on %s', (kind) => {
  let k: Kefu;
  let cookie: string;
  beforeAll(async () => {
    k = await makeKefu(kind);
    cookie = await k.login(k.agents.basic);
  });
  afterAll(async () => k?.close());

  const post = (body: unknown, sig?: string) => {
    const raw = JSON.stringify(body);
    return k.req('POST', `/api/v1/platform/webhooks/${k.org.id}`, {
      body: raw,
      headers: { 'x-kefu-signature': sig ?? signWebhook(k.org.webhookSecret, raw, Math.floor(k.clock.now() / 1000)) },
    });
  };

  it('accepts signed webhooks once per event id and upserts idempotently', async () => {
    const ev = { id: 'evt-1', type: 'contact.upserted', data: { platformId: 'ks70007', nickname: '周芷若', phone: '13912345678' } };
    const a = await post(ev);
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ ok: true, duplicate: false });
    const b = await post(ev);
    expect(b.json).toEqual({ ok: true, duplicate: true });
    const order = await post({ id: 'evt-2', type: 'order.upserted', data: { orderNo: 'WH-1', platformId: 'ks70007', items: [{ name: '围巾', quantity: 1, price: 189 }], amount: 189, status: 'shipped' } });
    expect(order.status).toBe(200);
    const found = await k.req('GET', '/api/v1/contacts/lookup?phone=13912345678', { cookie });
    expect(found.json.contact.nickname).toBe('周芷若');
    expect(found.json.orders[0]).toMatchObject({ orderNo: 'WH-1', status: 'shipped', amount: 189 });
    // A later event for the same user updates it.
    await post({ id: 'evt-3', type: 'contact.upserted', data: { platformId: 'ks70007', nickname: '周芷若（VIP）' } });
    expect((await k.req('GET', '/api/v1/contacts/lookup?platformId=ks70007', { cookie })).json.contact.nickname).toBe('周芷若（VIP）');
  });

  it('refuses bad signatures, stale timestamps and unknown organisations without storing anything', async () => {
    const ev = { id: 'evt-bad', type: 'contact.upserted', data: { platformId: 'ks-forged', nickname: 'x' } };
    const raw = JSON.stringify(ev);
    const t = Math.floor(k.clock.now() / 1000);
    expect((await post(ev, signWebhook('wrong-secret', raw, t))).json.error.code).toBe('INVALID_SIGNATURE');
    expect((await post(ev, 'garbage')).json.error.code).toBe('INVALID_SIGNATURE');
    expect((await post(ev, signWebhook(k.org.webhookSecret, raw, t - 301))).json.error.code).toBe('STALE_TIMESTAMP');
    const unsigned = await k.req('POST', `/api/v1/platform/webhooks/${k.org.id}`, { body: raw });
    expect(unsigned.status).toBe(401);
    const otherOrg = await k.req('POST', '/api/v1/platform/webhooks/not-an-org', { body: raw, headers: { 'x-kefu-signature': signWebhook(k.org.webhookSecret, raw, t) } });
    expect(otherOrg.json.error.code).toBe('INVALID_SIGNATURE');
    // A signed but malformed event is a validation error, and the event id is not burnt.
    const malformed = await post({ id: 'evt-m', type: 'contact.upserted', data: { nickname: 'no platform id' } });
    expect(malformed.json.error.code).toBe('VALIDATION_FAILED');
    expect((await k.req('GET', '/api/v1/contacts/lookup?platformId=ks-forged', { cookie })).json.error.code).toBe('CONTACT_NOT_FOUND');
    expect((await post({ id: 'evt-m', type: 'contact.upserted', data: { platformId: 'ks-m', nickname: 'ok now' } })).json.duplicate).toBe(false);
  });

  it('imports contacts and orders from CSV, reporting bad rows by line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-csv-'));
    const contacts = join(dir, 'contacts.csv');
    writeFileSync(contacts, '\ufeffplatformId,nickname,phone\nks80001,郭靖,13700000001\nks80002,黄蓉,\n,无名,13700000003\nks80004,杨过,not-a-phone\n');
    const r1 = await importCsv(k.ctx, k.org.id, 'contacts', contacts);
    expect(r1.imported).toBe(2);
    expect(r1.errors.map((e) => e.line)).toEqual([4, 5]);
    const orders = join(dir, 'orders.csv');
    writeFileSync(orders, 'orderNo,platformId,amount,items,status\nCSV-1,ks80001,59.9,纯棉T恤,paid\nCSV-2,ks80002,abc,x,paid\nCSV-3,ks99999,10,x,paid\nCSV-4,ks80002,20,"[{""name"":""面膜"",""quantity"":2,""price"":10}]",refunding\n');
    const r2 = await importCsv(k.ctx, k.org.id, 'orders', orders);
    expect(r2.imported).toBe(2);
    expect(r2.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(r2.errors[1]!.message).toContain('ks99999');
    const lookup = await k.req('GET', '/api/v1/contacts/lookup?orderNo=CSV-4', { cookie });
    expect(lookup.json.contact.nickname).toBe('黄蓉');
    expect(lookup.json.orders[0].items).toEqual([{ name: '面膜', quantity: 2, price: 10 }]);
    // Importing the same file again changes nothing and duplicates nothing.
    expect((await importCsv(k.ctx, k.org.id, 'contacts', contacts)).imported).toBe(2);
    const n = await k.ctx.database.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('platform_id', 'like', 'ks8000%').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(2);
  });
});
