import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildFilter, defaultAllowList, defaultLexicon, type LexiconEntry } from '../src/index.ts';

const L = (word: string, level: 1 | 2 | 3 = 1, category = 'c'): LexiconEntry => ({ word, level, category });
const spans = (f: ReturnType<typeof buildFilter>, text: string) =>
  f.scan(text).hits.map((h) => `${h.word}:${text.slice(h.start, h.end)}`);

describe('normalised scanning maps hits back to the original text', () => {
  const f = buildFilter([L('支付宝'), L('支付'), L('加微信'), L('sb'), L('sm'), L('qq号'), L('110', 2)]);

  it.each([
    ['case and width', 'ＱＱ号', ['qq号:ＱＱ号']],
    ['upper case', 'QQ号', ['qq号:QQ号']],
    ['traditional', '支付寶', ['支付:支付', '支付宝:支付寶']],
    ['noise', '支*付', ['支付:支*付']],
    ['space', '支 付', ['支付:支 付']],
    ['zero width', '支\u200b付', ['支付:支\u200b付']],
    ['emoji noise', '支💰付', ['支付:支💰付']],
    ['repetition', '加加微微信信', ['加微信:加加微微信']],
    ['stylised latin', '𝐬𝐛', ['sb:𝐬𝐛']],
    ['circled', 'ⓢⓑ', ['sb:ⓢⓑ']],
  ])('%s', (_n, text, want) => {
    expect(spans(f, text)).toEqual(want);
  });

  it('skips only non-letters: real characters break a word', () => {
    expect(f.scan('支持付款宝贝').hits).toEqual([]);
    expect(f.scan('支持付').hits).toEqual([]);
  });

  it('respects Latin and digit boundaries', () => {
    expect(f.scan('usb接口').hits).toEqual([]);
    expect(f.scan('smile').hits).toEqual([]);
    expect(spans(f, '你是sb吗')).toEqual(['sb:sb']);
    expect(spans(f, 'SB!')).toEqual(['sb:SB']);
    expect(f.scan('订单11088').hits).toEqual([]);
    expect(spans(f, '快打110')).toEqual(['110:110']);
    expect(f.scan('𝐮𝐬𝐛').hits).toEqual([]);
    expect(f.scan('ⓤⓢⓑ').hits).toEqual([]);
    expect(spans(f, '你𝐬𝐛')).toEqual(['sb:𝐬𝐛']);
  });

  it('reports offsets inside longer text, around surrogate pairs', () => {
    const text = '😀😀您好，请加 微-信吧';
    const [h] = f.scan(text).hits;
    expect(h).toBeDefined();
    expect(text.slice(h!.start, h!.end)).toBe('加 微-信');
  });

  it('noise between letters never shifts the span (property)', () => {
    const noise = fc.constantFrom(' ', '*', '.', '\u200b', '😀', '，', '-', '\u3000');
    fc.assert(
      fc.property(fc.array(noise, { maxLength: 3 }), fc.array(noise, { maxLength: 3 }), fc.string({ maxLength: 5 }), (n1, n2, pre) => {
        const prefix = pre.replace(/[a-zA-Z支付宝寶加微信]/g, '');
        const text = `${prefix}支${n1.join('')}付${n2.join('')}宝`;
        const hit = f.scan(text).hits.find((h) => h.word === '支付宝');
        expect(hit).toBeDefined();
        expect(hit!.start).toBe(prefix.length);
        expect(hit!.end).toBe(text.length);
      }),
      { numRuns: 200 },
    );
  });

  it('detects mobile numbers in any digit form, not order numbers or prices', () => {
    const g = buildFilter([L('x')]);
    expect(spans(g, '电话13800138000')).toEqual(['手机号:13800138000']);
    expect(spans(g, '幺叁捌 零零幺叁 捌零零零')).toEqual(['手机号:幺叁捌 零零幺叁 捌零零零']);
    expect(spans(g, '①③⑧００１３８０００')).toEqual(['手机号:①③⑧００１３８０００']);
    expect(g.scan('订单号1380013800012345').hits).toEqual([]);
    expect(g.scan('价格¥1,299.00，订单 20231101123').hits).toEqual([]);
  });

  it('allow-list words hide the hits they contain', () => {
    const g = buildFilter([L('支付'), L('电话', 2)], { allow: ['在线支付', '客服电话'] });
    expect(g.scan('已在线支付').hits).toEqual([]);
    expect(g.scan('请拨打客服电话').hits).toEqual([]);
    expect(spans(g, '在线支付，然后私下支付')).toEqual(['支付:支付']);
    expect(g.scan('在线支付，然后私下支付').hits[0]!.start).toBe(9);
  });

  it('switches turn each normalisation off', () => {
    const g = buildFilter([L('支付宝'), L('sb')], { noise: false, traditional: false, pinyin: false, boundaries: false });
    expect(g.scan('支*付宝').hits).toEqual([]);
    expect(g.scan('支付寶').hits).toEqual([]);
    expect(g.scan('zhifubao').hits).toEqual([]);
    expect(spans(g, 'usb')).toEqual(['sb:sb']);
  });
});

describe('default lexicon', () => {
  const f = buildFilter(defaultLexicon(), { allow: defaultAllowList() });

  it('has the three levels of DESIGN 1.3', () => {
    expect(f.scan('可以支付吗').maxLevel).toBe(1);
    expect(f.scan('我们给您转账').maxLevel).toBe(1);
    expect(f.scan('给您退款').maxLevel).toBe(2);
    expect(f.scan('我们会赔偿').maxLevel).toBe(2);
    expect(f.scan('我要投诉').maxLevel).toBe(3);
    expect(f.scan('我要举报你').maxLevel).toBe(3);
    expect(f.scan('您好，请问有什么可以帮您？').maxLevel).toBe(0);
  });

  it('keeps everyday service language clean', () => {
    for (const t of ['已经在线支付了', '请拨打客服电话', '发票随货寄出', '给女儿买的', '颜色很正', '已支付成功'])
      expect(f.scan(t).hits, t).toEqual([]);
  });
});
