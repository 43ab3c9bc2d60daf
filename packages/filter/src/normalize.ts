/// <reference path="./opencc-dict.d.ts" />
/**
 * Character canonicalisation tables. Every raw UTF-16 code unit maps to one canonical code unit
 * (case, width/NFKC, traditional → simplified, digit forms) and is classified as a letter or as
 * noise. The tables are built once per switch combination and shared by every filter.
 */
// opencc-js's single-character traditional → simplified table ("trad simp[ simp…]|…"); importing
// the table alone avoids loading (and parsing) the whole converter with every dictionary.
import TS_CHARACTERS from 'opencc-js/dict/TSCharacters';

export interface CanonSwitches {
  caseFold: boolean;
  width: boolean;
  traditional: boolean;
  digits: boolean;
  noise: boolean;
}

export interface CanonTables {
  /** raw code unit → canonical code unit */
  canon: Uint16Array;
  /** raw code unit → 1 when the canonical character is noise (not a letter or number) */
  noise: Uint8Array;
  switches: CanonSwitches;
}

/** Chinese numerals and financial forms → ASCII digits (after traditional → simplified). */
const DIGIT_FORMS: Record<string, string> = {
  '〇': '0', '零': '0', '洞': '0',
  '一': '1', '壹': '1', '幺': '1', '么': '1',
  '二': '2', '贰': '2', '两': '2',
  '三': '3', '叁': '3',
  '四': '4', '肆': '4',
  '五': '5', '伍': '5',
  '六': '6', '陆': '6',
  '七': '7', '柒': '7', '拐': '7',
  '八': '8', '捌': '8',
  '九': '9', '玖': '9', '勾': '9',
};
// 洞/么/拐/勾/两 are radio-style digit readings; they are common words too, so only digits
// switch maps them, and only the phone detector and digit-bearing words ever see the result.
delete DIGIT_FORMS['洞'];
delete DIGIT_FORMS['么'];
delete DIGIT_FORMS['拐'];
delete DIGIT_FORMS['勾'];
delete DIGIT_FORMS['两'];

/** Latin look-alikes from other scripts (Cyrillic, Greek) that NFKC leaves alone. */
const LATIN_CONFUSABLES: Record<string, string> = {
  'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c',
  'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ј': 'j', 'ԛ': 'q', 'ԝ': 'w',
  'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
  'υ': 'u', 'χ': 'x', 'ω': 'w', 'ь': 'b', 'г': 'r', 'п': 'n', 'ɡ': 'g', 'ı': 'i',
};

/**
 * Emoji written in place of a character (BMP and astral). They are "soft": the scan takes one as
 * its character when that extends the current match, and skips it as noise otherwise, so
 * 加✉ matches 加信 while 支💰付 still matches 支付.
 */
export const EMOJI_SUBSTITUTES: Record<string, string> = {
  '💰': '钱', '💴': '钱', '💵': '钱', '🐴': '马', '🐎': '马', '🐶': '狗', '🐕': '狗',
  '🐷': '猪', '🐖': '猪', '✉': '信', '✉️': '信', '📧': '邮', '🈶': '有', '🈚': '无',
  '⭕': 'o', '❌': 'x', '✖': 'x', '+': '加', '➕': '加', '＋': '加',
};

let tradMap: Map<number, number> | undefined;

/** Single-character traditional → simplified map, from opencc-js's TSCharacters table. */
function traditionalMap(): Map<number, number> {
  if (tradMap) return tradMap;
  const m = new Map<number, number>();
  for (const pair of TS_CHARACTERS.split('|')) {
    const sp = pair.indexOf(' ');
    if (sp < 0) continue;
    const from = pair.slice(0, sp);
    const end = pair.indexOf(' ', sp + 1);
    const to = pair.slice(sp + 1, end < 0 ? pair.length : end);
    // BMP one-to-one only: the scan maps one code unit to one code unit
    if (from.length === 1 && to.length === 1 && from !== to) m.set(from.charCodeAt(0), to.charCodeAt(0));
  }
  tradMap = m;
  return m;
}

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const cache = new Map<string, CanonTables>();

function key(s: CanonSwitches): string {
  return `${+s.caseFold}${+s.width}${+s.traditional}${+s.digits}${+s.noise}`;
}

/** Canonical form of one BMP character under the switches (before the table exists). */
function canonChar(ch: string, s: CanonSwitches, trad: Map<number, number> | undefined): string {
  let c = ch;
  if (s.width) {
    const n = c.normalize('NFKC');
    if (n.length === 1) c = n;
    const conf = LATIN_CONFUSABLES[c.toLowerCase()];
    if (conf) c = c === c.toLowerCase() ? conf : conf.toUpperCase();
  }
  if (s.caseFold) {
    const l = c.toLowerCase();
    if (l.length === 1) c = l;
  }
  if (trad) {
    const t = trad.get(c.charCodeAt(0));
    if (t !== undefined) c = String.fromCharCode(t);
  }
  if (s.digits) {
    const d = DIGIT_FORMS[c];
    if (d) c = d;
  }
  return c;
}

export function canonTables(s: CanonSwitches): CanonTables {
  const k = key(s);
  const hit = cache.get(k);
  if (hit) return hit;
  const canon = new Uint16Array(65536);
  const noise = new Uint8Array(65536);
  const trad = s.traditional ? traditionalMap() : undefined;
  for (let u = 0; u < 65536; u++) {
    if (u >= 0xd800 && u <= 0xdfff) {
      canon[u] = u;
      continue;
    }
    // CJK unified ideographs and Hangul syllables: NFKC and case are identities, always letters
    if ((u >= 0x4e00 && u <= 0x9fff) || (u >= 0x3400 && u <= 0x4dbf) || (u >= 0xac00 && u <= 0xd7a3)) {
      let c = trad?.get(u) ?? u;
      if (s.digits) {
        const d = DIGIT_FORMS[String.fromCharCode(c)];
        if (d) c = d.charCodeAt(0);
      }
      canon[u] = c;
      continue;
    }
    const ch = String.fromCharCode(u);
    const c = canonChar(ch, s, trad);
    canon[u] = c.charCodeAt(0);
    if (s.noise && !LETTER_OR_NUMBER.test(c)) noise[u] = 1;
  }
  const t: CanonTables = { canon, noise, switches: s };
  cache.set(k, t);
  return t;
}

/** Canonical character for an astral code point (stylised maths letters, emoji): '' when noise. */
export function canonAstral(cp: number, t: CanonTables): string {
  let ch = String.fromCodePoint(cp);
  const s = t.switches;
  if (s.width) {
    const n = ch.normalize('NFKC');
    if (n.length === 1) ch = n;
  }
  if (ch.length === 1) {
    const u = ch.charCodeAt(0);
    return s.noise && t.noise[u] ? '' : String.fromCharCode(t.canon[u]!);
  }
  if (s.noise && !/^[\p{L}\p{N}]$/u.test(ch)) return '';
  return ch;
}

/**
 * Canonical form of a lexicon word: the canonical characters with noise dropped. The same
 * function shapes the lexicon and the text, so they always agree.
 */
export function canonWord(word: string, t: CanonTables): string {
  // most lexicon words are already canonical: check before building a new string
  let same = true;
  for (let i = 0; i < word.length && same; i++) {
    const u = word.charCodeAt(i);
    same = t.canon[u] === u && t.noise[u] === 0 && (u < 0xd800 || u > 0xdfff);
  }
  if (same) return word;
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const u = word.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdbff && i + 1 < word.length && (t.switches.width || t.switches.noise)) {
      const cp = word.codePointAt(i)!;
      i++;
      out += canonAstral(cp, t);
      continue;
    }
    if (t.noise[u]) continue;
    out += String.fromCharCode(t.canon[u]!);
  }
  return out;
}

export function isLatin(u: number): boolean {
  return (u >= 0x61 && u <= 0x7a) || (u >= 0x41 && u <= 0x5a);
}
export function isDigit(u: number): boolean {
  return u >= 0x30 && u <= 0x39;
}
