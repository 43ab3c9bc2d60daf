/**
 * The AI reviewer (DESIGN 1.4): screens every sent agent message for the spec's violation types.
 * An interface, so a stronger model can be plugged in; the default runs in-process: the sensitive
 * -word filter, link detection and rules written for service Chinese.
 */
import type { Filter } from '@kefu/filter';
import { findExternalLinks } from './links.ts';

export type ViolationType = 'external_link' | 'false_promise' | 'abuse';

/** How long a confirmed violation of each type may take to handle (DESIGN 1.4). */
export const HANDLING_DEADLINE_MS: Record<ViolationType, number> = {
  external_link: 2 * 3_600_000,
  false_promise: 4 * 3_600_000,
  abuse: 1 * 3_600_000,
};

export interface Evidence { start: number; end: number; text: string; why: string }
export interface Verdict { type: ViolationType; score: number; evidence: Evidence[] }

export interface Reviewer {
  review(text: string, ctx: { filter: Filter; allowHosts: string[] }): Verdict | null;
}

// Promises an agent may not make: guaranteed outcomes, compensation beyond policy, absolute claims.
const FALSE_PROMISE = [
  /(保证|包|一定|绝对|肯定)(能|会|给您|帮您)?(全额|双倍|三倍)?(退款|退货|赔偿|赔付|到账|解决|退回|补偿|通过|解封)/g,
  /(100|百分之百|百分百)\s*[%％]?\s*(退款|赔偿|到账|解决|通过|解封|成功|没问题|保证)/g,
  /(双倍|三倍|十倍|加倍)(赔偿|赔付|返还|补偿)/g,
  /(马上|立刻|立即|今天之内|秒)(就)?(到账|退款|解封)/g,
  /(绝对|肯定)(没问题|不会有问题|不会再出现)/g,
];
// Abuse of users beyond the lexicon's own abuse words.
const ABUSE = [/(你|您)(是不是)?(有病|脑子有问题|听不懂人话|瞎了|傻|蠢)/g, /(滚|闭嘴|爱买不买|活该|烦死了)/g];
// Inviting the user off the platform.
const INDUCE = /(加我|加一下|私聊|私下|联系我|扫码|扫一扫|搜索|点击|打开|访问)/;

export const ruleReviewer: Reviewer = {
  review(text, { filter, allowHosts }) {
    const found: Record<ViolationType, Evidence[]> = { external_link: [], false_promise: [], abuse: [] };
    const scan = filter.scan(text);
    for (const h of scan.hits) {
      const e = { start: h.start, end: h.end, text: text.slice(h.start, h.end), why: `${h.category}:${h.word}` };
      if (h.category === 'abuse') found.abuse.push(e);
      else if (h.category === 'contact' || h.category === 'payment') found.external_link.push(e);
    }
    const links = findExternalLinks(text, allowHosts);
    for (const l of links) found.external_link.push({ start: l.start, end: l.end, text: text.slice(l.start, l.end), why: `link:${l.host}` });
    for (const re of FALSE_PROMISE) for (const m of text.matchAll(re)) found.false_promise.push({ start: m.index!, end: m.index! + m[0].length, text: m[0], why: 'promise' });
    for (const re of ABUSE) for (const m of text.matchAll(re)) found.abuse.push({ start: m.index!, end: m.index! + m[0].length, text: m[0], why: 'abuse' });
    // A link alone from a tier allowed to send links is not inducement; with an invitation it is.
    const linkScore = found.external_link.some((e) => e.why.startsWith('contact') || e.why.startsWith('payment')) ? 0.9 : links.length && INDUCE.test(text) ? 0.7 : 0;
    const candidates: Verdict[] = [
      { type: 'abuse' as const, score: found.abuse.length ? 0.9 : 0, evidence: found.abuse },
      { type: 'external_link' as const, score: linkScore, evidence: found.external_link },
      { type: 'false_promise' as const, score: found.false_promise.length ? 0.8 : 0, evidence: found.false_promise },
    ].filter((v) => v.score > 0);
    candidates.sort((a, b) => b.score - a.score);
    return candidates[0] ?? null;
  },
};
