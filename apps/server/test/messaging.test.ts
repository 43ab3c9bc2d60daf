import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, makeKefu, type Kefu } from './helpers/harness.ts';

describe.each(DIALECTS)('contacts, conversations and messages over HTTP on %s', (kind) => {
  let k: Kefu;
  let senior: string;
  let basic: string;
  let admin: string;
  beforeAll(async () => {
    k = await makeKefu(kind);
    ({ admin, senior, basic } = await k.loginAll());
  });
  afterAll(async () => k?.close());

  it('loads users and orders and finds them by phone, platform id and order number', async () => {
    const c = await k.req('POST', '/api/v1/contacts', { cookie: senior, body: { platformId: 'ks10001', nickname: '王小明', phone: '138 0013 8000' } });
    expect(c.status).toBe(201);
    expect(c.json.contact.phoneMasked).toBe('138****8000');
    expect(c.body).not.toContain('13800138000');
    const again = await k.req('POST', '/api/v1/contacts', { cookie: senior, body: { platformId: 'ks10001', nickname: '王小明2' } });
    expect(again.status).toBe(200);
    expect(again.json.contact.id).toBe(c.json.contact.id);
    const o = await k.req('POST', '/api/v1/orders', {
      cookie: senior,
      body: { orderNo: 'SO20261125001', platformId: 'ks10001', items: [{ name: '保温杯', quantity: 2, price: 44.5 }], amount: 89 },
    });
    expect(o.status).toBe(201);
    expect(o.json.order.amount).toBe(89);

    for (const q of ['phone=%2B86%20138-0013-8000', 'phone=13800138000', 'platformId=ks10001', 'orderNo=SO20261125001']) {
      const r = await k.req('GET', `/api/v1/contacts/lookup?${q}`, { cookie: basic });
      expect(r.status, q).toBe(200);
      expect(r.json.contact.id, q).toBe(c.json.contact.id);
      expect(r.json.contact.nickname).toBe('王小明2');
      expect(r.json.orders.map((x: { orderNo: string }) => x.orderNo)).toEqual(['SO20261125001']);
    }
    expect((await k.req('GET', '/api/v1/contacts/lookup?phone=13900000000', { cookie: basic })).json.error.code).toBe('CONTACT_NOT_FOUND');
    expect((await k.req('GET', '/api/v1/contacts/lookup', { cookie: basic })).json.error.code).toBe('VALIDATION_FAILED');
    const orphan = await k.req('POST', '/api/v1/orders', { cookie: senior, body: { orderNo: 'X1', platformId: 'nobody', items: [], amount: 1 } });
    expect(orphan.json.error.code).toBe('CONTACT_NOT_FOUND');
  });

  it('rejects bad input with a stable code and stores nothing', async () => {
    const bad = await k.req('POST', '/api/v1/contacts', { cookie: senior, body: { platformId: '', nickname: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('VALIDATION_FAILED');
    const badPhone = await k.req('POST', '/api/v1/contacts', { cookie: senior, body: { platformId: 'ks-bad', nickname: 'x', phone: 'call me' } });
    expect(badPhone.json.error.code).toBe('VALIDATION_FAILED');
    expect((await k.req('GET', '/api/v1/contacts/lookup?platformId=ks-bad', { cookie: senior })).json.error.code).toBe('CONTACT_NOT_FOUND');
    const notJson = await k.req('POST', '/api/v1/contacts', { cookie: senior, body: '{"platformId":', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('sends idempotently with gap-free sequence numbers and pages history', async () => {
    const contact = (await k.req('POST', '/api/v1/contacts', { cookie: senior, body: { platformId: 'ks20002', nickname: '李丽' } })).json.contact;
    const open = await k.req('POST', '/api/v1/conversations', { cookie: senior, body: { contactId: contact.id } });
    expect(open.status).toBe(201);
    const conv = open.json.conversation;
    expect(conv.assigneeId).toBe(k.agents.senior.id);
    expect((await k.req('POST', '/api/v1/conversations', { cookie: senior, body: { contactId: contact.id } })).json.conversation.id).toBe(conv.id);

    const path = `/api/v1/conversations/${conv.id}/messages`;
    const first = await k.req('POST', path, { cookie: senior, body: { clientMessageId: 'c-1', text: '您好，请问有什么可以帮您？' } });
    expect(first.status).toBe(201);
    expect(first.json.message).toMatchObject({ seq: 1, direction: 'outbound', senderType: 'agent', senderName: 'senior客服' });
    const retry = await k.req('POST', path, { cookie: senior, body: { clientMessageId: 'c-1', text: '您好，请问有什么可以帮您？' } });
    expect(retry.status).toBe(200);
    expect(retry.json.message.id).toBe(first.json.message.id);
    const reused = await k.req('POST', path, { cookie: senior, body: { clientMessageId: 'c-1', text: '别的内容' } });
    expect(reused.status).toBe(409);
    expect(reused.json.error.code).toBe('CLIENT_MESSAGE_ID_REUSED');

    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => k.req('POST', path, { cookie: senior, body: { clientMessageId: `p-${i}`, text: `第${i}条` } })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const seqs = results.map((r) => r.json.message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));

    const all = await k.req('GET', `${path}?afterSeq=0&limit=200`, { cookie: senior });
    expect(all.json.messages.map((m: { seq: number }) => m.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(all.json.hasMore).toBe(false);
    const page = await k.req('GET', `${path}?afterSeq=10&limit=5`, { cookie: senior });
    expect(page.json.messages.map((m: { seq: number }) => m.seq)).toEqual([11, 12, 13, 14, 15]);
    expect(page.json.hasMore).toBe(true);
    const older = await k.req('GET', `${path}?beforeSeq=5&limit=10`, { cookie: senior });
    expect(older.json.messages.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4]);
    const latest = await k.req('GET', `${path}?limit=3`, { cookie: senior });
    expect(latest.json.messages.map((m: { seq: number }) => m.seq)).toEqual([29, 30, 31]);

    const empty = await k.req('POST', path, { cookie: senior, body: { clientMessageId: 'c-2', text: '   ' } });
    expect(empty.json.error.code).toBe('VALIDATION_FAILED');
    const badId = await k.req('POST', path, { cookie: senior, body: { clientMessageId: 'has space', text: 'x' } });
    expect(badId.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('keeps other agents out of an assigned conversation, but not admins', async () => {
    const contact = (await k.req('POST', '/api/v1/contacts', { cookie: senior, body: { platformId: 'ks30003', nickname: '张三' } })).json.contact;
    const conv = (await k.req('POST', '/api/v1/conversations', { cookie: senior, body: { contactId: contact.id } })).json.conversation;
    const path = `/api/v1/conversations/${conv.id}`;
    expect((await k.req('GET', path, { cookie: basic })).json.error.code).toBe('CONVERSATION_NOT_FOUND');
    expect((await k.req('POST', `${path}/messages`, { cookie: basic, body: { clientMessageId: 'b1', text: 'hi' } })).json.error.code).toBe('CONVERSATION_NOT_FOUND');
    expect((await k.req('GET', path, { cookie: admin })).status).toBe(200);
    const listed = await k.req('GET', '/api/v1/conversations', { cookie: basic });
    expect(listed.json.conversations.map((c: { id: string }) => c.id)).not.toContain(conv.id);
    const adminList = await k.req('GET', '/api/v1/conversations', { cookie: admin });
    expect(adminList.json.conversations.map((c: { id: string }) => c.id)).toContain(conv.id);
    // A basic agent cannot hand it to themselves; an admin can reassign.
    expect((await k.req('PATCH', path, { cookie: basic, body: { assigneeId: k.agents.basic.id } })).json.error.code).toBe('CONVERSATION_NOT_FOUND');
    const moved = await k.req('PATCH', path, { cookie: admin, body: { assigneeId: k.agents.basic.id, status: 'pending' } });
    expect(moved.json.conversation).toMatchObject({ assigneeId: k.agents.basic.id, status: 'pending' });
    expect((await k.req('GET', path, { cookie: basic })).status).toBe(200);
  });

  it('lets the platform user write with a signed token, and refuses forged or expired ones', async () => {
    const token = await k.customerToken('ks40004', '赵敏');
    const sent = await k.req('POST', '/api/v1/customer/messages', { token, body: { clientMessageId: 'u-1', text: '我的订单怎么还没发货？' } });
    expect(sent.status).toBe(201);
    expect(sent.json.message).toMatchObject({ seq: 1, direction: 'inbound', senderType: 'contact', senderName: '赵敏' });
    const dup = await k.req('POST', '/api/v1/customer/messages', { token, body: { clientMessageId: 'u-1', text: '我的订单怎么还没发货？' } });
    expect(dup.status).toBe(200);
    expect(dup.json.message.id).toBe(sent.json.message.id);

    // The queue shows it, unassigned, to every agent with an unread count.
    const list = await k.req('GET', '/api/v1/conversations?status=open', { cookie: basic });
    const conv = list.json.conversations.find((c: { id: string }) => c.id === sent.json.message.conversationId);
    expect(conv).toMatchObject({ assigneeId: null, unreadCount: 1, lastMessagePreview: '我的订单怎么还没发货？' });
    expect(conv.contact.nickname).toBe('赵敏');

    // An agent's reply claims it; the agent reads; the user reads the reply.
    const reply = await k.req('POST', `/api/v1/conversations/${conv.id}/messages`, { cookie: basic, body: { clientMessageId: 'r-1', text: '马上为您查询' } });
    expect(reply.json.message.seq).toBe(2);
    const read = await k.req('POST', `/api/v1/conversations/${conv.id}/receipts`, { cookie: basic, body: { kind: 'read', uptoSeq: 1 } });
    expect(read.status).toBe(200);
    const after = (await k.req('GET', `/api/v1/conversations/${conv.id}`, { cookie: basic })).json.conversation;
    expect(after).toMatchObject({ assigneeId: k.agents.basic.id, unreadCount: 0, agentReadSeq: 1 });
    await k.req('POST', '/api/v1/customer/receipts', { token, body: { kind: 'read', uptoSeq: 2 } });
    const session = await k.req('GET', '/api/v1/customer/session', { token });
    expect(session.json.conversation.contactReadSeq).toBe(2);
    expect(session.json.messages.map((m: { text: string }) => m.text)).toEqual(['我的订单怎么还没发货？', '马上为您查询']);
    expect(session.json.messages[1].readAt).toBeTypeOf('string');
    expect(session.json.messages[1].deliveredAt).toBeTypeOf('string');

    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect((await k.req('GET', '/api/v1/customer/session', { token: forged })).json.error.code).toBe('INVALID_TOKEN');
    expect((await k.req('GET', '/api/v1/customer/session')).json.error.code).toBe('INVALID_TOKEN');
    k.clock.advance(8 * 24 * 3_600_000);
    expect((await k.req('GET', '/api/v1/customer/session', { token })).json.error.code).toBe('INVALID_TOKEN');
    k.clock.advance(-8 * 24 * 3_600_000);
  });

  it('converges concurrent first messages of one user on a single conversation', async () => {
    const token = await k.customerToken('ks45454', '并发用户');
    const sends = await Promise.all(
      Array.from({ length: 12 }, (_, i) => k.req('POST', '/api/v1/customer/messages', { token, body: { clientMessageId: `cc-${i}`, text: `消息${i}` } })),
    );
    expect(sends.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(new Set(sends.map((r) => r.json.message.conversationId)).size).toBe(1);
    expect(sends.map((r) => r.json.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const conversationId = sends[0]!.json.message.conversationId;

    // Resolved, the next message from the user opens a new conversation; the old one cannot be
    // reopened while the new one is open.
    expect((await k.req('PATCH', `/api/v1/conversations/${conversationId}`, { cookie: admin, body: { status: 'resolved' } })).status).toBe(200);
    const next = await k.req('POST', '/api/v1/customer/messages', { token, body: { clientMessageId: 'cc-new', text: '又有问题了' } });
    expect(next.json.message.conversationId).not.toBe(conversationId);
    expect(next.json.message.seq).toBe(1);
    const reopen = await k.req('PATCH', `/api/v1/conversations/${conversationId}`, { cookie: admin, body: { status: 'open' } });
    expect(reopen.status).toBe(409);
    expect(reopen.json.error.code).toBe('CONFLICT');
  });

  it('stores message bodies and phone numbers encrypted', async () => {
    const rows = await k.ctx.database.db.selectFrom('messages').select('body_enc').limit(5).execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.body_enc).toMatch(/^v1\./);
    const contacts = await k.ctx.database.db.selectFrom('contacts').select(['phone_enc', 'phone_masked']).where('phone_enc', 'is not', null).execute();
    for (const c of contacts) expect(c.phone_enc).not.toContain('138');
  });

  it('publishes an OpenAPI document with full paths and a rendered reference', async () => {
    const doc = await k.req('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    for (const p of ['/api/v1/auth/login', '/api/v1/conversations/{id}/messages', '/api/v1/customer/messages', '/api/v1/contacts/lookup', '/api/v1/platform/webhooks/{orgId}']) {
      expect(Object.keys(doc.json.paths), p).toContain(p);
    }
    const ui = await k.req('GET', '/api/docs/');
    expect(ui.status).toBe(200);
    expect(ui.body).toContain('swagger');
    const health = await k.req('GET', '/healthz');
    expect(health.json).toEqual({ ok: true, database: kind });
    const metrics = await k.req('GET', '/metrics');
    expect(metrics.body).toContain('kefu_http_request_duration_seconds');
    const missing = await k.req('GET', '/api/v1/nope');
    expect(missing.json.error.code).toBe('NOT_FOUND');
  });
});
