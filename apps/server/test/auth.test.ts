import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../src/domain/agents/service.ts';
import { DIALECTS, makeKefu, type Kefu } from './helpers/harness.ts';

describe.each(DIALECTS)('auth on %s', (kind) => {
  let k: Kefu;
  beforeAll(async () => {
    k = await makeKefu(kind);
  });
  afterAll(async () => k?.close());

  const cookieOf = (r: { headers: Record<string, unknown> }) => String(r.headers['set-cookie']).split(';')[0]!;

  it('refuses a wrong password with a stable code, and unknown emails the same way', async () => {
    const wrong = await k.req('POST', '/api/v1/auth/login', { body: { email: k.agents.senior.email, password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('INVALID_CREDENTIALS');
    const unknown = await k.req('POST', '/api/v1/auth/login', { body: { email: 'nobody@nowhere.test', password: 'x' } });
    expect(unknown.json.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('requires the second factor before any messaging or admin API answers', async () => {
    const r = await k.req('POST', '/api/v1/auth/login', { body: { email: k.agents.admin.email, password: k.agents.admin.password } });
    expect(r.status).toBe(200);
    expect(r.json.next).toBe('totp_enroll');
    const setCookie = String(r.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = cookieOf(r);
    for (const [method, path, body] of [
      ['GET', '/api/v1/conversations', undefined],
      ['POST', '/api/v1/agents', { email: 'x@y.test', name: 'x', tier: 'basic', password: '0123456789ab' }],
      ['GET', '/api/v1/contacts/lookup?platformId=ks1', undefined],
      ['POST', '/api/v1/contacts', { platformId: 'ks1', nickname: 'n' }],
    ] as const) {
      const res = await k.req(method, path, { cookie, ...(body ? { body } : {}) });
      expect(res.status, path).toBe(401);
      expect(res.json.error.code, path).toBe('MFA_REQUIRED');
    }
    const me = await k.req('GET', '/api/v1/auth/me', { cookie });
    expect(me.json.mfa).toBe(false);

    const enroll = await k.req('POST', '/api/v1/auth/totp/enroll', { cookie });
    expect(enroll.status).toBe(200);
    expect(enroll.json.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const bad = await k.req('POST', '/api/v1/auth/totp/verify', { cookie, body: { code: '000000' } });
    expect(bad.json.error.code).toBe('TOTP_INVALID');
    k.clock.advance(30_000);
    const code = await currentTotp(enroll.json.secret, Math.floor(k.clock.now() / 1000));
    const ok = await k.req('POST', '/api/v1/auth/totp/verify', { cookie, body: { code } });
    expect(ok.status).toBe(200);
    expect(ok.json.agent.totpEnrolled).toBe(true);
    k.rememberTotp(k.agents.admin.email, enroll.json.secret);
    expect((await k.req('GET', '/api/v1/conversations', { cookie })).status).toBe(200);

    // The same code in a second session is a replay.
    const again = await k.req('POST', '/api/v1/auth/login', { body: { email: k.agents.admin.email, password: k.agents.admin.password } });
    expect(again.json.next).toBe('totp_verify');
    const replay = await k.req('POST', '/api/v1/auth/totp/verify', { cookie: cookieOf(again), body: { code } });
    expect(replay.json.error.code).toBe('TOTP_REPLAYED');
    // Enrolling again is refused once enrolled.
    expect((await k.req('POST', '/api/v1/auth/totp/enroll', { cookie: cookieOf(again) })).json.error.code).toBe('TOTP_ALREADY_ENROLLED');
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    const email = k.agents.basic.email;
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await k.req('POST', '/api/v1/auth/login', { body: { email, password: `wrong-${i}` } })).json.error.code);
    expect(codes.slice(0, 4)).toEqual(Array(4).fill('INVALID_CREDENTIALS'));
    expect(codes[4]).toBe('ACCOUNT_LOCKED');
    const right = await k.req('POST', '/api/v1/auth/login', { body: { email, password: k.agents.basic.password } });
    expect(right.status).toBe(423);
    expect(right.json.error.code).toBe('ACCOUNT_LOCKED');
    expect(right.json.error.retryAt).toBeTypeOf('string');
    k.clock.advance(16 * 60_000);
    expect((await k.req('POST', '/api/v1/auth/login', { body: { email, password: k.agents.basic.password } })).status).toBe(200);
  });

  it('logs out: the session stops working', async () => {
    const cookie = await k.login(k.agents.senior);
    expect((await k.req('GET', '/api/v1/conversations', { cookie })).status).toBe(200);
    expect((await k.req('POST', '/api/v1/auth/logout', { cookie })).status).toBe(200);
    const after = await k.req('GET', '/api/v1/conversations', { cookie });
    expect(after.json.error.code).toBe('UNAUTHENTICATED');
  });

  it('lets admins, and only admins, create agents', async () => {
    const admin = await k.login(k.agents.admin);
    const basic = await k.login(k.agents.basic);
    const body = { email: 'new.agent@test.kefu.local', name: '新同事', tier: 'basic', password: 'a-long-password-1' };
    const denied = await k.req('POST', '/api/v1/agents', { cookie: basic, body });
    expect(denied.json.error.code).toBe('TIER_FORBIDDEN');
    const created = await k.req('POST', '/api/v1/agents', { cookie: admin, body });
    expect(created.status).toBe(201);
    expect(created.json.agent).toMatchObject({ email: body.email, tier: 'basic', totpEnrolled: false });
    expect(created.json.agent.password_hash).toBeUndefined();
    expect((await k.req('POST', '/api/v1/agents', { cookie: admin, body })).json.error.code).toBe('EMAIL_TAKEN');
    const weak = await k.req('POST', '/api/v1/agents', { cookie: admin, body: { ...body, email: 'w@test.kefu.local', password: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.json.error.code).toBe('VALIDATION_FAILED');
    const list = await k.req('GET', '/api/v1/agents', { cookie: basic });
    expect(list.json.agents.map((a: { email: string }) => a.email)).toContain(body.email);
  });

  it('refuses cross-site and non-JSON requests (CSRF)', async () => {
    const cookie = await k.login(k.agents.senior);
    const cross = await k.req('POST', '/api/v1/contacts', { cookie, body: { platformId: 'ks9', nickname: 'x' }, headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    expect(cross.json.error.code).toBe('CROSS_SITE_REQUEST');
    const form = await k.req('POST', '/api/v1/contacts', { cookie, body: 'platformId=ks9&nickname=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const text = await k.req('POST', '/api/v1/contacts', { cookie, body: '{"platformId":"ks9","nickname":"x"}', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
  });
});
