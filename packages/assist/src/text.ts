/** Text normalisation and hashed character n-gram features shared by the models. */

/** Full-width ASCII → half-width, ideographic space → space, upper → lower case. */
export function normalise(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCodePoint(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += ch;
  }
  return out.toLowerCase();
}

/** FNV-1a over UTF-16 code units, 32-bit. */
function fnv(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One named token hashed into the feature space (for extra, non-n-gram features). */
export function hashToken(token: string, bits: number): number {
  return fnv('\u0001' + token, 0x9747b28c) & ((1 << bits) - 1);
}

export interface FeatureOptions {
  /** Hash space is 2^bits buckets. */
  bits: number;
  /** Character n-gram orders, e.g. [1, 2, 3]. */
  orders: number[];
}

export const DEFAULT_FEATURES: FeatureOptions = { bits: 18, orders: [1, 2, 3] };

/**
 * Hashed, de-duplicated character n-grams of `text` (binary presence), with a boundary marker
 * so that "starts with" and "ends with" are features too. Digits are folded to 0 so order
 * numbers and amounts do not flood the table.
 */
export function features(text: string, opt: FeatureOptions = DEFAULT_FEATURES): Uint32Array {
  const s = featureText(text);
  const seen = new Set<number>();
  for (const n of opt.orders) {
    for (let i = 0; i + n <= s.length; i++) seen.add(gramHash(s.slice(i, i + n), n, opt.bits));
  }
  return Uint32Array.from(seen);
}

/** The string the n-grams are taken from: normalised, digits folded, with boundary marks. */
export function featureText(text: string): string {
  return '\u0002' + normalise(text).replace(/\s+/g, ' ').replace(/[0-9]/g, '0').replace(/0{2,}/g, '00') + '\u0003';
}

/** The bucket of one n-gram of order n. */
export function gramHash(gram: string, n: number, bits: number): number {
  return fnv(gram, 0x811c9dc5 ^ n) & ((1 << bits) - 1);
}
