import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildFilter, type Hit, type LexiconEntry } from '../src/index.ts';

/** Every occurrence of every word, by brute force. */
function naive(entries: LexiconEntry[], text: string): string[] {
  const out: string[] = [];
  for (const e of entries) {
    for (let i = text.indexOf(e.word); i >= 0; i = text.indexOf(e.word, i + 1)) out.push(`${e.word}@${i}-${i + e.word.length}`);
  }
  return out.sort();
}
const key = (hits: Hit[]) => hits.map((h) => `${h.word}@${h.start}-${h.end}`).sort();

function dedupe(words: string[]): LexiconEntry[] {
  return [...new Set(words)].map((word, i) => ({ word, level: ((i % 3) + 1) as 1 | 2 | 3, category: 'c' }));
}

describe('exact matching equals a naive search', () => {
  it('returns every occurrence, overlapping and nested (small alphabet)', () => {
    const ch = fc.constantFrom('a', 'b', 'c', '支', '付');
    const word = fc.array(ch, { minLength: 1, maxLength: 5 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), fc.array(ch, { maxLength: 40 }), (words, t) => {
        const entries = dedupe(words);
        const text = t.join('');
        const f = buildFilter(entries, { exact: true });
        expect(key(f.scan(text).hits)).toEqual(naive(entries, text));
      }),
      { numRuns: 300 },
    );
  });

  it('handles any UTF-16 input, surrogates included', () => {
    const ch = fc.constantFrom('x', 'y', '\ud83d', '\udcb0', '💰', 'Ａ', 'A');
    const word = fc.array(ch, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.array(ch, { maxLength: 30 }), (words, t) => {
        const entries = dedupe(words);
        const text = t.join('');
        expect(key(buildFilter(entries, { exact: true }).scan(text).hits)).toEqual(naive(entries, text));
      }),
      { numRuns: 200 },
    );
  });

  it('finds a shorter word that ends inside a longer partial match', () => {
    const f = buildFilter(dedupe(['abcd', 'bc', 'c']), { exact: true });
    expect(key(f.scan('abcx').hits)).toEqual(['bc@1-3', 'c@2-3']);
  });

  it('maxLevel is the most severe level present', () => {
    const f = buildFilter(
      [
        { word: 'aa', level: 3, category: 'x' },
        { word: 'b', level: 2, category: 'x' },
        { word: 'c', level: 1, category: 'x' },
      ],
      { exact: true },
    );
    expect(f.scan('zz').maxLevel).toBe(0);
    expect(f.scan('aa').maxLevel).toBe(3);
    expect(f.scan('aab').maxLevel).toBe(2);
    expect(f.scan('caab').maxLevel).toBe(1);
  });

  it('merges duplicate words keeping the most severe level', () => {
    const f = buildFilter(
      [
        { word: '退款', level: 3, category: 'a' },
        { word: '退款', level: 2, category: 'b' },
      ],
      { exact: true },
    );
    expect(f.scan('退款').hits).toEqual([{ word: '退款', level: 2, category: 'b', start: 0, end: 2 }]);
  });

  it('rejects an invalid level', () => {
    expect(() => buildFilter([{ word: 'a', level: 4 as 1, category: 'x' }])).toThrow(RangeError);
  });
});
