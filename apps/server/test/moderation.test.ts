import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@kefu/shared';
import { SoftAuthenticator } from './helpers/webauthn.ts';
import { connected, DIALECTS, makeKefu, nextEvent, type Kefu } from './helpers/harness.ts';

describe.each(DIALECTS)('moderation in the send path on %s', (kind) => {
  let k: Kefu;
  let admin: string;
  let senior: string;
  let basic: string;
  let n = 0;
  beforeAll(async () => {
    k = await makeKefu(kind);
    ({ admin, senior, basic } = await k.loginAll());
  });
  afterAll(async () => k?.close());

  async function conversation(cookie: string) {
    n++;
    const token = await k.customerToken(`mod-${kind}-${n}`, `用户${n}`);
    await k.req('POST', '/api/v1/customer/messages', { token, body: { clientMessageId: 'hello', text: '你好' } });
    const conv = (await k.req('GET', '/api/v1/customer/session', { token })).json.conversation.id as string;
    // The agent claims it by opening it (an unassigned conversation is visible to all).
    await k.req('PATCH', `/api/v1/conversations/${conv}`, { cookie, body: { assigneeId: (await k.req('GET', '/api/v1/auth/me', { cookie })).json.agent.id } });
    return { conv, token, send: (body: Record<string, unknown>) => k.req('POST', `/api/v1/conversations/${conv}/messages`, { cookie, body }) };
  }

  it('blocks level 1, opens a review case whose priority rises, and a restriction stops sending', async () => {
    const c = await conversation(senior);
    const r1 = await c.send({ clientMessageId: 'l1-a', text: '加我微-信聊，私下转账更便宜' });
    expect(r1.status).toBe(422);
    expect(r1.json.error.code).toBe('SENSITIVE_BLOCKED');
    expect(r1.json.error.hits.map((h: { level: number }) => h.level)).toContain(1);
    const hit = r1.json.error.hits[0];
    expect('加我微-信聊，私下转账更便宜'.slice(hit.start, hit.end).length).toBeGreaterThan(0);
    const caseId = r1.json.error.caseId;
    for (const id of ['l1-b', 'l1-c']) expect((await c.send({ clientMessageId: id, text: '支付宝转账给我' })).json.error.caseId).toBe(caseId);
    const cases = (await k.req('GET', '/api/v1/review-cases?status=open', { cookie: admin })).json.cases;
    const mine = cases.find((x: { id: string }) => x.id === caseId);
    expect(mine).toMatchObject({ agentId: k.agents.senior.id, attempts: 3, priority: 1, lastAttempt: '支付宝转账给我' });
    // Nothing was delivered and no quota was used.
    const session = await k.req('GET', '/api/v1/customer/session', { token: c.token });
    expect(session.json.messages.map((m: Message) => m.text)).toEqual(['你好']);
    expect((await k.req('GET', '/api/v1/me/quota', { cookie: senior })).json.sent).toBe(0);

    const sock = k.socket({ cookie: senior });
    await connected(sock);
    const restricted = await k.req('POST', `/api/v1/review-cases/${caseId}/resolve`, { cookie: admin, body: { action: 'restrict', note: '多次试图私下交易' } });
    expect(restricted.json.case.status).toBe('restricted');
    expect((await c.send({ clientMessageId: 'ok-1', text: '您好' })).json.error.code).toBe('SEND_RESTRICTED');
    // A socket opened before the restriction is held to it too.
    const viaSocket = (await sock.emitWithAck('message.send', { conversationId: c.conv, clientMessageId: 'ok-s', text: '您好' })) as { error: { code: string } };
    expect(viaSocket.error.code).toBe('SEND_RESTRICTED');
    expect((await k.req('POST', `/api/v1/review-cases/${caseId}/resolve`, { cookie: senior, body: { action: 'clear' } })).json.error.code).toBe('TIER_FORBIDDEN');
    await k.req('POST', `/api/v1/review-cases/${caseId}/resolve`, { cookie: admin, body: { action: 'clear' } });
    expect((await c.send({ clientMessageId: 'ok-1', text: '您好' })).status).toBe(201);
    const audit = (await k.req('GET', '/api/v1/audit?action=moderation.blocked', { cookie: admin })).json.entries;
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });

  it('adds the official statement to level-3 messages, and uses the organisation\'s own text', async () => {
    const c = await conversation(senior);
    const r = await c.send({ clientMessageId: 'l3-a', text: '如果您要投诉，我们理解' });
    expect(r.status).toBe(201);
    expect(r.json.message.text).toMatch(/^如果您要投诉，我们理解\n\n【平台声明】/);
    // A retry with the text as typed returns the same message.
    const retry = await c.send({ clientMessageId: 'l3-a', text: '如果您要投诉，我们理解' });
    expect(retry.status).toBe(200);
    expect(retry.json.message.id).toBe(r.json.message.id);
    const row = await k.ctx.database.db.selectFrom('messages').select('moderation_json').where('id', '=', r.json.message.id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.moderation_json!)).toMatchObject({ action: 'statement', statement: { category: 'complaint' } });
    expect((await k.req('PUT', '/api/v1/statements/complaint', { cookie: admin, body: { text: '【星河声明】投诉请拨打官方热线。' } })).status).toBe(200);
    const r2 = await c.send({ clientMessageId: 'l3-b', text: '您可以举报' });
    expect(r2.json.message.text).toBe('您可以举报\n\n【星河声明】投诉请拨打官方热线。');
  });

  it('sends level 2 only after a fresh face verification bound to that message', async () => {
    const c = await conversation(senior);
    const text = '已经为您申请退款了';
    const first = await c.send({ clientMessageId: 'l2-a', text });
    expect(first.status).toBe(428);
    expect(first.json.error).toMatchObject({ code: 'STEP_UP_REQUIRED', registered: false, stepUpId: null });

    const rp = { rpID: 'localhost', origin: 'http://localhost:80' };
    const device = new SoftAuthenticator(rp.rpID, rp.origin);
    const reg = await k.req('POST', '/api/v1/webauthn/register/options', { cookie: senior, headers: { host: 'localhost:80' } });
    expect(reg.json.options.authenticatorSelection).toMatchObject({ authenticatorAttachment: 'platform', userVerification: 'required' });
    const registered = await k.req('POST', '/api/v1/webauthn/register', { cookie: senior, headers: { host: 'localhost:80' }, body: { response: device.register(reg.json.options) } });
    expect(registered.status).toBe(200);

    const ask = await k.req('POST', `/api/v1/conversations/${c.conv}/messages`, { cookie: senior, headers: { host: 'localhost:80' }, body: { clientMessageId: 'l2-a', text } });
    expect(ask.json.error).toMatchObject({ code: 'STEP_UP_REQUIRED', registered: true });
    const { stepUpId, options } = ask.json.error;
    // Sending with an unverified step-up is refused.
    expect((await c.send({ clientMessageId: 'l2-a', text, stepUpId })).json.error.code).toBe('STEP_UP_FAILED');
    const verified = await k.req('POST', '/api/v1/stepup/verify', { cookie: senior, headers: { host: 'localhost:80' }, body: { stepUpId, response: device.assert(options) } });
    expect(verified.status).toBe(200);
    // Bound to the message: not usable for other text.
    expect((await c.send({ clientMessageId: 'l2-x', text: '另一条退款消息', stepUpId })).json.error.code).toBe('STEP_UP_FAILED');
    expect((await c.send({ clientMessageId: 'l2-a', text: `${text}！`, stepUpId })).json.error.code).toBe('STEP_UP_FAILED');
    const sent = await c.send({ clientMessageId: 'l2-a', text, stepUpId });
    expect(sent.status).toBe(201);
    // Replayed: already used.
    const again = await k.req('POST', `/api/v1/conversations/${c.conv}/messages`, { cookie: senior, headers: { host: 'localhost:80' }, body: { clientMessageId: 'l2-b', text } });
    const replay = await c.send({ clientMessageId: 'l2-b', text, stepUpId });
    expect(replay.json.error.code).toBe('STEP_UP_FAILED');
    // Expired: verified, but too late.
    const v2 = await k.req('POST', '/api/v1/stepup/verify', { cookie: senior, headers: { host: 'localhost:80' }, body: { stepUpId: again.json.error.stepUpId, response: device.assert(again.json.error.options) } });
    expect(v2.status).toBe(200);
    k.clock.advance(6 * 60_000);
    expect((await c.send({ clientMessageId: 'l2-b', text, stepUpId: again.json.error.stepUpId })).json.error.code).toBe('STEP_UP_FAILED');
    // Without user verification (no face), the authenticator's answer is refused.
    const third = await k.req('POST', `/api/v1/conversations/${c.conv}/messages`, { cookie: senior, headers: { host: 'localhost:80' }, body: { clientMessageId: 'l2-c', text } });
    device.userVerified = false;
    const noUv = await k.req('POST', '/api/v1/stepup/verify', { cookie: senior, headers: { host: 'localhost:80' }, body: { stepUpId: third.json.error.stepUpId, response: device.assert(third.json.error.options) } });
    expect(noUv.json.error.code).toBe('STEP_UP_FAILED');
    device.userVerified = true;
    // Re-login: the clock moved past the session's idle window in some runs.
    senior = await k.login(k.agents.senior);
  });

  it('lets seniors bypass three times a day, basic agents never, and queues bypasses first for review', async () => {
    const b = await conversation(basic);
    const none = await b.send({ clientMessageId: 'bp-0', text: '加我微信', bypassReason: '用户要求' });
    expect(none.json.error.code).toBe('BYPASS_QUOTA_EXCEEDED');
    const c = await conversation(senior);
    // Five at once with three bypasses: exactly three go through.
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => c.send({ clientMessageId: `bp-${i}`, text: `请加微信${i}号客服`, bypassReason: '用户无法使用站内信，主管口头同意' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429).map((r) => r.json.error.code)).toEqual(['BYPASS_QUOTA_EXCEEDED', 'BYPASS_QUOTA_EXCEEDED']);
    const queue = (await k.req('GET', '/api/v1/post-reviews', { cookie: admin })).json.reviews;
    expect(queue.length).toBeGreaterThanOrEqual(3);
    expect(queue.slice(0, 3).every((r: { source: string }) => r.source === 'bypass')).toBe(true);
    expect(queue[0].bypassReason).toBe('用户无法使用站内信，主管口头同意');
    // A bypassed message that was refused took nothing: the quota counts only the three.
    expect((await k.req('GET', '/api/v1/me/quota', { cookie: senior })).json.sent).toBeGreaterThanOrEqual(3);
  });

  it('holds a blocked message for a supervisor, who approves it once (sent as the author) or rejects it with a reason', async () => {
    const c = await conversation(basic);
    const agentSocket = k.socket({ cookie: basic });
    await connected(agentSocket);
    const customer = k.socket({ token: c.token });
    await connected(customer);
    const submitted = await k.req('POST', `/api/v1/conversations/${c.conv}/held`, { cookie: basic, body: { clientMessageId: 'h-1', text: '退款已经原路返回到您的支付宝', note: '用户确认需要说明退款去向' } });
    expect(submitted.status).toBe(201);
    expect(submitted.json.held).toMatchObject({ status: 'pending', agentId: k.agents.basic.id });
    expect((await k.req('POST', `/api/v1/conversations/${c.conv}/held`, { cookie: basic, body: { clientMessageId: 'h-ok', text: '您好' } })).json.error.code).toBe('VALIDATION_FAILED');
    const queue = (await k.req('GET', '/api/v1/held?status=pending', { cookie: admin })).json.held;
    expect(queue.map((h: { id: string }) => h.id)).toContain(submitted.json.held.id);
    expect((await k.req('GET', '/api/v1/customer/session', { token: c.token })).json.messages).toHaveLength(1);

    const delivered = nextEvent<{ message: Message }>(customer, 'message.created', (e) => e.message.clientMessageId === 'h-1');
    const approvedLive = nextEvent<{ held: { status: string } }>(agentSocket, 'held.updated', (e) => e.held.status === 'approved');
    const [a1, a2] = await Promise.all([
      k.req('POST', `/api/v1/held/${submitted.json.held.id}/approve`, { cookie: admin }),
      k.req('POST', `/api/v1/held/${submitted.json.held.id}/approve`, { cookie: admin }),
    ]);
    expect([a1.status, a2.status].sort()).toEqual([200, 409]);
    expect((await delivered).message).toMatchObject({ senderId: k.agents.basic.id, text: '退款已经原路返回到您的支付宝' });
    await approvedLive;
    const history = await k.req('GET', '/api/v1/customer/session', { token: c.token });
    expect(history.json.messages.filter((m: Message) => m.clientMessageId === 'h-1')).toHaveLength(1);

    const second = await k.req('POST', `/api/v1/conversations/${c.conv}/held`, { cookie: basic, body: { clientMessageId: 'h-2', text: '加我微信详细说' } });
    const rejectedLive = nextEvent<{ held: { status: string; reason: string } }>(agentSocket, 'held.updated', (e) => e.held.status === 'rejected');
    const rejected = await k.req('POST', `/api/v1/held/${second.json.held.id}/reject`, { cookie: admin, body: { reason: '不允许引导用户加微信' } });
    expect(rejected.json.held).toMatchObject({ status: 'rejected', reason: '不允许引导用户加微信' });
    expect((await rejectedLive).held.reason).toBe('不允许引导用户加微信');
    expect((await k.req('POST', `/api/v1/held/${second.json.held.id}/approve`, { cookie: admin })).json.error.code).toBe('CONFLICT');
    expect((await k.req('POST', `/api/v1/held/${second.json.held.id}/approve`, { cookie: senior })).json.error.code).toBe('TIER_FORBIDDEN');
  });

  it('screens sent messages with the AI reviewer; reviewers confirm violations with deadlines; agents appeal once', async () => {
    const c = await conversation(senior);
    const r = await c.send({ clientMessageId: 'ai-1', text: '百分之百没问题，明天一定到账' });
    expect(r.status).toBe(201);
    let item: { id: string; suspectedType: string; evidence: { text: string }[]; deadlineAt: string } | undefined;
    for (let i = 0; i < 100 && !item; i++) {
      await new Promise((res) => setTimeout(res, 100));
      item = (await k.req('GET', '/api/v1/post-reviews', { cookie: admin })).json.reviews.find((x: { messageId: string; source: string }) => x.messageId === r.json.message.id && x.source === 'ai');
    }
    expect(item).toBeDefined();
    expect(item!.suspectedType).toBe('false_promise');
    expect(item!.evidence.map((e) => e.text)).toEqual(expect.arrayContaining(['百分之百没问题', '一定到账']));
    expect(Date.parse(item!.deadlineAt) - Date.parse(r.json.message.createdAt)).toBe(4 * 3_600_000);
    const decided = await k.req('POST', `/api/v1/post-reviews/${item!.id}/decision`, { cookie: admin, body: { verdict: 'confirm' } });
    expect(decided.json.violation).toMatchObject({ type: 'false_promise', agentId: k.agents.senior.id, appealStatus: 'none', overdue: false });
    expect((await k.req('POST', `/api/v1/post-reviews/${item!.id}/decision`, { cookie: admin, body: { verdict: 'dismiss' } })).json.error.code).toBe('CONFLICT');
    const vid = decided.json.violation.id;
    const mine = (await k.req('GET', '/api/v1/violations', { cookie: senior })).json.violations;
    expect(mine.map((v: { id: string }) => v.id)).toContain(vid);
    expect((await k.req('GET', '/api/v1/violations', { cookie: basic })).json.violations.map((v: { id: string }) => v.id)).not.toContain(vid);
    expect((await k.req('POST', `/api/v1/violations/${vid}/appeal`, { cookie: basic, body: { statement: '不是我' } })).json.error.code).toBe('NOT_FOUND');
    const appealed = await k.req('POST', `/api/v1/violations/${vid}/appeal`, { cookie: senior, body: { statement: '公司活动确实承诺双倍赔偿，有活动页面为证' } });
    expect(appealed.json.violation.appealStatus).toBe('pending');
    expect((await k.req('POST', `/api/v1/violations/${vid}/appeal`, { cookie: senior, body: { statement: '再申诉' } })).json.error.code).toBe('CONFLICT');
    const overturned = await k.req('POST', `/api/v1/violations/${vid}/appeal/decision`, { cookie: admin, body: { outcome: 'overturn', note: '核实活动属实' } });
    expect(overturned.json.violation).toMatchObject({ appealStatus: 'overturned', appealNote: '核实活动属实' });
    // Clean messages are screened and pass.
    const clean = await c.send({ clientMessageId: 'ai-2', text: '您的包裹已经发出，请留意物流' });
    await new Promise((res) => setTimeout(res, 600));
    const job = await k.ctx.database.db.selectFrom('jobs').select(['done_at', 'payload_json']).where('payload_json', 'like', `%${clean.json.message.id}%`).executeTakeFirstOrThrow();
    expect(job.done_at).not.toBeNull();
    const queued = (await k.req('GET', '/api/v1/post-reviews', { cookie: admin })).json.reviews.map((x: { messageId: string }) => x.messageId);
    expect(queued).not.toContain(clean.json.message.id);
  });

  it('manages the lexicon: line-numbered import errors store nothing; changes apply at once; allow-list words stay clean', async () => {
    const bad = await k.req('POST', '/api/v1/lexicon/import', { cookie: admin, body: { content: '拼多多\t1\tcompetitor\n坏行\t9\n淘宝店\t2\tcompetitor\n', format: 'text' } });
    expect(bad.json.imported).toBe(0);
    expect(bad.json.errors.map((e: { line: number }) => e.line)).toEqual([2]);
    expect((await k.req('GET', '/api/v1/lexicon', { cookie: admin })).json.entries).toEqual([]);
    const good = await k.req('POST', '/api/v1/lexicon/import', { cookie: admin, body: { content: 'word,level,category\n拼多多,1,competitor\n去淘宝,2,competitor\n', format: 'csv' } });
    expect(good.json).toMatchObject({ imported: 2, errors: [] });
    const test = await k.req('POST', '/api/v1/lexicon/test', { cookie: basic, body: { text: '拼 多 多上更便宜' } });
    expect(test.json).toMatchObject({ maxLevel: 1, action: 'blocked' });
    expect(test.json.hits[0]).toMatchObject({ word: '拼多多', category: 'competitor', start: 0, end: 5 });
    const c = await conversation(senior);
    expect((await c.send({ clientMessageId: 'lx-1', text: '拼多多上更便宜' })).json.error.code).toBe('SENSITIVE_BLOCKED');
    await k.req('POST', '/api/v1/lexicon', { cookie: admin, body: { kind: 'allow', word: '拼多多官方比价' } });
    expect((await k.req('POST', '/api/v1/lexicon/test', { cookie: basic, body: { text: '已参考拼多多官方比价' } })).json.maxLevel).toBe(0);
    const entries = (await k.req('GET', '/api/v1/lexicon', { cookie: admin })).json.entries;
    const id = entries.find((e: { word: string }) => e.word === '拼多多').id;
    expect((await k.req('DELETE', `/api/v1/lexicon/${id}`, { cookie: basic })).json.error.code).toBe('TIER_FORBIDDEN');
    await k.req('DELETE', `/api/v1/lexicon/${id}`, { cookie: admin });
    expect((await c.send({ clientMessageId: 'lx-1', text: '拼多多上更便宜' })).status).toBe(201);
  });

  it('checks drafts over the socket as the agent types, incrementally', async () => {
    const s = k.socket({ cookie: basic });
    await connected(s);
    const full = (await s.emitWithAck('draft.check', { draftId: 'd1', text: '您好，' })) as { maxLevel: number; action: string };
    expect(full).toMatchObject({ maxLevel: 0, action: 'send' });
    const t1 = (await s.emitWithAck('draft.check', { draftId: 'd1', edit: { start: 3, deleteCount: 0, insert: '加我微' } })) as { maxLevel: number; hits: { start: number; end: number }[] };
    expect(t1.maxLevel).toBe(0);
    const t2 = (await s.emitWithAck('draft.check', { draftId: 'd1', edit: { start: 6, deleteCount: 0, insert: '信' } })) as { maxLevel: number; action: string; hits: { start: number; end: number }[] };
    expect(t2).toMatchObject({ maxLevel: 1, action: 'blocked' });
    expect('您好，加我微信'.slice(t2.hits[0]!.start, t2.hits[0]!.end)).toBe('加我微信');
    const t3 = (await s.emitWithAck('draft.check', { draftId: 'd1', edit: { start: 3, deleteCount: 4, insert: '我要投诉' } })) as { action: string };
    expect(t3.action).toBe('statement');
    const link = (await s.emitWithAck('draft.check', { draftId: 'd2', text: '去 www.taobao.com' })) as { action: string; links: { host: string }[] };
    expect(link.action).toBe('blocked');
    expect(link.links[0]!.host).toBe('taobao.com');
    const lost = (await s.emitWithAck('draft.check', { draftId: 'unknown', edit: { start: 0, deleteCount: 0, insert: 'x' } })) as { error: { code: string } };
    expect(lost.error.code).toBe('CONFLICT');
    const badEdit = (await s.emitWithAck('draft.check', { draftId: 'd1', edit: { start: 99, deleteCount: 0, insert: 'x' } })) as { error: { code: string } };
    expect(badEdit.error.code).toBe('VALIDATION_FAILED');
  });
});
