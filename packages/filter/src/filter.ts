import {
  buildAutomaton,
  CHECK_MASK,
  F_ALLOW,
  F_END_DIGIT,
  F_END_LATIN,
  F_START_DIGIT,
  F_START_LATIN,
  type Automaton,
} from './automaton.ts';
import { canonAstral, canonTables, EMOJI_SUBSTITUTES, canonWord, isDigit, isLatin, type CanonTables } from './normalize.ts';
import type { Edit, FilterOptions, Hit, Level, LexiconEntry, ScanResult } from './types.ts';
import { variantsOf } from './variants.ts';

/** class of a noise character: skipped without touching the automaton */
export const SKIP = 0xffff;
/** class of a high surrogate: the scan takes the astral slow path */
export const SURR = 0xfffe;
const SOFT_BIT = 0x10000;
const DIGIT0 = 1; // classes 1…10 are the digits 0…9 (normalised mode)
const LATIN_A = 11; // classes 11…36 are a…z (normalised mode)
const LATIN_Z = 36;

export interface ResolvedOptions {
  caseFold: boolean;
  width: boolean;
  traditional: boolean;
  noise: boolean;
  repetition: boolean;
  digits: boolean;
  boundaries: boolean;
  pinyin: boolean;
  homophones: boolean;
  contacts: boolean;
  contactLevel: Level;
  contactCategory: string;
  maxVariants: number;
}

export function resolveOptions(o: FilterOptions = {}): ResolvedOptions {
  const on = (v: boolean | undefined) => (o.exact ? v === true : v !== false);
  return {
    caseFold: on(o.caseFold),
    width: on(o.width),
    traditional: on(o.traditional),
    noise: on(o.noise),
    repetition: on(o.repetition),
    digits: on(o.digits),
    boundaries: on(o.boundaries),
    pinyin: on(o.pinyin),
    homophones: on(o.homophones),
    contacts: on(o.contacts),
    contactLevel: o.contactLevel ?? 1,
    contactCategory: o.contactCategory ?? 'contact',
    maxVariants: o.maxVariants ?? 64,
  };
}

/** Incremental scanning state: pass it back with each edit. */
export interface ScanState {
  text: string;
  result: ScanResult;
  /** automaton state after each UTF-16 unit (the array may be longer than the text: capacity) */
  states: Int32Array;
  /** per unit: 1 the unit was consumed by the automaton, 2 a digit run is open after it */
  info: Uint8Array;
  /** raw hits (before boundary and allow filtering): flat (node, start, end, emittedAt) quadruples */
  raw: number[];
  /** UTF-16 units the last step scanned (diagnostic: an edit re-scans only what it can affect) */
  rescanned: number;
}

export interface Filter {
  scan(text: string): ScanResult;
  /** Highest level present (0 if none), without building the hit list. */
  maxLevel(text: string): 0 | Level;
  /** Start an incremental session on `text`. */
  begin(text: string): ScanState;
  /**
   * Apply one edit; re-scans only what the edit can affect. The result equals scan(newText).
   * The state passed in may be reused (typing at the end grows it in place): keep only the
   * returned state.
   */
  edit(state: ScanState, edit: Edit): ScanState;
  /** Compact binary form; `loadFilter` restores it without rebuilding. */
  serialize(): Uint8Array;
  readonly entries: readonly LexiconEntry[];
  readonly options: ResolvedOptions;
  /** Number of automaton slots and patterns (words and variants). */
  readonly stats: { slots: number; nodes: number; patterns: number; bytes: number };
}

/** Lexicon entries kept compact: one string of all words, levels and category indexes in typed arrays. */
export interface EntryTable {
  words: string;
  /** word k is words.slice(offs[k], offs[k + 1]) */
  offs: Int32Array;
  levels: Uint8Array;
  cats: Uint16Array;
  categories: string[];
}

export function packEntries(entries: LexiconEntry[]): EntryTable {
  const offs = new Int32Array(entries.length + 1);
  const levels = new Uint8Array(entries.length);
  const cats = new Uint16Array(entries.length);
  const catIndex = new Map<string, number>();
  const categories: string[] = [];
  const parts: string[] = [];
  let len = 0;
  entries.forEach((e, k) => {
    offs[k] = len;
    parts.push(e.word);
    len += e.word.length;
    levels[k] = e.level;
    let c = catIndex.get(e.category);
    if (c === undefined) {
      c = categories.length;
      if (c > 0xffff) throw new Error('too many categories');
      categories.push(e.category);
      catIndex.set(e.category, c);
    }
    cats[k] = c;
  });
  offs[entries.length] = len;
  return { words: parts.join(''), offs, levels, cats, categories };
}

interface Core {
  entries: EntryTable;
  options: ResolvedOptions;
  ac: Automaton;
  /** raw code unit → class */
  cls: Uint16Array;
  /** canonical BMP code unit → class (for astral canonical forms that land in the BMP) */
  classOfCode: Uint16Array;
  /** astral canonical form (2 units) → class */
  astralClass: Map<string, number>;
  patterns: number;
  /** canonicalisation tables (normalised mode) */
  tables: CanonTables | undefined;
}

function mergeEntries(entries: LexiconEntry[]): LexiconEntry[] {
  const m = new Map<string, LexiconEntry>();
  for (const e of entries) {
    if (e.level !== 1 && e.level !== 2 && e.level !== 3) throw new RangeError(`invalid level ${String(e.level)} for "${e.word}"`);
    if (!e.word) continue;
    const prev = m.get(e.word);
    if (!prev || e.level < prev.level) m.set(e.word, e);
  }
  const out: LexiconEntry[] = [];
  // copies, so later changes to the caller's objects cannot reach the filter
  for (const e of m.values()) out.push({ word: e.word, level: e.level, category: e.category });
  return out;
}

function normalised(o: ResolvedOptions): boolean {
  return o.caseFold || o.width || o.traditional || o.noise || o.digits || o.repetition || o.boundaries || o.contacts;
}

function tablesFor(o: ResolvedOptions): CanonTables | undefined {
  if (!normalised(o)) return undefined;
  return canonTables({ caseFold: o.caseFold, width: o.width, traditional: o.traditional, digits: o.digits, noise: o.noise });
}

export function buildFilter(entries: LexiconEntry[], options: FilterOptions = {}): Filter {
  const o = resolveOptions(options);
  const merged = mergeEntries(entries);
  const tables = tablesFor(o);
  const norm = tables !== undefined;

  // 1. patterns: canonical string → (entry + 1 | 0, allow)
  const patEntry = new Map<string, number>();
  const patAllow = new Set<string>();
  const addPattern = (p: string, entry: number) => {
    if (!p) return;
    const prev = patEntry.get(p);
    if (prev === undefined || prev === 0 || merged[entry - 1]!.level < merged[prev - 1]!.level) patEntry.set(p, entry);
  };
  merged.forEach((e, i) => {
    const w = tables ? canonWord(e.word, tables) : e.word;
    addPattern(w, i + 1);
  });
  if (o.pinyin || o.homophones) {
    // per-word readings (context-aware: 银行 → yinhang) are slow; large lexicons read per character
    const perChar = merged.length > 5000;
    merged.forEach((e, i) => {
      const w = tables ? canonWord(e.word, tables) : e.word;
      for (const v of variantsOf(w, { pinyin: o.pinyin, homophones: o.homophones, max: o.maxVariants, perChar })) {
        const cv = tables ? canonWord(v, tables) : v;
        // a variant never overrides a real word
        if (!patEntry.has(cv)) addPattern(cv, i + 1);
        else if (patEntry.get(cv) === 0) patEntry.set(cv, i + 1);
      }
    });
  }
  for (const a of options.allow ?? []) {
    const w = tables ? canonWord(a, tables) : a;
    if (!w) continue;
    patAllow.add(w);
    if (!patEntry.has(w)) patEntry.set(w, 0);
  }

  // 2. classes by frequency (digits and a–z reserved in normalised mode): frequent characters
  // get small classes, which keeps the double array dense
  const freq = new Int32Array(65536);
  const astralFreq = new Map<string, number>();
  for (const p of patEntry.keys()) {
    for (let i = 0; i < p.length; i++) {
      const u = p.charCodeAt(i);
      if (norm && u >= 0xd800 && u <= 0xdbff && i + 1 < p.length) {
        const ch = p.slice(i, i + 2);
        astralFreq.set(ch, (astralFreq.get(ch) ?? 0) + 1);
        i++;
      } else freq[u]!++;
    }
  }
  const classOfCode = new Uint16Array(65536);
  const astralClass = new Map<string, number>();
  let next = 1;
  if (norm) {
    for (let d = 0; d < 10; d++) classOfCode[0x30 + d] = DIGIT0 + d;
    for (let l = 0; l < 26; l++) classOfCode[0x61 + l] = LATIN_A + l;
    next = LATIN_Z + 1;
  }
  const used: number[] = [];
  for (let u = 0; u < 65536; u++) if (freq[u]! > 0 && classOfCode[u] === 0) used.push(u);
  used.sort((x, y) => freq[y]! - freq[x]!);
  for (const u of used) classOfCode[u] = next++;
  for (const [ch] of [...astralFreq].sort((x, y) => y[1] - x[1])) astralClass.set(ch, next++);
  const maxClass = next - 1;
  if (maxClass >= SURR) throw new Error('too many distinct characters in the lexicon');

  // 3. keys as class sequences in one flat array
  const nKeys = patEntry.size;
  let total = 0;
  for (const p of patEntry.keys()) total += p.length;
  const flat = new Uint16Array(total);
  const offs = new Int32Array(nKeys + 1);
  const keyOut = new Int32Array(nKeys);
  const keyFlags = new Uint8Array(nKeys);
  let len = 0;
  let k = 0;
  for (const [p, entry] of patEntry) {
    offs[k] = len;
    for (let i = 0; i < p.length; i++) {
      const u = p.charCodeAt(i);
      if (norm && u >= 0xd800 && u <= 0xdbff && i + 1 < p.length) {
        flat[len++] = astralClass.get(p.slice(i, i + 2))!;
        i++;
      } else flat[len++] = classOfCode[u]!;
    }
    let flags = patAllow.size && patAllow.has(p) ? F_ALLOW : 0;
    if (norm && o.boundaries) {
      const f = p.charCodeAt(0);
      const l = p.charCodeAt(p.length - 1);
      if (isLatin(f)) flags |= F_START_LATIN;
      if (isDigit(f)) flags |= F_START_DIGIT;
      if (isLatin(l)) flags |= F_END_LATIN;
      if (isDigit(l)) flags |= F_END_DIGIT;
    }
    keyOut[k] = entry;
    keyFlags[k] = flags;
    k++;
  }
  offs[k] = len;
  const ac = buildAutomaton(flat, offs, nKeys, keyOut, keyFlags, maxClass);
  const patterns = nKeys;

  // 4. raw code unit → class
  const cls = new Uint16Array(65536);
  if (tables) {
    const { canon, noise } = tables;
    const astral = o.width || o.noise;
    for (let u = 0; u < 65536; u++) cls[u] = noise[u] ? SKIP : classOfCode[canon[u]!]!;
    if (astral) {
      cls.fill(SURR, 0xd800, 0xdc00);
      // BMP emoji substitutes take the slow path too, where they are "soft"
      if (o.width) for (const k of Object.keys(EMOJI_SUBSTITUTES)) if (k.length === 1) cls[k.charCodeAt(0)] = SURR;
    }
  } else cls.set(classOfCode);

  return makeFilter({ entries: packEntries(merged), options: o, ac, cls, classOfCode, astralClass, patterns, tables });
}

/**
 * A mainland mobile number: 11 digits 1[3-9]…, or 13 digits with the 86 country code. `head`
 * holds the first four digits as hex nibbles (0x13xx for 13…).
 */
function isMobile(len: number, head: number): boolean {
  if (len === 11) return head >> 12 === 1 && ((head >> 8) & 15) >= 3;
  if (len === 13) return head >> 8 === 0x86 && ((head >> 4) & 15) === 1 && (head & 15) >= 3;
  return false;
}

interface LoopTables {
  cls: Uint16Array;
  da: Int32Array;
  fail: Int32Array;
  firstOut: Int32Array;
  dict: Int32Array;
  depth: Uint16Array;
  ring: Int32Array;
  mask: number;
  contacts: boolean;
  rep: boolean;
  astral: (cp: number) => number;
}

/**
 * The normalised scan loop (hot path): every table in a local, no allocation except hits,
 * which go to `raw` as (node, start, end) triples, node -1 for a phone number.
 */
function loopNorm(K: LoopTables, text: string, raw: number[]): void {
  const { cls, da, fail, firstOut, dict, depth, ring, mask, contacts, rep } = K;
  const L = text.length;
  let s = 0;
  let n = 0;
  let last = -1;
  let runLen = 0;
  let runStart = 0;
  let runEnd = 0;
  let head = 0;
  for (let i = 0; i < L; i++) {
    const pos = i;
    let c = cls[text.charCodeAt(i)]!;
    if (c >= SURR) {
      if (c === SKIP) continue;
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      c = K.astral(cp);
      if (c & SOFT_BIT) {
        // emoji substitute: a character only where it extends the match
        c &= ~SOFT_BIT;
        if ((da[2 * (da[2 * s]! + c) + 1]! & CHECK_MASK) !== s) c = SKIP;
      }
      if (c === SKIP) continue;
    }
    if (contacts) {
      if (c >= DIGIT0 && c < DIGIT0 + 10) {
        // the first four digits, packed, decide whether the run is a mobile number
        if (runLen === 0) {
          runStart = pos;
          head = 0;
        }
        if (runLen < 4) head = head * 16 + (c - DIGIT0);
        runLen++;
        runEnd = i + 1;
      } else if (runLen !== 0) {
        if (isMobile(runLen, head)) raw.push(-1, runStart, runEnd);
        runLen = 0;
      }
    }
    // a repeated CJK character that does not extend the match is skipped like noise
    if (c === last && rep && c > LATIN_Z && (da[2 * (da[2 * s]! + c) + 1]! & CHECK_MASK) !== s) continue;
    last = c;
    ring[n & mask] = pos;
    n++;
    let hasOut = false;
    if (c === 0) s = 0;
    else
      for (;;) {
        const t = da[2 * s]! + c;
        const chk = da[2 * t + 1]!;
        if ((chk & CHECK_MASK) === s) {
          s = t;
          hasOut = chk < 0;
          break;
        }
        if (s === 0) break;
        s = fail[s]!;
      }
    if (hasOut) for (let q = firstOut[s]!; q !== 0; q = dict[q]!) raw.push(q, ring[(n - depth[q]!) & mask]!, i + 1);
  }
  if (runLen !== 0 && isMobile(runLen, head)) raw.push(-1, runStart, runEnd);
}

/** Exact matching: code units as they are, every occurrence. */
function loopExact(K: LoopTables, text: string, raw: number[]): void {
  const { cls, da, fail, firstOut, dict, depth } = K;
  const L = text.length;
  let s = 0;
  for (let i = 0; i < L; i++) {
    const c = cls[text.charCodeAt(i)]!;
    let hasOut = false;
    if (c === 0) s = 0;
    else
      for (;;) {
        const t = da[2 * s]! + c;
        const chk = da[2 * t + 1]!;
        if ((chk & CHECK_MASK) === s) {
          s = t;
          hasOut = chk < 0;
          break;
        }
        if (s === 0) break;
        s = fail[s]!;
      }
    if (hasOut) for (let q = firstOut[s]!; q !== 0; q = dict[q]!) raw.push(q, i + 1 - depth[q]!, i + 1);
  }
}

function countNodes(da: Int32Array, size: number): number {
  let n = 0;
  for (let t = 0; t < size; t++) if (da[2 * t + 1]! !== -1) n++;
  return n;
}

export function makeFilter(core: Core): Filter {
  const { entries: E, options: o, ac, cls, classOfCode, astralClass, tables } = core;
  let entryList: LexiconEntry[] | undefined;
  const norm = tables !== undefined;
  const canon = tables?.canon;
  const { da, firstOut, dict, out, flags, depth } = ac;
  let ringSize = 1;
  while (ringSize < ac.maxDepth + 1) ringSize <<= 1;
  const mask = ringSize - 1;
  const ring = new Int32Array(ringSize);
  const astralCache = new Map<number, number>();
  const checkBounds = o.boundaries;
  const rep = o.repetition;
  const contacts = o.contacts && norm;
  const contactEntry: LexiconEntry = { word: '手机号', level: o.contactLevel, category: o.contactCategory };

  /** class of a code point taken through the slow path; SOFT_BIT marks an emoji substitute */
  const astralClassOf = (cp: number): number => {
    let c = astralCache.get(cp);
    if (c !== undefined) return c;
    const sub = o.width ? EMOJI_SUBSTITUTES[String.fromCodePoint(cp)] : undefined;
    if (sub) {
      c = classOfCode[tables!.canon[sub.charCodeAt(0)]!]!;
      c = c === 0 ? SKIP : c | SOFT_BIT;
      astralCache.set(cp, c);
      return c;
    }
    const ch = canonAstral(cp, tables!);
    if (ch === '') c = SKIP;
    else if (ch.length === 1) c = classOfCode[ch.charCodeAt(0)]!;
    else c = astralClass.get(ch) ?? 0;
    astralCache.set(cp, c);
    return c;
  };

  const K: LoopTables = { cls, da, fail: ac.fail, firstOut, dict, depth, ring, mask, contacts, rep, astral: astralClassOf };
  const scanNorm = (text: string, raw: number[]): void => loopNorm(K, text, raw);
  const scanExact = (text: string, raw: number[]): void => loopExact(K, text, raw);

  /** canonical unit of the character at i (astral characters through their canonical form) */
  const canonAt = (text: string, i: number): number => {
    if (i < 0 || i >= text.length) return 0;
    let u = text.charCodeAt(i);
    if ((u & 0xfc00) === 0xdc00 && i > 0) {
      i--; // low surrogate: look at the whole pair
      u = text.charCodeAt(i);
    }
    if ((u & 0xfc00) === 0xd800) {
      const ch = canonAstral(text.codePointAt(i)!, tables!);
      return ch.length === 1 ? ch.charCodeAt(0) : 0;
    }
    return canon![u]!;
  };
  const latinAt = (text: string, i: number): boolean => isLatin(canonAt(text, i));
  const digitAt = (text: string, i: number): boolean => isDigit(canonAt(text, i));

  /** boundary and allow-list filtering, then hits sorted by (start, end) */
  const finish = (text: string, raw: number[], stride: number): ScanResult => {
    const hits: Hit[] = [];
    let allow: number[] | null = null;
    for (let k = 0; k < raw.length; k += stride) {
      const q = raw[k]!;
      const start = raw[k + 1]!;
      const end = raw[k + 2]!;
      if (q === -1) {
        if (!digitAt(text, start - 1) && !digitAt(text, end))
          hits.push({ word: contactEntry.word, level: contactEntry.level, category: contactEntry.category, start, end });
        continue;
      }
      const f = flags[q]!;
      if (checkBounds && f & (F_START_LATIN | F_START_DIGIT | F_END_LATIN | F_END_DIGIT)) {
        if (f & F_START_LATIN && latinAt(text, start - 1)) continue;
        if (f & F_START_DIGIT && digitAt(text, start - 1)) continue;
        if (f & F_END_LATIN && latinAt(text, end)) continue;
        if (f & F_END_DIGIT && digitAt(text, end)) continue;
      }
      if (f & F_ALLOW) (allow ??= []).push(start, end);
      const e = out[q]!;
      if (e !== 0) {
        hits.push({
          word: E.words.slice(E.offs[e - 1]!, E.offs[e]!),
          level: E.levels[e - 1]! as Level,
          category: E.categories[E.cats[e - 1]!]!,
          start,
          end,
        });
      }
    }
    let kept = hits;
    if (allow && hits.length) {
      const al = allow;
      kept = hits.filter((h) => {
        for (let k = 0; k < al.length; k += 2) if (al[k]! <= h.start && al[k + 1]! >= h.end) return false;
        return true;
      });
    }
    kept.sort((a, b) => a.start - b.start || a.end - b.end);
    let maxLevel: 0 | Level = 0;
    for (const h of kept) if (maxLevel === 0 || h.level < maxLevel) maxLevel = h.level;
    return { maxLevel, hits: kept };
  };

  const scratch: number[] = [];
  const scan = (text: string): ScanResult => {
    scratch.length = 0;
    if (norm) scanNorm(text, scratch);
    else scanExact(text, scratch);
    return finish(text, scratch, 3);
  };

  /** class of the unit at i as the scan consumed it (soft substitutes resolved) */
  const classAt = (text: string, i: number): number => {
    let c = cls[text.charCodeAt(i)]!;
    if (c === SURR) c = astralClassOf(text.codePointAt(i)!) & ~SOFT_BIT;
    return c;
  };

  /**
   * The tracked loop behind incremental checks: same decisions as scanNorm/scanExact, plus the
   * automaton state after every unit (`states`), per-unit flags (`info`: 1 consumed, 2 inside a
   * digit run) and hits as (node, start, end, emittedAt) quadruples. Starts at `from` with the
   * context of the old scan there; with `conv`, stops as soon as the new scan provably agrees
   * with the old one and returns that index (-1 when it ran to the end).
   */
  const runTracked = (
    text: string,
    from: number,
    s0: number,
    last0: number,
    ringInit: number[],
    raw: number[],
    states: Int32Array,
    info: Uint8Array,
    conv: { states: Int32Array; info: Uint8Array; delta: number; editEnd: number } | null,
  ): number => {
    const L = text.length;
    let s = s0;
    let last = last0;
    let n = 0;
    for (const p of ringInit) ring[n++ & mask] = p;
    let runLen = 0;
    let runStart = 0;
    let runEnd = 0;
    let head = 0;
    for (let i = from; i < L; i++) {
      const pos = i;
      let consumed = 0;
      let c = cls[text.charCodeAt(i)]!;
      if (norm && c === SURR) {
        const cp = text.codePointAt(i)!;
        if (cp > 0xffff) i++;
        c = astralClassOf(cp);
        if (c & SOFT_BIT) {
          c &= ~SOFT_BIT;
          if ((da[2 * (da[2 * s]! + c) + 1]! & CHECK_MASK) !== s) c = SKIP;
        }
      }
      if (!(norm && c === SKIP)) {
        if (contacts) {
          if (c >= DIGIT0 && c < DIGIT0 + 10) {
            if (runLen === 0) {
              runStart = pos;
              head = 0;
            }
            if (runLen < 4) head = head * 16 + (c - DIGIT0);
            runLen++;
            runEnd = i + 1;
          } else if (runLen !== 0) {
            if (isMobile(runLen, head)) raw.push(-1, runStart, runEnd, pos);
            runLen = 0;
          }
        }
        if (!(norm && c === last && rep && c > LATIN_Z && (da[2 * (da[2 * s]! + c) + 1]! & CHECK_MASK) !== s)) {
          consumed = 1;
          last = c;
          ring[n & mask] = pos;
          n++;
          if (c === 0) s = 0;
          else
            for (;;) {
              const t = da[2 * s]! + c;
              if ((da[2 * t + 1]! & CHECK_MASK) === s) {
                s = t;
                break;
              }
              if (s === 0) break;
              s = ac.fail[s]!;
            }
          for (let q = firstOut[s]!; q !== 0; q = dict[q]!) raw.push(q, ring[(n - depth[q]!) & mask]!, i + 1, pos);
        }
      }
      const fl = consumed | (runLen !== 0 ? 2 : 0);
      states[pos] = s;
      info[pos] = fl;
      if (i > pos) {
        states[i] = s;
        info[i] = fl & 2;
      }
      if (conv && pos >= conv.editEnd) {
        const jo = i - conv.delta;
        if (jo < conv.states.length && conv.states[jo] === s && conv.info[jo] === info[i] && (fl & 2) === 0) {
          // the state's characters must be the same units, consumed the same way, in both texts
          const from = depth[s] === 0 ? i : ring[(n - depth[s]!) & mask]!;
          if (from >= conv.editEnd) {
            let same = true;
            for (let p = from; p < i && same; p++) same = info[p] === conv.info[p - conv.delta];
            if (same) return i;
          }
        }
      }
    }
    if (runLen !== 0 && isMobile(runLen, head)) raw.push(-1, runStart, runEnd, L);
    return -1;
  };

  const begin = (text: string): ScanState => {
    const raw: number[] = [];
    const states = new Int32Array(text.length);
    const info = new Uint8Array(text.length);
    runTracked(text, 0, 0, -1, [], raw, states, info, null);
    return { text, states, info, raw, rescanned: text.length, result: finish(text, raw, 4) };
  };

  const edit = (st: ScanState, ed: Edit): ScanState => {
    const old = st.text;
    const text = applyEdit(old, ed);
    const delta = ed.insert.length - ed.deleteCount;
    // restart where the old scan's context is known: not inside a digit run or a surrogate pair
    let r = ed.start;
    if (r > 0 && (old.charCodeAt(r - 1) & 0xfc00) === 0xd800) r--; // an edit inside a surrogate pair
    while (r > 0 && st.info[r - 1]! & 2) r--;
    const s0 = r > 0 ? st.states[r - 1]! : 0;
    const ringInit: number[] = [];
    let last0 = -1;
    for (let p = r - 1; p >= 0 && ringInit.length < ringSize; p--) {
      if (st.info[p]! & 1) {
        if (last0 === -1) last0 = classAt(old, p);
        ringInit.push(p);
      }
    }
    ringInit.reverse();
    const oldLen = old.length;
    // Typing at the end (the usual case) cannot converge, so the new scan never reads the old
    // state past r: the buffers are reused in place, grown geometrically.
    const append = ed.start === oldLen && ed.deleteCount === 0;
    let states: Int32Array;
    let info: Uint8Array;
    let raw: number[];
    const oldRaw = st.raw;
    let k = 0;
    if (append && st.states.length >= text.length) {
      states = st.states;
      info = st.info;
    } else {
      const cap = append ? Math.max(16, text.length * 2) : text.length;
      states = new Int32Array(cap);
      info = new Uint8Array(cap);
      states.set(st.states.subarray(0, r));
      info.set(st.info.subarray(0, r));
    }
    if (append) {
      raw = oldRaw;
      while (k < raw.length && raw[k + 3]! < r) k += 4;
      raw.length = k;
    } else {
      raw = [];
      while (k < oldRaw.length && oldRaw[k + 3]! < r) {
        raw.push(oldRaw[k]!, oldRaw[k + 1]!, oldRaw[k + 2]!, oldRaw[k + 3]!);
        k += 4;
      }
    }
    const editEnd = ed.start + ed.insert.length;
    const j = append
      ? runTracked(text, r, s0, last0, ringInit, raw, states, info, null)
      : runTracked(text, r, s0, last0, ringInit, raw, states, info, {
          states: st.states.subarray(0, oldLen),
          info: st.info.subarray(0, oldLen),
          delta,
          editEnd,
        });
    if (j >= 0) {
      const jo = j - delta;
      states.set(st.states.subarray(jo + 1, oldLen), j + 1);
      info.set(st.info.subarray(jo + 1, oldLen), j + 1);
      for (; k < oldRaw.length; k += 4) {
        if (oldRaw[k + 3]! > jo) raw.push(oldRaw[k]!, oldRaw[k + 1]! + delta, oldRaw[k + 2]! + delta, oldRaw[k + 3]! + delta);
      }
    }
    return { text, states, info, raw, rescanned: (j >= 0 ? j + 1 : text.length) - r, result: finish(text, raw, 4) };
  };

  const serialize = (): Uint8Array => serializeCore(core);

  const bytes =
    da.byteLength + ac.fail.byteLength + firstOut.byteLength + dict.byteLength + out.byteLength + flags.byteLength + depth.byteLength + cls.byteLength + classOfCode.byteLength + (tables ? tables.canon.byteLength + tables.noise.byteLength : 0);

  return {
    scan,
    maxLevel: (text) => scan(text).maxLevel,
    begin,
    edit,
    serialize,
    get entries() {
      entryList ??= Array.from(E.levels, (level, k) => ({
        word: E.words.slice(E.offs[k]!, E.offs[k + 1]!),
        level: level as Level,
        category: E.categories[E.cats[k]!]!,
      }));
      return entryList;
    },
    options: o,
    stats: {
      slots: ac.size,
      get nodes() {
        return countNodes(da, ac.size);
      },
      patterns: core.patterns,
      bytes,
    },
  };
}

import { applyEdit } from './incremental.ts';
import { serializeCore } from './serialize.ts';
export type { Core };
