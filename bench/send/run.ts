/**
 * bench:send — durable sends over HTTP (`POST /api/v1/conversations/{id}/messages`), Kefu on
 * SQLite and on PostgreSQL against a bare Fastify process answering the same JSON, same run.
 *
 *   (a) max accepted durable sends/s: closed loop, `--conns` connections, `--max-s` seconds,
 *       spread over `--convs` conversations, every clientMessageId unique;
 *   (b) latency at a fixed `--rate` sends/s for `--rate-s` seconds (open loop, measured from the
 *       scheduled start).
 * SQLite's group-commit factor comes from the server's own /metrics counters. After each run
 * every conversation is read back from the API: stored messages must equal the 201s, every
 * acknowledged clientMessageId present exactly once, seq 1..n without gaps.
 *
 *   npm run bench:send -- [--db sqlite,postgres] [--rounds 2] [--conns 64] [--max-s 10] [--rate 500] [--rate-s 20] [--convs 100] [--no-write]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { percentile, writeSection } from '../lib/report.ts';
import { closedLoop, okCount, openLoop, type LoadRequest, type LoadResult } from '../lib/http-load.ts';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, Api, fmt, freePort, median, newStore, seedConversations, spawnNode, startKefu, startPostgres,
  procCpuMs, waitHealthy, type DbKind, type PgServer, type ServerProc,
  codeVersion,
} from '../lib/kefu.ts';
import { repoRoot } from '../lib/report.ts';
import { resolve } from 'node:path';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite,postgres' },
    rounds: { type: 'string', default: '2' },
    conns: { type: 'string', default: '64' },
    'max-s': { type: 'string', default: '10' },
    rate: { type: 'string', default: '500' },
    'rate-s': { type: 'string', default: '20' },
    convs: { type: 'string', default: '100' },
    agents: { type: 'string', default: '10' },
    'grace-s': { type: 'string', default: '15' },
    'warm-s': { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
  },
});
const DBS = args.db!.split(',').map((s) => s.trim()).filter(Boolean) as DbKind[];
const ROUNDS = Number(args.rounds);
const CONNS = Number(args.conns);
const MAX_MS = Number(args['max-s']) * 1000;
const RATE = Number(args.rate);
const RATE_MS = Number(args['rate-s']) * 1000;
const CONVS = Number(args.convs);
const AGENTS = Number(args.agents);
const GRACE_MS = Number(args['grace-s']) * 1000;
const WARM_MS = Number(args['warm-s']) * 1000;

type Target = 'bare' | DbKind;
const LABEL: Record<Target, string> = { bare: 'bare Fastify (baseline)', sqlite: 'Kefu · SQLite (embedded)', postgres: 'Kefu · PostgreSQL' };

interface RunFigures {
  target: Target;
  round: number;
  maxPerS: number;
  maxP50: number;
  maxP99: number;
  maxNon2xx: number;
  rateAchieved: number;
  p50: number;
  p90: number;
  p99: number;
  pmax: number;
  rateNon2xx: number;
  /** (b): requests still unanswered `GRACE_MS` after the last scheduled start. */
  cutOff: number;
  refusals: string;
  genLagMs: number;
  /** Server CPU ms per acknowledged send, from /proc: robust to other tenants of the machine. */
  cpuPerSendMax: number;
  cpuPerSendRate: number;
  /** Cores the server kept busy during (a); < 1 with a single-threaded server means it was starved. */
  serverCoresMax: number;
  /** The load generator's own CPU ms per send during (a). */
  genCpuPerSend: number;
  groupCommitMax: number | null;
  groupCommitRate: number | null;
  check: { acked: number; stored: number; lost: number; extra: number; dupes: number; gaps: number; retries200: number } | null;
}

// Ordinary replies with no sensitive word, so moderation passes them (a hit asks for a step-up).
const TEXTS = ['您好，您的订单已发货，请注意查收。', '好的，我这边帮您查询一下。', '收到，我这边帮您核实一下物流信息。', '抱歉让您久等了，问题已经反馈给仓库。'];

function non2xx(r: LoadResult): number {
  return r.completed - okCount(r);
}

async function oneRun(target: Target, round: number, pg: PgServer | null): Promise<RunFigures> {
  const tag = `r${round}${target[0]}${Date.now().toString(36)}`;
  let server: ServerProc;
  let api: Api | null = null;
  let convIds: string[];
  const cookieOf = new Map<string, string>();
  const apiOf = new Map<string, Api>(); // each conversation is read back by its own agent
  let remove = () => {};
  if (target === 'bare') {
    const port = await freePort();
    server = spawnNode(resolve(repoRoot, 'bench/lib/bare-fastify.ts'), [], {}, port);
    await waitHealthy(server, 30_000);
    convIds = Array.from({ length: CONVS }, (_, i) => `baseline-conv-${i}`);
  } else {
    const store = await newStore(target, pg ?? undefined);
    remove = store.remove;
    server = await startKefu(store);
    ({ api } = await Api.login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD));
    // Several agents share the conversations, as in a real team: one agent's sends all touch
    // that agent's daily-usage row, which is not what a team's throughput looks like.
    const apis = [api];
    for (let k = 1; k < AGENTS; k++) {
      const email = `send${k}.${tag}@bench.kefu.local`;
      const password = `bench-agent-password-${k}`;
      await api.ok('POST', '/api/v1/agents', { email, name: `压测客服${k}`, tier: 'admin', password });
      apis.push((await Api.login(server.url, email, password)).api);
    }
    convIds = [];
    for (let k = 0; k < AGENTS; k++) {
      const mine = Math.floor(CONVS / AGENTS) + (k < CONVS % AGENTS ? 1 : 0);
      for (const c of await seedConversations(apis[k]!, mine, `${tag}a${k}`)) {
        convIds.push(c.conversationId);
        cookieOf.set(c.conversationId, apis[k]!.cookie!);
        apiOf.set(c.conversationId, apis[k]!);
      }
    }
  }
  const acked = new Map<string, string>(); // clientMessageId → conversation id, for 201 answers
  let retries200 = 0;
  let n = 0;
  const next = (): LoadRequest => {
    const i = n++;
    const cmid = `${tag}-${i}`;
    const conv = convIds[i % convIds.length]!;
    const cookie = cookieOf.get(conv);
    return {
      path: `/api/v1/conversations/${conv}/messages`,
      body: JSON.stringify({ clientMessageId: cmid, text: `${TEXTS[i % TEXTS.length]}（${i}）` }),
      tag: cmid,
      ...(cookie ? { headers: { cookie } } : {}),
    };
  };
  const refusals = new Map<number, { count: number; sample: string }>();
  const onDone = (r: LoadRequest, status: number, body: string) => {
    if (status === 201) acked.set(r.tag!, r.path);
    else if (status === 200) retries200++;
    else {
      const e = refusals.get(status) ?? { count: 0, sample: body.slice(0, 160) };
      e.count++;
      refusals.set(status, e);
    }
  };
  const headers: Record<string, string> = {};

  // Warm-up (JIT, caches, pool), counted in the loss check but not in the figures.
  await closedLoop({ url: server.url, connections: Math.min(16, CONNS), durationMs: WARM_MS, next, headers, onDone });

  const gc0 = api && target === 'sqlite' ? [await api.metric('kefu_db_units_total'), await api.metric('kefu_db_commits_total')] : null;
  const pid = server.proc.pid!;
  const cpu0 = procCpuMs(pid);
  const gen0 = process.cpuUsage();
  const max = await closedLoop({ url: server.url, connections: CONNS, durationMs: MAX_MS, next, headers, onDone });
  const cpu1 = procCpuMs(pid);
  const gen1 = process.cpuUsage(gen0);
  const gc1 = api && target === 'sqlite' ? [await api.metric('kefu_db_units_total'), await api.metric('kefu_db_commits_total')] : null;
  await new Promise((r) => setTimeout(r, 1000)); // let the server settle between phases
  const gc2 = api && target === 'sqlite' ? [await api.metric('kefu_db_units_total'), await api.metric('kefu_db_commits_total')] : null;
  const cpu2 = procCpuMs(pid);
  const fixed = await openLoop({ url: server.url, rate: RATE, durationMs: RATE_MS, maxSockets: CONNS, next, headers, onDone, graceMs: GRACE_MS });
  const cpu3 = procCpuMs(pid);
  const gc3 = api && target === 'sqlite' ? [await api.metric('kefu_db_units_total'), await api.metric('kefu_db_commits_total')] : null;

  let check: RunFigures['check'] = null;
  if (api) {
    let stored = 0;
    let dupes = 0;
    let gaps = 0;
    let extra = 0;
    const seen = new Set<string>();
    for (const id of convIds) {
      const msgs = await apiOf.get(id)!.allMessages(id);
      stored += msgs.length;
      msgs.forEach((m, k) => {
        if (m.seq !== k + 1) gaps++;
        if (seen.has(m.clientMessageId)) dupes++;
        seen.add(m.clientMessageId);
        if (!acked.has(m.clientMessageId)) extra++;
      });
    }
    let lost = 0;
    for (const cmid of acked.keys()) if (!seen.has(cmid)) lost++;
    check = { acked: acked.size, stored, lost, extra, dupes, gaps, retries200 };
  }

  await server.stop();
  remove();

  const maxLat = [...max.latencies].sort((a, b) => a - b);
  const lat = [...fixed.latencies].sort((a, b) => a - b);
  const factor = (a: number[] | null, b: number[] | null) => (a && b && b[1]! - a[1]! > 0 ? (b[0]! - a[0]!) / (b[1]! - a[1]!) : null);
  return {
    target,
    round,
    maxPerS: (okCount(max) / max.elapsedMs) * 1000,
    maxP50: percentile(maxLat, 50),
    maxP99: percentile(maxLat, 99),
    maxNon2xx: non2xx(max),
    rateAchieved: (okCount(fixed) / fixed.elapsedMs) * 1000,
    cutOff: fixed.cutOff,
    refusals: [...refusals].map(([st, e]) => `${st === 0 ? 'no answer' : `HTTP ${st}`} × ${e.count}${e.sample ? ` (${e.sample})` : ''}`).join('; '),
    p50: percentile(lat, 50),
    p90: percentile(lat, 90),
    p99: percentile(lat, 99),
    pmax: lat[lat.length - 1] ?? NaN,
    rateNon2xx: non2xx(fixed),
    genLagMs: fixed.maxScheduleLagMs,
    cpuPerSendMax: (cpu1 - cpu0) / okCount(max),
    cpuPerSendRate: (cpu3 - cpu2) / okCount(fixed),
    serverCoresMax: (cpu1 - cpu0) / max.elapsedMs,
    genCpuPerSend: (gen1.user + gen1.system) / 1000 / okCount(max),
    groupCommitMax: factor(gc0, gc1),
    groupCommitRate: factor(gc2, gc3),
    check,
  };
}

async function main() {
  const load0 = os.loadavg();
  console.log(`bench:send · ${DBS.join(' + ')} vs bare Fastify · ${ROUNDS} round(s) · ${CONNS} conns · ${CONVS} conversations · load avg ${load0.map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (shared, noisy)`);
  const pg = DBS.includes('postgres') ? await startPostgres() : null;
  const runs: RunFigures[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of ['bare', ...DBS] as Target[]) {
        const f = await oneRun(target, round, pg);
        runs.push(f);
        console.log(
          `round ${round} ${LABEL[target].padEnd(26)} max ${fmt(f.maxPerS, 0)}/s (p50 ${fmt(f.maxP50)} ms, p99 ${fmt(f.maxP99)} ms, non-2xx ${f.maxNon2xx}; server CPU ${fmt(f.cpuPerSendMax, 3)} ms/send, ${fmt(f.serverCoresMax, 2)} cores busy; generator ${fmt(f.genCpuPerSend, 3)} ms/send)` +
            ` | @${RATE}/s achieved ${fmt(f.rateAchieved, 0)}/s p50 ${fmt(f.p50, 2)} p90 ${fmt(f.p90, 2)} p99 ${fmt(f.p99, 2)} max ${fmt(f.pmax, 1)} ms non-2xx ${f.rateNon2xx} gen-lag ${fmt(f.genLagMs, 1)} ms` +
            (f.groupCommitMax !== null ? ` | group commit ${fmt(f.groupCommitMax, 1)} units/commit (max), ${fmt(f.groupCommitRate ?? NaN, 2)} (@${RATE}/s)` : '') +
            (f.cutOff ? ` | ${f.cutOff} unanswered at the cut-off` : '') +
            (f.refusals ? ` | refused: ${f.refusals}` : '') +
            (f.check ? ` | acked ${f.check.acked} stored ${f.check.stored} lost ${f.check.lost} extra ${f.check.extra} dupes ${f.check.dupes} gaps ${f.check.gaps}` : ''),
        );
      }
    }
  } finally {
    await pg?.stop();
  }

  const by = (t: Target) => runs.filter((r) => r.target === t);
  const med = (t: Target, k: keyof RunFigures) => median(by(t).map((r) => r[k] as number));
  const rows = (['bare', ...DBS] as Target[]).map((t) => {
    const gc = by(t).map((r) => r.groupCommitMax).filter((x): x is number => x !== null);
    const gcr = by(t).map((r) => r.groupCommitRate).filter((x): x is number => x !== null);
    return `| ${LABEL[t]} | ${fmt(med(t, 'maxPerS'), 0)} | ${fmt(med(t, 'maxP50'), 1)} / ${fmt(med(t, 'maxP99'), 1)} | ${fmt(med(t, 'cpuPerSendMax'), 3)} (${fmt(1000 / med(t, 'cpuPerSendMax'), 0)}/s per core) | ${fmt(med(t, 'serverCoresMax'), 2)} | ${fmt(med(t, 'p50'), 2)} | ${fmt(med(t, 'p99'), 2)} | ${fmt(med(t, 'pmax'), 1)} | ${by(t).reduce((n, r) => n + r.maxNon2xx + r.rateNon2xx, 0)} | ${gc.length ? `${fmt(median(gc), 1)} / ${fmt(median(gcr), 2)}` : '—'} |`;
  });
  const ratios = DBS.map((t) => {
    const thr = med(t, 'maxPerS') / med('bare', 'maxPerS');
    return `- ${LABEL[t]} vs bare Fastify: max throughput ×${fmt(thr, 2)}; server CPU per send ×${fmt(med(t, 'cpuPerSendMax') / med('bare', 'cpuPerSendMax'), 1)}; at ${RATE}/s p50 ×${fmt(med(t, 'p50') / med('bare', 'p50'), 1)}, p99 ×${fmt(med(t, 'p99') / med('bare', 'p99'), 1)}.`;
  });
  const bars = DBS.map((t) => {
    const p50 = med(t, 'p50');
    const p99 = med(t, 'p99');
    const thr = med(t, 'maxPerS');
    return `- ${LABEL[t]}: p50 ${fmt(p50, 2)} ms ${p50 <= 20 ? '≤' : '>'} 20 ms ${p50 <= 20 ? '✅' : '❌'}; p99 ${fmt(p99, 2)} ms ${p99 <= 100 ? '≤' : '>'} 100 ms ${p99 <= 100 ? '✅' : '❌'}; ${fmt(thr, 0)} durable sends/s ${thr >= 2000 ? '≥' : '<'} 2,000 ${thr >= 2000 ? '✅' : '❌'}.`;
  });
  const checks = runs
    .filter((r) => r.check)
    .map((r) => `| ${LABEL[r.target]} | ${r.round} | ${r.check!.acked} | ${r.check!.stored} | ${r.check!.lost} | ${r.check!.extra} | ${r.check!.dupes} | ${r.check!.gaps} |`);
  const perRun = runs.map(
    (r) => `| ${LABEL[r.target]} | ${r.round} | ${fmt(r.maxPerS, 0)} | ${fmt(r.cpuPerSendMax, 3)} | ${fmt(r.rateAchieved, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.cutOff} | ${fmt(r.genLagMs, 1)} | ${r.refusals || '—'} |`,
  );

  const md = `## send — durable sends over HTTP

Server code measured: ${codeVersion()}.

\`npm run bench:send\` · ${ROUNDS} round(s), each target started fresh per round (child process, \`LOG_LEVEL=warn\`); medians over rounds. Load generator: \`bench/lib/http-load.ts\` (keep-alive node:http) in the bench process, which shares the **2 cores** with the server under test and with other engineers' work (load average at start ${load0.map((x) => x.toFixed(1)).join(' / ')}): the figures are noisy and the load generator costs the server CPU, read the ratios.

- (a) max: closed loop, ${CONNS} connections, ${MAX_MS / 1000} s, ${CONVS} conversations, every clientMessageId unique; a 201 comes only after a durable commit (SQLite WAL \`synchronous=FULL\` with group commit; PostgreSQL \`fsync=on\`, \`synchronous_commit=on\`).
- (b) fixed rate: ${RATE} sends/s for ${RATE_MS / 1000} s, open loop, latency from the scheduled start (no coordinated omission); requests still unanswered ${GRACE_MS / 1000} s after the last start are cut off and enter the percentiles with their time so far (a lower bound).
- ${AGENTS} admin agents (no daily limit) share the ${CONVS} conversations, each sending to its own; every request carries its agent's session cookie (password + TOTP login).
- Server CPU per send: user + system CPU of the server's node process (from /proc) over (a), divided by the 201s — much less sensitive to the other tenants of the machine than wall-clock rates (though not immune: contention also slows each instruction); 1000 / it is roughly what one dedicated core could carry. "Cores busy" below 1 means the single-threaded server spent the rest waiting — for a CPU taken by other processes, or for fsync.${DBS.includes('postgres') ? ' On PostgreSQL it excludes the postgres backends\' own CPU.' : ''}
- Baseline: a bare Fastify process (\`bench/lib/bare-fastify.ts\`) answering the same route and JSON shape without auth, validation, database or push, measured the same two ways in the same run.

| target | (a) max sends/s | (a) p50 / p99 ms | (a) server CPU ms/send | (a) server cores busy | (b) p50 ms | (b) p99 ms | (b) max ms | refused or cut off | group commit, units/commit: (a) / (b) |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${ratios.join('\n')}

Bars (DESIGN 2.5):
${bars.join('\n')}

Per run:

| target | round | (a) sends/s | (a) server CPU ms/send | (b) answered/s | (b) p50 ms | (b) p99 ms | (b) cut off unanswered | generator lag max ms | refused (status × count, first body) |
|---|---|---|---|---|---|---|---|---|---|
${perRun.join('\n')}

${runs.some((r) => r.check && (r.check.lost || r.check.dupes || r.check.gaps)) ? '❌ **Losses, duplicates or gaps found**' : '✅ No losses, duplicates or gaps'} — every conversation read back from the API after the run (warm-up, (a) and (b) together). "Stored but not acknowledged" are requests the bench cut off while they were in flight (at most one per connection): they committed after the bench stopped waiting, which is allowed; an acknowledged message missing would count as lost.

| target | round | acknowledged (201) | stored | lost | stored but not acknowledged | duplicate clientMessageIds | seq gaps |
|---|---|---|---|---|---|---|---|
${checks.join('\n')}`;
  console.log(`\n${md}`);
  if (!args['no-write']) writeSection('send', md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
