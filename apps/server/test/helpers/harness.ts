/**
 * Test harness: a fully built Kefu on SQLite (temp folder) or PostgreSQL (fresh database on the
 * run's server), listening on a free loopback port, with an organisation, one agent per tier and
 * helpers to log in (password + TOTP) and act as a platform user.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, Tier } from '@kefu/shared';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { KeyRing } from '../../src/lib/crypto.ts';
import { createOrganisation } from '../../src/domain/orgs/service.ts';
import { createAgent, currentTotp } from '../../src/domain/agents/service.ts';
import { issueCustomerToken } from '../../src/domain/platform/customers.ts';
import { createDatabase } from './postgres.ts';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type DialectName = (typeof DIALECTS)[number];

/** Wall time plus an offset the test can move, so TOTP steps and expiries are testable. */
export class TestClock {
  offset = 0;
  now = () => Date.now() + this.offset;
  advance(ms: number) {
    this.offset += ms;
  }
}

let dbCounter = 0;

export async function pgUrlFor(): Promise<string> {
  const server = inject('pgUrl');
  if (!server) throw new Error('PostgreSQL is not available to the tests (see test/global-setup.ts)');
  return createDatabase(server, `kefu_t${process.pid}_${Date.now().toString(36)}_${dbCounter++}`);
}

export interface AgentCreds { id: string; email: string; password: string; tier: Tier; name: string }

export async function makeKefu(kind: DialectName, opts: { env?: Record<string, string> } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-test-'));
  const env: Record<string, string> = { KEFU_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...opts.env };
  if (kind === 'postgres') {
    env.DATABASE_URL = await pgUrlFor();
    env.KEFU_KEYS = JSON.stringify(KeyRing.generate());
  }
  const config = loadConfig(env);
  const clock = new TestClock();
  const built = await buildApp(config, { clock });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(built.app.server.address() as { port: number }).port}`;
  const { ctx } = built;

  const org = await createOrganisation(ctx, '测试店铺');
  const agents = {} as Record<Tier, AgentCreds>;
  for (const tier of ['admin', 'senior', 'basic'] as const) {
    const email = `${tier}@test.kefu.local`;
    const password = `pw-${tier}-0123456789`;
    const a = await createAgent(ctx, { orgId: org.id, email, name: `${tier}客服`, tier, password });
    agents[tier] = { id: a.id, email, password, tier, name: a.name };
  }
  const sockets: Socket[] = [];

  const k = {
    kind,
    url,
    app: built.app,
    routes: built.routes,
    ctx,
    io: built.io,
    clock,
    org,
    agents,
    /** JSON request through the full app (no network). */
    async req(method: string, path: string, o: { cookie?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.cookie) headers.cookie = o.cookie;
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      if (o.body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await built.app.inject({ method: method as 'GET', url: path, headers, ...(o.body !== undefined ? { payload: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}) });
      let json: any = null;
      try {
        json = res.body ? JSON.parse(res.body) : null;
      } catch {
        json = null;
      }
      return { status: res.statusCode, json, headers: res.headers, body: res.body };
    },
    /** Password + TOTP (enrolling on first use); returns the session cookie. */
    async login(a: AgentCreds): Promise<string> {
      const r = await k.req('POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } });
      if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.body}`);
      const setCookie = String(r.headers['set-cookie']).split(';')[0]!;
      let secret = totpSecrets.get(a.email);
      if (r.json.next === 'totp_enroll') {
        const e = await k.req('POST', '/api/v1/auth/totp/enroll', { cookie: setCookie });
        secret = e.json.secret as string;
        totpSecrets.set(a.email, secret);
      }
      clock.advance(30_000); // a fresh TOTP step: codes cannot be replayed
      const code = await currentTotp(secret!, Math.floor(clock.now() / 1000));
      const v = await k.req('POST', '/api/v1/auth/totp/verify', { cookie: setCookie, body: { code } });
      if (v.status !== 200) throw new Error(`totp failed: ${v.status} ${v.body}`);
      return setCookie;
    },
    /** A fresh session for each tier's agent. */
    async loginAll(): Promise<Record<Tier, string>> {
      return { admin: await k.login(agents.admin), senior: await k.login(agents.senior), basic: await k.login(agents.basic) };
    },
    /** Tell the harness a secret enrolled by hand, so `login` can compute codes for it. */
    rememberTotp(email: string, secret: string) {
      totpSecrets.set(email, secret);
    },
    async customerToken(platformId: string, nickname = platformId) {
      return issueCustomerToken(ctx, org.id, platformId, nickname);
    },
    socket(auth: { cookie?: string; token?: string }): Socket<ServerToClientEvents, ClientToServerEvents> {
      const s = ioClient(url, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        ...(auth.token ? { auth: { token: auth.token } } : {}),
        ...(auth.cookie ? { extraHeaders: { cookie: auth.cookie } } : {}),
      });
      sockets.push(s);
      return s;
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await built.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const totpSecrets = new Map<string, string>();
  return k;
}

export type Kefu = Awaited<ReturnType<typeof makeKefu>>;

export function connected(s: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (s.connected) return resolve();
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  });
}

/** Resolve with the next event matching `pred`, or reject after `ms`. */
export function nextEvent<T>(s: Socket<any, any>, name: string, pred: (e: T) => boolean = () => true, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(name, on);
      reject(new Error(`timed out waiting for ${name}`));
    }, ms);
    const on = (e: T) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      s.off(name, on);
      resolve(e);
    };
    s.on(name, on);
  });
}
