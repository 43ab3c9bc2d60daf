/**
 * Spawn and seed a Kefu server for the benches. The server runs as a CHILD PROCESS
 * (`node --import tsx apps/server/src/cli.ts start`, no npx/tsx wrapper, so `proc.pid` is the
 * node process itself and `kill -9` hits the server), never in the load generator's event loop.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from './report.ts';
import { currentTotp } from '../../apps/server/src/domain/agents/service.ts';
import { KeyRing } from '../../apps/server/src/lib/crypto.ts';
import { signHs256 } from '../../apps/server/src/lib/jwt.ts';
import { createDatabase, freePort, startPostgres, type PgServer } from '../../apps/server/test/helpers/postgres.ts';

export { freePort, startPostgres, type PgServer };

export const ADMIN_EMAIL = 'bench-admin@bench.kefu.local';
export const ADMIN_PASSWORD = 'bench-admin-password-0123';

export const CLI = resolve(repoRoot, 'apps/server/src/cli.ts');

export type DbKind = 'sqlite' | 'postgres';

/** Where one server instance keeps its state: a data folder, and a database when PostgreSQL. */
export interface KefuStore {
  kind: DbKind;
  dataDir: string;
  env: Record<string, string>;
  /** Remove the data folder (the PostgreSQL database goes with its throw-away server). */
  remove(): void;
}

let dbCounter = 0;

/** A fresh store: a temp data folder, plus a fresh database on `pg` for PostgreSQL. */
export async function newStore(kind: DbKind, pg?: PgServer): Promise<KefuStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-'));
  const env: Record<string, string> = {
    KEFU_DATA_DIR: dataDir,
    KEFU_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    KEFU_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    KEFU_LOGIN_RATE_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
  };
  if (kind === 'postgres') {
    if (!pg) throw new Error('newStore(postgres) needs a PostgreSQL server');
    env.DATABASE_URL = await createDatabase(pg.url(), `kefu_bench_${process.pid}_${Date.now().toString(36)}_${dbCounter++}`);
    env.KEFU_KEYS = JSON.stringify(KeyRing.generate());
  }
  return { kind, dataDir, env, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

export interface ServerProc {
  url: string;
  port: number;
  proc: ChildProcess;
  /** Everything the process printed so far (banner, warnings). */
  output(): string;
  exited: Promise<number | null>;
  /** SIGKILL the node process and wait for it to be gone. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/** Every server this process spawned: none outlives the bench, even when it fails. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Track a spawned server so the exit hook above stops it. */
export function track(proc: ChildProcess): void {
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
}

/** Spawn any server script (`node [--import tsx] SCRIPT ARGS`) with PORT set; does not wait. */
export function spawnNode(script: string, args: string[], env: Record<string, string>, port: number, opts: { tsx?: boolean; nodeArgs?: string[] } = {}): ServerProc {
  const nodeArgs = [...(opts.nodeArgs ?? []), ...(opts.tsx === false ? [] : ['--import', 'tsx']), script, ...args];
  const proc = spawn(process.execPath, nodeArgs, {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(proc);
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    proc,
    output: () => out,
    exited,
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

/** Start Kefu on a store and wait until `/healthz` answers 200. */
export async function startKefu(store: KefuStore, opts: { port?: number; args?: string[]; timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<ServerProc> {
  const port = opts.port ?? (await freePort());
  const s = spawnNode(CLI, ['start', ...(opts.args ?? [])], store.env, port, opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {});
  await waitHealthy(s, opts.timeoutMs ?? 60_000);
  return s;
}

const pollAgent = new Agent({ keepAlive: false });

/** One GET; resolves with the status, or 0 when the connection failed. */
export function probe(url: string, timeoutMs = 1000): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent: pollAgent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Poll `/healthz` every `everyMs` until 200; fails early when the process exits. */
export async function waitHealthy(s: Pick<ServerProc, 'url' | 'proc' | 'output'>, timeoutMs = 60_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (s.proc.exitCode !== null || s.proc.signalCode !== null) throw new Error(`server exited before ready:\n${s.output()}`);
    if ((await probe(`${s.url}/healthz`)) === 200) return;
    if (Date.now() > deadline) throw new Error(`server not ready after ${timeoutMs} ms:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The organisation and platform secret printed once in the first-start banner. */
export function parseBanner(output: string): { orgId: string; platformSecret: string } {
  const org = /Organisation (\S+); platform secrets \(customer tokens \/ webhooks\): (\S+) \/ (\S+)/.exec(output);
  if (!org) throw new Error(`first-start banner not found in:\n${output}`);
  return { orgId: org[1]!, platformSecret: org[2]! };
}

/** What the platform does for its users: an HS256 token (see DESIGN 1.12). */
export function customerToken(b: { orgId: string; platformSecret: string }, platformId: string, nickname = platformId): string {
  return signHs256({ org: b.orgId, sub: platformId, nickname, exp: Math.floor(Date.now() / 1000) + 24 * 3600 }, b.platformSecret);
}

/** A small JSON client for set-up and verification (not for load). */
export class Api {
  constructor(readonly url: string, public cookie?: string) {}

  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T; setCookie: string | null }> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(this.url + path, { method, headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, json, setCookie: res.headers.get('set-cookie') };
  }

  async ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }

  /**
   * Password + TOTP, enrolling on first use. Codes are computed with the server's own TOTP
   * function; a code cannot be replayed, so one agent logs in at most once per 30-s step.
   */
  static async login(url: string, email: string, password: string, totpSecret?: string): Promise<{ api: Api; secret: string }> {
    const api = new Api(url);
    const r = await api.call('POST', '/api/v1/auth/login', { email, password });
    if (r.status !== 200 || !r.setCookie) throw new Error(`login ${email} → ${r.status} ${JSON.stringify(r.json)}`);
    api.cookie = r.setCookie.split(';')[0]!;
    let secret = totpSecret;
    if (r.json.next === 'totp_enroll') secret = (await api.ok('POST', '/api/v1/auth/totp/enroll')).secret as string;
    if (!secret) throw new Error(`${email} is enrolled and no TOTP secret was given`);
    await api.ok('POST', '/api/v1/auth/totp/verify', { code: await currentTotp(secret, Math.floor(Date.now() / 1000)) });
    return { api, secret };
  }

  /** Every message of a conversation, paging by `afterSeq`. */
  async allMessages(conversationId: string): Promise<Array<{ id: string; seq: number; clientMessageId: string }>> {
    const out: Array<{ id: string; seq: number; clientMessageId: string }> = [];
    let after = 0;
    for (;;) {
      const { messages } = await this.ok<{ messages: Array<{ id: string; seq: number; clientMessageId: string }> }>(
        'GET',
        `/api/v1/conversations/${conversationId}/messages?afterSeq=${after}&limit=200`,
      );
      out.push(...messages);
      if (messages.length < 200) return out;
      after = messages[messages.length - 1]!.seq;
    }
  }

  /** One Prometheus gauge/counter value from `/metrics`. */
  async metric(name: string): Promise<number> {
    const res = await fetch(`${this.url}/metrics`);
    const text = await res.text();
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
    if (!m) throw new Error(`metric ${name} not found`);
    return Number(m[1]);
  }
}

/** `n` contacts and one open conversation each, assigned to the caller. */
export async function seedConversations(api: Api, n: number, prefix = 'bench'): Promise<Array<{ conversationId: string; contactId: string; platformId: string }>> {
  const out: Array<{ conversationId: string; contactId: string; platformId: string }> = [];
  const tag = Date.now().toString(36);
  for (let i = 0; i < n; i++) {
    const platformId = `${prefix}_${tag}_${i}`;
    const phone = `139${String(10_000_000 + Math.floor(Math.random() * 89_999_999)).slice(0, 8)}`;
    const { contact } = await api.ok('POST', '/api/v1/contacts', { platformId, nickname: `压测用户${i}`, phone });
    const { conversation } = await api.ok('POST', '/api/v1/conversations', { contactId: contact.id });
    out.push({ conversationId: conversation.id, contactId: contact.id, platformId });
  }
  return out;
}

/** Median of a sample. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat counts CPU time in these ticks

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux). CPU per request
 * is far less sensitive to other tenants of a shared machine than wall-clock throughput.
 */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Which server code was measured: the commit, and whether apps/ or packages/ had local edits. */
export function codeVersion(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'apps/server', 'packages'], { cwd: repoRoot }).toString().trim();
    return dirty ? `${head} + uncommitted changes in apps/server or packages` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
