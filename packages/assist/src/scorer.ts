/**
 * Summary scorer used by the CSDS evaluation: ROUGE-1/2/L and BLEU with characters as tokens.
 *
 * Conventions (those of the CSDS paper's released numbers, validated in eval/assist against
 * the published baselines' outputs):
 * - tokens are characters, spaces removed, punctuation kept;
 * - ROUGE-N and ROUGE-L are F1 per document, averaged over documents;
 * - ROUGE-L is summary-level: both texts are split into sentences after every 。 (the 。 stays
 *   with its sentence), and for each reference sentence the union of its LCS hits against every
 *   candidate sentence is counted, clipped by the remaining token counts (ROUGE-1.5.5's rule);
 * - BLEU is corpus-level 4-gram BLEU over characters with uniform weights and the usual brevity
 *   penalty, without smoothing.
 */

export interface RougeScores {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

export interface CorpusScores extends RougeScores {
  bleu: number;
  n: number;
}

/** Characters of a summary, with whitespace removed. */
export function tokens(text: string): string[] {
  return Array.from(text.replace(/\s+/g, ''));
}

function ngramCounts(toks: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= toks.length; i++) {
    const g = n === 1 ? toks[i]! : toks.slice(i, i + n).join('\u0001');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

function overlap(a: Map<string, number>, b: Map<string, number>): number {
  let m = 0;
  for (const [g, c] of a) {
    const d = b.get(g);
    if (d) m += Math.min(c, d);
  }
  return m;
}

function f1(hits: number, candLen: number, refLen: number): number {
  if (hits === 0 || candLen === 0 || refLen === 0) return 0;
  const p = hits / candLen;
  const r = hits / refLen;
  return (2 * p * r) / (p + r);
}

export function rougeN(cand: readonly string[], ref: readonly string[], n: number): number {
  const c = ngramCounts(cand, n);
  const r = ngramCounts(ref, n);
  return f1(overlap(c, r), Math.max(cand.length - n + 1, 0), Math.max(ref.length - n + 1, 0));
}

/** Split after every 。, keeping it; a trailing piece without 。 is a sentence too. */
export function sentences(toks: readonly string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const t of toks) {
    cur.push(t);
    if (t === '。') {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Indices in `a` of one longest common subsequence of a and b (ROUGE-1.5.5 tie-breaking). */
function lcsIndices(a: readonly string[], b: readonly string[], into: Set<number>): void {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return;
  const w = m + 1;
  const dp = new Uint16Array((n + 1) * w);
  for (let i = 1; i <= n; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= m; j++) {
      if (ai === b[j - 1]) dp[i * w + j] = dp[(i - 1) * w + j - 1]! + 1;
      else {
        const up = dp[(i - 1) * w + j]!;
        const left = dp[i * w + j - 1]!;
        dp[i * w + j] = up >= left ? up : left;
      }
    }
  }
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      into.add(i - 1);
      i--;
      j--;
    } else if (dp[(i - 1) * w + j]! >= dp[i * w + j - 1]!) i--;
    else j--;
  }
}

export function rougeLSummary(cand: readonly string[], ref: readonly string[]): number {
  if (cand.length === 0 || ref.length === 0) return 0;
  const cs = sentences(cand);
  const rs = sentences(ref);
  const cc = ngramCounts(cand, 1);
  const rc = ngramCounts(ref, 1);
  let hits = 0;
  for (const rsent of rs) {
    const union = new Set<number>();
    for (const csent of cs) lcsIndices(rsent, csent, union);
    for (const i of [...union].sort((x, y) => x - y)) {
      const t = rsent[i]!;
      const a = cc.get(t) ?? 0;
      const b = rc.get(t) ?? 0;
      if (a > 0 && b > 0) {
        hits++;
        cc.set(t, a - 1);
        rc.set(t, b - 1);
      }
    }
  }
  return f1(hits, cand.length, ref.length);
}

export function rouge(candidate: string, reference: string): RougeScores {
  const c = tokens(candidate);
  const r = tokens(reference);
  return { rouge1: rougeN(c, r, 1), rouge2: rougeN(c, r, 2), rougeL: rougeLSummary(c, r) };
}

/** Corpus BLEU-4 over characters (Papineni et al.), single reference, no smoothing. */
export function corpusBleu(candidates: readonly string[], references: readonly string[], maxN = 4): number {
  const match = new Array<number>(maxN).fill(0);
  const total = new Array<number>(maxN).fill(0);
  let cLen = 0;
  let rLen = 0;
  for (let k = 0; k < candidates.length; k++) {
    const c = tokens(candidates[k]!);
    const r = tokens(references[k] ?? '');
    cLen += c.length;
    rLen += r.length;
    for (let n = 1; n <= maxN; n++) {
      match[n - 1]! += overlap(ngramCounts(c, n), ngramCounts(r, n));
      total[n - 1]! += Math.max(c.length - n + 1, 0);
    }
  }
  if (cLen === 0) return 0;
  let logp = 0;
  for (let n = 0; n < maxN; n++) {
    if (match[n] === 0 || total[n] === 0) return 0;
    logp += Math.log(match[n]! / total[n]!) / maxN;
  }
  const bp = cLen > rLen ? 1 : Math.exp(1 - rLen / cLen);
  return bp * Math.exp(logp);
}

/** Mean ROUGE F1 and corpus BLEU, all in percent. */
export function scoreCorpus(candidates: readonly string[], references: readonly string[]): CorpusScores {
  if (candidates.length !== references.length) throw new Error('candidates and references differ in length');
  let r1 = 0;
  let r2 = 0;
  let rl = 0;
  for (let k = 0; k < candidates.length; k++) {
    const s = rouge(candidates[k]!, references[k]!);
    r1 += s.rouge1;
    r2 += s.rouge2;
    rl += s.rougeL;
  }
  const n = candidates.length || 1;
  return {
    rouge1: (100 * r1) / n,
    rouge2: (100 * r2) / n,
    rougeL: (100 * rl) / n,
    bleu: 100 * corpusBleu(candidates, references),
    n: candidates.length,
  };
}
