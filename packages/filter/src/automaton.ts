/**
 * Aho–Corasick automaton on a double-array trie (typed arrays only). Keys are strings whose
 * code units are character classes (1…0xFFFD), already sorted; build follows Darts: the trie
 * is laid out directly from the sorted keys, then failure and output links are added in
 * depth order.
 */

export interface Automaton {
  /** interleaved double array: da[2t] = base, da[2t+1] = check (parent, -1 free) */
  da: Int32Array;
  fail: Int32Array;
  /** first node with an output on t's suffix chain (t itself included), 0 if none */
  firstOut: Int32Array;
  /** next node with an output on the suffix chain after t, 0 if none */
  dict: Int32Array;
  /** entry index + 1 for the key ending at t, 0 if none */
  out: Int32Array;
  /** per node: bit0 allow-list word, bit1/2 starts with a Latin letter/digit, bit3/4 ends with one */
  flags: Uint8Array;
  /** key length (in classes) of the node */
  depth: Uint16Array;
  /** number of slots (the arrays above have this length; da twice) */
  size: number;
  maxDepth: number;
}

export const F_ALLOW = 1;
export const F_START_LATIN = 2;
export const F_START_DIGIT = 4;
export const F_END_LATIN = 8;
export const F_END_DIGIT = 16;

export function buildAutomaton(
  keys: string[],
  keyOut: Int32Array,
  keyFlags: Uint8Array,
  maxClass: number,
): Automaton {
  let cap = Math.max(1024, keys.length * 4 + maxClass + 2);
  let base = new Int32Array(cap);
  let check = new Int32Array(cap).fill(-1);
  let depth = new Uint16Array(cap);
  let out = new Int32Array(cap);
  let flags = new Uint8Array(cap);
  check[0] = -2;
  let used = 1; // highest used slot + 1
  let nextCheckPos = 1;
  let maxDepth = 0;
  const nodes: number[] = [];

  const ensure = (n: number) => {
    if (n < cap) return;
    let nc = cap;
    while (nc <= n) nc *= 2;
    const g = <T extends Int32Array | Uint16Array | Uint8Array>(a: T, fill?: number): T => {
      const b = new (a.constructor as new (n: number) => T)(nc);
      b.set(a);
      if (fill !== undefined) b.fill(fill, cap);
      return b;
    };
    base = g(base);
    check = g(check, -1);
    depth = g(depth);
    out = g(out);
    flags = g(flags);
    cap = nc;
  };

  const findBase = (cs: number[]): number => {
    const c0 = cs[0]!;
    const last = cs[cs.length - 1]!;
    let pos = Math.max(nextCheckPos, c0 + 1) - 1;
    let nonzero = 0;
    let first = true;
    outer: for (;;) {
      pos++;
      ensure(pos + last - c0 + 1);
      if (check[pos] !== -1) {
        nonzero++;
        continue;
      }
      if (first) {
        nextCheckPos = pos;
        first = false;
      }
      const b = pos - c0;
      for (let k = 1; k < cs.length; k++) if (check[b + cs[k]!] !== -1) continue outer;
      // Darts' density heuristic: skip a crowded prefix on later searches.
      if (nonzero / (pos - nextCheckPos + 1) >= 0.95) nextCheckPos = pos;
      return b;
    }
  };

  // iterative Darts fill: stack of (lo, hi, depth, node)
  const stack: number[] = [0, keys.length, 0, 0];
  const cs: number[] = [];
  const starts: number[] = [];
  while (stack.length) {
    const node = stack.pop()!;
    const d = stack.pop()!;
    const hi = stack.pop()!;
    let lo = stack.pop()!;
    if (lo < hi && keys[lo]!.length === d) {
      out[node] = keyOut[lo]!;
      flags[node] = keyFlags[lo]!;
      lo++;
    }
    if (lo >= hi) continue;
    cs.length = 0;
    starts.length = 0;
    let prev = -1;
    for (let j = lo; j < hi; j++) {
      const c = keys[j]!.charCodeAt(d);
      if (c !== prev) {
        cs.push(c);
        starts.push(j);
        prev = c;
      }
    }
    starts.push(hi);
    const b = findBase(cs);
    base[node] = b;
    for (let k = 0; k < cs.length; k++) {
      const t = b + cs[k]!;
      check[t] = node;
      depth[t] = d + 1;
      nodes.push(t);
      if (t + 1 > used) used = t + 1;
    }
    if (d + 1 > maxDepth) maxDepth = d + 1;
    for (let k = cs.length - 1; k >= 0; k--) stack.push(starts[k]!, starts[k + 1]!, d + 1, b + cs[k]!);
  }

  // Every lookup base[s] + c with c ≤ maxClass must stay inside the arrays.
  let maxBase = 0;
  for (const t of nodes) if (base[t]! > maxBase) maxBase = base[t]!;
  if (base[0]! > maxBase) maxBase = base[0]!;
  const size = Math.max(used, maxBase + maxClass + 1);
  ensure(size);

  const da = new Int32Array(size * 2);
  for (let t = 0; t < size; t++) {
    da[2 * t] = base[t]!;
    da[2 * t + 1] = check[t]!;
  }
  const fail = new Int32Array(size);
  const firstOut = new Int32Array(size);
  const dict = new Int32Array(size);

  // depth order via counting sort
  const byDepth: number[][] = [];
  for (const t of nodes) (byDepth[depth[t]!] ??= []).push(t);
  for (let d = 1; d < byDepth.length; d++) {
    for (const t of byDepth[d] ?? []) {
      const p = check[t]!;
      const c = t - base[p]!;
      let f = 0;
      if (p !== 0) {
        let q = fail[p]!;
        for (;;) {
          const u = base[q]! + c;
          if (check[u] === q) {
            f = u;
            break;
          }
          if (q === 0) break;
          q = fail[q]!;
        }
      }
      fail[t] = f;
      dict[t] = firstOut[f]!;
      firstOut[t] = out[t] !== 0 || flags[t] !== 0 && (flags[t]! & F_ALLOW) !== 0 ? t : dict[t]!;
    }
  }
  return {
    da,
    fail,
    firstOut,
    dict,
    out: out.slice(0, size),
    flags: flags.slice(0, size),
    depth: depth.slice(0, size),
    size,
    maxDepth,
  };
}
