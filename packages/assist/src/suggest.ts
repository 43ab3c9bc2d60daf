/**
 * Predictive input: completions of the agent's draft from the organisation's own sent messages.
 *
 * Messages and their sentences are kept as unique entries with a count, a last-used time and
 * per-intent counts. Lookup is by prefix over a sorted array (binary search to the prefix range),
 * plus a small unsorted tail of recent additions merged in lazily, so learning one message is
 * O(1) and a lookup stays O(log n + range). Very wide ranges (one- or two-character prefixes)
 * are answered from a per-prefix list of the most frequent entries, rebuilt on merge.
 */
import { normalise } from './text.ts';
import type { IntentLabel, Suggestion } from './types.ts';

interface Entry {
  text: string;
  key: string;
  count: number;
  last: number;
  intents: Map<string, number> | null;
}

export interface SuggestIndexOptions {
  /** Maximum unique entries kept; the least used are pruned beyond it. */
  maxEntries?: number;
  /** Half-life of recency in days. */
  halfLifeDays?: number;
  /** Texts for which this returns false are never learned nor suggested. */
  screen?: (text: string) => boolean;
}

export interface SerializedSuggest {
  entries: [text: string, count: number, last: number, intents?: Record<string, number>][];
}

const WIDE = 4000;
const HEAD = 64;

function keyOf(text: string): string {
  return normalise(text).replace(/\s+/g, '');
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

export class SuggestIndex {
  private sorted: Entry[] = [];
  private tail = new Map<string, Entry>();
  private byKey = new Map<string, Entry>();
  private heads = new Map<string, Entry[]>();
  private readonly maxEntries: number;
  private readonly halfLife: number;
  readonly screen: ((text: string) => boolean) | undefined;
  private clock = 0;

  constructor(o: SuggestIndexOptions = {}) {
    this.maxEntries = o.maxEntries ?? 300_000;
    this.halfLife = (o.halfLifeDays ?? 30) * 86_400_000;
    this.screen = o.screen;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Learn one sent message (and its sentences). */
  add(text: string, intent?: IntentLabel, at?: number): void {
    const t = text.trim();
    if (t.length < 2) return;
    if (this.screen && !this.screen(t)) return;
    const when = at ?? Date.now();
    this.clock = Math.max(this.clock, when);
    const parts = new Set([t, ...sentencesOf(t)]);
    for (const p of parts) {
      if (this.screen && p !== t && !this.screen(p)) continue;
      const key = keyOf(p);
      let e = this.byKey.get(key);
      if (!e) {
        e = { text: p, key, count: 0, last: when, intents: null };
        this.byKey.set(key, e);
        this.tail.set(key, e);
      }
      e.count++;
      e.last = Math.max(e.last, when);
      if (intent) {
        e.intents ??= new Map();
        e.intents.set(intent, (e.intents.get(intent) ?? 0) + 1);
      }
    }
    if (this.tail.size > 2048) this.merge();
  }

  private merge(): void {
    if (this.tail.size === 0) return;
    let all = this.sorted.concat([...this.tail.values()]);
    this.tail.clear();
    if (all.length > this.maxEntries) {
      all.sort((a, b) => b.count - a.count || b.last - a.last);
      for (const e of all.slice(this.maxEntries)) this.byKey.delete(e.key);
      all = all.slice(0, this.maxEntries);
    }
    all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.sorted = all;
    this.heads.clear();
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

  /** Most frequent entries for a short prefix, cached until the next merge. */
  private head(prefix: string, from: number, to: number): Entry[] {
    let h = this.heads.get(prefix);
    if (!h) {
      const slice = this.sorted.slice(from, to);
      slice.sort((a, b) => b.count - a.count);
      h = slice.slice(0, HEAD);
      this.heads.set(prefix, h);
    }
    return h;
  }

  private score(e: Entry, intent: IntentLabel | undefined, now: number): number {
    const age = Math.max(0, now - e.last);
    let s = Math.log1p(e.count) + 0.7 * Math.pow(0.5, age / this.halfLife);
    if (intent && e.intents) {
      const total = [...e.intents.values()].reduce((a, b) => a + b, 0);
      s += 1.5 * ((e.intents.get(intent) ?? 0) / total);
    }
    return s;
  }

  /**
   * Completions for `draft`. The prefix is the draft's last clause (after the last sentence
   * end), so a half-written second sentence is completed on its own.
   */
  suggest(draft: string, intent?: IntentLabel, limit = 3, now?: number): Suggestion[] {
    if (this.tail.size > 256) this.merge();
    const clause = draft.split(/[。！？!?\n]/).pop() ?? '';
    const prefix = keyOf(clause);
    if (prefix.length === 0) return [];
    const at = now ?? (this.clock || Date.now());
    const from = this.lowerBound(prefix);
    const to = this.lowerBound(prefix + '\uffff');
    const candidates: Entry[] = [];
    if (to - from > WIDE) candidates.push(...this.head(prefix, from, to));
    else for (let i = from; i < to; i++) candidates.push(this.sorted[i]!);
    for (const e of this.tail.values()) if (e.key.startsWith(prefix)) candidates.push(e);
    const out: Suggestion[] = [];
    const scored = candidates
      .filter((e) => e.key.length > prefix.length)
      .map((e) => ({ e, s: Math.round(this.score(e, intent, at) * 1000) / 1000 }))
      .sort((a, b) => b.s - a.s || a.e.key.length - b.e.key.length);
    for (const { e, s } of scored) {
      if (out.length >= limit) break;
      const rest = completionOf(e.text, clause);
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
    return {
      entries: this.sorted.map((e) => {
        const row: SerializedSuggest['entries'][number] = [e.text, e.count, e.last];
        if (e.intents) row.push(Object.fromEntries(e.intents));
        return row;
      }),
    };
  }

  static fromJSON(s: SerializedSuggest, o: SuggestIndexOptions = {}): SuggestIndex {
    const ix = new SuggestIndex(o);
    for (const [text, count, last, intents] of s.entries) {
      const key = keyOf(text);
      const e: Entry = { text, key, count, last, intents: intents ? new Map(Object.entries(intents)) : null };
      ix.byKey.set(key, e);
      ix.sorted.push(e);
      ix.clock = Math.max(ix.clock, last);
    }
    ix.sorted.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return ix;
  }
}

/**
 * The part of `full` that follows what the agent typed. Matching is on the normalised key, so
 * the typed clause may differ in width, case or spacing from the remembered text.
 */
function completionOf(full: string, typed: string): string {
  const want = keyOf(typed).length;
  let seen = 0;
  let i = 0;
  while (i < full.length && seen < want) {
    if (!/\s/.test(full[i]!)) seen++;
    i++;
  }
  return full.slice(i);
}
