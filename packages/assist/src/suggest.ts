/**
 * Predictive input: completions of the agent's draft from the organisation's own sent messages.
 *
 * Messages and their sentences are kept as unique entries with a count, a last-used time and
 * per-intent counts, in a key-sorted array searched by binary search for the draft's prefix.
 * New entries go to a small unsorted tail (scanned linearly) that is sorted and merged into the
 * array in one linear pass every couple of thousand additions, so learning stays O(1) amortised
 * and a lookup never sorts. Prefixes that match thousands of entries (one or two characters,
 * a common opener such as 您好，) are answered from a per-prefix "head": the most used entries
 * under that prefix, built once by a bounded selection and then kept up to date as counts grow.
 */
import type { IntentLabel, Suggestion } from './types.ts';

interface Entry {
  text: string;
  /** The same string as `text` whenever normalising changes nothing (the usual case). */
  key: string;
  count: number;
  last: number;
  /** Flat [intentId, count, intentId, count…] — far smaller than a Map per entry. */
  intents: number[] | null;
}

export interface SuggestIndexOptions {
  /** Maximum unique entries kept; the least used are pruned beyond it. */
  maxEntries?: number;
  /** Half-life of recency in days. */
  halfLifeDays?: number;
  /** Texts for which this returns false are never learned nor suggested. */
  screen?: ((text: string) => boolean) | undefined;
}

/** Columnar, so a model with 100k entries parses in a few tens of milliseconds. */
export interface SerializedSuggest {
  /** Entry texts joined by U+0000, in key order. */
  texts: string;
  counts: number[];
  /** Last use, seconds since `base` (ms since epoch). */
  lasts: number[];
  base: number;
  intentLabels: string[];
  /** Per entry: flat [intentIndex, count…] or 0. */
  intents: (number[] | 0)[];
}

/** Ranges wider than this are answered from a head. */
const WIDE = 2000;
const HEAD = 48;
const TAIL = 2048;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0x3000 || c === 0xa0;
}

/** Full-width digits and letters (not punctuation: agents' IMEs type ，。？ consistently). */
function fullWidthAlnum(c: number): boolean {
  return (c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a);
}

/**
 * The lookup key: full-width digits and letters folded to ASCII, ASCII upper case to lower,
 * whitespace removed. Most texts need none of it, and then the key is the text itself (no copy).
 * Written as a char-code loop because it runs for every entry when a model loads.
 */
export function keyOf(s: string): string {
  let dirty = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (fullWidthAlnum(c) || (c >= 65 && c <= 90) || isSpace(c)) {
      dirty = true;
      break;
    }
  }
  if (!dirty) return s;
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (isSpace(c)) continue;
    if (fullWidthAlnum(c)) c -= 0xfee0;
    if (c >= 65 && c <= 90) c += 32;
    out.push(c);
  }
  let r = '';
  for (let i = 0; i < out.length; i += 4096) r += String.fromCharCode(...out.slice(i, i + 4096));
  return r;
}

/** Split a sent message into sentences worth completing on their own (kept with punctuation). */
export function sentencesOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[^。！？!?~\n]+[。！？!?~]*/g)) {
    const s = m[0].trim();
    if (s.length >= 4) out.push(s);
  }
  return out;
}

const byKey = (a: Entry, b: Entry) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Insert `e` into `head` (sorted by count, descending, at most HEAD long) if it belongs. */
function offer(head: Entry[], e: Entry): void {
  const at = head.indexOf(e);
  if (at >= 0) {
    // Counts only grow: bubble it up.
    let i = at;
    while (i > 0 && head[i - 1]!.count < e.count) {
      head[i] = head[i - 1]!;
      i--;
    }
    head[i] = e;
    return;
  }
  if (head.length >= HEAD && head[head.length - 1]!.count >= e.count) return;
  let i = head.length < HEAD ? head.length : head.length - 1;
  if (head.length < HEAD) head.push(e);
  while (i > 0 && head[i - 1]!.count < e.count) {
    head[i] = head[i - 1]!;
    i--;
  }
  head[i] = e;
}

export class SuggestIndex {
  private sorted: Entry[] = [];
  private tail: Entry[] = [];
  /** Only the tail is in a map; sorted entries are found by binary search (no map to build on load). */
  private tailByKey = new Map<string, Entry>();
  private heads = new Map<string, Entry[]>();
  private headLens = new Set<number>();
  private intentIds = new Map<string, number>();
  private intentLabels: string[] = [];
  private readonly maxEntries: number;
  private readonly halfLife: number;
  readonly screen: ((text: string) => boolean) | undefined;
  private clock = 0;

  constructor(o: SuggestIndexOptions = {}) {
    this.maxEntries = o.maxEntries ?? 100_000;
    this.halfLife = (o.halfLifeDays ?? 30) * 86_400_000;
    this.screen = o.screen;
  }

  get size(): number {
    return this.sorted.length + this.tail.length;
  }

  private find(key: string): Entry | undefined {
    const t = this.tailByKey.get(key);
    if (t) return t;
    const i = this.lowerBound(key);
    const e = this.sorted[i];
    return e && e.key === key ? e : undefined;
  }

  /** Learn one sent message (and its sentences). */
  add(text: string, intent?: IntentLabel, at?: number): void {
    const t = text.replace(/\u0000/g, '').trim();
    if (t.length < 2) return;
    if (this.screen && !this.screen(t)) return;
    const when = at ?? Date.now();
    this.clock = Math.max(this.clock, when);
    const parts = sentencesOf(t);
    if (!parts.includes(t)) parts.unshift(t);
    for (const p of parts) {
      if (this.screen && p !== t && !this.screen(p)) continue;
      const key = keyOf(p);
      let e = this.find(key);
      if (!e) {
        e = { text: p, key, count: 0, last: when, intents: null };
        this.tailByKey.set(key, e);
        this.tail.push(e);
      }
      e.count++;
      e.last = Math.max(e.last, when);
      if (intent) this.countIntent(e, intent);
      for (const n of this.headLens) {
        if (n > key.length) continue;
        const h = this.heads.get(key.slice(0, n));
        if (h) offer(h, e);
      }
    }
    if (this.tail.length >= Math.min(TAIL, Math.max(64, this.maxEntries / 10))) this.merge();
  }

  private intentId(intent: string): number {
    let id = this.intentIds.get(intent);
    if (id === undefined) {
      id = this.intentLabels.length;
      this.intentLabels.push(intent);
      this.intentIds.set(intent, id);
    }
    return id;
  }

  private countIntent(e: Entry, intent: string): void {
    const id = this.intentId(intent);
    e.intents ??= [];
    for (let i = 0; i < e.intents.length; i += 2) {
      if (e.intents[i] === id) {
        e.intents[i + 1]!++;
        return;
      }
    }
    e.intents.push(id, 1);
  }

  /** Sort the tail and merge it into the sorted array in one linear pass. */
  private merge(): void {
    if (this.tail.length === 0) return;
    const t = this.tail.sort(byKey);
    this.tail = [];
    this.tailByKey.clear();
    const s = this.sorted;
    const out: Entry[] = new Array(s.length + t.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < s.length && j < t.length) out[k++] = byKey(s[i]!, t[j]!) <= 0 ? s[i++]! : t[j++]!;
    while (i < s.length) out[k++] = s[i++]!;
    while (j < t.length) out[k++] = t[j++]!;
    this.sorted = out;
    // Prune with some slack so pruning is rare.
    if (out.length > this.maxEntries * 1.1) this.prune();
  }

  /**
   * Keep the `maxEntries` most used entries, ties broken by recency. Thresholds are found with a
   * count histogram and one typed-array sort of the tied entries' times, not a sort of entries.
   */
  private prune(): void {
    const all = this.sorted;
    const hist = new Map<number, number>();
    for (const e of all) hist.set(e.count, (hist.get(e.count) ?? 0) + 1);
    const countsDesc = [...hist.keys()].sort((a, b) => b - a);
    let kept = 0;
    let cut = 0;
    for (const c of countsDesc) {
      const h = hist.get(c)!;
      if (kept + h > this.maxEntries) {
        cut = c;
        break;
      }
      kept += h;
    }
    let lastCut = -Infinity;
    if (cut > 0) {
      const ties = new Float64Array(hist.get(cut)!);
      let i = 0;
      for (const e of all) if (e.count === cut) ties[i++] = e.last;
      ties.sort();
      lastCut = ties[ties.length - (this.maxEntries - kept)] ?? Infinity;
    }
    const keep = (e: Entry) => cut === 0 || e.count > cut || (e.count === cut && e.last >= lastCut);
    this.sorted = all.filter(keep);
    this.heads.clear();
    this.headLens.clear();
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]!.key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private head(prefix: string, from: number, to: number): Entry[] {
    let h = this.heads.get(prefix);
    if (!h) {
      h = [];
      for (let i = from; i < to; i++) offer(h, this.sorted[i]!);
      for (const e of this.tail) if (e.key.startsWith(prefix)) offer(h, e);
      this.heads.set(prefix, h);
      this.headLens.add(prefix.length);
    }
    return h;
  }

  private score(e: Entry, intent: IntentLabel | undefined, now: number): number {
    const age = Math.max(0, now - e.last);
    let s = Math.log1p(e.count) + 0.7 * Math.pow(0.5, age / this.halfLife);
    if (intent && e.intents) {
      const id = this.intentIds.get(intent);
      let total = 0;
      let mine = 0;
      for (let i = 0; i < e.intents.length; i += 2) {
        total += e.intents[i + 1]!;
        if (e.intents[i] === id) mine = e.intents[i + 1]!;
      }
      s += 1.5 * (mine / total);
    }
    return Math.round(s * 1000) / 1000;
  }

  /**
   * Completions for `draft`. The prefix is the draft's last clause (after the last sentence
   * end), so a half-written second sentence is completed on its own.
   */
  suggest(draft: string, intent?: IntentLabel, limit = 3, now?: number): Suggestion[] {
    const clause = draft.split(/[。！？!?\n]/).pop() ?? '';
    const prefix = keyOf(clause);
    if (prefix.length === 0) return [];
    const at = now ?? (this.clock || Date.now());
    const from = this.lowerBound(prefix);
    const to = this.lowerBound(prefix + '\uffff');
    let candidates: Entry[];
    if (to - from > WIDE) candidates = this.head(prefix, from, to);
    else {
      candidates = this.sorted.slice(from, to);
      for (const e of this.tail) if (e.key.startsWith(prefix)) candidates.push(e);
    }
    const scored = candidates
      .filter((e) => e.key.length > prefix.length)
      .map((e) => ({ e, s: this.score(e, intent, at) }))
      .sort((a, b) => b.s - a.s || a.e.key.length - b.e.key.length || (a.e.key < b.e.key ? -1 : 1));
    const out: Suggestion[] = [];
    for (const { e, s } of scored) {
      if (out.length >= limit) break;
      const rest = completionOf(e.text, prefix.length);
      if (!rest || out.some((o) => o.text === rest)) continue;
      // Screen the completion on its own too: cutting a message can remove the context that an
      // allow-list entry needed, leaving a flagged word in what would be inserted.
      if (this.screen && (!this.screen(e.text) || !this.screen(rest))) continue;
      out.push({ text: rest, full: e.text, score: s });
    }
    return out;
  }

  toJSON(): SerializedSuggest {
    this.merge();
    let base = Infinity;
    for (const e of this.sorted) if (e.last < base) base = e.last;
    if (!Number.isFinite(base)) base = 0;
    return {
      texts: this.sorted.map((e) => e.text).join('\u0000'),
      counts: this.sorted.map((e) => e.count),
      lasts: this.sorted.map((e) => Math.round((e.last - base) / 1000)),
      base,
      intentLabels: [...this.intentLabels],
      intents: this.sorted.map((e) => (e.intents ? [...e.intents] : 0)),
    };
  }

  static fromJSON(s: SerializedSuggest, o: SuggestIndexOptions = {}): SuggestIndex {
    const ix = new SuggestIndex(o);
    const texts = s.texts === '' ? [] : s.texts.split('\u0000');
    const sorted: Entry[] = new Array(texts.length);
    let inOrder = true;
    let prev = '';
    let clock = 0;
    for (const l of s.intentLabels) ix.intentId(l);
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i]!;
      const key = keyOf(text);
      if (key < prev) inOrder = false;
      prev = key;
      const last = s.base + s.lasts[i]! * 1000;
      const ints = s.intents[i];
      const e: Entry = { text, key, count: s.counts[i]!, last, intents: ints ? ints : null };
      sorted[i] = e;
      if (last > clock) clock = last;
    }
    if (!inOrder) sorted.sort(byKey);
    ix.sorted = sorted;
    ix.clock = clock;
    return ix;
  }
}

/** The part of `full` after its first `n` key characters (whitespace in `full` is skipped). */
function completionOf(full: string, n: number): string {
  let seen = 0;
  let i = 0;
  while (i < full.length && seen < n) {
    if (!isSpace(full.charCodeAt(i))) seen++;
    i++;
  }
  return full.slice(i);
}
