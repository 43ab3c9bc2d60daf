/**
 * Multinomial naive Bayes over hashed binary features (Laplace/Lidstone smoothing). It reads the
 * whole conversation where the logistic-regression intent head reads the opening, and the two are
 * combined as p ∝ p_LR · p_NB^w. Counting is exact and incremental; the counts serialise as
 * delta-indexed varints.
 */

export interface SerializedNB {
  kind: 'hashed-nb';
  labels: string[];
  bits: number;
  alpha: number;
  /** Documents per label. */
  docs: number[];
  /** base64: per stored bucket a varint gap from the previous one, then one varint count per label. */
  rows: string;
}

export class HashedNB {
  readonly labels: string[] = [];
  /** Per label, per bucket: documents containing the bucket, saturating at 65,535 (2 bytes a cell). */
  private counts: Uint16Array[] = [];
  private totals: number[] = [];
  private docs: number[] = [];
  /** Distinct buckets seen (the vocabulary size in the smoothing). */
  private vocab = 0;
  private any: Uint8Array;

  constructor(
    readonly bits: number,
    readonly alpha = 0.2,
  ) {
    this.any = new Uint8Array(1 << bits);
  }

  get seen(): number {
    return this.docs.reduce((a, b) => a + b, 0);
  }

  private ensureLabel(label: string): number {
    let k = this.labels.indexOf(label);
    if (k < 0) {
      k = this.labels.length;
      this.labels.push(label);
      this.counts.push(new Uint16Array(1 << this.bits));
      this.totals.push(0);
      this.docs.push(0);
    }
    return k;
  }

  /** Count one document (its distinct feature buckets) for `label`. */
  add(feats: Uint32Array, label: string): void {
    const k = this.ensureLabel(label);
    const c = this.counts[k]!;
    let added = 0;
    for (let i = 0; i < feats.length; i++) {
      const f = feats[i]!;
      // A bucket in 65,535 documents of one label is a near-certain feature of it (a common
      // character); saturating there keeps the tables at 2 bytes a cell.
      if (c[f]! < 0xffff) {
        c[f]!++;
        added++;
      }
      if (!this.any[f]) {
        this.any[f] = 1;
        this.vocab++;
      }
    }
    this.totals[k]! += added;
    this.docs[k]!++;
  }

  /** Log-probabilities per label (normalised over the labels), in label order. */
  logProbs(feats: Uint32Array): Float64Array {
    const K = this.labels.length;
    const out = new Float64Array(K);
    const N = this.seen;
    const a = this.alpha;
    const logA = Math.log(a);
    for (let k = 0; k < K; k++) {
      const c = this.counts[k]!;
      const den = Math.log(this.totals[k]! + a * this.vocab);
      // Most buckets are unseen for most labels: count those and add log(alpha) once.
      let v = Math.log(this.docs[k]! / N) - feats.length * den;
      let zeros = 0;
      for (let i = 0; i < feats.length; i++) {
        const x = c[feats[i]!]!;
        if (x === 0) zeros++;
        else v += Math.log(x + a);
      }
      out[k] = v + zeros * logA;
    }
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (out[k]! > max) max = out[k]!;
    let z = 0;
    for (let k = 0; k < K; k++) z += Math.exp(out[k]! - max);
    const lz = max + Math.log(z);
    for (let k = 0; k < K; k++) out[k] = out[k]! - lz;
    return out;
  }

  toJSON(): SerializedNB {
    const K = this.labels.length;
    const out: number[] = [];
    const varint = (v: number) => {
      while (v >= 0x80) {
        out.push((v & 0x7f) | 0x80);
        v = Math.floor(v / 128);
      }
      out.push(v);
    };
    let prev = -1;
    for (let f = 0; f < this.any.length; f++) {
      if (!this.any[f]) continue;
      varint(f - prev);
      prev = f;
      for (let k = 0; k < K; k++) varint(this.counts[k]![f]!);
    }
    return { kind: 'hashed-nb', labels: [...this.labels], bits: this.bits, alpha: this.alpha, docs: [...this.docs], rows: Buffer.from(out).toString('base64') };
  }

  static fromJSON(s: SerializedNB): HashedNB {
    if (s.kind !== 'hashed-nb') throw new Error(`unknown classifier kind ${String(s.kind)}`);
    const nb = new HashedNB(s.bits, s.alpha);
    for (const l of s.labels) nb.ensureLabel(l);
    const K = s.labels.length;
    const raw = Buffer.from(s.rows, 'base64');
    let o = 0;
    const varint = () => {
      let v = 0;
      let mul = 1;
      let b: number;
      do {
        b = raw[o++]!;
        v += (b & 0x7f) * mul;
        mul *= 128;
      } while (b & 0x80);
      return v;
    };
    let f = -1;
    while (o < raw.length) {
      f += varint();
      nb.any[f] = 1;
      nb.vocab++;
      for (let k = 0; k < K; k++) {
        const v = Math.min(varint(), 0xffff);
        nb.counts[k]![f] = v;
        nb.totals[k]! += v;
      }
    }
    s.docs.forEach((d, k) => (nb.docs[k] = d));
    return nb;
  }
}
