import { describe, expect, it } from 'vitest';
import { extractFacts, maskPhone, parseChineseNumber } from '../src/facts.ts';

const f = extractFacts;

describe('order numbers', () => {
  it.each([
    ['订单号：2024050112345678', '2024050112345678'],
    ['订单号是 2024 0501 1234 5678', '2024050112345678'],
    ['订单编号 1234-5678-9012', '123456789012'],
    ['单号#778899001122', '778899001122'],
    ['我的订单2024050188889999还没到', '2024050188889999'],
    ['订单号ＤＤ２０２４０５０１８８８８', 'DD202405018888'],
    ['SF1234567890 到哪了', 'SF1234567890'],
    ['order no. 99887766554433', '99887766554433'],
    ['查一下 300123456789012 这个', '300123456789012'],
  ])('%s', (text, want) => {
    expect(f(text).orderNos).toEqual([want]);
  });

  it('a phone number is not an order number, nor is a date', () => {
    expect(f('电话13812345678').orderNos).toEqual([]);
    expect(f('2024-05-01 下的单').orderNos).toEqual([]);
  });
});

describe('phone numbers are found and masked', () => {
  it.each([
    ['13812345678'],
    ['138 1234 5678'],
    ['138-1234-5678'],
    ['+86 13812345678'],
    ['+86-138-1234-5678'],
    ['(+86)13812345678'],
    ['0086 13812345678'],
    ['８６１３８１２３４５６７８'],
    ['１３８１２３４５６７８'],
    ['一三八一二三四五六七八'],
    ['幺三八一二三四五六七八'],
  ])('%s → 138****5678', (text) => {
    expect(f(`我的手机是${text}，请回电`).phones).toEqual(['138****5678']);
  });

  it('landlines and service numbers', () => {
    expect(f('座机 010-87654321').phones).toEqual(['010****4321']);
    expect(f('打(0755) 12345678').phones).toEqual(['075****5678']);
    expect(f('客服热线400-123-4567').phones).toEqual(['400****4567']);
    expect(f('电话075512345678').phones).toEqual(['075****5678']);
  });

  it('never returns the unmasked number', () => {
    const out = JSON.stringify(f('13812345678 和 +86 139 8765 4321'));
    expect(out).not.toContain('13812345678');
    expect(out).not.toContain('13987654321');
    expect(f('13812345678 和 +86 139 8765 4321').phones).toEqual(['138****5678', '139****4321']);
  });

  it('masks', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});

describe('amounts', () => {
  it.each([
    ['退我199元', 199],
    ['一共199.50 元', 199.5],
    ['付了¥88', 88],
    ['￥1,299.00', 1299],
    ['RMB 45', 45],
    ['人民币300元', 300],
    ['花了299块钱', 299],
    ['才3块5', 3.5],
    ['运费5毛', 0.5],
    ['三千五百元', 3500],
    ['两百块', 200],
    ['一万二千元', 12000],
    ['３９９元', 399],
  ])('%s → %d', (text, value) => {
    expect(f(text).amounts.map((a) => a.value)).toEqual([value]);
  });

  it('an order number or a phone is not an amount', () => {
    expect(f('订单号 2024050112345678 元').amounts).toEqual([]);
  });

  it('parses Chinese numerals', () => {
    expect(parseChineseNumber('一百零五')).toBe(105);
    expect(parseChineseNumber('十二')).toBe(12);
    expect(parseChineseNumber('两万三千')).toBe(23000);
    expect(Number.isNaN(parseChineseNumber('你好'))).toBe(true);
  });
});

describe('dates and products', () => {
  it('dates in common forms', () => {
    expect(f('2024年5月1日下单').dates).toEqual([{ text: '2024年5月1日', iso: '2024-05-01' }]);
    expect(f('2024-05-01').dates[0]?.iso).toBe('2024-05-01');
    expect(f('2024/5/1').dates[0]?.iso).toBe('2024-05-01');
    expect(f('5月20号到的').dates[0]).toEqual({ text: '5月20号', iso: '--05-20' });
    expect(f('五月二十日').dates[0]?.iso).toBe('--05-20');
    expect(f('明天能到吗').dates.map((d) => d.text)).toEqual(['明天']);
    expect(f('下周三前处理').dates.map((d) => d.text)).toEqual(['下周三']);
    expect(f('3个工作日内退回').dates.map((d) => d.text)).toEqual(['3个工作日内']);
  });

  it('products from purchase phrases, brackets and model names', () => {
    expect(f('我买了一件红色羽绒服').products).toEqual(['红色羽绒服']);
    expect(f('【夏季新款连衣裙】尺码偏小').products).toEqual(['夏季新款连衣裙']);
    expect(f('iPhone 15 Pro 屏幕有问题').products).toEqual(['iPhone 15 Pro']);
    expect(f('今天天气很好').products).toEqual([]);
  });
});
