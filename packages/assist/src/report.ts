/** The structured incident report and the CSDS-style prose summaries. */
import { extractFacts, mergeFacts } from './facts.ts';
import { INTENT_NAMES, THREATS } from './lexicon.ts';
import { normalise } from './text.ts';
import type { EmotionPoint, EmotionResult, Escalation, IntentScore, Outcome, Report, Turn } from './types.ts';

const GREETING = /^(?:你好|您好|在吗|在不在|在么|有人吗|hi|hello|哈喽|嗯+|哦+|好的?|好吧|恩+|是的?|对的?|ok|okay|谢谢|多谢|感谢|没有了?|没了|行|可以|稍等|亲|亲亲|\[[^\]]*\]|[?？!！。,，.~～\s])+$/i;
const AGENT_FORMULA = /咨询之前的问题|其他的?问题需要|阳光|乌云|抱歉|不好意思|让您久等|久等了|有什么(?:问题|可以)|请问还有|还有(?:其他|什么)(?:问题|需要|可以)|感谢您?的?(?:耐心|支持|理解|咨询)|妹子怠慢|怠慢|评价|祝您|生活愉快|很高兴为您服务|欢迎(?:光临|再次)|亲爱的客户|请稍等|稍等|正在为您查询|马上为您|在的|您好|不客气|客气了|为您服务|多多包含|点击聊天框/;
const FILLER = /(?:亲爱的|亲亲|亲|呢|哦|哈|呀|啊|哟|哒|嘛|么么|~|～|\^_\^|\[[^\]]*表情[^\]]*\])/g;
const QUESTION = /[?？]|吗|么|怎么|怎样|如何|为什么|为啥|什么|哪|几|多少|能不能|可不可以|可以不|是否|有没有|行不行|是不是/;
const ACTION = /已经|已为您|已帮您|帮您|给您|为您|申请|提交|反馈|登记|核实|查询|查看|安排|补发|退款|处理|升级|联系|催促|加急|备注|修改|取消|重新|操作|发送|记录|转接|上报/;
const PROMISE = /会在|将在|稍后|尽快|[0-9一二两三四五六七八九十]+\s*(?:个)?(?:小时|工作日|天)(?:内|之内|以内)?|回电|回复您|跟进|联系您|通知您|给您答复|明天|后天|等待|耐心等/;
const RESOLVED = /解决了|好的谢谢|谢谢|明白了|知道了|没问题|可以了|收到了|好的好的|满意|ok了/i;
const NEGATIVE_END = /还是不行|没解决|不行|不满意|投诉|算了|无语/;

function clean(text: string, role: 'user' | 'agent'): string {
  let t = text.replace(FILLER, '').replace(/\s+/g, '').replace(/[~～]+/g, '');
  if (role === 'agent') {
    t = t.replace(/您/g, '用户').replace(/小妹|妹子|小店|本店|我们这边|我这边|这边/g, '').replace(/^(?:好的|嗯+|恩+|是的)[，,。!！]+/, '');
  } else {
    // Greetings first, then "I'd like to ask" openers, which often follow a greeting.
    t = t.replace(/^(?:你好|您好|在吗|hi|hello)[，,。!！?？]*/i, '');
    t = t.replace(/^我?(?:想|要)?(?:问|咨询)(?:一下|下)?[，,：:]?|^(?:请问|麻烦问)(?:一下|下)?[，,：:]?/, '');
  }
  t = t.replace(/[，,。!！?？；;、]+$/, '').replace(/^[，,。!！?？；;、\s]+/, '');
  return t;
}

function informative(text: string): boolean {
  return text.replace(/\[[^\]]*\]/g, 'X').length >= 4 && !GREETING.test(text.trim());
}

function truncate(s: string, n: number): string {
  const a = Array.from(s);
  return a.length <= n ? s : a.slice(0, n).join('');
}

interface Block {
  role: 'user' | 'agent';
  texts: string[];
  first: number;
}

function blocks(turns: Turn[]): Block[] {
  const out: Block[] = [];
  turns.forEach((t, i) => {
    const last = out[out.length - 1];
    if (last && last.role === t.role) last.texts.push(t.text);
    else out.push({ role: t.role, texts: [t.text], first: i });
  });
  return out;
}

/** The user's main request: the first informative user turn, preferring a question or an ask. */
export function findRequest(turns: Turn[]): string {
  const user = turns.filter((t) => t.role === 'user' && informative(t.text));
  const ask = user.slice(0, 4).find((t) => QUESTION.test(t.text) || /想|要|需要|请|帮我|麻烦/.test(t.text));
  const pick = ask ?? user[0];
  return pick ? truncate(clean(pick.text, 'user'), 60) : '';
}

/** Is `b` the same question as `a`? Character-bigram Jaccard over the normalised texts. */
export function sameQuestion(a: string, b: string): boolean {
  const bg = (s: string) => {
    const t = normalise(s).replace(/[\s?？!！。，,.~]/g, '');
    const set = new Set<string>();
    for (let i = 0; i + 2 <= t.length; i++) set.add(t.slice(i, i + 2));
    return set;
  };
  const x = bg(a);
  const y = bg(b);
  if (x.size < 2 || y.size < 2) return false;
  let inter = 0;
  for (const g of x) if (y.has(g)) inter++;
  return inter / (x.size + y.size - inter) >= 0.5;
}

const NEG = new Set(['angry', 'dissatisfied']);

function negativity(e: EmotionResult): number {
  if (e.label === 'angry') return 0.5 + 0.5 * e.intensity;
  if (e.label === 'dissatisfied') return 0.25 + 0.4 * e.intensity;
  if (e.label === 'anxious') return 0.15 + 0.2 * e.intensity;
  return 0;
}

/**
 * The escalation rule. A warning is raised at the first user turn where any of these holds:
 * - threat: the user threatens to complain or go public (投诉, 12315, 曝光…);
 * - anger_rising: the turn is angry or dissatisfied, its negativity is above the previous user
 *   turn's and above 0.6, and the one before was already negative (two rising steps), or the
 *   turn is angry with intensity ≥ 0.8 after an earlier negative turn;
 * - repeated_question: the user asks the same question again (bigram Jaccard ≥ 0.5) and no
 *   agent turn since the first asking answered it (an agent turn counts as an answer when it
 *   is not a formula such as 请稍等).
 */
export function escalation(turns: Turn[], emotions: EmotionPoint[]): Escalation {
  const reasons = new Set<Escalation['reasons'][number]>();
  const threats: string[] = [];
  let first: number | undefined;
  const mark = (r: Escalation['reasons'][number], turn: number) => {
    reasons.add(r);
    if (first === undefined || turn < first) first = turn;
  };
  turns.forEach((t, i) => {
    if (t.role !== 'user') return;
    const n = normalise(t.text);
    for (const w of THREATS) {
      const at = n.indexOf(w);
      if (at >= 0) {
        // A number such as 12315 inside a longer number (an order number) is not a threat.
        if (/^[0-9]+$/.test(w) && (/[0-9]/.test(n[at - 1] ?? '') || /[0-9]/.test(n[at + w.length] ?? ''))) continue;
        // "不会投诉" / "不是要投诉" is not a threat.
        if (/不会|不是要|不想|没有要|不打算/.test(n.slice(Math.max(0, at - 4), at))) continue;
        if (!threats.includes(w)) threats.push(w);
        mark('threat', i);
      }
    }
  });
  for (let k = 1; k < emotions.length; k++) {
    const cur = emotions[k]!;
    const prev = emotions[k - 1]!;
    const nc = negativity(cur);
    const np = negativity(prev);
    const earlierNeg = emotions.slice(0, k).some((e) => NEG.has(e.label));
    const twoSteps = k >= 2 && np > negativity(emotions[k - 2]!) && np > 0;
    if (NEG.has(cur.label) && nc > np && nc >= 0.6 && (twoSteps || NEG.has(prev.label))) mark('anger_rising', cur.turn);
    else if (cur.label === 'angry' && cur.intensity >= 0.8 && earlierNeg) mark('anger_rising', cur.turn);
  }
  for (let i = 0; i < turns.length; i++) {
    const t = turns[i]!;
    if (t.role !== 'user' || !QUESTION.test(t.text) || !informative(t.text)) continue;
    for (let j = i + 1; j < turns.length; j++) {
      const u = turns[j]!;
      if (u.role === 'agent' && informative(u.text) && !AGENT_FORMULA.test(u.text)) break;
      if (u.role === 'user' && sameQuestion(t.text, u.text)) {
        mark('repeated_question', j);
        break;
      }
    }
  }
  const out: Escalation = { warn: reasons.size > 0, reasons: [...reasons], threats };
  if (first !== undefined) out.turn = first;
  return out;
}

export interface SummaryOptions {
  /** Question–answer exchanges kept. */
  maxPairs: number;
  /** Characters kept from the user's line and from the agent's. */
  userChars: number;
  agentChars: number;
  /** Keep user statements that are not questions. */
  statements: boolean;
}

/** Defaults chosen on the CSDS validation split (eval/assist/tune-summary.ts), never on test. */
export const SUMMARY_DEFAULTS: SummaryOptions = { maxPairs: 4, userChars: 26, agentChars: 26, statements: true };

/** How summary-worthy a line is (0–1), from a trained head; see `summaryLabel`. */
export type Salience = (text: string, role: 'user' | 'agent') => number;

/** The text a salience model reads for one line. */
export function salienceText(text: string, role: 'user' | 'agent'): string {
  return `${role === 'user' ? '用户' : '客服'}：${text}`;
}

/**
 * Training label for a line of a dialogue whose reference summary is known: "key" when most of
 * its character bigrams (after the same cleaning the summary uses) appear in the summary.
 */
export function summaryLabel(text: string, role: 'user' | 'agent', summary: string): 'key' | 'other' {
  const c = clean(text, role);
  if (!informative(text) || c.length < 3) return 'other';
  let hit = 0;
  let all = 0;
  for (let i = 0; i + 2 <= c.length; i++) {
    all++;
    if (summary.includes(c.slice(i, i + 2))) hit++;
  }
  return all > 0 && hit / all >= 0.5 ? 'key' : 'other';
}

/**
 * CSDS-style summaries: 用户询问…。客服表示…。 per question–answer exchange. By rule, the first
 * exchanges are kept and each side's line is a question / an action; with a trained salience
 * model, each side's most salient line is used and the most salient exchanges are kept.
 */
export function summarise(turns: Turn[], o: SummaryOptions = SUMMARY_DEFAULTS, salience?: Salience): Report['summary'] {
  const bs = blocks(turns);
  const pairs: { user: string; agent: string | null; score: number }[] = [];
  const best = (texts: string[], role: 'user' | 'agent') => {
    let top = texts[0]!;
    let v = -1;
    for (const t of texts) {
      const sv = salience!(t, role);
      if (sv > v) {
        v = sv;
        top = t;
      }
    }
    return { text: top, score: v };
  };
  for (let b = 0; b < bs.length; b++) {
    const blk = bs[b]!;
    if (blk.role !== 'user') continue;
    const texts = blk.texts.filter(informative);
    if (texts.length === 0) continue;
    let q: string;
    let score = 0;
    if (salience) {
      ({ text: q, score } = best(texts, 'user'));
    } else {
      // The most telling user line: a question if there is one, else the longest.
      const asked = texts.find((t) => QUESTION.test(t));
      if (!asked && !o.statements) continue;
      q = asked ?? texts.reduce((a, c) => (c.length > a.length ? c : a));
    }
    const uq = truncate(clean(q, 'user'), o.userChars);
    if (uq.length < 3 || pairs.some((p) => sameQuestion(p.user, uq))) continue;
    const user = `${QUESTION.test(q) ? '用户询问' : '用户表示'}${uq}。`;
    let agent: string | null = null;
    // The agent's answer comes from the next agent block.
    const next = bs.slice(b + 1).find((x) => x.role === 'agent');
    if (next) {
      const subst = next.texts.filter((t) => informative(t) && !AGENT_FORMULA.test(t));
      const a = subst.length === 0 ? undefined : salience ? best(subst, 'agent').text : (subst.find((t) => ACTION.test(t)) ?? subst[0]);
      if (a) {
        const ca = truncate(clean(a, 'agent'), o.agentChars);
        if (ca.length >= 2) agent = `客服${/^(?:已|会|将|帮|给|可以|需要|请|没有|不)/.test(ca) ? '表示' : '回复'}${ca}。`;
      }
    }
    pairs.push({ user, agent, score });
  }
  let chosen = pairs.slice(0, o.maxPairs);
  if (salience) {
    const keep = new Set([...pairs].sort((x, y) => y.score - x.score).slice(0, o.maxPairs));
    chosen = pairs.filter((p) => keep.has(p));
  }
  return {
    overall: chosen.map((p) => p.user + (p.agent ?? '')).join(''),
    user: chosen.map((p) => p.user).join(''),
    agent: chosen.map((p) => p.agent ?? '').join(''),
  };
}

export interface ReportParts {
  intents: IntentScore[];
  emotionOf: (text: string) => EmotionResult;
  salience?: Salience | undefined;
}

export function buildReport(turns: Turn[], parts: ReportParts): Report {
  const top = parts.intents[0] ?? { label: 'other', p: 1 };
  const facts = mergeFacts(turns.map((t) => extractFacts(t.text)));
  const emotions: EmotionPoint[] = [];
  turns.forEach((t, i) => {
    if (t.role === 'user') emotions.push({ turn: i, ...parts.emotionOf(t.text) });
  });
  const esc = escalation(turns, emotions);
  const request = findRequest(turns);
  const actions: string[] = [];
  const followUps: string[] = [];
  for (const t of turns) {
    if (t.role !== 'agent' || !informative(t.text) || AGENT_FORMULA.test(t.text)) continue;
    const c = truncate(clean(t.text, 'agent'), 50);
    if (ACTION.test(t.text) && !actions.includes(c) && actions.length < 6) actions.push(c);
    if (PROMISE.test(t.text) && !followUps.includes(c) && followUps.length < 4) followUps.push(c);
  }
  const lastUser = [...turns].reverse().find((t) => t.role === 'user');
  const escalatedByAgent = turns.some((t) => t.role === 'agent' && /升级|专员|主管|上级|转交|转接/.test(t.text));
  let outcome: Outcome;
  if (esc.warn && escalatedByAgent) outcome = 'escalated';
  else if (lastUser && RESOLVED.test(lastUser.text) && !NEGATIVE_END.test(lastUser.text)) outcome = 'resolved';
  else if (followUps.length > 0) outcome = 'pending';
  else outcome = 'unresolved';
  if (esc.warn && !followUps.some((f) => f.includes('回访'))) followUps.push('主管回访：用户情绪升级或有投诉倾向');
  if (facts.orderNos.length === 0 && ['refund', 'return_exchange', 'logistics', 'payment_problem'].includes(top.label)) {
    followUps.push('补充核实订单号');
  }
  const name = INTENT_NAMES[top.label] ?? top.label;
  return {
    topic: { intent: top.label, label: request ? `${name}：${truncate(request, 24)}` : name },
    request,
    facts,
    actions,
    outcome,
    emotions,
    escalation: esc,
    followUps,
    summary: summarise(turns, SUMMARY_DEFAULTS, parts.salience),
  };
}
