/**
 * Aho–Corasick automaton on a double-array trie (typed arrays only). Keys are sequences of
 * character classes (1…0xFFFD) in one flat array, distinct. The build follows Darts: each trie
 * node's children are found by sorting its key range on the next class (an MSD radix sort, so
 * no global string sort), placed in the double array at the first base that fits, then
 * failure and output links are added in depth order.
 */

export interface Automaton {
  /**
   * interleaved double array: da[2t] = base, da[2t+1] = check (parent, -1 free) with bit 31 set
   * when t has an output on its suffix chain — the scan learns it from the word it has just read
   * to verify the transition, with no extra memory access. Compare `check & CHECK_MASK`.
   */
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

export const CHECK_MASK = 0x7fffffff;
export const HAS_OUT = 1 << 31;

export const F_ALLOW = 1;
export const F_START_LATIN = 2;
export const F_START_DIGIT = 4;
export const F_END_LATIN = 8;
export const F_END_DIGIT = 16;

const PACK = 2 ** 22; // key index < 4M patterns

export function buildAutomaton(
  flat: Uint16Array,
  offs: Int32Array,
  nKeys: number,
  keyOut: Int32Array,
  keyFlags: Uint8Array,
  maxClass: number,
): Automaton {
  if (nKeys >= PACK) throw new Error('too many patterns');
  // a trie has at most one node per key character: size the arrays once (Darts packs densely)
  let cap = Math.max(1024, Math.ceil(flat.length * 1.05) + maxClass + 2);
  let base = new Int32Array(cap);
  let check = new Int32Array(cap).fill(-1);
  let depth = new Uint16Array(cap);
  let out = new Int32Array(cap);
  let flags = new Uint8Array(cap);
  check[0] = -2;
  let used = 1; // highest used slot + 1
  let maxDepth = 0;
  let nodes = new Int32Array(flat.length + 16);
  let nodeCount = 0;

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

  let nextCheckPos = 1;
  const findBase = (cs: Int32Array, ncs: number): number => {
    const c0 = cs[0]!;
    const last = cs[ncs - 1]!;
    let pos = Math.max(nextCheckPos, c0 + 1) - 1;
    let nonzero = 0;
    let first = true;
    outer: for (;;) {
      pos++;
      if (pos + last - c0 + 1 >= cap) ensure(pos + last - c0 + 1);
      if (check[pos] !== -1) {
        nonzero++;
        continue;
      }
      if (first) {
        nextCheckPos = pos;
        first = false;
      }
      const b = pos - c0;
      for (let k = 1; k < ncs; k++) if (check[b + cs[k]!] !== -1) continue outer;
      // Darts' density heuristic: skip a crowded prefix on later searches.
      if (nonzero / (pos - nextCheckPos + 1) >= 0.95) nextCheckPos = pos;
      return b;
    }
  };

  // Darts fill over a permutation of the keys. The first levels go breadth first (a FIFO), so the
  // root's children and the depth-2 nodes are packed together at the start of the array, where a
  // scan spends nearly all its time; deeper levels go depth first (a stack), which keeps each
  // key range hot in cache while it is split. Entries are (lo, hi, depth, node).
  const BFS_DEPTH = 2;
  const stack: number[] = [];
  const perm = new Int32Array(nKeys);
  for (let k = 0; k < nKeys; k++) perm[k] = k;
  const tmp = new Float64Array(nKeys);
  let queue = new Int32Array(4 * 1024);
  let qHead = 0;
  let qTail = 0;
  const enqueue = (lo: number, hi: number, d: number, node: number) => {
    if (qTail + 4 > queue.length) {
      // compact when at least half is consumed, else grow: amortised O(1) per entry
      if (qHead * 2 >= queue.length) queue.copyWithin(0, qHead, qTail);
      else {
        const g = new Int32Array(queue.length * 2);
        g.set(queue.subarray(qHead, qTail));
        queue = g;
      }
      qTail -= qHead;
      qHead = 0;
    }
    queue[qTail++] = lo;
    queue[qTail++] = hi;
    queue[qTail++] = d;
    queue[qTail++] = node;
  };
  enqueue(0, nKeys, 0, 0);
  // children of the node being placed (reused: a node is finished before the next is taken)
  const cs = new Int32Array(maxClass + 2);
  const starts = new Int32Array(maxClass + 3);
  for (;;) {
    let lo: number, hi: number, d: number, node: number;
    if (qHead < qTail) {
      lo = queue[qHead++]!;
      hi = queue[qHead++]!;
      d = queue[qHead++]!;
      node = queue[qHead++]!;
    } else if (stack.length) {
      node = stack.pop()!;
      d = stack.pop()!;
      hi = stack.pop()!;
      lo = stack.pop()!;
    } else break;
    // the key that ends here (at most one: keys are distinct) becomes the node's output
    for (let j = lo; j < hi; j++) {
      const k = perm[j]!;
      if (offs[k + 1]! - offs[k]! === d) {
        out[node] = keyOut[k]!;
        flags[node] = keyFlags[k]!;
        perm[j] = perm[lo]!;
        perm[lo] = k;
        lo++;
        break;
      }
    }
    if (lo >= hi) continue;
    // sort the range on the class at depth d
    if (hi - lo <= 24) {
      // insertion sort: most ranges are tiny
      for (let j = lo + 1; j < hi; j++) {
        const k = perm[j]!;
        const c = flat[offs[k]! + d]!;
        let m = j - 1;
        while (m >= lo && flat[offs[perm[m]!]! + d]! > c) {
          perm[m + 1] = perm[m]!;
          m--;
        }
        perm[m + 1] = k;
      }
    } else {
      for (let j = lo; j < hi; j++) {
        const k = perm[j]!;
        tmp[j] = flat[offs[k]! + d]! * PACK + k;
      }
      tmp.subarray(lo, hi).sort();
      for (let j = lo; j < hi; j++) perm[j] = tmp[j]! % PACK;
    }
    let ncs = 0;
    let prev = -1;
    for (let j = lo; j < hi; j++) {
      const c = flat[offs[perm[j]!]! + d]!;
      if (c !== prev) {
        cs[ncs] = c;
        starts[ncs++] = j;
        prev = c;
      }
    }
    starts[ncs] = hi;
    const b = findBase(cs, ncs);
    base[node] = b;
    for (let k = 0; k < ncs; k++) {
      const t = b + cs[k]!;
      check[t] = node;
      depth[t] = d + 1;
      if (nodeCount === nodes.length) {
        const g = new Int32Array(nodes.length * 2);
        g.set(nodes);
        nodes = g;
      }
      nodes[nodeCount++] = t;
      if (t + 1 > used) used = t + 1;
    }
    if (d + 1 > maxDepth) maxDepth = d + 1;
    if (d + 1 < BFS_DEPTH) for (let k = 0; k < ncs; k++) enqueue(starts[k]!, starts[k + 1]!, d + 1, b + cs[k]!);
    else for (let k = ncs - 1; k >= 0; k--) stack.push(starts[k]!, starts[k + 1]!, d + 1, b + cs[k]!);
  }

  // Every lookup base[s] + c with c ≤ maxClass must stay inside the arrays.
  let maxBase = 0;
  for (let k = 0; k < nodeCount; k++) if (base[nodes[k]!]! > maxBase) maxBase = base[nodes[k]!]!;
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
  const startOf = new Int32Array(maxDepth + 2);
  for (let k = 0; k < nodeCount; k++) startOf[depth[nodes[k]!]! + 1]!++;
  for (let d = 1; d <= maxDepth + 1; d++) startOf[d]! += startOf[d - 1]!;
  const order = new Int32Array(nodeCount);
  const fillAt = startOf.slice();
  for (let k = 0; k < nodeCount; k++) {
    const t = nodes[k]!;
    order[fillAt[depth[t]!]!++] = t;
  }
  {
    for (let k = 0; k < nodeCount; k++) {
      const t = order[k]!;
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
      if (firstOut[t] !== 0) da[2 * t + 1]! |= HAS_OUT;
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
