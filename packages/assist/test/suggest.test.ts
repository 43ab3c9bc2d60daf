import fc from 'fast-check';
import { buildFilter, defaultAllowList, defaultLexicon } from '@kefu/filter';
import { describe, expect, it } from 'vitest';
import { loadAssistant, SuggestIndex } from '../src/index.ts';

describe('predictive input', () => {
  it('completes the draft from sent history, most frequent first, top 3', () => {
    const ix = new SuggestIndex();
    const t0 = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 5; i++) ix.add('您好，已为您登记退款，请耐心等待。', undefined, t0);
    for (let i = 0; i < 3; i++) ix.add('您好，已为您催促仓库尽快发货。', undefined, t0);
    ix.add('您好，已为您修改收货地址。', undefined, t0);
    ix.add('您好，已为您补发赠品。', undefined, t0);
    const s = ix.suggest('您好，已为您');
    expect(s.map((x) => x.text)).toEqual(['登记退款，请耐心等待。', '催促仓库尽快发货。', expect.any(String)]);
    expect(s).toHaveLength(3);
    expect(s[0]!.full).toBe('您好，已为您登记退款，请耐心等待。');
    expect(ix.suggest('完全不相关')).toEqual([]);
    expect(ix.suggest('')).toEqual([]);
  });

  it('completes the last clause of a multi-sentence draft, ignoring width and case', () => {
    const ix = new SuggestIndex();
    ix.add('感谢您的耐心等待。请问还有其他问题吗？');
    const s = ix.suggest('已经处理好了。请问还有');
    expect(s[0]!.text).toBe('其他问题吗？');
    const ix2 = new SuggestIndex();
    ix2.add('VIP用户专享优惠');
    expect(ix2.suggest('ｖｉｐ用户')[0]!.text).toBe('专享优惠');
  });

  it('prefers recent messages and the conversation intent', () => {
    const ix = new SuggestIndex({ halfLifeDays: 7 });
    const now = Date.UTC(2026, 5, 1);
    ix.add('亲，老的说法一', undefined, now - 200 * 86_400_000);
    ix.add('亲，新的说法二', undefined, now);
    expect(ix.suggest('亲，', undefined, 3, now)[0]!.full).toBe('亲，新的说法二');
    const iy = new SuggestIndex();
    iy.add('这边帮您查询物流进度', 'logistics', now);
    iy.add('这边帮您申请退款', 'refund', now);
    expect(iy.suggest('这边帮您', 'refund', 3, now)[0]!.full).toBe('这边帮您申请退款');
    expect(iy.suggest('这边帮您', 'logistics', 3, now)[0]!.full).toBe('这边帮您查询物流进度');
  });

  it('learns incrementally through the assistant and conditions on the predicted intent', () => {
    const as = loadAssistant();
    as.learn({ sent: [{ text: '这边帮您申请退款', intent: 'refund' }, { text: '这边帮您查询物流进度', intent: 'logistics' }] });
    expect(as.suggest('这边帮您', { turns: [{ role: 'user', text: '我要退款' }] })[0]!.full).toBe('这边帮您申请退款');
    expect(as.suggest('这边帮您', { turns: [{ role: 'user', text: '快递到哪了，物流不动' }] })[0]!.full).toBe('这边帮您查询物流进度');
    as.learn({ sent: ['这边帮您升级专员处理'] });
    expect(as.suggest('这边帮您升').map((s) => s.text)).toEqual(['级专员处理']);
  });

  it('keeps only the most used entries beyond its cap, ties going to the most recent', () => {
    const ix = new SuggestIndex({ maxEntries: 1000 });
    for (let i = 0; i < 30; i++) ix.add('请您耐心等待仓库发货', undefined, 1);
    for (let i = 0; i < 5000; i++) ix.add(`一次性回复${i}`, undefined, 1000 + i);
    ix.suggest('请'); // lookups never prune; learning does
    expect(ix.size).toBeLessThanOrEqual(1100);
    expect(ix.suggest('请您')[0]!.full).toBe('请您耐心等待仓库发货');
    // The newest one-off replies survive, the oldest are gone.
    expect(ix.suggest('一次性回复4999').map((s) => s.full)).toEqual([]); // exact, nothing to complete
    expect(ix.suggest('一次性回复499').map((s) => s.full)).toEqual(['一次性回复4990', '一次性回复4991', '一次性回复4992']);
    expect(ix.suggest('一次性回复1')).toEqual([]);
    const back = SuggestIndex.fromJSON(JSON.parse(JSON.stringify(ix.toJSON())));
    expect(back.size).toBe(ix.size);
    expect(back.suggest('一次性回复499')).toEqual(ix.suggest('一次性回复499'));
  });

  it('wide prefixes over a large history stay correct', () => {
    const ix = new SuggestIndex();
    for (let i = 0; i < 20_000; i++) ix.add(`您好${i}号为您服务`);
    for (let i = 0; i < 50; i++) ix.add('您好，很高兴为您服务');
    expect(ix.suggest('您')[0]!.full).toBe('您好，很高兴为您服务');
    expect(ix.suggest('您好1234')[0]!.full).toBe('您好1234号为您服务');
    // The wide prefix's cached head follows later learning.
    for (let i = 0; i < 80; i++) ix.add('您好，这边马上为您处理');
    expect(ix.suggest('您')[0]!.full).toBe('您好，这边马上为您处理');
    expect(ix.suggest('您').map((s) => s.full)).toContain('您好，很高兴为您服务');
  });
});

describe('predictive input never suggests a level-1 sensitive word', () => {
  const filter = buildFilter(defaultLexicon(), { allow: defaultAllowList() });
  const level1 = (t: string) => filter.scan(t).maxLevel === 1;
  const words1 = defaultLexicon().filter((e) => e.level === 1).map((e) => e.word);
  const benign = ['您好', '已为您', '登记', '退款', '请耐心等待', '物流', '发货', '请', '查询', '，', '。', '亲', '一下', '订单'];
  const noise = ['', ' ', '*', '-'];
  // A sent message: benign pieces with, sometimes, a level-1 word (possibly spaced out).
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...benign) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...words1), fc.constantFrom(...noise)).map(([w, n]) => Array.from(w).join(n)) },
  );
  const message = fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join(''));

  it('holds for any history and any draft', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 30 }), fc.array(message, { minLength: 1, maxLength: 5 }), (history, drafts) => {
        const as = loadAssistant(undefined, { screen: (t) => !level1(t) });
        as.learn({ sent: history });
        const prefixes = [...drafts, ...history.map((h) => h.slice(0, Math.ceil(h.length / 2))), '您', '请', '支'];
        for (const p of prefixes) {
          for (const s of as.suggest(p)) {
            expect(level1(s.text)).toBe(false);
            expect(level1(s.full)).toBe(false);
          }
        }
      }),
      { numRuns: Number(process.env.KEFU_PROP_RUNS ?? 150) },
    );
  });

  it('the screen is what keeps them out (without it they would be suggested)', () => {
    const open = loadAssistant();
    open.learn({ sent: ['请您直接转账给我'] });
    expect(open.suggest('请您').map((s) => s.full)).toEqual(['请您直接转账给我']);
    const screened = loadAssistant(undefined, { screen: (t) => !level1(t) });
    screened.learn({ sent: ['请您直接转账给我', '请您耐心等待'] });
    expect(screened.suggest('请您').map((s) => s.full)).toEqual(['请您耐心等待']);
  });
});
