/**
 * bench:send-moderation — what moderation and the quota check add to a send (issue 6: "bench/send
 * gains moderation: report the added p50/p99 against the same run without it").
 *
 * The server has no switch to turn moderation off, so this measures it two honest ways:
 *
 *   (a) in-process micro-benchmark of each step `sendAgentMessage` adds on top of the durable
 *       send, on a real Kefu built in this process (SQLite): the restriction read
 *       (`isRestricted`), `findExternalLinks` (basic tier), `orgFilter(...)` + `.scan`,
 *       `actionFor`, the typed-text hash, and inside a write transaction `consumeQuotaTx` and
 *       `enqueueJobTx` (the AI-review job); for level 3 `statementFor` and `appendAuditTx`.
 *       Median of `--micro-batches` batches of `--micro-n` calls; the DB steps are timed inside
 *       the transaction (their share of the group commit is not counted).
 *   (b) end-to-end HTTP send latency in one run, one open loop with the classes interleaved:
 *       - user (contact) sends, `POST /api/v1/customer/messages`: the same durable send with no
 *         moderation, no quota and no review job — the "without" of the same run;
 *       - admin agent, clean text: scan + quota (unlimited) + review job, no link check;
 *       - basic agent, clean text: + external-link check + quota with its daily limit;
 *       - admin agent, a level-3 word: + the official statement inserted + an audit event.
 *
 *   npm run bench:send-moderation -- [--rate 50] [--seconds 30] [--rounds 2] [--convs 20] [--micro-n 2000] [--micro-batches 7] [--no-write]
 */
import os from 'node:os';
import { sql } from 'kysely';
import { parseArgs } from 'node:util';
import { percentile, writeSection } from '../lib/report.ts';
import { closedLoop, openLoop, type LoadRequest } from '../lib/http-load.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Api, codeVersion, customerToken, fmt, median, newStore, parseBanner, procCpuMs, seedConversations, startKefu } from '../lib/kefu.ts';
import { createAgents } from '../lib/agents.ts';
import { makeKefu } from '../../apps/server/test/helpers/harness.ts';
import { orgFilter } from '../../apps/server/src/domain/moderation/lexicon.ts';
import { findExternalLinks } from '../../apps/server/src/domain/moderation/links.ts';
import { actionFor } from '../../apps/server/src/domain/moderation/decide.ts';
import { isRestricted } from '../../apps/server/src/domain/moderation/cases.ts';
import { statementFor } from '../../apps/server/src/domain/moderation/admin.ts';
import { enqueueJobTx } from '../../apps/server/src/domain/moderation/postreview.ts';
import { consumeQuotaTx, orgTimeZone } from '../../apps/server/src/domain/tiers/quota.ts';
import { allowedHosts, effectivePolicy } from '../../apps/server/src/domain/tiers/policy.ts';
import { appendAuditTx } from '../../apps/server/src/domain/audit/service.ts';
import { sha256 } from '../../apps/server/src/lib/crypto.ts';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '2' },
    convs: { type: 'string', default: '20' },
    'warm-s': { type: 'string', default: '3' },
    'grace-s': { type: 'string', default: '15' },
    'micro-n': { type: 'string', default: '2000' },
    'micro-batches': { type: 'string', default: '7' },
    'no-write': { type: 'boolean', default: false },
  },
});
const RATE = Number(args.rate);
const MEASURE_MS = Number(args.seconds) * 1000;
const ROUNDS = Number(args.rounds);
const CONVS = Number(args.convs);
const WARM_MS = Number(args['warm-s']) * 1000;
const GRACE_MS = Number(args['grace-s']) * 1000;
const MICRO_N = Number(args['micro-n']);
const MICRO_BATCHES = Number(args['micro-batches']);

const CLEAN = ['您好，您的订单已发货，请注意查收。', '好的，我这边帮您查询一下。', '收到，我这边帮您核实一下物流信息。', '抱歉让您久等了，问题已经反馈给仓库。'];
const LEVEL3 = ['如果您对处理结果不满意，可以投诉。', '您也可以通过平台举报，我们会配合核实。'];
const USER = ['你好，我的快递怎么还没到？', '请问什么时候发货？', '我想换个尺码可以吗？', '好的，谢谢。'];

// ---- (a) micro-benchmark ------------------------------------------------------------------------

interface Step { name: string; usPerCall: number; note: string }

async function micro(): Promise<Step[]> {
  const k = await makeKefu('sqlite');
  try {
    const ctx = k.ctx;
    const orgId = k.org.id;
    const basic = k.agents.basic.id;
    const texts = [...CLEAN, ...LEVEL3];
    const hosts = await allowedHosts(ctx, orgId);
    const tz = await orgTimeZone(ctx, orgId);
    const policy = await effectivePolicy(ctx, orgId, 'basic');
    const time = async (fn: (i: number) => unknown | Promise<unknown>, n = MICRO_N): Promise<number> => {
      const per: number[] = [];
      for (let b = 0; b < MICRO_BATCHES + 1; b++) {
        const t = performance.now();
        for (let i = 0; i < n; i++) await fn(i);
        if (b > 0) per.push(((performance.now() - t) * 1000) / n); // batch 0 warms up
      }
      return median(per);
    };
    /** Calls inside one write transaction, timed inside it (the commit is not counted). */
    const timeTx = async (fn: (trx: Parameters<Parameters<typeof ctx.database.write>[0]>[0], i: number) => Promise<unknown>): Promise<number> => {
      const per: number[] = [];
      for (let b = 0; b < MICRO_BATCHES + 1; b++) {
        const us = await ctx.database.write(async (trx) => {
          const t = performance.now();
          for (let i = 0; i < MICRO_N; i++) await fn(trx, i);
          return ((performance.now() - t) * 1000) / MICRO_N;
        });
        if (b > 0) per.push(us);
      }
      return median(per);
    };
    const filter = await orgFilter(ctx, orgId);
    const longTexts = new Map<number, string>();
    const long = (n: number) => {
      let t = longTexts.get(n);
      if (!t) {
        t = '';
        while (t.length < n) t += CLEAN.join('');
        longTexts.set(n, (t = t.slice(0, n)));
      }
      return t;
    };
    const scans = texts.map((t) => filter.scan(t));
    const steps: Step[] = [
      { name: 'reference: Kysely select 1 (not a step)', usPerCall: await time(() => sql`select 1`.execute(ctx.database.db)), note: 'the cost of any one query through Kysely + better-sqlite3' },
      { name: 'isRestricted (agent row read)', usPerCall: await time(() => isRestricted(ctx, basic)), note: 'every agent send' },
      { name: 'effectivePolicy (cached)', usPerCall: await time(() => effectivePolicy(ctx, orgId, 'basic')), note: 'every agent send' },
      { name: 'findExternalLinks', usPerCall: await time((i) => findExternalLinks(texts[i % texts.length]!, hosts)), note: `tiers without links (basic: ${policy.externalLinks ? 'allowed' : 'checked'})` },
      // Not incremental: draft.check runs it over the whole draft at every keystroke (basic tier).
      { name: 'findExternalLinks, 500-character text', usPerCall: await time(() => findExternalLinks(long(500), hosts), Math.ceil(MICRO_N / 10)), note: 'long drafts (draft.check: every keystroke)' },
      { name: 'findExternalLinks, 4,000-character text', usPerCall: await time(() => findExternalLinks(long(4000), hosts), Math.ceil(MICRO_N / 50)), note: 'the longest draft (draft.check: every keystroke)' },
      { name: '.scan(text), 4,000-character text', usPerCall: await time(() => filter.scan(long(4000)), Math.ceil(MICRO_N / 50)), note: 'for comparison with the line above' },
      { name: 'orgFilter(ctx, org) (cached)', usPerCall: await time(() => orgFilter(ctx, orgId)), note: 'every agent send' },
      { name: '.scan(text)', usPerCall: await time((i) => filter.scan(texts[i % texts.length]!)), note: 'every agent send' },
      { name: 'actionFor(scan) + hits', usPerCall: await time((i) => { const s = scans[i % scans.length]!; actionFor(s); return s.hits.map((h) => ({ word: h.word, level: h.level, category: h.category, start: h.start, end: h.end })); }), note: 'every agent send' },
      { name: 'sha256(text) (retry identity)', usPerCall: await time((i) => sha256(texts[i % texts.length]!)), note: 'every agent send' },
      { name: 'orgTimeZone (cached)', usPerCall: await time(() => orgTimeZone(ctx, orgId)), note: 'every agent send' },
      { name: 'consumeQuotaTx (upsert, in tx)', usPerCall: await timeTx((trx) => consumeQuotaTx(ctx, trx, basic, null, tz)), note: 'every agent send' },
      { name: 'enqueueJobTx (ai_review insert, in tx)', usPerCall: await timeTx((trx, i) => enqueueJobTx(ctx, trx, 'bench_noop', { messageId: `m${i}` })), note: 'every agent send' },
      { name: 'statementFor (statements read)', usPerCall: await time(() => statementFor(ctx, orgId, 'complaint')), note: 'level 3 only' },
      { name: 'appendAuditTx (hash-chained, in tx)', usPerCall: await timeTx((trx) => appendAuditTx(ctx, trx, orgId, { actor: `a:${basic}`, action: 'moderation.statement', subject: 'bench', data: { hits: [] } })), note: 'level 3 (and step-up, bypass) only' },
    ];
    // The bench's own noop jobs must not stay queued for the runner: mark them done.
    await ctx.database.write((trx) => trx.updateTable('jobs').set({ done_at: Date.now() }).where('kind', '=', 'bench_noop').execute());
    return steps;
  } finally {
    await k.close();
  }
}

// ---- (b) end to end -----------------------------------------------------------------------------

type Cls = 'user' | 'admin' | 'basic' | 'level3';
const CLASSES: Cls[] = ['user', 'admin', 'basic', 'level3'];
const LABEL: Record<Cls, string> = {
  user: 'user (contact) send — no moderation, quota or review job',
  admin: 'admin agent, clean — scan + quota + review job',
  basic: 'basic agent, clean — + link check, limited quota',
  level3: 'admin agent, level 3 — + statement inserted + audit event',
};

interface RoundFigures { round: number; lat: Record<Cls, number[]>; ok: Record<Cls, number>; refused: Record<Cls, Map<string, number>>; cutOff: number; cpuPerSend: number; achieved: number; lagMs: number }

async function endToEnd(round: number): Promise<RoundFigures> {
  const store = await newStore('sqlite');
  const server = await startKefu(store);
  try {
    const banner = parseBanner(server.output());
    const { api: admin } = await Api.login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    const tag = `sm${round}${Date.now().toString(36)}`;
    const total = Math.ceil((RATE * (MEASURE_MS + WARM_MS)) / 1000) + 50;
    // Basic agents have 200 sends a day: enough of them that none runs out.
    const basicAgents = Math.ceil(total / CLASSES.length / 180);
    const admins = await createAgents(admin, 2, { tier: 'admin', prefix: `${tag}ad`, parallel: 2 });
    const basics = await createAgents(admin, basicAgents, { tier: 'basic', prefix: `${tag}ba`, parallel: 4 });
    const targets: Record<Cls, Array<{ path: string; headers: Record<string, string> }>> = { user: [], admin: [], basic: [], level3: [] };
    const per = Math.max(1, Math.floor(CONVS / 2));
    for (const [i, a] of admins.entries()) {
      for (const c of await seedConversations(a.api, per, `${tag}a${i}`)) {
        (i === 0 ? targets.admin : targets.level3).push({ path: `/api/v1/conversations/${c.conversationId}/messages`, headers: { cookie: a.cookie } });
      }
    }
    for (const [i, a] of basics.entries()) {
      for (const c of await seedConversations(a.api, 1, `${tag}b${i}`)) targets.basic.push({ path: `/api/v1/conversations/${c.conversationId}/messages`, headers: { cookie: a.cookie } });
    }
    // Users write in the admin's conversations (each user's open conversation).
    for (const c of await seedConversations(admins[0]!.api, per, `${tag}u`)) {
      targets.user.push({ path: '/api/v1/customer/messages', headers: { authorization: `Bearer ${customerToken(banner, c.platformId)}` } });
    }
    let n = 0;
    const next = (): LoadRequest => {
      const i = n++;
      const cls = CLASSES[i % CLASSES.length]!;
      const t = targets[cls][Math.floor(i / CLASSES.length) % targets[cls].length]!;
      const pool = cls === 'user' ? USER : cls === 'level3' ? LEVEL3 : CLEAN;
      return { path: t.path, headers: t.headers, tag: cls, body: JSON.stringify({ clientMessageId: `${tag}-${i}`, text: `${pool[i % pool.length]}（${i}）` }) };
    };
    const fig: RoundFigures = {
      round, lat: { user: [], admin: [], basic: [], level3: [] }, ok: { user: 0, admin: 0, basic: 0, level3: 0 },
      refused: { user: new Map(), admin: new Map(), basic: new Map(), level3: new Map() }, cutOff: 0, cpuPerSend: NaN, achieved: NaN, lagMs: NaN,
    };
    let counting = false;
    const onDone = (r: LoadRequest, status: number, body: string, ms: number) => {
      if (!counting) return;
      const cls = r.tag as Cls;
      if (status === 201) {
        fig.ok[cls]++;
        fig.lat[cls].push(ms);
      } else {
        let code = `HTTP ${status}`;
        try {
          code = (JSON.parse(body) as { error: { code: string } }).error.code;
        } catch {
          /* not JSON */
        }
        fig.refused[cls].set(code, (fig.refused[cls].get(code) ?? 0) + 1);
      }
    };
    await closedLoop({ url: server.url, connections: 4, durationMs: WARM_MS, next, onDone });
    counting = true;
    const cpu0 = procCpuMs(server.proc.pid!);
    const res = await openLoop({ url: server.url, rate: RATE, durationMs: MEASURE_MS, maxSockets: 64, next, onDone, graceMs: GRACE_MS });
    const cpu1 = procCpuMs(server.proc.pid!);
    const okAll = CLASSES.reduce((s, c) => s + fig.ok[c], 0);
    fig.cutOff = res.cutOff;
    fig.cpuPerSend = (cpu1 - cpu0) / Math.max(1, okAll);
    fig.achieved = (okAll / res.elapsedMs) * 1000;
    fig.lagMs = res.maxScheduleLagMs;
    return fig;
  } finally {
    await server.stop();
    store.remove();
  }
}

async function main() {
  const load0 = os.loadavg();
  console.log(`bench:send-moderation · micro ${MICRO_BATCHES}×${MICRO_N} · e2e ${RATE}/s × ${MEASURE_MS / 1000} s × ${ROUNDS} round(s) · load avg ${load0.map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (shared, noisy)`);
  const steps = await micro();
  for (const s of steps) console.log(`  ${s.name.padEnd(42)} ${fmt(s.usPerCall, 2)} µs/call  (${s.note})`);
  const rounds: RoundFigures[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const f = await endToEnd(r);
    rounds.push(f);
    console.log(
      `round ${r}: ${fmt(f.achieved, 0)} sends/s answered, server CPU ${fmt(f.cpuPerSend, 3)} ms/send, cut off ${f.cutOff}, generator lag ${fmt(f.lagMs, 0)} ms | ` +
        CLASSES.map((c) => {
          const s = [...f.lat[c]].sort((a, b) => a - b);
          const ref = [...f.refused[c]].map(([k, v]) => `${k}×${v}`).join(',');
          return `${c} n=${s.length} p50 ${fmt(percentile(s, 50), 2)} p99 ${fmt(percentile(s, 99), 2)}${ref ? ` refused ${ref}` : ''}`;
        }).join(' | '),
    );
  }

  const pct = (f: RoundFigures, c: Cls, p: number) => percentile([...f.lat[c]].sort((a, b) => a - b), p);
  const med = (c: Cls, p: number) => median(rounds.map((f) => pct(f, c, p)));
  // Added latency of a class over the user send, per round, then the median over rounds.
  const added = (c: Cls, p: number) => median(rounds.map((f) => pct(f, c, p) - pct(f, 'user', p)));
  const every = steps.filter((s) => s.note === 'every agent send');
  const sumEvery = every.reduce((a, s) => a + s.usPerCall, 0);
  const sumBasic = sumEvery + steps.find((s) => s.name === 'findExternalLinks')!.usPerCall;
  const sumL3 = sumEvery + steps.filter((s) => s.note.startsWith('level 3')).reduce((a, s) => a + s.usPerCall, 0);
  const cpu = median(rounds.map((f) => f.cpuPerSend));
  const refusedAll = rounds.flatMap((f) => CLASSES.flatMap((c) => [...f.refused[c]].map(([k, v]) => `${c}: ${k} × ${v} (round ${f.round})`)));
  const rows = CLASSES.map((c) => `| ${LABEL[c]} | ${rounds.reduce((s, f) => s + f.ok[c], 0)} | ${fmt(med(c, 50), 2)} | ${fmt(med(c, 90), 2)} | ${fmt(med(c, 99), 2)} | ${c === 'user' ? '—' : `${added(c, 50) >= 0 ? '+' : ''}${fmt(added(c, 50), 2)} / ${added(c, 99) >= 0 ? '+' : ''}${fmt(added(c, 99), 2)}`} | ${c === 'user' ? '—' : `×${fmt(med(c, 50) / med('user', 50), 2)} / ×${fmt(med(c, 99) / med('user', 99), 2)}`} |`);
  const md = `## send-moderation — what moderation and the quota check add to a send

Server code measured: ${codeVersion()}.

\`npm run bench:send-moderation\`. The server has no switch to turn moderation off, so "with against without" is measured two ways. The machine has **2 cores** shared with other engineers' work (load average at start ${load0.map((x) => x.toFixed(1)).join(' / ')}): noisy, read medians and ratios.

**(a) The moderation steps in process** — each step \`sendAgentMessage\` adds to the durable send, called on a real Kefu built in the bench process (SQLite file, \`synchronous=FULL\`), median of ${MICRO_BATCHES} batches × ${MICRO_N} calls over ordinary and level-3 replies (the long-text rows: ${Math.ceil(MICRO_N / 10)} / ${Math.ceil(MICRO_N / 50)} calls per batch); DB steps are timed inside one write transaction (their share of the group commit is not counted):

| step | µs per call | when |
|---|---|---|
${steps.map((s) => `| \`${s.name}\` | ${fmt(s.usPerCall, 2)} | ${s.note} |`).join('\n')}

- Sum for every agent send: **${fmt(sumEvery, 0)} µs**; basic agent (+ link check): ${fmt(sumBasic, 0)} µs; level 3 (+ statement read + audit event): ${fmt(sumL3, 0)} µs. Against the server's whole CPU per send in (b), ${fmt(cpu, 3)} ms (a mix of the four classes), every-send moderation is ${fmt((sumEvery / 1000 / cpu) * 100, 0)} % of it.

**(b) End to end, same run** — Kefu on SQLite (child process, \`LOG_LEVEL=warn\`), HTTP sends, one open loop at ${RATE} sends/s for ${MEASURE_MS / 1000} s (after a ${WARM_MS / 1000}-s warm-up) with the four classes interleaved round-robin, latency from the scheduled start (\`bench/lib/http-load.ts\`); ${ROUNDS} round(s) with a fresh server each; medians over rounds. The rate is below the 500/s of \`bench:send\` on purpose: on this machine Kefu saturates well below 500/s (see the send section), and a saturated queue would hide the per-send difference. The user send is the same durable send (same tables, same group commit, same push) without moderation, quota or review job; it also skips the agent's session lookup and the clientMessageId pre-check read and authenticates with an HS256 token instead, so the difference is an upper bound on what moderation + quota + review job add.

| class | sends (all rounds) | p50 ms | p90 ms | p99 ms | added vs user send, p50 / p99 ms | ratio to user send, p50 / p99 |
|---|---|---|---|---|---|---|
${rows.join('\n')}

- Answered ${fmt(median(rounds.map((f) => f.achieved)), 0)} sends/s of ${RATE}/s offered; server CPU ${fmt(cpu, 3)} ms per send; ${rounds.reduce((s, f) => s + f.cutOff, 0)} cut off; generator lag max ${fmt(Math.max(...rounds.map((f) => f.lagMs)), 0)} ms.
- Refused: ${refusedAll.length ? refusedAll.join('; ') : 'none'}.`;
  console.log(`\n${md}`);
  if (!args['no-write']) writeSection('send-moderation', md);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
