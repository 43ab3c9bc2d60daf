import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@kefu/shared';
import { connected, DIALECTS, makeKefu, nextEvent, type Kefu } from './helpers/harness.ts';

describe.each(DIALECTS)('canned replies and auto-replies on %s', (kind) => {
  let k: Kefu;
  let admin: string;
  let senior: string;
  let basic: string;
  beforeAll(async () => {
    k = await makeKefu(kind);
    ({ admin, senior, basic } = await k.loginAll());
  });
  afterAll(async () => k?.close());

  it('lets seniors create templates with variables and hotkeys; basic agents use them but cannot create', async () => {
    const denied = await k.req('POST', '/api/v1/canned-replies', { cookie: basic, body: { title: '问候', body: '您好' } });
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('TIER_FORBIDDEN');

    const greet = await k.req('POST', '/api/v1/canned-replies', { cookie: senior, body: { title: '问候', body: '{昵称}您好，我是客服{客服名}，您的订单{订单号}正在处理', hotkey: 1 } });
    expect(greet.status).toBe(201);
    expect(greet.json.reply).toMatchObject({ scope: 'org', hotkey: 1, flags: [] });
    const risky = await k.req('POST', '/api/v1/canned-replies', { cookie: senior, body: { title: '付款', body: '请直接支付宝转账给我，或者访问 www.pay-me.cn', hotkey: 2 } });
    expect(risky.status).toBe(201);
    const kinds = risky.json.reply.flags.map((f: { kind: string }) => f.kind);
    expect(kinds).toContain('sensitive');
    expect(kinds).toContain('link');
    const personal = await k.req('POST', '/api/v1/canned-replies', { cookie: senior, body: { scope: 'personal', title: '我的问候', body: '亲，在的～', hotkey: 1 } });
    expect(personal.json.reply.scope).toBe('personal');

    const mine = await k.req('GET', '/api/v1/canned-replies', { cookie: senior });
    expect(mine.json.hotkeys['1']).toBe(personal.json.reply.id); // personal shadows the org's slot
    const theirs = await k.req('GET', '/api/v1/canned-replies', { cookie: basic });
    expect(theirs.json.hotkeys['1']).toBe(greet.json.reply.id);
    expect(theirs.json.replies.map((r: { id: string }) => r.id)).not.toContain(personal.json.reply.id);

    // Rendering fills the variables from the conversation.
    const contact = (await k.req('POST', '/api/v1/contacts', { cookie: basic, body: { platformId: `t-${kind}`, nickname: '小红' } })).json.contact;
    await k.req('POST', '/api/v1/orders', { cookie: basic, body: { orderNo: `ORD-${kind}-1`, platformId: `t-${kind}`, items: [], amount: 10 } });
    const conv = (await k.req('POST', '/api/v1/conversations', { cookie: basic, body: { contactId: contact.id } })).json.conversation;
    const rendered = await k.req('POST', `/api/v1/canned-replies/${greet.json.reply.id}/render`, { cookie: basic, body: { conversationId: conv.id } });
    expect(rendered.json.text).toBe(`小红您好，我是客服basic客服，您的订单ORD-${kind}-1正在处理`);
    // Moving a slot frees it from its previous holder.
    await k.req('PATCH', `/api/v1/canned-replies/${risky.json.reply.id}`, { cookie: senior, body: { hotkey: 1 } });
    const after = await k.req('GET', '/api/v1/canned-replies', { cookie: basic });
    expect(after.json.hotkeys['1']).toBe(risky.json.reply.id);
    expect(after.json.replies.find((r: { id: string }) => r.id === greet.json.reply.id).hotkey).toBeNull();
    expect((await k.req('DELETE', `/api/v1/canned-replies/${greet.json.reply.id}`, { cookie: basic })).json.error.code).toBe('TIER_FORBIDDEN');
    expect((await k.req('DELETE', `/api/v1/canned-replies/${greet.json.reply.id}`, { cookie: admin })).status).toBe(200);
  });

  it('answers keyword triggers automatically, once, through the ordinary send path', async () => {
    expect((await k.req('POST', '/api/v1/auto-replies', { cookie: basic, body: { trigger: 'keyword', keywords: ['发货'], body: 'x' } })).json.error.code).toBe('TIER_FORBIDDEN');
    const rule = await k.req('POST', '/api/v1/auto-replies', { cookie: senior, body: { trigger: 'keyword', keywords: ['什么时候发货'], body: '亲，订单一般在48小时内发货，请耐心等待～' } });
    expect(rule.status).toBe(201);
    const token = await k.customerToken(`ar-${kind}`, '等发货的人');
    const customer = k.socket({ token });
    await connected(customer);
    const auto = nextEvent<{ message: Message }>(customer, 'message.created', (e) => e.message.senderType === 'system');
    const sent = await k.req('POST', '/api/v1/customer/messages', { token, body: { clientMessageId: 'ar-1', text: '请问什么时候发货呀' } });
    expect(sent.status).toBe(201);
    const reply = (await auto).message;
    expect(reply).toMatchObject({ seq: 2, direction: 'outbound', senderType: 'system', text: '亲，订单一般在48小时内发货，请耐心等待～' });
    // The same user message retried does not trigger a second reply; other text triggers none.
    await k.req('POST', '/api/v1/customer/messages', { token, body: { clientMessageId: 'ar-1', text: '请问什么时候发货呀' } });
    await k.req('POST', '/api/v1/customer/messages', { token, body: { clientMessageId: 'ar-2', text: '好的谢谢' } });
    await new Promise((r) => setTimeout(r, 200));
    const session = await k.req('GET', '/api/v1/customer/session', { token });
    expect(session.json.messages.map((m: Message) => m.senderType)).toEqual(['contact', 'system', 'contact']);
    // No agent's quota was used.
    expect((await k.req('GET', '/api/v1/me/quota', { cookie: senior })).json.sent).toBe(0);
  });

  it('greets outside working hours', async () => {
    // Working hours nobody is ever in: every first message is outside them.
    await k.req('PATCH', '/api/v1/org/policy', { cookie: admin, body: { workingHours: { days: [], start: '09:00', end: '18:00' } } });
    await k.req('POST', '/api/v1/auto-replies', { cookie: admin, body: { trigger: 'outside_hours', body: '现在是非工作时间，客服上班后会第一时间回复您' } });
    const token = await k.customerToken(`night-${kind}`, '夜猫子');
    await k.req('POST', '/api/v1/customer/messages', { token, body: { clientMessageId: 'n-1', text: '在吗' } });
    await new Promise((r) => setTimeout(r, 300));
    const session = await k.req('GET', '/api/v1/customer/session', { token });
    expect(session.json.messages.map((m: Message) => m.text)).toEqual(['在吗', '现在是非工作时间，客服上班后会第一时间回复您']);
  });
});
