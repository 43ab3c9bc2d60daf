import { describe, expect, it } from 'vitest';
import { sensitiveFilter } from './lexicon.ts';
import { ruleReviewer } from './reviewer.ts';

const review = (t: string) => ruleReviewer.review(t, { filter: sensitiveFilter(), allowHosts: ['kuaishou.com'] });

describe('rule reviewer', () => {
  it.each([
    ['我保证全额退款，您放心', 'false_promise'],
    ['100%到账，绝对没问题', 'false_promise'],
    ['给您双倍赔偿', 'false_promise'],
    ['你是不是有病，听不懂人话', 'abuse'],
    ['爱买不买', 'abuse'],
    ['加我微信私聊，便宜点', 'external_link'],
    ['扫码访问 www.cheap-deal.cn 下单', 'external_link'],
  ])('flags %s as %s', (text, type) => {
    const v = review(text);
    expect(v?.type).toBe(type);
    for (const e of v!.evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
  });

  it.each(['您好，请问有什么可以帮您？', '退款申请已提交，一般1-3个工作日到账', '帮助中心 https://www.kuaishou.com/help', '物流显示明天送达，请留意'])('passes %s', (text) => {
    expect(review(text)).toBeNull();
  });
});
