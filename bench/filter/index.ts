/**
 * bench:filter — Kefu's sensitive-word engine against @monyone/aho-corasick (plain and its
 * double-array "fast" build), fastscan and mint-filter, all in the same run, on the public
 * lexicons and corpora under ../shared/data (never committed). Writes the `filter` section of
 * BENCHMARKS.md.
 *
 * Throughput is UTF-16 bytes scanned per CPU-second of this process (process.cpuUsage), median
 * of several runs with the engines interleaved: the machine is shared, and CPU time is far less
 * disturbed by other tenants than wall time. Latencies (per message, per keystroke) are wall
 * clock, as a user would feel them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { percentile, sharedDataDir, writeSection } from '../lib/report.ts';
import {
  buildFilter,
  defaultAllowList,
  defaultLexicon,
  loadFilter,
  type Filter,
  type LexiconEntry,
} from '../../packages/filter/src/index.ts';
import { CATEGORY_KIND, EVASION_CASES, type EvasionCase } from '../../packages/filter/test/evasion-cases.ts';
import { HELDOUT_CASES } from '../../packages/filter/test/evasion-heldout.ts';
import { loadData } from './data.ts';
import { PEERS, kefu, type Engine, type Lib } from './peers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const REPS = quick ? 3 : 7;
const dataDir = sharedDataDir();
const data = loadData(dataDir);
const log = (...a: unknown[]) => console.error('[bench:filter]', ...a);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const cpu = (fn: () => void): number => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
const f1 = (x: number) => x.toFixed(1);
const f0 = (x: number) => x.toFixed(0);
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const toEntries = (words: string[]): LexiconEntry[] => words.map((word) => ({ word, level: 1, category: 'x' }));

const corpus = data.shopping.join('\n');
const corpusMB = (corpus.length * 2) / 1e6;
log(`corpus ${corpus.length} chars, houbb ${data.houbb.length} words, toolgood ${data.toolgood.length} words`);

// ── 1. throughput on the same text, engines interleaved ──────────────────────────────────
function throughput(libs: Lib[], words: string[]) {
  const engines: Array<{ lib: Lib; e: Engine; buildMs: number[]; buildCpuMs: number[]; mbps: number[]; hits: number }> = [];
  for (const lib of libs) {
    const buildMs: number[] = [];
    const buildCpuMs: number[] = [];
    let e!: Engine;
    for (let r = 0; r < (quick ? 2 : 4); r++) {
      const t = performance.now();
      const sec = cpu(() => {
        e = lib.build(words);
      });
      buildMs.push(performance.now() - t);
      buildCpuMs.push(sec * 1000);
    }
    engines.push({ lib, e, buildMs, buildCpuMs, mbps: [], hits: e.count(corpus) });
    log('built', lib.name, f0(median(buildMs)), 'ms wall', f0(median(buildCpuMs)), 'ms cpu');
  }
  for (let r = 0; r < REPS; r++) {
    for (const x of r % 2 ? [...engines].reverse() : engines) {
      const sec = cpu(() => x.e.count(corpus));
      x.mbps.push(corpusMB / sec);
    }
  }
  return engines.map((x) => ({
    name: x.lib.name,
    buildMs: median(x.buildMs),
    buildCpuMs: median(x.buildCpuMs),
    mbps: median(x.mbps),
    hits: x.hits,
  }));
}

const houbbLibs = [kefu('kefu exact', { exact: true }), kefu('kefu normalised', { pinyin: false, homophones: false }), kefu('kefu full (normalised + sound)', {}), ...PEERS];
log('throughput, houbb 65k');
const tHoubb = throughput(houbbLibs, data.houbb);
log('throughput, toolgood 5k');
const tTool = throughput([kefu('kefu exact', { exact: true }), kefu('kefu full (normalised + sound)', {}), ...PEERS], data.toolgood);

// ── 2. per-message latency (200-character messages) ──────────────────────────────────────
function messages(n: number, len: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n && i + len <= corpus.length; i += len) out.push(corpus.slice(i, i + len));
  return out;
}
const msgs = messages(quick ? 3000 : 15000, 200);
function perMessage(f: Filter) {
  for (let i = 0; i < 2000; i++) f.scan(msgs[i % msgs.length]!); // warm up
  const us: number[] = [];
  for (const m of msgs) {
    const t = performance.now();
    f.scan(m);
    us.push((performance.now() - t) * 1000);
  }
  us.sort((a, b) => a - b);
  return { p50: percentile(us, 50), p99: percentile(us, 99) };
}

// ── 3. incremental check per keystroke ───────────────────────────────────────────────────
function perKeystroke(f: Filter) {
  const drafts = data.shopping.filter((t) => t.length >= 20 && t.length <= 200).slice(0, quick ? 100 : 400);
  const us: number[] = [];
  const rescanned: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    for (const d of drafts) {
      let st = f.begin('');
      for (let i = 0; i < d.length; i++) {
        const t = performance.now();
        st = f.edit(st, { start: i, deleteCount: 0, insert: d[i]! });
        const dt = (performance.now() - t) * 1000;
        if (pass === 1) {
          us.push(dt);
          rescanned.push(st.rescanned);
        }
      }
      // a correction in the middle, as agents do
      const mid = d.length >> 1;
      const t = performance.now();
      st = f.edit(st, { start: mid, deleteCount: 1, insert: '' });
      if (pass === 1) us.push((performance.now() - t) * 1000);
    }
  }
  us.sort((a, b) => a - b);
  return { p50: percentile(us, 50), p99: percentile(us, 99), rescanned: median(rescanned), n: us.length };
}

log('latency');
const fExact = buildFilter(toEntries(data.houbb), { exact: true });
const fNorm = buildFilter(toEntries(data.houbb), { pinyin: false, homophones: false });
const fFull = buildFilter(toEntries(data.houbb), {});
const fDefault = buildFilter(defaultLexicon(), { allow: defaultAllowList() });
const lat = {
  exact: perMessage(fExact),
  norm: perMessage(fNorm),
  full: perMessage(fFull),
  def: perMessage(fDefault),
};
log('keystrokes');
const keys = { def: perKeystroke(fDefault), full: perKeystroke(fFull) };

// ── 4. serialisation ─────────────────────────────────────────────────────────────────────
function loadTimes(f: Filter) {
  const bytes = f.serialize();
  const ms: number[] = [];
  for (let r = 0; r < 7; r++) {
    const copy = bytes.slice(); // as if just read from disk
    const t = performance.now();
    const g = loadFilter(copy);
    ms.push(performance.now() - t);
    if (g.stats.slots !== f.stats.slots) throw new Error('load mismatch');
  }
  return { bytes: bytes.length, ms: median(ms) };
}
log('serialisation');
const load = { exact: loadTimes(fExact), norm: loadTimes(fNorm), full: loadTimes(fFull) };

// ── 5. memory after GC, each engine in a fresh process ───────────────────────────────────
log('memory');
const memNames = ['kefu exact', 'kefu normalised', 'kefu full', ...PEERS.map((p) => p.name)];
const mem = memNames.map((name) => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', resolve(here, 'memory.ts'), name, 'houbb', '--data', dataDir], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { name: string; bytes: number; coldBuildMs: number };
});

// ── 6. evasion suite: recall per category, ours and peers (peers get the default words) ──
log('evasion');
const defWords = defaultLexicon().map((e) => e.word);
const suiteEngines: Array<{ name: string; words: (t: string) => string[] }> = [
  { name: 'kefu (default lexicon + allow-list)', words: (t) => fDefault.scan(t).hits.map((h) => h.word) },
  ...PEERS.map((p) => {
    const e = p.build(defWords);
    return { name: p.name, words: (t: string) => e.words(t) };
  }),
];
const cats = Object.keys(CATEGORY_KIND);
const recallOn = (cases: EvasionCase[]) => suiteEngines.map((eng) => {
  const byCat: Record<string, { ok: number; n: number }> = {};
  for (const c of cases) {
    const found = eng.words(c.text);
    const ok = c.expect === null ? found.length === 0 : found.includes(c.expect);
    const b = (byCat[c.category] ??= { ok: 0, n: 0 });
    b.n++;
    if (ok) b.ok++;
  }
  const kind = (k: string) => {
    const cs = cats.filter((c) => CATEGORY_KIND[c] === k);
    const ok = cs.reduce((a, c) => a + (byCat[c]?.ok ?? 0), 0);
    const n = cs.reduce((a, c) => a + (byCat[c]?.n ?? 0), 0);
    return { ok, n };
  };
  return { name: eng.name, byCat, char: kind('char'), sound: kind('sound'), negative: kind('negative') };
});
const evasion = recallOn(EVASION_CASES);
const heldout = recallOn(HELDOUT_CASES);

// ── 7. benign reviews flagged by the default lexicon ─────────────────────────────────────
log('false positives');
function flagged(texts: string[]) {
  let l1 = 0;
  let any = 0;
  const words = new Map<string, number>();
  for (const t of texts) {
    const r = fDefault.scan(t);
    if (r.maxLevel === 1) l1++;
    if (r.maxLevel !== 0) any++;
    for (const w of new Set(r.hits.map((h) => h.word))) words.set(w, (words.get(w) ?? 0) + 1);
  }
  const top = [...words].sort((a, b) => b[1] - a[1]).slice(0, 8);
  return { n: texts.length, l1: l1 / texts.length, any: any / texts.length, top };
}
const fp = { shopping: flagged(data.shopping), waimai: flagged(data.waimai), hotel: flagged(data.hotel) };
// Sensitivity: four allow-list entries (微信视频, 聊微信, 玩微信, 看微信) were written after glimpsing a few
// shopping lines in an early grep; the figure without them shows how much they matter.
const GLIMPSED = new Set(['微信视频', '聊微信', '玩微信', '看微信']);
const fStrict = buildFilter(defaultLexicon(), { allow: defaultAllowList().filter((w) => !GLIMPSED.has(w)) });
const strictShopping = (() => {
  let l1 = 0;
  let any = 0;
  for (const t of data.shopping) {
    const r = fStrict.scan(t);
    if (r.maxLevel === 1) l1++;
    if (r.maxLevel !== 0) any++;
  }
  return { l1: l1 / data.shopping.length, any: any / data.shopping.length };
})();
// Customer-service dialogues (CSDS test split, JD after-sales chat): how often agents' and users'
// turns would be flagged. Level 2/3 hits here are mostly intended (refund and complaint talk);
// the figure tells the product how often step-up verification and the statement would trigger.
function csdsTurns(): { agent: string[]; user: string[] } {
  const file = resolve(dataDir, 'eval/csds/test.json');
  const dialogues = JSON.parse(readFileSync(file, 'utf8')) as Array<{ Dialogue: string }>;
  const agent: string[] = [];
  const user: string[] = [];
  for (const d of dialogues)
    for (const turn of d.Dialogue.split('[SEP][CLS]')) {
      const t = turn.replace('[SEP]', '');
      if (t.startsWith('客服:')) agent.push(t.slice(3));
      else if (t.startsWith('用户:')) user.push(t.slice(3));
    }
  return { agent, user };
}
const csds = csdsTurns();
const levelRates = (texts: string[]) => {
  const byLevel = [0, 0, 0, 0];
  const words = new Map<string, number>();
  for (const t of texts) {
    const r = fDefault.scan(t);
    byLevel[r.maxLevel]!++;
    for (const w of new Set(r.hits.map((h) => h.word))) words.set(w, (words.get(w) ?? 0) + 1);
  }
  return { n: texts.length, l1: byLevel[1]! / texts.length, l2: byLevel[2]! / texts.length, l3: byLevel[3]! / texts.length, top: [...words].sort((a, b) => b[1] - a[1]).slice(0, 8) };
};
const csdsRates = { agent: levelRates(csds.agent), user: levelRates(csds.user) };

// the raw houbb list on the same reviews, for scale
const houbbAny = data.shopping.filter((t) => fNorm.scan(t).hits.length > 0).length / data.shopping.length;

// ── report ───────────────────────────────────────────────────────────────────────────────
const fastestPeer = (rows: typeof tHoubb) => Math.max(...rows.filter((r) => !r.name.startsWith('kefu')).map((r) => r.mbps));
const tableThroughput = (rows: typeof tHoubb) => {
  const peer = fastestPeer(rows);
  return [
    '| engine | build ms, CPU (wall) | scan MB/s (UTF-16, per CPU-s) | × fastest peer | matches reported |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${f0(r.buildCpuMs)} (${f0(r.buildMs)}) | ${f1(r.mbps)} | ${(r.mbps / peer).toFixed(2)} | ${r.hits} |`),
  ].join('\n');
};
const m = (name: string) => mem.find((x) => x.name === name)!;
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
const pass = (ok: boolean) => (ok ? 'yes' : '**no**');
const ex = tHoubb.find((r) => r.name === 'kefu exact')!;
const fu = tHoubb.find((r) => r.name.startsWith('kefu full'))!;
const no = tHoubb.find((r) => r.name === 'kefu normalised')!;
const ours = evasion[0]!;
const rate = (x: { ok: number; n: number }) => (x.n ? x.ok / x.n : NaN);

const md = `
### Sensitive-word engine (\`packages/filter\`) — \`npm run bench:filter\`

Corpus: the ${data.shopping.length.toLocaleString('en')} online-shopping reviews joined (${(corpus.length / 1e6).toFixed(2)} M characters).
Throughput = UTF-16 bytes / CPU-seconds of the bench process (median of ${REPS}, engines interleaved);
the machine is shared (load average often > 4 on 2 cores), so wall-clock MB/s would mostly measure the neighbours.
"kefu normalised" = case, width/NFKC, traditional, noise, invisible, repetition, digit forms, boundaries, phone numbers;
"kefu full" adds pinyin, initials, homophones, look-alikes and split characters (spelling variants compiled into the same automaton).

**Bars (issue 3)**

| figure | bar | measured | met |
|---|---|---|---|
| exact scan, 65k words | ≥ 100 MB/s and ≥ 3× fastest peer | ${f1(ex.mbps)} MB/s, ${(ex.mbps / fastestPeer(tHoubb)).toFixed(1)}× | ${pass(ex.mbps >= 100 && ex.mbps / fastestPeer(tHoubb) >= 3)} |
| full normalisation + sound, 65k words | ≥ 50 MB/s; p99 ≤ 20 µs per 200-char message | ${f1(fu.mbps)} MB/s; p99 ${f1(lat.full.p99)} µs (p50 ${f1(lat.full.p50)}) | ${pass(fu.mbps >= 50 && lat.full.p99 <= 20)} |
| same without sound variants | (for reference) | ${f1(no.mbps)} MB/s; p99 ${f1(lat.norm.p99)} µs (p50 ${f1(lat.norm.p50)}) | |
| incremental check per keystroke | p99 ≤ 5 µs | default lexicon p99 ${f1(keys.def.p99)} µs (p50 ${f1(keys.def.p50)}); 65k full p99 ${f1(keys.full.p99)} µs (p50 ${f1(keys.full.p50)}); median ${keys.def.rescanned} unit(s) re-scanned | ${pass(keys.def.p99 <= 5 && keys.full.p99 <= 5)} |
| build from 65k words | ≤ 200 ms | CPU ms (wall ms), warm median: exact ${f0(ex.buildCpuMs)} (${f0(ex.buildMs)}), normalised ${f0(no.buildCpuMs)} (${f0(no.buildMs)}), full ${f0(fu.buildCpuMs)} (${f0(fu.buildMs)}); first build in a fresh process, wall: exact ${f0(m('kefu exact').coldBuildMs)}, normalised ${f0(m('kefu normalised').coldBuildMs)}, full ${f0(m('kefu full').coldBuildMs)} | ${pass(no.buildCpuMs <= 200)} normalised, ${pass(fu.buildCpuMs <= 200)} full |
| load from binary | ≤ 20 ms | exact ${f1(load.exact.ms)} ms (${mb(load.exact.bytes)}), normalised ${f1(load.norm.ms)} ms (${mb(load.norm.bytes)}), full ${f1(load.full.ms)} ms (${mb(load.full.bytes)}) | ${pass(load.full.ms <= 20)} |
| memory after GC, 65k words | ≤ 15 MB | exact ${mb(m('kefu exact').bytes)}, normalised ${mb(m('kefu normalised').bytes)}, full ${mb(m('kefu full').bytes)} | ${pass(m('kefu normalised').bytes <= 15 * 2 ** 20)} normalised, ${pass(m('kefu full').bytes <= 15 * 2 ** 20)} full |
| evasion recall, character-level categories | ≥ 99 % | ${pct(rate(ours.char))} (${ours.char.ok}/${ours.char.n}) | ${pass(rate(ours.char) >= 0.99)} |
| evasion recall, pinyin/initials/homophones/look-alikes/split | ≥ 95 % | ${pct(rate(ours.sound))} (${ours.sound.ok}/${ours.sound.n}) | ${pass(rate(ours.sound) >= 0.95)} |
| benign shopping reviews flagged, default lexicon | ≤ 1 % level 1, ≤ 3 % any | ${pct(fp.shopping.l1)} level 1, ${pct(fp.shopping.any)} any (${fp.shopping.n.toLocaleString('en')} reviews) | ${pass(fp.shopping.l1 <= 0.01 && fp.shopping.any <= 0.03)} |

**Throughput and build, houbb 65,141 words** (all engines report every occurrence except mint-filter, which reports each distinct word once)

${tableThroughput(tHoubb)}

**Throughput and build, ToolGood BadWord 5,269 words**

${tableThroughput(tTool)}

**Memory after GC (fresh process per engine, 65k words)**

| engine | retained | first build ms |
|---|---:|---:|
${mem.map((x) => `| ${x.name} | ${mb(x.bytes)} | ${f0(x.coldBuildMs)} |`).join('\n')}

**Per-message latency, 200-character slices of the corpus (${msgs.length.toLocaleString('en')} messages, wall clock)**

| engine | p50 µs | p99 µs |
|---|---:|---:|
| kefu exact, 65k | ${f1(lat.exact.p50)} | ${f1(lat.exact.p99)} |
| kefu normalised, 65k | ${f1(lat.norm.p50)} | ${f1(lat.norm.p99)} |
| kefu full, 65k | ${f1(lat.full.p50)} | ${f1(lat.full.p99)} |
| kefu default lexicon + allow-list | ${f1(lat.def.p50)} | ${f1(lat.def.p99)} |

Incremental typing (each review typed one character at a time, plus one mid-text deletion; ${keys.def.n.toLocaleString('en')} edits): default lexicon p50 ${f1(keys.def.p50)} µs, p99 ${f1(keys.def.p99)} µs; 65k full p50 ${f1(keys.full.p50)} µs, p99 ${f1(keys.full.p99)} µs.

**Evasion suite (${EVASION_CASES.length} cases written by us, \`packages/filter/test/evasion-cases.ts\`), recall per category; peers get the default lexicon's words**

| category | kind | cases | ${evasion.map((e) => e.name).join(' | ')} |
|---|---|---:|${evasion.map(() => '---:').join('|')}|
${cats
  .map((c) => {
    const n = evasion[0]!.byCat[c]?.n ?? 0;
    return `| ${c} | ${CATEGORY_KIND[c]} | ${n} | ${evasion.map((e) => pct(rate(e.byCat[c] ?? { ok: 0, n: 0 }))).join(' | ')} |`;
  })
  .join('\n')}
| **character-level** | | ${ours.char.n} | ${evasion.map((e) => `**${pct(rate(e.char))}**`).join(' | ')} |
| **sound and spelling** | | ${ours.sound.n} | ${evasion.map((e) => `**${pct(rate(e.sound))}**`).join(' | ')} |
| **must-not-match (correct = nothing flagged)** | | ${ours.negative.n} | ${evasion.map((e) => `**${pct(rate(e.negative))}**`).join(' | ')} |

**Held-out evasion cases** (${HELDOUT_CASES.length} cases in \`test/evasion-heldout.ts\`, written after the tables were frozen and never used for tuning: an estimate of recall on evasions nobody targeted)

| kind | cases | ${heldout.map((e) => e.name).join(' | ')} |
|---|---:|${heldout.map(() => '---:').join('|')}|
| character-level | ${heldout[0]!.char.n} | ${heldout.map((e) => pct(rate(e.char))).join(' | ')} |
| sound and spelling | ${heldout[0]!.sound.n} | ${heldout.map((e) => pct(rate(e.sound))).join(' | ')} |
| must-not-match | ${heldout[0]!.negative.n} | ${heldout.map((e) => pct(rate(e.negative))).join(' | ')} |

**Benign reviews flagged by the default lexicon + allow-list** (the allow-list was written against the takeaway and hotel sets, except four entries noted below the table)

| corpus | reviews | level 1 | any level | most frequent words |
|---|---:|---:|---:|---|
${(['shopping', 'waimai', 'hotel'] as const)
  .map((k) => `| ${k} | ${fp[k].n.toLocaleString('en')} | ${pct(fp[k].l1)} | ${pct(fp[k].any)} | ${fp[k].top.map(([w, c]) => `${w} ${c}`).join(', ')} |`)
  .join('\n')}

Without the four allow-list entries written after glimpsing shopping lines (微信视频, 聊微信, 玩微信, 看微信): ${pct(strictShopping.l1)} level 1, ${pct(strictShopping.any)} any.
For scale: the raw houbb list (normalised) flags ${pct(houbbAny)} of the same shopping reviews.

**Customer-service turns flagged by the default lexicon** (CSDS test split, JD after-sales dialogues, turns cut at 30 characters by the source; flags here are mostly intended: refund and complaint talk is exactly what levels 2 and 3 are for)

| speaker | turns | max level 1 | max level 2 | max level 3 | most frequent words |
|---|---:|---:|---:|---:|---|
${(['agent', 'user'] as const)
  .map((k) => `| ${k} | ${csdsRates[k].n.toLocaleString('en')} | ${pct(csdsRates[k].l1)} | ${pct(csdsRates[k].l2)} | ${pct(csdsRates[k].l3)} | ${csdsRates[k].top.map(([w, c]) => `${w} ${c}`).join(', ')} |`)
  .join('\n')}
`;

writeSection('filter', md);
console.log(md);
