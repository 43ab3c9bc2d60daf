/**
 * `npm run bench:assist` — latency, load time, memory and training time of the assistant engine,
 * with same-run baselines. Writes the `assist` section of BENCHMARKS.md. Synthetic traffic only
 * (bench/assist/synth.ts). Options: `--history N` (predictive-input history, default 1,000,000),
 * `--quick` (smaller sizes, for a smoke run; does not write BENCHMARKS.md).
 */
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { percentile, writeSection } from '../lib/report.ts';
import { type EmotionLabel, INTENTS, loadAssistant } from '../../packages/assist/src/index.ts';
import { agentMessage, conversation, labelledUserMessage, rng } from './synth.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const quick = process.argv.includes('--quick');
const HISTORY = arg('--history', quick ? 100_000 : 1_000_000);
const N_TRAIN = quick ? 20_000 : 100_000;
const r = rng(42);

function heapMB(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1]! };
}
const ROUNDS = 5;
/** Time one call: wall clock and this process's CPU time (which excludes time spent descheduled). */
function clock<T>(fn: () => T, wall: number[], cpu: number[]): T {
  const c = process.cpuUsage();
  const s = performance.now();
  const out = fn();
  wall.push(performance.now() - s);
  const d = process.cpuUsage(c);
  cpu.push((d.user + d.system) / 1000);
  return out;
}
type Sample = { wall: number[]; cpu: number[] };
/**
 * The machine is shared and noisy: measure in ROUNDS rounds and quote the median round's p50
 * and p99 (wall and CPU time), plus the worst round's wall p99.
 */
function rounds(measure: () => Sample) {
  const per = Array.from({ length: ROUNDS }, () => {
    const m = measure();
    return { w: stats(m.wall), c: stats(m.cpu) };
  });
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    p50: med(per.map((x) => x.w.p50)),
    p99: med(per.map((x) => x.w.p99)),
    worst: Math.max(...per.map((x) => x.w.p99)),
    cpu50: med(per.map((x) => x.c.p50)),
    cpu99: med(per.map((x) => x.c.p99)),
  };
}
/** Result cell and verdict for a latency bar: wall time decides; CPU time shown beside it. */
function verdict(st: ReturnType<typeof rounds>, bar: number): [string, boolean | null, string] {
  const cell = `wall p50 ${ms(st.p50)} ms, p99 ${ms(st.p99)} ms (worst round ${ms(st.worst)}); CPU p50 ${ms(st.cpu50)} ms, p99 ${ms(st.cpu99)} ms`;
  if (st.p99 <= bar) return [cell, true, ''];
  if (st.cpu99 <= bar) return [cell, false, `wall p99 over the bar while the machine was oversubscribed (load average ${loadavg()[0]!.toFixed(1)} on 2 cores); CPU-time p99 meets it. `];
  return [cell, false, ''];
}
const ms = (x: number) => (x < 0.1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(0));
const n = (x: number) => x.toLocaleString('en');
const rows: string[] = [];
const row = (what: string, result: string, bar: string, ok: boolean | null, note = '') => {
  rows.push(`| ${what} | ${result} | ${bar} | ${ok === null ? '—' : ok ? '✓' : '✗'} | ${note} |`);
  console.log(`${what}: ${result} (${bar}) ${ok === null ? '' : ok ? 'ok' : 'MISSED'} ${note}`);
};

// --- Training: N labelled messages per head ---------------------------------------------------
const labelled = Array.from({ length: N_TRAIN }, () => labelledUserMessage(r));
const org = loadAssistant();
let t = performance.now();
org.learn({ emotions: labelled.map((x) => ({ text: x.text, label: x.emotion as EmotionLabel })) });
const emoTrain = (performance.now() - t) / 1000;
t = performance.now();
org.learn({ intents: labelled.map((x) => ({ turns: x.text, label: x.intent })) });
const intTrain = (performance.now() - t) / 1000;
row(`train emotion head, ${n(N_TRAIN)} messages`, `${emoTrain.toFixed(1)} s`, '< 60 s for 100k, one core', emoTrain < 60, '4 epochs');
row(`train intent head, ${n(N_TRAIN)} messages`, `${intTrain.toFixed(1)} s`, '< 60 s for 100k, one core', intTrain < 60, '4 epochs');
// The shipped intent model also has a whole-conversation naive Bayes part, trained on labelled
// conversations (not plain strings): give it some, so the per-message figures below include it.
org.learn({ intents: Array.from({ length: 2000 }, () => ({ turns: conversation(r, 20), label: labelled[Math.floor(r() * labelled.length)]!.intent })) });
labelled.length = 0;

// --- Predictive-input history ------------------------------------------------------------------
const start = Date.UTC(2026, 0, 1);
const sample: string[] = [];
const learnLat: number[] = [];
t = performance.now();
for (let i = 0; i < HISTORY; i++) {
  const text = agentMessage(r);
  const s = performance.now();
  org.learn({ sent: [{ text, intent: INTENTS[i % INTENTS.length], at: start + i * 1000 }] });
  learnLat.push(performance.now() - s);
  if (i % 499 === 0) sample.push(text);
}
const learnSecs = (performance.now() - t) / 1000;
const ls = stats(learnLat);
learnLat.length = 0;
row(`learn ${n(HISTORY)} sent messages, one at a time`, `${Math.round(HISTORY / learnSecs).toLocaleString('en')}/s; p99 ${ms(ls.p99)} ms, max ${ms(ls.max)} ms`, '—', null, `${n(org.suggestions)} unique entries kept (cap 100,000, most used first)`);

// --- The organisation model: save, load, memory -------------------------------------------------
const modelJson = JSON.stringify(org.save());
const loads: number[] = [];
const loadCpu: number[] = [];
const parses: number[] = [];
for (let i = 0; i < 7; i++) {
  const s = performance.now();
  JSON.parse(modelJson);
  parses.push(performance.now() - s);
  clock(() => loadAssistant(modelJson), loads, loadCpu);
}
const load = stats(loads);
const parse = stats(parses);
row(
  'load the organisation model (emotion + intent + predictive index)',
  `median wall ${ms(load.p50)} ms, CPU ${ms(stats(loadCpu).p50)} ms`,
  '≤ 200 ms',
  load.p50 <= 200,
  `${load.p50 > 200 && stats(loadCpu).p50 <= 200 ? `wall over the bar with load average ${loadavg()[0]!.toFixed(1)} on 2 cores; ` : ''}file ${(modelJson.length / 2 ** 20).toFixed(1)} MB; bare JSON.parse of the same file ${ms(parse.p50)} ms (load = ${(load.p50 / parse.p50).toFixed(1)}× parse); 7 loads`,
);
let before = heapMB();
let kept: unknown = loadAssistant(modelJson);
const modelMem = heapMB() - before;
kept = null;
void kept;
row('memory per organisation model (loaded)', `${modelMem.toFixed(1)} MB`, '≤ 50 MB', modelMem <= 50, 'heap + array buffers after GC, before vs after load');
const a = loadAssistant(modelJson);
const cold = loadAssistant();

// --- Emotion + intent per message ---------------------------------------------------------------
function perMessage(label: string, as: ReturnType<typeof loadAssistant>) {
  let count = 0;
  let base: number[] = [];
  const st = rounds(() => {
    const m: Sample = { wall: [], cpu: [] };
    base = [];
    for (let rep = 0; rep < (quick ? 10 : 40); rep++) {
      const conv = conversation(r, 40);
      for (let i = 0; i < conv.length; i += 2) {
        const turns = conv.slice(0, i + 1);
        const text = conv[i]!.text;
        clock(() => (as.emotion(text), as.intent(turns)), m.wall, m.cpu);
        // Baseline: JSON round trip of the turns — roughly the cost of handing them to a worker.
        const s = performance.now();
        JSON.parse(JSON.stringify(turns));
        base.push(performance.now() - s);
      }
    }
    count += m.wall.length;
    return m;
  });
  const b = stats(base);
  const [cell, ok, why] = verdict(st, 2);
  row(`emotion + intent per message, ${label}`, cell, 'p99 ≤ 2 ms', ok, `${why}${n(count)} user turns in growing conversations, ${ROUNDS} rounds; baseline JSON round trip of the turns p50 ${ms(b.p50)} ms`);
}
perMessage('cold start', cold);
perMessage('trained', a);

// --- Incident report, 50 turns -----------------------------------------------------------------
for (const [label, as] of [['cold start', cold], ['trained', a]] as const) {
  let count = 0;
  const st = rounds(() => {
    const m: Sample = { wall: [], cpu: [] };
    for (let i = 0; i < (quick ? 20 : 100); i++) {
      const conv = conversation(r, 50);
      clock(() => as.report(conv), m.wall, m.cpu);
    }
    count += m.wall.length;
    return m;
  });
  const [cell, ok, why] = verdict(st, 50);
  row(`report, 50-turn conversation, ${label}`, cell, '≤ 50 ms', ok, `${why}${n(count)} conversations, ${ROUNDS} rounds`);
}

// --- Predictive completion ------------------------------------------------------------------------
const prefixes: string[] = [];
for (let i = 0; i < 5000; i++) {
  const m = sample[i % sample.length]!;
  const cut = 1 + Math.floor(r() * Math.min(14, m.length));
  prefixes.push(i % 5 === 0 ? `好的。${m.slice(0, cut)}` : m.slice(0, cut));
}
let round = 0;
const st = rounds(() => {
  const m: Sample = { wall: [], cpu: [] };
  // Each round its own thousand drafts, so every round meets some cold prefix caches.
  for (const p of prefixes.slice(round * 1000, ++round * 1000)) clock(() => a.suggest(p, { intent: 'refund' }), m.wall, m.cpu);
  return m;
});
// Baseline: a linear scan of raw history for the same prefixes, as a naive implementation would,
// on a 100k-message slice so it finishes.
const raw = Array.from({ length: 100_000 }, () => agentMessage(r));
const baseLat: number[] = [];
for (const p of prefixes.slice(0, 200)) {
  const s = performance.now();
  const hits = raw.filter((m) => m.startsWith(p));
  hits.sort((x, y) => x.length - y.length);
  baseLat.push(performance.now() - s);
}
const bs = stats(baseLat);
const [cell, ok, why] = verdict(st, 5);
row(`predictive completion, model with ${n(HISTORY)} messages of history`, cell, 'p99 ≤ 5 ms', ok, `${why}${n(prefixes.length)} drafts in ${ROUNDS} rounds (1–14 characters, a fifth after a finished sentence), cold caches; naive linear scan of just 100k messages: p50 ${ms(bs.p50)} ms (${(bs.p50 / st.p50).toFixed(0)}×)`);

const md = [
  '## AI assistant engine (`packages/assist`)',
  '',
  '`npm run bench:assist` — synthetic service traffic (`bench/assist/synth.ts`, written for Kefu; training messages carry a tail',
  'of random characters so the trained weight tables are as dense as on real data). Trained heads: hashed character',
  '1–3-gram logistic regression (2^18 buckets) with cue features. Latencies are single-threaded and in-process, measured in',
  `${ROUNDS} rounds; the median round is quoted, wall clock and CPU time (the machine is shared: 2 cores, other engineers' jobs`,
  `running; load average at the end of this run ${loadavg()[0]!.toFixed(1)}). A bar counts as met only on wall-clock time.`,
  '',
  '| what | result | bar | ok | notes |',
  '|---|---|---|---|---|',
  ...rows,
].join('\n');
if (quick) console.log('\n(--quick: BENCHMARKS.md not written)');
else writeSection('assist', md);
