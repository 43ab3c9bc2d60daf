/**
 * The exploration behind the intent head — CSDS **val** only, 5-fold CV by dialogue (never the
 * test split). Standalone re-implementations (feature maps, NB, LR through HashedClassifier) so
 * variants can be compared quickly; the shipped engine itself is checked by tune-intent.ts.
 * `npx tsx eval/assist/exp-intent.ts [base|lrturns|nb|nbturns|ens|lr2|more|words|more2|nbw ...]`
 * (CONF=1 prints the commonest confusions). "strict" = first topic, "any" = any of the dialogue's topics.
 */
import { sharedDataDir } from '../../bench/lib/report.ts';
import { HashedClassifier } from '../../packages/assist/src/index.ts';
import { intentText } from '../../packages/assist/src/intent.ts';
import { featureText, gramHash, hashToken } from '../../packages/assist/src/text.ts';
import { EXTRAS } from '../../packages/assist/src/extras.ts';
import type { Turn } from '../../packages/assist/src/types.ts';
import { coarseMap, csdsDialogues, csdsTopics } from './data.ts';

import { createRequire } from 'node:module';
// Word features need @node-rs/jieba, which the project does not depend on: install it anywhere and
// point JIEBA_FROM at that folder (e.g. `cd /tmp/jb && npm i @node-rs/jieba`, JIEBA_FROM=/tmp/jb).
let jieba: { cut(s: string, hmm: boolean): string[] } | null = null;
const cut = (s: string): string[] => {
  if (!jieba) {
    const req = createRequire(`${process.env.JIEBA_FROM ?? process.cwd()}/index.js`);
    const { Jieba } = req('@node-rs/jieba');
    const { dict } = req('@node-rs/jieba/dict');
    jieba = Jieba.withDict(dict);
  }
  return jieba!.cut(s, false);
};
const dir = sharedDataDir();
const cmap = coarseMap(dir);
const rows = csdsTopics(dir, 'val').filter((r) => cmap[r.topic]);
const val = csdsDialogues(rows).filter((d) => cmap[d.topic]);
const segsOf = new Map<string, typeof rows>();
for (const r of rows) segsOf.set(r.key, [...(segsOf.get(r.key) ?? []), r]);
type D = (typeof val)[number];
const gold = (d: D) => cmap[d.topic]!;
const goldAny = (d: D) => new Set(d.topics.map((t) => cmap[t]).filter(Boolean));

interface Model {
  fit(tr: D[]): void;
  scores(d: D): Map<string, number>; // log-probs-ish
}

function cv(name: string, mk: () => Model) {
  let strict = 0;
  let any = 0;
  const t0 = Date.now();
  const conf = new Map<string, number>();
  for (let fold = 0; fold < 5; fold++) {
    const m = mk();
    m.fit(val.filter((_, i) => i % 5 !== fold));
    for (const d of val.filter((_, i) => i % 5 === fold)) {
      const s = m.scores(d);
      const best = [...s.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      if (best === gold(d)) strict++;
      if (goldAny(d).has(best)) any++;
      const k = `${gold(d)} -> ${best}`;
      conf.set(k, (conf.get(k) ?? 0) + 1);
    }
  }
  console.log(`${name.padEnd(60)} strict ${((100 * strict) / val.length).toFixed(1)}  any ${((100 * any) / val.length).toFixed(1)}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (process.env.CONF) console.log([...conf.entries()].filter(([k]) => k.split(' -> ')[0] !== k.split(' -> ')[1]).sort((a, b) => b[1] - a[1]).slice(0, 15));
}

// ---- feature extraction with per-turn weights ------------------------------------------------
interface FeatOpt {
  user: number;
  agent: number;
  orders: number[];
  /** weight of user turn i (0-based) */
  uw?: (i: number) => number;
  aw?: (i: number) => number;
  /** also emit tagged grams for the first `early` user turns */
  early?: number;
  cues?: boolean;
  bits?: number;
  /** add jieba word unigrams (+ bigrams when 2) */
  words?: number;
  /** drop char grams (words only) */
  noChars?: boolean;
}
function feats(turns: Turn[] | string, o: FeatOpt): Map<number, number> {
  const bits = o.bits ?? 18;
  const out = new Map<number, number>();
  const add = (h: number, w: number) => out.set(h, Math.max(out.get(h) ?? 0, w));
  const grams = (text: string, w: number, tag = '') => {
    if (o.words) {
      const ws = cut(featureText(text).slice(1, -1)).filter((x) => x.trim());
      for (let i = 0; i < ws.length; i++) {
        add(hashToken('W' + tag + ws[i], bits), w);
        if (o.words > 1 && i + 1 < ws.length) add(hashToken('B' + tag + ws[i] + '|' + ws[i + 1], bits), w);
      }
      if (o.noChars) return;
    }
    const s = featureText(text);
    for (const n of o.orders) for (let i = 0; i + n <= s.length; i++) add(gramHash(tag + s.slice(i, i + n), n + (tag ? 10 : 0), bits), w);
  };
  if (typeof turns === 'string') {
    grams(turns, 1);
    if (o.cues) for (const t of EXTRAS['intent-cues'](turns)) add(hashToken(t, bits), 1);
    return out;
  }
  let ui = 0;
  let ai = 0;
  for (const t of turns) {
    if (t.role === 'user') {
      if (ui < o.user) {
        grams(t.text, o.uw ? o.uw(ui) : 1);
        if (o.early && ui < o.early) grams(t.text, 1, 'E');
      }
      ui++;
    } else {
      if (ai < o.agent) grams(t.text, o.aw ? o.aw(ai) : 1, 'A');
      ai++;
    }
  }
  if (o.cues) for (const t of EXTRAS['intent-cues'](intentText(turns, o.user, 0))) add(hashToken(t, bits), 1);
  return out;
}

// ---- multinomial NB over weighted binary features -------------------------------------------
class NB implements Model {
  counts = new Map<string, Map<number, number>>();
  tot = new Map<string, number>();
  docs = new Map<string, number>();
  vocab = new Set<number>();
  constructor(
    private o: FeatOpt,
    private alpha = 0.1,
    private prior = 1,
    private label: 'first' | 'rows' | 'firstsumm' = 'first',
  ) {}
  private add(f: Map<number, number>, y: string, w = 1) {
    let c = this.counts.get(y);
    if (!c) this.counts.set(y, (c = new Map()));
    for (const [h, v] of f) {
      c.set(h, (c.get(h) ?? 0) + v * w);
      this.tot.set(y, (this.tot.get(y) ?? 0) + v * w);
      this.vocab.add(h);
    }
    this.docs.set(y, (this.docs.get(y) ?? 0) + w);
  }
  fit(tr: D[]) {
    for (const d of tr) {
      const f = feats(d.turns, this.o);
      if (this.label === 'rows') for (const r of segsOf.get(d.key)!) this.add(f, cmap[r.topic]!, 1);
      else this.add(f, gold(d));
      if (this.label === 'firstsumm') for (const r of segsOf.get(d.key)!) this.add(feats(r.summary, this.o), cmap[r.topic]!);
    }
  }
  scores(d: D) {
    const f = feats(d.turns, this.o);
    const V = this.vocab.size;
    const N = [...this.docs.values()].reduce((a, b) => a + b, 0);
    const s = new Map<string, number>();
    for (const [y, c] of this.counts) {
      const den = Math.log(this.tot.get(y)! + this.alpha * V);
      let v = this.prior * Math.log(this.docs.get(y)! / N);
      for (const [h, x] of f) v += x * (Math.log((c.get(h) ?? 0) + this.alpha) - den);
      s.set(y, v);
    }
    return s;
  }
}

// ---- LR through the package's HashedClassifier (text input) -----------------------------------
class LR implements Model {
  clf: HashedClassifier;
  constructor(
    private text: (t: Turn[] | string) => string,
    private label: 'first' | 'rows' | 'firstsumm' | 'rowssumm' = 'firstsumm',
    private opts: { epochs?: number; balance?: boolean; rate?: number; cues?: boolean; orders?: number[] } = {},
  ) {
    this.clf = new HashedClassifier([], { bits: 18, orders: opts.orders ?? [1, 2, 3] }, opts.cues === false ? undefined : 'intent-cues');
  }
  fit(tr: D[]) {
    const ex: { text: string; label: string }[] = [];
    for (const d of tr) {
      if (this.label.startsWith('rows')) for (const r of segsOf.get(d.key)!) ex.push({ text: this.text(d.turns), label: cmap[r.topic]! });
      else ex.push({ text: this.text(d.turns), label: gold(d) });
      if (this.label.endsWith('summ')) for (const r of segsOf.get(d.key)!) for (let k = 0; k < 2; k++) ex.push({ text: r.summary, label: cmap[r.topic]! });
    }
    this.clf.train(ex, { epochs: this.opts.epochs ?? 4, balance: this.opts.balance ?? false, ...(this.opts.rate ? { rate: this.opts.rate } : {}) });
  }
  scores(d: D) {
    const p = this.clf.probs(this.text(d.turns));
    return new Map(this.clf.labels.map((l, k) => [l, Math.log(p[k]!)]));
  }
}

/** LR over the weighted/tagged feature maps (binary; weights ignored) via a HashedClassifier subclass. */
class FeatLR extends HashedClassifier {
  cache = new Map<string, Uint32Array>();
  override featurize(text: string): Uint32Array {
    return this.cache.get(text) ?? super.featurize(text);
  }
}
class LR2 implements Model {
  clf = new FeatLR([], { bits: 18, orders: [1, 2, 3] });
  n = 0;
  constructor(
    private o: FeatOpt,
    private opts: { epochs?: number; rate?: number; l2?: number; summ?: number; seed?: number; balance?: boolean; fine?: boolean } = {},
  ) {}
  lab(topic: string): string {
    return this.opts.fine ? topic : cmap[topic]!;
  }
  key(f: Map<number, number>): string {
    const k = `#${this.n++}`;
    this.clf.cache.set(k, Uint32Array.from(f.keys()));
    return k;
  }
  fit(tr: D[]) {
    const ex: { text: string; label: string }[] = [];
    for (const d of tr) {
      ex.push({ text: this.key(feats(d.turns, this.o)), label: this.lab(d.topic) });
      for (const r of segsOf.get(d.key)!) {
        const k = this.key(feats(r.summary, this.o));
        for (let j = 0; j < (this.opts.summ ?? 2); j++) ex.push({ text: k, label: this.lab(r.topic) });
      }
    }
    this.clf.train(ex, { epochs: this.opts.epochs ?? 4, balance: this.opts.balance ?? false, seed: this.opts.seed ?? 7, ...(this.opts.rate ? { rate: this.opts.rate } : {}), ...(this.opts.l2 !== undefined ? { l2: this.opts.l2 } : {}) });
  }
  scores(d: D) {
    const p = this.clf.probs(this.key(feats(d.turns, this.o)));
    const out = new Map<string, number>();
    const to = (l: string) => (this.opts.fine ? cmap[l]! : l);
    this.clf.labels.forEach((l, k) => out.set(to(l), (out.get(to(l)) ?? 0) + p[k]!));
    return new Map([...out].map(([l, v]) => [l, Math.log(v)]));
  }
}

class Ens implements Model {
  constructor(private parts: { m: Model; w: number; norm?: boolean }[]) {}
  fit(tr: D[]) {
    for (const p of this.parts) p.m.fit(tr);
  }
  scores(d: D) {
    const s = new Map<string, number>();
    for (const p of this.parts) {
      let sc = p.m.scores(d);
      if (p.norm) {
        // softmax-normalise to log-probs
        const mx = Math.max(...sc.values());
        const z = Math.log([...sc.values()].reduce((a, v) => a + Math.exp(v - mx), 0)) + mx;
        sc = new Map([...sc].map(([k, v]) => [k, v - z]));
      }
      for (const [k, v] of sc) s.set(k, (s.get(k) ?? 0) + p.w * v);
    }
    return s;
  }
}

const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const exps: Record<string, () => void> = {
  base: () => {
    cv('LR base (10u/4a, first + summ×2)', () => new LR((t) => intentText(t, 10, 4)));
    cv('LR rows (10u/4a)', () => new LR((t) => intentText(t, 10, 4), 'rows'));
    cv('LR rows+summ (10u/4a)', () => new LR((t) => intentText(t, 10, 4), 'rowssumm'));
    cv('LR first only (10u/4a)', () => new LR((t) => intentText(t, 10, 4), 'first'));
  },
  lrturns: () => {
    for (const [u, a] of [[3, 0], [3, 2], [5, 2], [6, 3], [20, 10], [99, 99]] as const) cv(`LR ${u}u/${a}a first+summ`, () => new LR((t) => intentText(t, u, a)));
  },
  nb: () => {
    for (const alpha of [0.05, 0.2, 0.5])
      cv(`NB 10u/4a 123 a=${alpha}`, () => new NB({ user: 10, agent: 4, orders: [1, 2, 3] }, alpha));
    cv(`NB 10u/4a 23 a=0.2`, () => new NB({ user: 10, agent: 4, orders: [2, 3] }, 0.2));
    cv(`NB 10u/4a 123 rows`, () => new NB({ user: 10, agent: 4, orders: [1, 2, 3] }, 0.2, 1, 'rows'));
    cv(`NB 10u/4a 123 firstsumm`, () => new NB({ user: 10, agent: 4, orders: [1, 2, 3] }, 0.2, 1, 'firstsumm'));
  },
  nbturns: () => {
    for (const [u, a] of [[3, 0], [5, 2], [6, 3], [20, 8], [99, 99]] as const) cv(`NB ${u}u/${a}a`, () => new NB({ user: u, agent: a, orders: [1, 2, 3] }, 0.2));
    cv(`NB 10u/4a decay .3`, () => new NB({ user: 10, agent: 4, orders: [1, 2, 3], uw: (i) => 1 / (1 + 0.3 * i), aw: (i) => 1 / (1 + 0.3 * i) }, 0.2));
    cv(`NB 10u/4a early3`, () => new NB({ user: 10, agent: 4, orders: [1, 2, 3], early: 3 }, 0.2));
    cv(`NB 10u/4a cues`, () => new NB({ user: 10, agent: 4, orders: [1, 2, 3], cues: true }, 0.2));
  },
  ens: () => {
    const lr = () => new LR((t) => intentText(t, 10, 4));
    const nb = () => new NB({ user: 10, agent: 4, orders: [1, 2, 3] }, 0.2);
    for (const w of [0.02, 0.05, 0.1]) cv(`LR + ${w}×NB`, () => new Ens([{ m: lr(), w: 1 }, { m: nb(), w, norm: true }]));
  },
};
const F0: FeatOpt = { user: 10, agent: 4, orders: [1, 2, 3], cues: true };
exps.lr2 = () => {
  cv('LR2 10u/4a cues tagged-agent', () => new LR2(F0));
  cv('LR2 + early1', () => new LR2({ ...F0, early: 1 }));
  cv('LR2 + early2', () => new LR2({ ...F0, early: 2 }));
  cv('LR2 + early3', () => new LR2({ ...F0, early: 3 }));
  cv('LR2 epochs 8', () => new LR2(F0, { epochs: 8 }));
  cv('LR2 rate .2', () => new LR2(F0, { rate: 0.2 }));
  cv('LR2 l2 1e-5', () => new LR2(F0, { l2: 1e-5 }));
  cv('LR2 summ 1', () => new LR2(F0, { summ: 1 }));
  cv('LR2 summ 3', () => new LR2(F0, { summ: 3 }));
};
exps.more = () => {
  const E3: FeatOpt = { ...F0, early: 3 };
  cv('LR2 early3 fine→coarse', () => new LR2(E3, { fine: true }));
  cv('LR2 early3 20u/10a', () => new LR2({ ...E3, user: 20, agent: 10 }));
  cv('LR2 early3 6u/3a', () => new LR2({ ...E3, user: 6, agent: 3 }));
  cv('LR2 early4', () => new LR2({ ...F0, early: 4 }));
  cv('LR2 early3 bag3', () => new Ens([7, 8, 9].map((seed) => ({ m: new LR2(E3, { seed }), w: 1 }))));
  cv('LR2 early3 + 0.02 NB99', () => new Ens([{ m: new LR2(E3), w: 1 }, { m: new NB({ user: 99, agent: 99, orders: [1, 2, 3] }, 0.2), w: 0.02, norm: true }]));
};
exps.words = () => {
  const E3: FeatOpt = { ...F0, early: 3 };
  cv('LR2 early3 + words', () => new LR2({ ...E3, words: 1 }));
  cv('LR2 early3 + words+bigrams', () => new LR2({ ...E3, words: 2 }));
  cv('LR2 early3 words+bigrams only', () => new LR2({ ...E3, words: 2, noChars: true }));
  cv('LR2 early3 chars 1-2 + words', () => new LR2({ ...E3, orders: [1, 2], words: 2 }));
};
exps.more2 = () => {
  const E3: FeatOpt = { ...F0, early: 3 };
  cv('LR2 early3 30u/15a', () => new LR2({ ...E3, user: 30, agent: 15 }));
  cv('LR2 early3 99u/99a', () => new LR2({ ...E3, user: 99, agent: 99 }));
  cv('LR2 early3 20u/4a', () => new LR2({ ...E3, user: 20, agent: 4 }));
  cv('LR2 early3 15u/6a', () => new LR2({ ...E3, user: 15, agent: 6 }));
  cv('LR2 early3 20u/10a + 0.02 NB99', () => new Ens([{ m: new LR2({ ...E3, user: 20, agent: 10 }), w: 1 }, { m: new NB({ user: 99, agent: 99, orders: [1, 2, 3] }, 0.2), w: 0.02, norm: true }]));
};
exps.nbw = () => {
  const E3: FeatOpt = { ...F0, early: 3 };
  for (const [w, a] of [[0.01, 0.2], [0.04, 0.2], [0.02, 0.1], [0.02, 0.5]] as const)
    cv(`LR2 early3 + ${w} NB99 a=${a}`, () => new Ens([{ m: new LR2(E3), w: 1 }, { m: new NB({ user: 99, agent: 99, orders: [1, 2, 3] }, a), w, norm: true }]));
  cv('LR2 early3 + 0.02 NB99 firstsumm', () => new Ens([{ m: new LR2(E3), w: 1 }, { m: new NB({ user: 99, agent: 99, orders: [1, 2, 3] }, 0.2, 1, 'firstsumm'), w: 0.02, norm: true }]));
};
for (const [k, f] of Object.entries(exps)) if (!only.length || only.includes(k)) f();
