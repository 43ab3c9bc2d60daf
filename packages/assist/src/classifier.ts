/**
 * A linear text classifier over hashed character n-grams: multinomial logistic regression
 * trained by SGD (AdaGrad step sizes), so it trains in one pass-set over 100k messages in
 * seconds and keeps learning incrementally from each new labelled example. Weights live in one
 * Float32Array laid out feature-major (bucket × class) for cache locality when scoring.
 */
import { EXTRAS, type ExtraKind } from './extras.ts';
import { DEFAULT_FEATURES, type FeatureOptions, features, featureText, gramHash, hashToken } from './text.ts';

export interface TrainOptions {
  epochs?: number;
  /** Base learning rate for AdaGrad. */
  rate?: number;
  /** L2 penalty applied lazily per touched weight. */
  l2?: number;
  /** Shuffle seed (deterministic training). */
  seed?: number;
  /** Reweight classes inversely to their frequency (helps rare classes such as "angry"). */
  balance?: boolean;
}

export interface SerializedClassifier {
  kind: 'hashed-logreg';
  labels: string[];
  bits: number;
  orders: number[];
  bias: number[];
  /** Sparse rows, base64: per stored bucket a varint gap from the previous one, then one int8 per label. */
  rows: string;
  /** Weight = int8 × scale. (Absent in the older float32 format.) */
  scale?: number;
  seen: number;
  extra?: ExtraKind;
  /** Added to each label's score before the softmax (e.g. to favour recall of "angry"). */
  offsets?: number[];
}

/** A small seeded generator (mulberry32): reproducible shuffles, here and in the benchmarks. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class HashedClassifier {
  readonly labels: string[];
  readonly opt: FeatureOptions;
  private w: Float32Array;
  private g2: Float32Array | null = null;
  private bias: Float64Array;
  /** Number of examples learned so far. */
  seen = 0;
  readonly extra: ExtraKind | undefined;
  private offsets: Float64Array;
  private gradBuf = new Float64Array(0);

  constructor(labels: string[], opt: FeatureOptions = DEFAULT_FEATURES, extra?: ExtraKind) {
    this.extra = extra;
    this.offsets = new Float64Array(labels.length);
    this.labels = [...labels];
    this.opt = { bits: opt.bits, orders: [...opt.orders] };
    this.w = new Float32Array((1 << opt.bits) * labels.length);
    this.bias = new Float64Array(labels.length);
  }

  get memoryBytes(): number {
    return this.w.byteLength + (this.g2?.byteLength ?? 0);
  }

  /** Grow the label set (organisations may add intents); new classes start at zero. */
  private ensureLabel(label: string): number {
    let k = this.labels.indexOf(label);
    if (k >= 0) return k;
    const K = this.labels.length;
    const D = 1 << this.opt.bits;
    const w = new Float32Array(D * (K + 1));
    for (let f = 0; f < D; f++) for (let j = 0; j < K; j++) w[f * (K + 1) + j] = this.w[f * K + j]!;
    this.w = w;
    if (this.g2) {
      const g = new Float32Array(D * (K + 1));
      for (let f = 0; f < D; f++) for (let j = 0; j < K; j++) g[f * (K + 1) + j] = this.g2[f * K + j]!;
      this.g2 = g;
    }
    const b = new Float64Array(K + 1);
    b.set(this.bias);
    this.bias = b;
    const off = new Float64Array(K + 1);
    off.set(this.offsets);
    this.offsets = off;
    this.labels.push(label);
    k = K;
    return k;
  }

  /** Hashed features of a text: character n-grams plus the named extras. */
  featurize(text: string): Uint32Array {
    const base = features(text, this.opt);
    if (!this.extra) return base;
    const extra = EXTRAS[this.extra](text).map((t) => hashToken(t, this.opt.bits));
    const out = new Uint32Array(base.length + extra.length);
    out.set(base);
    out.set(extra, base.length);
    return out;
  }

  /**
   * The smallest score offset for `label` that reaches `target` recall on held-out rows (a
   * validation split, never the test split). Returns the offset applied.
   */
  calibrateRecall(rows: { text: string; label: string }[], label: string, target: number): number {
    const k = this.labels.indexOf(label);
    if (k < 0) throw new Error(`unknown label ${label}`);
    const mine = rows.filter((r) => r.label === label);
    if (mine.length === 0) return this.offsets[k]!;
    const recallAt = (off: number) => {
      this.offsets[k] = off;
      return mine.filter((r) => this.predict(r.text)[0]!.label === label).length / mine.length;
    };
    let lo = 0;
    let hi = 4;
    if (recallAt(0) >= target) return 0;
    if (recallAt(hi) < target) return hi;
    for (let i = 0; i < 20; i++) {
      const mid = (lo + hi) / 2;
      if (recallAt(mid) >= target) hi = mid;
      else lo = mid;
    }
    this.offsets[k] = hi;
    return hi;
  }

  /** Shift a label's score (calibration chosen on held-out data, never on test). */
  setOffset(label: string, value: number): void {
    const k = this.labels.indexOf(label);
    if (k < 0) throw new Error(`unknown label ${label}`);
    this.offsets[k] = value;
  }

  private scoresOf(feats: Uint32Array, out: Float64Array): void {
    const K = this.labels.length;
    const scale = 1 / Math.sqrt(feats.length || 1);
    for (let k = 0; k < K; k++) out[k] = 0;
    for (let i = 0; i < feats.length; i++) {
      const base = feats[i]! * K;
      for (let k = 0; k < K; k++) out[k]! += this.w[base + k]!;
    }
    for (let k = 0; k < K; k++) out[k] = out[k]! * scale + this.bias[k]!;
  }

  /** Probabilities per label, in label order. */
  probs(text: string): Float64Array {
    const K = this.labels.length;
    const s = new Float64Array(K);
    this.scoresOf(this.featurize(text), s);
    for (let k = 0; k < K; k++) s[k]! += this.offsets[k]!;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (s[k]! > max) max = s[k]!;
    let z = 0;
    for (let k = 0; k < K; k++) {
      s[k] = Math.exp(s[k]! - max);
      z += s[k]!;
    }
    for (let k = 0; k < K; k++) s[k] = s[k]! / z;
    return s;
  }

  predict(text: string): { label: string; p: number }[] {
    const p = this.probs(text);
    return this.labels.map((label, k) => ({ label, p: p[k]! })).sort((a, b) => b.p - a.p);
  }

  private step(feats: Uint32Array, y: number, rate: number, l2: number, weight: number, probs: Float64Array): void {
    const K = this.labels.length;
    this.scoresOf(feats, probs);
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (probs[k]! > max) max = probs[k]!;
    let z = 0;
    for (let k = 0; k < K; k++) {
      probs[k] = Math.exp(probs[k]! - max);
      z += probs[k]!;
    }
    // After a load the AdaGrad history is gone; start it at 1 so the first incremental steps stay
    // small instead of jumping by the full rate.
    if (!this.g2) this.g2 = new Float32Array(this.w.length).fill(this.seen > 0 ? 1 : 0);
    const scale = 1 / Math.sqrt(feats.length || 1);
    // Per-label gradient of the loss w.r.t. the score, then the updates feature-major: each
    // feature's K weights are adjacent in memory, so one cache line serves all labels.
    const gsk = this.gradBuf.length === K ? this.gradBuf : (this.gradBuf = new Float64Array(K));
    for (let k = 0; k < K; k++) {
      const grad = (probs[k]! / z - (k === y ? 1 : 0)) * weight;
      this.bias[k]! -= rate * 0.1 * grad;
      gsk[k] = grad * scale;
    }
    const w = this.w;
    const g2 = this.g2;
    for (let i = 0; i < feats.length; i++) {
      const base = feats[i]! * K;
      for (let k = 0; k < K; k++) {
        const gs = gsk[k]!;
        if (gs === 0) continue;
        const idx = base + k;
        const g = gs + l2 * w[idx]!;
        const acc = g2[idx]! + g * g;
        g2[idx] = acc;
        w[idx]! -= (rate * g) / Math.sqrt(acc + 1e-8);
      }
    }
  }

  /** Batch training (several shuffled epochs). Can be called again to continue training. */
  train(examples: { text: string; label: string }[], o: TrainOptions = {}): void {
    const epochs = o.epochs ?? 4;
    const rate = o.rate ?? 0.5;
    const l2 = o.l2 ?? 1e-6;
    const rnd = mulberry32(o.seed ?? 7);
    const ys = examples.map((e) => this.ensureLabel(e.label));
    const feats = examples.map((e) => this.featurize(e.text));
    const K = this.labels.length;
    const counts = new Float64Array(K);
    for (const y of ys) counts[y]!++;
    const cw = Array.from(counts, (c) => (o.balance && c > 0 ? examples.length / (K * c) : 1));
    const order = examples.map((_, i) => i);
    const probs = new Float64Array(K);
    for (let e = 0; e < epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const i of order) this.step(feats[i]!, ys[i]!, rate, l2, cw[ys[i]!]!, probs);
    }
    this.seen += examples.length;
  }

  /** One incremental update from a single labelled example. */
  learnOne(text: string, label: string, rate = 0.5): void {
    const y = this.ensureLabel(label);
    this.step(this.featurize(text), y, rate, 1e-6, 1, new Float64Array(this.labels.length));
    this.seen++;
  }

  /** Drop the training state (halves memory); learning later restarts it. */
  freeze(): void {
    this.g2 = null;
  }

  /** The n-grams of `text` that push hardest towards `label` (for "cues"). */
  explain(text: string, label: string, top = 3): string[] {
    const k = this.labels.indexOf(label);
    if (k < 0) return [];
    const K = this.labels.length;
    const s = featureText(text);
    const scored: { g: string; v: number }[] = [];
    for (const n of this.opt.orders) {
      if (n < 2) continue;
      for (let i = 0; i + n <= s.length; i++) {
        const g = s.slice(i, i + n);
        if (/[\u0002\u0003\s0]/.test(g)) continue;
        const b = gramHash(g, n, this.opt.bits) * K;
        let v = this.w[b + k]!;
        for (let j = 0; j < K; j++) if (j !== k) v -= this.w[b + j]! / (K - 1);
        scored.push({ g, v });
      }
    }
    scored.sort((x, y) => y.v - x.v);
    const out: string[] = [];
    for (const x of scored) {
      if (x.v <= 0 || out.length >= top) break;
      if (!out.some((o) => o.includes(x.g) || x.g.includes(o))) out.push(x.g);
    }
    return out;
  }

  /**
   * Serialise. Weights are stored as 8-bit integers on one scale per classifier (max |w| / 127),
   * rows whose weights all round to zero are dropped, and bucket numbers are delta-encoded as
   * varints — about a quarter of the float32 size. The live weights are snapped to the same grid,
   * so the saved model and this one give identical answers.
   */
  toJSON(): SerializedClassifier {
    const K = this.labels.length;
    const D = 1 << this.opt.bits;
    let max = 0;
    for (let i = 0; i < this.w.length; i++) {
      const v = Math.abs(this.w[i]!);
      if (v > max) max = v;
    }
    const scale = max > 0 ? max / 127 : 1;
    const q = new Int8Array(K);
    const out: number[] = [];
    let prev = -1;
    for (let f = 0; f < D; f++) {
      let any = false;
      for (let k = 0; k < K; k++) {
        const v = Math.round(this.w[f * K + k]! / scale);
        q[k] = v;
        if (v !== 0) any = true;
      }
      for (let k = 0; k < K; k++) this.w[f * K + k] = q[k]! * scale;
      if (!any) continue;
      // varint of the gap to the previous stored bucket
      let gap = f - prev;
      prev = f;
      while (gap >= 0x80) {
        out.push((gap & 0x7f) | 0x80);
        gap >>>= 7;
      }
      out.push(gap);
      for (let k = 0; k < K; k++) out.push(q[k]! & 0xff);
    }
    return {
      kind: 'hashed-logreg',
      labels: [...this.labels],
      bits: this.opt.bits,
      orders: [...this.opt.orders],
      bias: Array.from(this.bias),
      rows: Buffer.from(out).toString('base64'),
      scale,
      seen: this.seen,
      ...(this.extra ? { extra: this.extra } : {}),
      ...(this.offsets.some((x) => x !== 0) ? { offsets: Array.from(this.offsets) } : {}),
    };
  }

  static fromJSON(s: SerializedClassifier): HashedClassifier {
    if (s.kind !== 'hashed-logreg') throw new Error(`unknown classifier kind ${String(s.kind)}`);
    if (s.extra !== undefined && !(s.extra in EXTRAS)) throw new Error(`unknown extra features ${String(s.extra)}`);
    const c = new HashedClassifier(s.labels, { bits: s.bits, orders: s.orders }, s.extra);
    const K = s.labels.length;
    c.bias.set(s.bias);
    if (s.offsets) c.offsets.set(s.offsets);
    const raw = Buffer.from(s.rows, 'base64');
    if (s.scale !== undefined) {
      const scale = s.scale;
      let f = -1;
      let o = 0;
      while (o < raw.length) {
        let gap = 0;
        let shift = 0;
        let b: number;
        do {
          b = raw[o++]!;
          gap |= (b & 0x7f) << shift;
          shift += 7;
        } while (b & 0x80);
        f += gap;
        const base = f * K;
        for (let k = 0; k < K; k++) {
          const v = raw[o++]!;
          c.w[base + k] = (v > 127 ? v - 256 : v) * scale;
        }
      }
    } else {
      // Older float32 records: (uint32 bucket, float32 × K), little-endian.
      for (let o = 0; o + 4 * (K + 1) <= raw.length; o += 4 * (K + 1)) {
        const base = raw.readUInt32LE(o) * K;
        for (let k = 0; k < K; k++) c.w[base + k] = raw.readFloatLE(o + 4 + 4 * k);
      }
    }
    c.seen = s.seen;
    return c;
  }
}
