/**
 * bench:review — the AI post-review under a send burst (DESIGN 1.4: every sent message screened
 * within 15 s at peak).
 *
 * Kefu on SQLite (child process). `--agents` admin-tier agents (no daily quota, links allowed)
 * share `--convs` conversations and send over HTTP, open loop, at `--rate` sends/s for
 * `--seconds` s (the burst), after a quiet phase at `--quiet-rate` sends/s for `--quiet-s` s (the
 * same-run baseline: the verdict time when nothing queues). Every `--trip-every`-th message trips
 * the reviewer (false promises, abuse, an invitation to an outside link); the others are ordinary
 * replies. Every agent message gets an `ai_review` job in its send's transaction; the server's
 * job runner polls every 200 ms.
 *
 * Time to verdict = the job's `done_at` (server clock, epoch ms) − the moment this process read
 * the send's 201 (same machine, same clock). The job queue depth (`ai_review` jobs with
 * `done_at IS NULL`) is sampled every second from the server's SQLite file, opened read-only
 * with better-sqlite3 beside the running server (WAL readers do not block it). After the burst
 * the bench waits up to `--drain-s` s for the queue to empty, then reads every job and every AI
 * review item: each acknowledged message must have a finished job, each tripping message an AI
 * review item of its type, no clean message one.
 *
 *   npm run bench:review -- [--rate 500] [--seconds 60] [--quiet-rate 20] [--quiet-s 10] [--agents 10] [--convs 100] [--trip-every 5] [--drain-s 180] [--no-write]
 */
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { percentile, writeSection } from '../lib/report.ts';
import { okCount, openLoop, type LoadRequest, type LoadResult } from '../lib/http-load.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Api, codeVersion, fmt, newStore, procCpuMs, seedConversations, startKefu } from '../lib/kefu.ts';
import { createAgents } from '../lib/agents.ts';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '60' },
    'quiet-rate': { type: 'string', default: '20' },
    'quiet-s': { type: 'string', default: '10' },
    agents: { type: 'string', default: '10' },
    convs: { type: 'string', default: '100' },
    'trip-every': { type: 'string', default: '5' },
    'grace-s': { type: 'string', default: '30' },
    'drain-s': { type: 'string', default: '180' },
    'no-write': { type: 'boolean', default: false },
  },
});
const RATE = Number(args.rate);
const BURST_MS = Number(args.seconds) * 1000;
const QUIET_RATE = Number(args['quiet-rate']);
const QUIET_MS = Number(args['quiet-s']) * 1000;
const AGENTS = Number(args.agents);
const CONVS = Number(args.convs);
const TRIP_EVERY = Number(args['trip-every']);
const GRACE_MS = Number(args['grace-s']) * 1000;
const DRAIN_MS = Number(args['drain-s']) * 1000;
const BAR_MS = 15_000;

type Kind = 'clean' | 'false_promise' | 'abuse' | 'external_link';
const CLEAN = ['您好，您的订单已发货，请注意查收。', '好的，我这边帮您查询一下。', '收到，我这边帮您核实一下物流信息。', '抱歉让您久等了，问题已经反馈给仓库。', '请您提供一下订单号，我帮您看看。'];
// Messages the send path lets through (no level-1/2 word) that the AI reviewer must flag.
const TRIPS: Array<{ kind: Kind; text: string }> = [
  { kind: 'false_promise', text: '百分之百没问题，明天一定到账' },
  { kind: 'abuse', text: '你是不是听不懂人话，说了好几遍了' },
  { kind: 'false_promise', text: '您放心，我们绝对没问题，马上到账' },
  { kind: 'external_link', text: '点击 www.haojia-quan.cn 领取专属优惠券' },
  { kind: 'abuse', text: '爱买不买，烦死了' },
];

interface Sent { t201: number; kind: Kind; phase: 'quiet' | 'burst' | 'drain' }

async function main() {
  const load0 = os.loadavg();
  console.log(`bench:review · burst ${RATE}/s × ${BURST_MS / 1000} s after ${QUIET_RATE}/s × ${QUIET_MS / 1000} s · ${AGENTS} admin agents · load avg ${load0.map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (shared, noisy)`);
  const store = await newStore('sqlite');
  const server = await startKefu(store);
  const dbFile = join(store.dataDir, 'kefu.sqlite');
  const tag = Date.now().toString(36);
  let ro: Database.Database | null = null;
  try {
    const { api: admin } = await Api.login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    const agents = await createAgents(admin, AGENTS, { tier: 'admin', prefix: `rev${tag}-`, parallel: 4 });
    const convs: Array<{ id: string; cookie: string }> = [];
    for (let k = 0; k < AGENTS; k++) {
      const mine = Math.floor(CONVS / AGENTS) + (k < CONVS % AGENTS ? 1 : 0);
      for (const c of await seedConversations(agents[k]!.api, mine, `${tag}a${k}`)) convs.push({ id: c.conversationId, cookie: agents[k]!.cookie });
    }
    ro = new Database(dbFile, { readonly: true, fileMustExist: true });
    const depthStmt = ro.prepare("SELECT count(*) AS n FROM jobs WHERE kind = 'ai_review' AND done_at IS NULL");
    const depth = () => Number((depthStmt.get() as { n: number }).n);
    const totalStmt = ro.prepare("SELECT count(*) AS n FROM jobs WHERE kind = 'ai_review'");
    const total = () => Number((totalStmt.get() as { n: number }).n);

    const sent = new Map<string, Sent>(); // message id → when its 201 was read
    const kindOf = new Map<string, Kind>(); // clientMessageId → kind
    let phase: Sent['phase'] = 'quiet';
    let n = 0;
    const next = (): LoadRequest => {
      const i = n++;
      const cmid = `${tag}-${i}`;
      const conv = convs[i % convs.length]!;
      const trip = i % TRIP_EVERY === TRIP_EVERY - 1 ? TRIPS[Math.floor(i / TRIP_EVERY) % TRIPS.length]! : null;
      kindOf.set(cmid, trip?.kind ?? 'clean');
      return {
        path: `/api/v1/conversations/${conv.id}/messages`,
        body: JSON.stringify({ clientMessageId: cmid, text: `${trip ? trip.text : CLEAN[i % CLEAN.length]}（${i}）` }),
        tag: cmid,
        headers: { cookie: conv.cookie },
      };
    };
    const refusals = new Map<number, { count: number; sample: string }>();
    const onDone = (r: LoadRequest, status: number, body: string) => {
      if (status === 201) sent.set((JSON.parse(body) as { message: { id: string } }).message.id, { t201: Date.now(), kind: kindOf.get(r.tag!)!, phase });
      else {
        const e = refusals.get(status) ?? { count: 0, sample: body.slice(0, 160) };
        e.count++;
        refusals.set(status, e);
      }
    };

    // Queue depth every second, from the start of the quiet phase until the queue is empty.
    const samples: Array<{ t: number; depth: number; jobs: number; acked: number; phase: string }> = [];
    const t0 = Date.now();
    const sampler = setInterval(() => samples.push({ t: (Date.now() - t0) / 1000, depth: depth(), jobs: total(), acked: sent.size, phase }), 1000);

    const quiet = await openLoop({ url: server.url, rate: QUIET_RATE, durationMs: QUIET_MS, maxSockets: 64, next, onDone, graceMs: GRACE_MS });
    await new Promise((r) => setTimeout(r, 2000)); // the quiet phase's last jobs finish before the burst
    phase = 'burst';
    const burstStart = (Date.now() - t0) / 1000;
    const cpu0 = procCpuMs(server.proc.pid!);
    let lastAnswer = 0;
    const burst: LoadResult = await openLoop({ url: server.url, rate: RATE, durationMs: BURST_MS, maxSockets: 64, next, onDone: (r, st, body) => { lastAnswer = Date.now(); onDone(r, st, body); }, graceMs: GRACE_MS });
    const lastAnswerAt = (lastAnswer - t0) / 1000;
    const burstEnd = (Date.now() - t0) / 1000;
    phase = 'drain';
    const drain0 = Date.now();
    while (depth() > 0 && Date.now() - drain0 < DRAIN_MS) await new Promise((r) => setTimeout(r, 250));
    const drainedAt = (Date.now() - t0) / 1000;
    const leftOver = depth();
    const cpu1 = procCpuMs(server.proc.pid!);
    clearInterval(sampler);

    // Every job and every AI review item, read back after the run.
    const jobs = new Map<string, { doneAt: number | null; createdAt: number; attempts: number }>();
    for (const j of ro.prepare("SELECT payload_json, done_at, created_at, attempts FROM jobs WHERE kind = 'ai_review'").all() as Array<{ payload_json: string; done_at: number | null; created_at: number; attempts: number }>) {
      jobs.set((JSON.parse(j.payload_json) as { messageId: string }).messageId, { doneAt: j.done_at === null ? null : Number(j.done_at), createdAt: Number(j.created_at), attempts: Number(j.attempts) });
    }
    const flagged = new Map<string, string>();
    for (const r of ro.prepare("SELECT message_id, suspected_type FROM post_reviews WHERE source = 'ai'").all() as Array<{ message_id: string; suspected_type: string }>) flagged.set(r.message_id, r.suspected_type);
    const storedMessages = Number((ro.prepare("SELECT count(*) AS n FROM messages WHERE sender_type = 'agent'").get() as { n: number }).n);
    const endNow = Date.now();

    const stats = (ph: Sent['phase']) => {
      const lat: number[] = [];
      const serverSide: number[] = [];
      let unscreened = 0;
      let noJob = 0;
      let trips = 0;
      let caught = 0;
      let wrongType = 0;
      let falsePos = 0;
      for (const [id, s] of sent) {
        if (s.phase !== ph) continue;
        const j = jobs.get(id);
        if (!j) noJob++;
        if (!j || j.doneAt === null) {
          unscreened++;
          lat.push(endNow - s.t201); // a lower bound: not screened by the end of the wait
        } else {
          lat.push(j.doneAt - s.t201);
          serverSide.push(j.doneAt - j.createdAt);
        }
        const f = flagged.get(id);
        if (s.kind === 'clean') {
          if (f) falsePos++;
        } else {
          trips++;
          if (f === s.kind) caught++;
          else if (f) wrongType++;
        }
      }
      lat.sort((a, b) => a - b);
      serverSide.sort((a, b) => a - b);
      return { n: lat.length, lat, serverSide, unscreened, noJob, trips, caught, wrongType, falsePos };
    };
    const q = stats('quiet');
    const b = stats('burst');
    const sendLat = [...burst.latencies].sort((x, y) => x - y);
    const quietSendLat = [...quiet.latencies].sort((x, y) => x - y);
    const maxDepth = samples.reduce((m, s) => Math.max(m, s.depth), 0);
    const refusalText = [...refusals].map(([st, e]) => `${st === 0 ? 'no answer / cut off' : `HTTP ${st}`} × ${e.count}${e.sample ? ` (${e.sample})` : ''}`).join('; ');
    const line = (label: string, s: ReturnType<typeof stats>) =>
      `| ${label} | ${s.n} | ${fmt(percentile(s.lat, 50), 0)} | ${fmt(percentile(s.lat, 90), 0)} | ${fmt(percentile(s.lat, 99), 0)} | ${fmt(s.lat[s.lat.length - 1] ?? NaN, 0)} | ${fmt(percentile(s.serverSide, 50), 0)} / ${fmt(percentile(s.serverSide, 99), 0)} | ${s.unscreened} | ${s.caught} / ${s.trips} | ${s.wrongType} | ${s.falsePos} |`;
    // Depth over time, one row per second during the burst and the drain (every 5 s beyond 60 rows).
    const shown = samples.filter((s) => s.t >= burstStart - 1);
    const step = shown.length > 60 ? 5 : 1;
    const depthRows = shown.filter((_, i) => i % step === 0 || i === shown.length - 1).map((s) => `| ${fmt(s.t - burstStart, 0)} | ${s.phase} | ${s.depth} | ${s.acked} |`);
    const spark = (() => {
      const blocks = '▁▂▃▄▅▆▇█';
      return shown.map((s) => (maxDepth ? blocks[Math.min(7, Math.floor((s.depth / maxDepth) * 7.999))] : blocks[0])).join('');
    })();
    const bp99 = percentile(b.lat, 99);
    // Jobs finished per second (= jobs written − jobs not done), while sends were answered and after.
    const at = (t: number) => samples.reduce((best, x) => (Math.abs(x.t - t) < Math.abs(best.t - t) ? x : best), samples[0]!);
    const screened = (x: { jobs: number; depth: number }) => x.jobs - x.depth;
    const sA = at(burstStart);
    const sB = at(lastAnswerAt);
    const sC = samples[samples.length - 1]!;
    const rateDuring = (screened(sB) - screened(sA)) / Math.max(1e-9, sB.t - sA.t);
    const writtenDuring = (sB.jobs - sA.jobs) / Math.max(1e-9, sB.t - sA.t);
    const rateAfter = sC.t > sB.t ? (screened(sC) - screened(sB)) / (sC.t - sB.t) : NaN;
    const burstAcked = okCount(burst);
    const md = `## review — AI post-review under a send burst

Server code measured: ${codeVersion()}.

\`npm run bench:review${BURST_MS === 60_000 && RATE === 500 ? '' : ` -- --rate ${RATE} --seconds ${BURST_MS / 1000}`}\` · **ran: ${RATE} sends/s offered for ${BURST_MS / 1000} s** (the issue's burst is 500/s for 60 s), after a quiet phase of ${QUIET_RATE} sends/s for ${QUIET_MS / 1000} s (same-run baseline). Kefu on SQLite, a child process (\`LOG_LEVEL=warn\`); ${AGENTS} admin-tier agents (no daily quota) share ${CONVS} conversations; HTTP sends, open loop (\`bench/lib/http-load.ts\`, 64 keep-alive sockets, latency from the scheduled start), requests unanswered ${GRACE_MS / 1000} s after the last start cut off. Every ${TRIP_EVERY}th message trips the reviewer (false promises such as "百分之百没问题，明天一定到账", abuse, an invitation to an outside link); the rest are ordinary replies. The load generator, the server and other engineers' work share **2 cores** (load average at start ${load0.map((x) => x.toFixed(1)).join(' / ')}): the figures are noisy.

Time to verdict = the \`ai_review\` job's \`done_at\` − when this process read the send's 201 (same clock); "server side" = \`done_at\` − the job's \`created_at\` (written in the send's transaction). Messages not screened when the wait ended enter the percentiles with their time so far (a lower bound).

| phase | acknowledged sends | verdict p50 ms | p90 ms | p99 ms | max ms | server side p50 / p99 ms | not screened | tripping caught (right type) | wrong type | clean flagged |
|---|---|---|---|---|---|---|---|---|---|---|
${line(`quiet, ${QUIET_RATE}/s (baseline)`, q)}
${line(`burst, ${RATE}/s offered`, b)}

- Bar (DESIGN 1.4, every message screened within 15 s at peak): burst p99 ${fmt(bp99, 0)} ms ${bp99 <= BAR_MS ? '≤ 15 s ✅' : '> 15 s ❌'}${b.unscreened ? ` (${b.unscreened} not screened within the ${DRAIN_MS / 1000}-s wait)` : ''}; the quiet-phase p99 in the same run: ${fmt(percentile(q.lat, 99), 0)} ms (the runner polls every 200 ms).
- Sends during the burst: ${burstAcked} acknowledged of ${Math.round((RATE * BURST_MS) / 1000)} offered (${fmt((burstAcked / burst.elapsedMs) * 1000, 0)}/s over the ${fmt(burst.elapsedMs / 1000, 0)} s from the first send to the last answer); send latency p50 ${fmt(percentile(sendLat, 50), 0)} ms, p99 ${fmt(percentile(sendLat, 99), 0)} ms (quiet phase: p50 ${fmt(percentile(quietSendLat, 50), 1)} ms, p99 ${fmt(percentile(quietSendLat, 99), 1)} ms); ${burst.cutOff} cut off; generator lag max ${fmt(burst.maxScheduleLagMs, 0)} ms.${refusalText ? ` Refused or unanswered: ${refusalText}.` : ''}
- Server CPU over the burst and the drain: ${fmt(cpu1 - cpu0, 0)} ms for ${burstAcked} acknowledged sends and their reviews (${fmt((cpu1 - cpu0) / Math.max(1, burstAcked), 2)} ms per message, send + screening).
- Screening rate (jobs finished per second, from the samples): ${fmt(rateDuring, 0)}/s while sends were being answered (0 to ${fmt(lastAnswerAt - burstStart, 0)} s, with ${fmt(writtenDuring, 0)} jobs/s written by the sends), ${Number.isFinite(rateAfter) ? `${fmt(rateAfter, 0)}/s after the last send was answered: the job runner is ${rateAfter > rateDuring * 1.5 ? 'starved by the sends while they last, and fast once they stop' : 'not much faster once the sends stop'}` : 'and the queue was empty by the next sample after the last answer'}.
- Queue depth (\`ai_review\` jobs not done): max ${maxDepth}; sends were offered from 0 to ${fmt(BURST_MS / 1000, 0)} s and answered until ${fmt(lastAnswerAt - burstStart, 0)} s (the load generator stopped waiting at ${fmt(burstEnd - burstStart, 0)} s); the queue was ${leftOver === 0 ? `empty at ${fmt(drainedAt - burstStart, 0)} s, ${fmt(drainedAt - lastAnswerAt, 0)} s after the last send was answered` : `still ${leftOver} deep when the ${DRAIN_MS / 1000}-s wait ended`}. Messages stored by agents: ${storedMessages}; jobs: ${jobs.size}; acknowledged messages without a job: ${q.noJob + b.noJob}.

Queue depth, one character per second from the burst's start: \`${spark}\` (▁ 0 … █ ${maxDepth})

<details><summary>Queue depth over time</summary>

| s since burst start | phase | jobs not done | sends acknowledged so far |
|---|---|---|---|
${depthRows.join('\n')}

</details>`;
    console.log(`\n${md}`);
    if (!args['no-write']) writeSection('review', md);
  } finally {
    ro?.close();
    await server.stop();
    store.remove();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
