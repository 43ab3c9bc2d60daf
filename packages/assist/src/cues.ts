/** Longest-match scanning of a weighted cue table over normalised text. */
import { normalise } from './text.ts';

export interface CueHit<L extends string> {
  cue: string;
  label: L;
  weight: number;
  start: number;
  end: number;
}

export class CueMatcher<L extends string> {
  private readonly byCue = new Map<string, { label: L; weight: number }[]>();
  private readonly lengths: number[];

  constructor(table: Record<L, Record<string, number>>) {
    const lens = new Set<number>();
    for (const label of Object.keys(table) as L[]) {
      for (const [cue, weight] of Object.entries(table[label] as Record<string, number>)) {
        const key = normalise(cue);
        const list = this.byCue.get(key) ?? [];
        list.push({ label, weight });
        this.byCue.set(key, list);
        lens.add(key.length);
      }
    }
    this.lengths = [...lens].sort((a, b) => b - a);
  }

  /** Non-overlapping hits, longest cue first at each position. `t` must be normalised. */
  scan(t: string): CueHit<L>[] {
    const hits: CueHit<L>[] = [];
    let i = 0;
    while (i < t.length) {
      let matched = 0;
      for (const n of this.lengths) {
        if (i + n > t.length) continue;
        const e = this.byCue.get(t.slice(i, i + n));
        if (e) {
          for (const x of e) hits.push({ cue: t.slice(i, i + n), label: x.label, weight: x.weight, start: i, end: i + n });
          matched = n;
          break;
        }
      }
      i += matched || 1;
    }
    return hits;
  }
}
