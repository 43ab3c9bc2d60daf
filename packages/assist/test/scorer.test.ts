import { describe, expect, it } from 'vitest';
import { corpusBleu, rouge, scoreCorpus } from '../src/scorer.ts';

describe('scorer', () => {
  it('ROUGE-1/2 are character n-gram F1 with clipped counts', () => {
    // cand 用户询问 (4 chars), ref 用户问 (3 chars): unigram hits 用 户 问 = 3.
    const s = rouge('用户询问', '用户问');
    expect(s.rouge1).toBeCloseTo((2 * (3 / 4) * (3 / 3)) / (3 / 4 + 1), 10);
    // bigrams cand: 用户 户询 询问; ref: 用户 户问 → 1 hit; P=1/3, R=1/2.
    expect(s.rouge2).toBeCloseTo((2 * (1 / 3) * (1 / 2)) / (1 / 3 + 1 / 2), 10);
    expect(rouge('啊啊啊', '啊').rouge1).toBeCloseTo((2 * (1 / 3) * 1) / (1 / 3 + 1), 10);
  });

  it('ROUGE-L is summary-level: union of LCS hits across candidate sentences', () => {
    // Reference is one sentence; the candidate splits it over two sentences in reverse order.
    // Plain LCS would find only one half; the union finds both.
    const ref = 'ABCD。';
    const cand = 'CD。AB。';
    const s = rouge(cand, ref);
    // ref tokens A B C D 。 (5); union hits: A B (from 'AB。'), C D 。 (from 'CD。') = 5, but
    // the candidate has two 。 and the ref one → clipped: 5 hits over cand 6, ref 5.
    expect(s.rougeL).toBeCloseTo((2 * (5 / 6) * 1) / (5 / 6 + 1), 10);
    expect(rouge('ABCD。', 'ABCD。').rougeL).toBe(1);
    expect(rouge('XYZ', 'ABC').rougeL).toBe(0);
  });

  it('spaces are not tokens', () => {
    expect(rouge('用 户', '用户').rouge1).toBe(1);
  });

  it('BLEU is corpus-level with a brevity penalty', () => {
    expect(corpusBleu(['ABCDE'], ['ABCDE'])).toBeCloseTo(1, 10);
    // Shorter candidate, all n-grams matching: only the brevity penalty applies.
    expect(corpusBleu(['ABCD'], ['ABCDEFGH'])).toBeCloseTo(Math.exp(1 - 8 / 4), 10);
    expect(corpusBleu(['ABC'], ['XYZ'])).toBe(0);
    // Corpus-level: n-gram counts pool before the geometric mean.
    const pooled = corpusBleu(['ABCDE', 'ABCDX'], ['ABCDE', 'ABCDE']);
    const p1 = 9 / 10;
    const p2 = 7 / 8;
    const p3 = 5 / 6;
    const p4 = 3 / 4;
    expect(pooled).toBeCloseTo(Math.exp((Math.log(p1) + Math.log(p2) + Math.log(p3) + Math.log(p4)) / 4), 10);
  });

  it('scoreCorpus reports percentages and refuses mismatched lengths', () => {
    const s = scoreCorpus(['用户询问物流。'], ['用户询问物流。']);
    expect(s).toMatchObject({ rouge1: 100, rouge2: 100, rougeL: 100, n: 1 });
    expect(s.bleu).toBeCloseTo(100, 8);
    expect(() => scoreCorpus(['a'], [])).toThrow();
  });
});
