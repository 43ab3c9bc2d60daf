import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyEdit, buildFilter, defaultAllowList, defaultLexicon, type Edit, type Filter } from '../src/index.ts';

const pieces = ['支', '付', '宝', '加', '微', '信', '*', ' ', '\u200b', '😀', '💰', '1', '3', '8', '0', 'v', 'x', 's', 'b', 'u', '在线', '寶', 'zhi', 'fu', '哈', '+', '电话'];
const textArb = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((a) => a.join(''));

/** A random edit valid for a text of length `len` (may split surrogate pairs: it must still work). */
const editFor = (len: number) =>
  fc
    .record({ a: fc.nat(), b: fc.nat({ max: 4 }), ins: textArb.map((t) => t.slice(0, 6)) })
    .map(({ a, b, ins }): Edit => {
      const start = len === 0 ? 0 : a % (len + 1);
      return { start, deleteCount: Math.min(b, len - start), insert: ins };
    });

function check(f: Filter) {
  fc.assert(
    fc.property(textArb, fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), (t0, seeds) => {
      let st = f.begin(t0);
      expect(st.result).toEqual(f.scan(t0));
      for (const seed of seeds) {
        const ed = fc.sample(editFor(st.text.length), { seed, numRuns: 1 })[0]!;
        const next = applyEdit(st.text, ed);
        st = f.edit(st, ed);
        expect(st.text).toBe(next);
        expect(st.result).toEqual(f.scan(next));
      }
    }),
    { numRuns: 500 },
  );
}

describe('incremental check equals a full scan', () => {
  it('default lexicon, every normalisation on', () => {
    check(buildFilter([...defaultLexicon(), { word: '12315', level: 3, category: 'c' }], { allow: [...defaultAllowList(), '在线支付'] }));
  });

  it('exact mode', () => {
    check(buildFilter(defaultLexicon(), { exact: true }));
  });

  it('typing a message one character at a time, then deleting it', () => {
    const f = buildFilter(defaultLexicon(), { allow: defaultAllowList() });
    const msg = '您好，请加 微-信 zhifubao 转账 13800138000 谢谢';
    let st = f.begin('');
    for (let i = 0; i < msg.length; i++) {
      st = f.edit(st, { start: i, deleteCount: 0, insert: msg[i]! });
      expect(st.result).toEqual(f.scan(msg.slice(0, i + 1)));
    }
    expect(st.result.maxLevel).toBe(1);
    expect(st.rescanned).toBeLessThanOrEqual(2);
    for (let i = msg.length; i > 0; i--) {
      st = f.edit(st, { start: i - 1, deleteCount: 1, insert: '' });
      expect(st.result).toEqual(f.scan(msg.slice(0, i - 1)));
    }
  });

  it('an edit in the middle of a long draft re-scans a bounded window', () => {
    const f = buildFilter(defaultLexicon(), { allow: defaultAllowList() });
    const text = '您好，关于您的订单，我们已经安排发货。'.repeat(50);
    let st = f.begin(text);
    st = f.edit(st, { start: 500, deleteCount: 0, insert: '加微' });
    expect(st.result).toEqual(f.scan(st.text));
    expect(st.rescanned).toBeLessThan(20);
    st = f.edit(st, { start: 502, deleteCount: 0, insert: '信' });
    expect(st.result.hits.map((h) => h.word)).toContain('加微信');
    expect(st.rescanned).toBeLessThan(20);
  });
});
