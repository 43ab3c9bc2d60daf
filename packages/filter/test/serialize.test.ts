import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildFilter, defaultAllowList, defaultLexicon, loadFilter } from '../src/index.ts';

describe('serialisation', () => {
  const f = buildFilter(defaultLexicon(), { allow: defaultAllowList() });
  const bytes = f.serialize();

  it('round-trips to a filter that scans identically', () => {
    const g = loadFilter(bytes);
    const samples = ['请加 微-信', 'zhifubao', '支💰付寶', '13800138000', '已经在线支付了', '我要投诉', 'usb', '𝐯𝐱', '+微信'];
    for (const t of samples) expect(g.scan(t), t).toEqual(f.scan(t));
    const alphabet = fc.constantFrom('支', '付', '宝', '微', '信', '加', '*', ' ', '😀', '1', '3', '8', 'v', 'x', '投', '诉');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (a) => {
        const t = a.join('');
        expect(g.scan(t)).toEqual(f.scan(t));
      }),
    );
    expect(g.entries).toEqual(f.entries);
  });

  it('loads from an unaligned copy and keeps incremental scanning', () => {
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const g = loadFilter(shifted.subarray(3));
    let st = g.begin('请加');
    st = g.edit(st, { start: 2, deleteCount: 0, insert: '微信' });
    expect(st.result).toEqual(f.scan('请加微信'));
  });

  it('round-trips an exact-mode filter', () => {
    const e = buildFilter([{ word: 'ab', level: 2, category: 'x' }, { word: 'b', level: 3, category: 'y' }], { exact: true });
    const g = loadFilter(e.serialize());
    expect(g.scan('xabab')).toEqual(e.scan('xabab'));
    expect(g.scan('xabab').hits).toHaveLength(4);
  });

  it('rejects foreign and truncated input', () => {
    expect(() => loadFilter(new Uint8Array(16))).toThrow(/magic/);
    expect(() => loadFilter(bytes.subarray(0, bytes.length - 100))).toThrow(/truncated/);
  });
});
