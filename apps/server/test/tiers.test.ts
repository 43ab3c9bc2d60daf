import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, DIALECTS, makeKefu, nextEvent, type Kefu } from './helpers/harness.ts';

describe.each(DIALECTS)('agent tiers on %s', (kind) => {
  let k: Kefu;
  let admin: string;
  let senior: string;
  let basic: string;
  beforeAll(async () => {
    k = await makeKefu(kind);
    ({ admin, senior, basic } = await k.loginAll());
  });
  afterAll(async () => k?.close());

  async function conversationFor(cookie: string, platformId: string) {
    const contact = (await k.req('POST', '/api/v1/contacts', { cookie, body: { platformId, nickname: `用户${platformId}` } })).json.contact;
    return (await k.req('POST', '/api/v1/conversations', { cookie, body: { contactId: contact.id } })).json.conversation.id as string;
  }

  it('accepts exactly the daily quota of 1,000 parallel sends, and retries and refusals are free', async () => {
    const conv = await conversationFor(basic, `q-${kind}`);
    const path = `/api/v1/conversations/${conv}/messages`;
    // A refused message (external link) consumes nothing.
    const link = await k.req('POST', path, { cookie: basic, body: { clientMessageId: 'link-1', text: '去 www.taobao.com 看看' } });
    expect(link.status).toBe(422);
    expect(link.json.error.code).toBe('EXTERNAL_LINK_FORBIDDEN');
    expect(link.json.error.spans[0]).toMatchObject({ host: 'taobao.com' });
    const first = await k.req('POST', path, { cookie: basic, body: { clientMessageId: 'q-0', text: '第一条' } });
    expect(first.status).toBe(201);
    // A retry of an accepted message does not count again.
    expect((await k.req('POST', path, { cookie: basic, body: { clientMessageId: 'q-0', text: '第一条' } })).status).toBe(200);

    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => k.req('POST', path, { cookie: basic, body: { clientMessageId: `par-${i}`, text: `并发${i}` } })));
    const accepted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 429);
    expect(accepted).toHaveLength(199);
    expect(refused).toHaveLength(801);
    expect(new Set(refused.map((r) => r.json.error.code))).toEqual(new Set(['DAILY_QUOTA_EXCEEDED']));
    const resetAt = Date.parse(refused[0]!.json.error.resetAt);
    expect(resetAt).toBeGreaterThan(k.clock.now());
    // Local midnight in Asia/Shanghai is 16:00 UTC.
    expect(new Date(resetAt).getUTCHours()).toBe(16);
    const history = await k.req('GET', `${path}?afterSeq=0&limit=200`, { cookie: basic });
    expect(history.json.messages).toHaveLength(200);
    const quota = await k.req('GET', '/api/v1/me/quota', { cookie: basic });
    expect(quota.json).toMatchObject({ sent: 200, limit: 200, remaining: 0 });
    // Seniors and admins are unaffected by a basic agent's quota.
    const s = await k.req('POST', `/api/v1/conversations/${await conversationFor(senior, `qs-${kind}`)}/messages`, { cookie: senior, body: { clientMessageId: 's-1', text: '您好' } });
    expect(s.status).toBe(201);
  });

  it('resets the quota at local midnight', async () => {
    // Move to two minutes before the end of tomorrow (Asia/Shanghai): a fresh day for the quota.
    const now = k.clock.now();
    const shanghaiMidnight = Date.parse(new Date(now + 8 * 3_600_000).toISOString().slice(0, 10)) - 8 * 3_600_000 + 2 * 86_400_000;
    k.clock.advance(shanghaiMidnight - 120_000 - now);
    // Sessions may have expired across the jump: log everyone in again (each login moves 30 s on).
    ({ admin, senior, basic } = await k.loginAll());
    const cookie = basic;
    const conv = await conversationFor(admin, `mid-${kind}`);
    await k.req('PATCH', `/api/v1/conversations/${conv}`, { cookie: admin, body: { assigneeId: k.agents.basic.id } });
    expect(shanghaiMidnight - k.clock.now()).toBeGreaterThan(0);
    expect(shanghaiMidnight - k.clock.now()).toBeLessThanOrEqual(30_000);
    const path = `/api/v1/conversations/${conv}/messages`;
    let n = 0;
    for (let i = 0; i < 205; i++) if ((await k.req('POST', path, { cookie, body: { clientMessageId: `m-${i}`, text: `m${i}` } })).status === 201) n++;
    expect(n).toBe(200);
    k.clock.advance(shanghaiMidnight - k.clock.now() + 1000); // just past midnight
    const after = await k.req('POST', path, { cookie, body: { clientMessageId: 'm-next-day', text: '新的一天' } });
    expect(after.status).toBe(201);
    expect((await k.req('GET', '/api/v1/me/quota', { cookie })).json).toMatchObject({ sent: 1, remaining: 199 });
  });

  it('lets seniors send links, basic agents only to allowed hosts', async () => {
    const conv = await conversationFor(senior, `l-${kind}`);
    expect((await k.req('POST', `/api/v1/conversations/${conv}/messages`, { cookie: senior, body: { clientMessageId: 'l1', text: 'https://help.example.com' } })).status).toBe(201);
    const bconv = await conversationFor(basic, `lb-${kind}`);
    const platform = await k.req('POST', `/api/v1/conversations/${bconv}/messages`, { cookie: basic, body: { clientMessageId: 'lb1', text: '官方帮助 https://www.kuaishou.com/help' } });
    expect(platform.status).toBe(201);
    const own = await k.req('POST', `/api/v1/conversations/${bconv}/messages`, { cookie: basic, body: { clientMessageId: 'lb2', text: '店铺 shop.xinghe.cn' } });
    expect(own.json.error.code).toBe('EXTERNAL_LINK_FORBIDDEN');
    expect((await k.req('PATCH', '/api/v1/org/policy', { cookie: admin, body: { linkAllowHosts: ['xinghe.cn'] } })).status).toBe(200);
    expect((await k.req('POST', `/api/v1/conversations/${bconv}/messages`, { cookie: basic, body: { clientMessageId: 'lb2', text: '店铺 shop.xinghe.cn' } })).status).toBe(201);
  });

  it('lets admins tighten, never loosen, and records every change', async () => {
    expect((await k.req('PATCH', '/api/v1/org/policy', { cookie: senior, body: { tiers: { basic: { dailyMessages: 10 } } } })).json.error.code).toBe('TIER_FORBIDDEN');
    const loose = await k.req('PATCH', '/api/v1/org/policy', { cookie: admin, body: { tiers: { basic: { dailyMessages: 300 } } } });
    expect(loose.json.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'basic.dailyMessages', ceiling: 200 });
    const links = await k.req('PATCH', '/api/v1/org/policy', { cookie: admin, body: { tiers: { basic: { externalLinks: true } } } });
    expect(links.json.error.code).toBe('VALIDATION_FAILED');
    const ok = await k.req('PATCH', '/api/v1/org/policy', { cookie: admin, body: { tiers: { senior: { dailyMessages: 100, attachments: 'images', bypassesPerDay: 1 } } } });
    expect(ok.status).toBe(200);
    expect(ok.json.policies.senior).toMatchObject({ dailyMessages: 100, attachments: 'images', bypassesPerDay: 1, externalLinks: true });
    expect(ok.json.ceiling.senior.dailyMessages).toBe(500);
    const mine = await k.req('GET', '/api/v1/me/policy', { cookie: senior });
    expect(mine.json.policy.dailyMessages).toBe(100);
    expect(mine.json.quota.limit).toBe(100);
    const changes = await k.req('GET', '/api/v1/org/policy/changes', { cookie: admin });
    const fields = changes.json.changes.map((c: { field: string }) => c.field);
    expect(fields).toEqual(expect.arrayContaining(['senior.dailyMessages', 'senior.attachments', 'senior.bypassesPerDay']));
    const c = changes.json.changes.find((x: { field: string }) => x.field === 'senior.dailyMessages');
    expect(c).toMatchObject({ actorId: k.agents.admin.id, oldValue: 500, newValue: 100 });
    // Loosen back up to (not past) the ceiling.
    expect((await k.req('PATCH', '/api/v1/org/policy', { cookie: admin, body: { tiers: { senior: { dailyMessages: 500, attachments: 'images_video', bypassesPerDay: 3 } } } })).status).toBe(200);
  });

  it('manages agents: change tier, disable (sessions and sockets end at once), reset the second factor', async () => {
    const created = await k.req('POST', '/api/v1/agents', { cookie: admin, body: { email: `temp-${kind}@test.kefu.local`, name: '临时工', tier: 'basic', password: 'temporary-pass-1' } });
    const id = created.json.agent.id;
    const creds = { id, email: `temp-${kind}@test.kefu.local`, password: 'temporary-pass-1', tier: 'basic' as const, name: '临时工' };
    const cookie = await k.login(creds);
    const promoted = await k.req('PATCH', `/api/v1/agents/${id}`, { cookie: admin, body: { tier: 'senior' } });
    expect(promoted.json.agent.tier).toBe('senior');
    expect((await k.req('GET', '/api/v1/me/policy', { cookie })).json.tier).toBe('senior');
    const socket = k.socket({ cookie });
    await connected(socket);
    const ended = nextEvent<{ reason: string }>(socket, 'session.ended');
    expect((await k.req('PATCH', `/api/v1/agents/${id}`, { cookie: admin, body: { disabled: true } })).json.agent.disabled).toBe(true);
    expect((await ended).reason).toBe('disabled');
    expect((await k.req('GET', '/api/v1/conversations', { cookie })).json.error.code).toBe('UNAUTHENTICATED');
    expect((await k.req('POST', '/api/v1/auth/login', { body: { email: creds.email, password: creds.password } })).json.error.code).toBe('ACCOUNT_DISABLED');
    expect((await k.req('PATCH', `/api/v1/agents/${id}`, { cookie: senior, body: { disabled: false } })).json.error.code).toBe('TIER_FORBIDDEN');
    expect((await k.req('PATCH', `/api/v1/agents/${k.agents.admin.id}`, { cookie: admin, body: { disabled: true } })).json.error.code).toBe('CONFLICT');
    await k.req('PATCH', `/api/v1/agents/${id}`, { cookie: admin, body: { disabled: false } });
    const reset = await k.req('POST', `/api/v1/agents/${id}/reset-mfa`, { cookie: admin });
    expect(reset.json.agent.totpEnrolled).toBe(false);
    expect((await k.req('POST', '/api/v1/auth/login', { body: { email: creds.email, password: creds.password } })).json.next).toBe('totp_enroll');
  });
});
