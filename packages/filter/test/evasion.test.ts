import { describe, expect, it } from 'vitest';
import { buildFilter, defaultAllowList, defaultLexicon } from '../src/index.ts';
import { CATEGORY_KIND, EVASION_CASES } from './evasion-cases.ts';
import { HELDOUT_CASES } from './evasion-heldout.ts';

const f = buildFilter(defaultLexicon(), { allow: defaultAllowList() });

function passes(text: string, expectWord: string | null): boolean {
  const hits = f.scan(text).hits;
  return expectWord === null ? hits.length === 0 : hits.some((h) => h.word === expectWord);
}

describe('evasion suite', () => {
  const categories = [...new Set(EVASION_CASES.map((c) => c.category))];

  it('covers every category of the issue', () => {
    expect(categories.sort()).toEqual(Object.keys(CATEGORY_KIND).sort());
  });

  it('every expected word is in the default lexicon (main and held-out cases)', () => {
    const words = new Set(defaultLexicon().map((e) => e.word));
    words.add('手机号');
    for (const c of [...EVASION_CASES, ...HELDOUT_CASES]) if (c.expect) expect(words.has(c.expect), c.expect).toBe(true);
    for (const c of HELDOUT_CASES) expect(CATEGORY_KIND[c.category], c.category).toBeDefined();
  });

  for (const cat of categories) {
    const kind = CATEGORY_KIND[cat]!;
    it(`${cat} (${kind})`, () => {
      const cases = EVASION_CASES.filter((c) => c.category === cat);
      const failed = cases.filter((c) => !passes(c.text, c.expect)).map((c) => c.text);
      const rate = 1 - failed.length / cases.length;
      const bar = kind === 'sound' ? 0.95 : 0.99;
      expect({ cat, rate: rate >= bar ? 'ok' : rate, failed: rate >= bar ? [] : failed }).toEqual({ cat, rate: 'ok', failed: [] });
    });
  }

  it('hit spans cover exactly what was typed, noise included', () => {
    const text = '您好，加 * 微 · 信吧';
    const h = f.scan(text).hits.find((x) => x.word === '加微信')!;
    expect(text.slice(h.start, h.end)).toBe('加 * 微 · 信');
  });
});
