// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { Highlighted, segments, type Span } from './highlight.tsx';

afterEach(cleanup);

const span = (start: number, end: number, level: 1 | 2 | 3 = 1, reason = 'r'): Span => ({ start, end, level, reason });

describe('segments', () => {
  it('cuts the text at the hits and keeps every character exactly once', () => {
    const text = '请加我微信，私下转账';
    const s = segments(text, [span(1, 5, 1, 'contact'), span(8, 10, 1, 'payment')]);
    expect(s.map((x) => [x.text, x.spans.map((p) => p.reason)])).toEqual([
      ['请', []],
      ['加我微信', ['contact']],
      ['，私下', []],
      ['转账', ['payment']],
    ]);
    expect(s.map((x) => x.text).join('')).toBe(text);
  });

  it('maps UTF-16 offsets past surrogate pairs (emoji before the hit)', () => {
    // 😀 and 𠮷 are two code units each; the server reports code-unit offsets.
    const text = '😀𠮷退款马上到';
    const start = text.indexOf('退款');
    expect(start).toBe(4);
    const s = segments(text, [span(start, start + 2, 2)]);
    expect(s.map((x) => x.text)).toEqual(['😀𠮷', '退款', '马上到']);
    expect(s[1]!.spans[0]!.level).toBe(2);
  });

  it('never cuts an astral character in two: edges inside a pair widen to the whole character', () => {
    const text = 'a😀b';
    // 2 is between the high and the low surrogate of 😀.
    const s = segments(text, [span(2, 3)]);
    expect(s.map((x) => [x.text, x.spans.length])).toEqual([['a', 0], ['😀', 1], ['b', 0]]);
    const t = segments(text, [span(0, 2)]);
    expect(t.map((x) => [x.text, x.spans.length])).toEqual([['a😀', 1], ['b', 0]]);
    for (const seg of [...s, ...t]) expect(seg.text).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it('colours overlaps by the most severe span and names every reason', () => {
    const s = segments('投诉转账了', [span(0, 4, 3, 'complaint'), span(2, 4, 1, 'payment')]);
    expect(s.map((x) => [x.text, x.spans.map((p) => p.level)])).toEqual([
      ['投诉', [3]],
      ['转账', [1, 3]],
      ['了', []],
    ]);
  });

  it('ignores empty and out-of-range spans', () => {
    expect(segments('你好', [span(1, 1), span(5, 9)]).map((x) => x.text)).toEqual(['你好']);
    expect(segments('', [span(0, 3)])).toEqual([]);
  });
});

describe('Highlighted', () => {
  it('renders marks coloured by level with the reason for the hover', () => {
    const { container } = render(<Highlighted text="🙂请支付宝转账，或者投诉" spans={[span(6, 8, 1, '转账 · 阻断'), span(11, 13, 3, '投诉 · 附加声明')]} />);
    const marks = [...container.querySelectorAll('mark')];
    expect(marks.map((m) => [m.textContent, m.getAttribute('data-level'), m.getAttribute('data-reason')])).toEqual([
      ['转账', '1', '转账 · 阻断'],
      ['投诉', '3', '投诉 · 附加声明'],
    ]);
    expect(marks[0]!.className).toContain('ops-hl-1');
    expect(marks[1]!.className).toContain('ops-hl-3');
    expect(container.textContent).toBe('🙂请支付宝转账，或者投诉');
  });
});
