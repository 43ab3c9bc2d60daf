/**
 * Marks spans (sensitive-word hits, links, review evidence) in a text. Offsets are UTF-16 code
 * units, as the server's filter reports them; a span edge that falls inside a surrogate pair is
 * widened to the whole character so an emoji is never cut in two. Overlapping spans split the
 * text at every edge; each piece is coloured by the most severe span covering it.
 */
import { Fragment } from 'react';
import { Tooltip } from 'antd';

export interface Span {
  start: number;
  end: number;
  /** 1 red (blocked), 2 orange (face verification), 3 blue (statement); links and evidence are 1 unless said. */
  level: 1 | 2 | 3;
  /** Shown on hover. */
  reason: string;
}

export interface Segment {
  text: string;
  start: number;
  end: number;
  /** Spans covering this piece, most severe first; empty for plain text. */
  spans: Span[];
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Moves an offset that splits a surrogate pair: starts backwards, ends forwards. */
function snap(text: string, i: number, dir: -1 | 1): number {
  if (i <= 0 || i >= text.length) return Math.max(0, Math.min(text.length, i));
  if (isLow(text.charCodeAt(i)) && isHigh(text.charCodeAt(i - 1))) return dir < 0 ? i - 1 : i + 1;
  return i;
}

export function segments(text: string, spans: readonly Span[]): Segment[] {
  const valid = spans
    .map((s) => ({ ...s, start: snap(text, s.start, -1), end: snap(text, s.end, 1) }))
    .filter((s) => s.end > s.start && s.start < text.length);
  const cuts = new Set<number>([0, text.length]);
  for (const s of valid) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (b <= a) continue;
    const covering = valid.filter((s) => s.start <= a && s.end >= b).sort((x, y) => x.level - y.level);
    const prev = out[out.length - 1];
    // Neighbouring plain pieces are one piece.
    if (prev && prev.spans.length === 0 && covering.length === 0) {
      prev.text += text.slice(a, b);
      prev.end = b;
    } else out.push({ text: text.slice(a, b), start: a, end: b, spans: covering });
  }
  return out;
}

export const LEVEL_CLASS: Record<1 | 2 | 3, string> = { 1: 'ops-hl ops-hl-1', 2: 'ops-hl ops-hl-2', 3: 'ops-hl ops-hl-3' };

export function Highlighted({ text, spans, testId }: { text: string; spans: readonly Span[]; testId?: string }) {
  return (
    <span className="ops-hl-text" data-testid={testId}>
      {segments(text, spans).map((seg) =>
        seg.spans.length === 0 ? (
          <Fragment key={seg.start}>{seg.text}</Fragment>
        ) : (
          <Tooltip key={seg.start} title={seg.spans.map((s) => s.reason).join(' / ')}>
            <mark className={LEVEL_CLASS[seg.spans[0]!.level]} data-testid="hl" data-level={seg.spans[0]!.level} data-reason={seg.spans.map((s) => s.reason).join(' / ')}>
              {seg.text}
            </mark>
          </Tooltip>
        ),
      )}
    </span>
  );
}
