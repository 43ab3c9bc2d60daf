import { describe, expect, it } from 'vitest';
import { parseLexicon } from '../src/index.ts';

describe('parseLexicon', () => {
  it('reads plain text with optional level and category columns', () => {
    const { entries, errors } = parseLexicon('\uFEFF# comment\n支付\n退款\t2\n投诉\t3\tcomplaint\n\n赌博 1 prohibited\n', {
      category: 'org',
    });
    expect(errors).toEqual([]);
    expect(entries).toEqual([
      { word: '支付', level: 1, category: 'org' },
      { word: '退款', level: 2, category: 'org' },
      { word: '投诉', level: 3, category: 'complaint' },
      { word: '赌博', level: 1, category: 'prohibited' },
    ]);
  });

  it('uses the file level when lines carry none', () => {
    expect(parseLexicon('a\nb\t1', { level: 3 }).entries.map((e) => e.level)).toEqual([3, 1]);
  });

  it('reads CSV with a header, quotes and trailing commas', () => {
    const { entries, errors } = parseLexicon('word,level,category\n"加,微信",1,contact\n退款,2,refund\n投诉,,\n', {
      level: 3,
    });
    expect(errors).toEqual([]);
    expect(entries).toEqual([
      { word: '加,微信', level: 1, category: 'contact' },
      { word: '退款', level: 2, category: 'refund' },
      { word: '投诉', level: 3, category: 'custom' },
    ]);
  });

  it('detects headerless CSV such as "word," lines', () => {
    const { entries, errors } = parseLexicon('法轮,\n色情,\n');
    expect(errors).toEqual([]);
    expect(entries.map((e) => e.word)).toEqual(['法轮', '色情']);
  });

  it('merges duplicates keeping the most severe level', () => {
    const { entries } = parseLexicon('退款\t3\n退款\t2\n退款\t3\n');
    expect(entries).toEqual([{ word: '退款', level: 2, category: 'custom' }]);
  });

  it('reports malformed lines with their line numbers and keeps the good ones', () => {
    const text = ['支付\t1', '退款\t4', '\t2', 'a\t1\tx\ty', '好词\t1', 'x\u0001y', 'z'.repeat(70)].join('\n');
    const { entries, errors } = parseLexicon(text);
    expect(entries.map((e) => e.word)).toEqual(['支付', '好词']);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 6, 7]);
    expect(errors[0]!.message).toMatch(/level/);
  });

  it('reports an unterminated CSV quote', () => {
    const { errors } = parseLexicon('word,level\n"abc,1\nok,2\n', { format: 'csv' });
    expect(errors).toEqual([{ line: 2, message: 'unterminated quote' }]);
  });

  it('warns about single-character words but keeps them', () => {
    const { entries, errors, warnings } = parseLexicon('的\n支付\n𠮷\n');
    expect(errors).toEqual([]);
    expect(entries.map((e) => e.word)).toEqual(['的', '支付', '𠮷']);
    expect(warnings.map((w) => w.line)).toEqual([1, 3]);
  });
});
