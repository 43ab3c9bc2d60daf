import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@kefu/shared';
import { connected, DIALECTS, makeKefu, nextEvent, type Kefu } from './helpers/harness.ts';

describe.each(DIALECTS)('realtime over Socket.IO on %s', (kind) => {
  let k: Kefu;
  beforeAll(async () => {
    k = await makeKefu(kind);
  });
  afterAll(async () => k?.close());

  it('refuses sockets without a session, without the second factor, or with a bad token', async () => {
    const anon = k.socket({});
    await expect(connected(anon)).rejects.toThrow('UNAUTHENTICATED');
    const r = await k.req('POST', '/api/v1/auth/login', { body: { email: k.agents.basic.email, password: k.agents.basic.password } });
    const half = k.socket({ cookie: String(r.headers['set-cookie']).split(';')[0]! });
    await expect(connected(half)).rejects.toThrow('MFA_REQUIRED');
    const bad = k.socket({ token: 'not.a.token' });
    await expect(connected(bad)).rejects.toThrow('INVALID_TOKEN');
  });

  it('shows agent, second agent session and customer every message, receipt and typing live', async () => {
    const agentCookie = await k.login(k.agents.senior);
    const secondCookie = await k.login(k.agents.senior);
    const token = await k.customerToken('ks50005', '孙悟空');
    const agent = k.socket({ cookie: agentCookie });
    const second = k.socket({ cookie: secondCookie });
    const customer = k.socket({ token });
    await Promise.all([connected(agent), connected(second), connected(customer)]);

    // Customer writes first: the (unassigned) conversation reaches every agent session.
    const inAgent = nextEvent<{ message: Message }>(agent, 'message.created');
    const inSecond = nextEvent<{ message: Message }>(second, 'message.created');
    const ack = await customer.emitWithAck('message.send', { clientMessageId: 'cu-1', text: '你好，在吗？' });
    expect('message' in ack).toBe(true);
    const m1 = (ack as { message: Message }).message;
    expect((await inAgent).message.id).toBe(m1.id);
    expect((await inSecond).message.id).toBe(m1.id);
    const conversationId = m1.conversationId;

    // The agent replies over HTTP; the customer and the second session receive it.
    const toCustomer = nextEvent<{ message: Message }>(customer, 'message.created', (e) => e.message.direction === 'outbound');
    const toSecond = nextEvent<{ message: Message }>(second, 'message.created', (e) => e.message.direction === 'outbound');
    const sent = await k.req('POST', `/api/v1/conversations/${conversationId}/messages`, { cookie: agentCookie, body: { clientMessageId: 'ag-1', text: '在的，请讲' } });
    expect(sent.status).toBe(201);
    expect((await toCustomer).message).toMatchObject({ seq: 2, text: '在的，请讲' });
    expect((await toSecond).message.seq).toBe(2);

    // Delivered and read marks flow back to both agent sessions.
    const delivered = nextEvent<{ kind: string; uptoSeq: number; side: string }>(agent, 'message.receipt', (e) => e.kind === 'delivered');
    customer.emit('receipt', { conversationId, kind: 'delivered', uptoSeq: 2 });
    expect(await delivered).toMatchObject({ side: 'contact', uptoSeq: 2 });
    const read = nextEvent<{ kind: string; uptoSeq: number }>(second, 'message.receipt', (e) => e.kind === 'read' && e.uptoSeq === 2);
    await customer.emitWithAck('receipt', { conversationId, kind: 'read', uptoSeq: 2 });
    await read;

    // The agent reads the customer's message: the customer sees it read.
    const agentRead = nextEvent<{ side: string; kind: string }>(customer, 'message.receipt', (e) => e.side === 'agent');
    await agent.emitWithAck('receipt', { conversationId, kind: 'read', uptoSeq: 1 });
    expect(await agentRead).toMatchObject({ kind: 'read' });

    // Typing, both ways, not echoed to the typist.
    const typingAtCustomer = nextEvent<{ side: string; typing: boolean }>(customer, 'typing');
    const typingAtSecond = nextEvent<{ side: string }>(second, 'typing');
    agent.emit('typing', { conversationId, typing: true });
    expect(await typingAtCustomer).toMatchObject({ side: 'agent', typing: true });
    expect((await typingAtSecond).side).toBe('agent');
    const typingAtAgent = nextEvent<{ side: string }>(agent, 'typing');
    customer.emit('typing', { conversationId, typing: true });
    expect((await typingAtAgent).side).toBe('contact');

    // An agent of the same org without access sees nothing of it.
    const basic = k.socket({ cookie: await k.login(k.agents.basic) });
    await connected(basic);
    const leaked: unknown[] = [];
    basic.on('message.created', (e) => leaked.push(e));
    const seen = nextEvent(agent, 'message.created', (e: { message: Message }) => e.message.clientMessageId === 'cu-2');
    await customer.emitWithAck('message.send', { clientMessageId: 'cu-2', text: '订单号是 SO123' });
    await seen;
    await new Promise((r) => setTimeout(r, 100));
    expect(leaked).toEqual([]);
  });

  it('gives a reconnecting client everything after its last seq, exactly once', async () => {
    const cookie = await k.login(k.agents.admin);
    const token = await k.customerToken('ks60006', '沙和尚');
    const customer = k.socket({ token });
    await connected(customer);
    const first = (await customer.emitWithAck('message.send', { clientMessageId: 'x-1', text: '第一条' })) as { message: Message };
    const conversationId = first.message.conversationId;
    customer.disconnect();

    // While the customer is away, the agent sends five messages.
    for (let i = 0; i < 5; i++) {
      const r = await k.req('POST', `/api/v1/conversations/${conversationId}/messages`, { cookie, body: { clientMessageId: `away-${i}`, text: `离线期间第${i}条` } });
      expect(r.status).toBe(201);
    }
    const back = k.socket({ token });
    await connected(back);
    const live: Message[] = [];
    back.on('message.created', (e) => live.push(e.message));
    const sync = (await back.emitWithAck('sync', { since: { [conversationId]: first.message.seq } })) as { messages: Message[] };
    expect(sync.messages.map((m) => m.seq)).toEqual([2, 3, 4, 5, 6]);
    expect(new Set(sync.messages.map((m) => m.id)).size).toBe(5);
    expect(live).toEqual([]);
    // A conversation the client may not see is silently left out.
    const other = await k.customerToken('ks60007', '唐僧');
    const stranger = k.socket({ token: other });
    await connected(stranger);
    const none = (await stranger.emitWithAck('sync', { since: { [conversationId]: 0 } })) as { messages: Message[] };
    expect(none.messages).toEqual([]);
  });

  it('ends the sockets of a session that logs out', async () => {
    const cookie = await k.login(k.agents.basic);
    const s = k.socket({ cookie });
    await connected(s);
    const ended = nextEvent<{ reason: string }>(s, 'session.ended');
    await k.req('POST', '/api/v1/auth/logout', { cookie });
    expect((await ended).reason).toBe('logout');
  });
});
