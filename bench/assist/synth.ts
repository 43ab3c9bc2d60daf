/** Synthetic customer-service traffic for the benchmarks (written for Kefu; no public data). */

import { mulberry32 } from '@kefu/assist';

/** The benchmarks' seeded generator: the same one the package uses for its shuffles. */
export const rng = mulberry32;

const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;

const PRODUCTS = ['蓝牙耳机', '羽绒服', '运动鞋', '电饭煲', '面膜', '充电宝', '连衣裙', '机械键盘', '扫地机', '奶粉', '行车记录仪', '保温杯'];
const OPENERS = ['您好', '亲', '亲亲', '您好亲', '在的亲', '不好意思久等了', '感谢您的耐心等待', '非常抱歉'];
const AGENT = [
  '已为您登记退款，款项会在{n}个工作日内原路退回',
  '这边帮您查询了，订单{o}已经发货，预计{d}送达',
  '请您提供一下订单号，这边帮您核实',
  '已经帮您催促仓库尽快发货，请您耐心等待',
  '{p}支持七天无理由退换货，您可以在订单页面申请售后',
  '已为您申请补发，新的快递单号会短信通知您',
  '这边已经帮您升级专员处理，会在{n}小时内联系您',
  '您可以在我的订单里点击申请退款，选择仅退款',
  '{p}的尺码建议您参考详情页的尺码表',
  '价保申请已经提交，差价{a}元会退到您的账户余额',
  '请问还有其他可以帮到您的吗',
  '快递员会在{d}上门取件，请保持电话畅通',
  '已为您备注优先发货，{p}今天下午出库',
  '发票会在确认收货后{n}个工作日内开具',
  '账号申诉已经提交，审核结果会在{n}个工作日内通知您',
  '麻烦您拍一下{p}破损的照片，这边帮您申请换货',
];
const USER = [
  '我的{p}怎么还没发货',
  '订单{o}到哪了，物流一直不更新',
  '我要退款，{p}质量太差了',
  '{p}坏了能换一个吗',
  '付款的时候一直支付失败怎么办',
  '我的账号被封了，怎么申诉',
  '这个{p}支持蓝牙吗，续航多久',
  '都三天了还没到，你们怎么回事！！',
  '再不处理我就投诉到12315',
  '好的谢谢，辛苦了',
  '优惠券用不了，差价{a}元能退吗',
  '明天要用，能不能快点发货',
];
const DAYS = ['明天', '后天', '今天下午', '周三', '5月20日'];

function fill(r: () => number, t: string): string {
  return t
    .replace('{p}', pick(r, PRODUCTS))
    .replace('{o}', String(2024000000000000 + Math.floor(r() * 1e12)))
    .replace('{n}', String(1 + Math.floor(r() * 7)))
    .replace('{d}', pick(r, DAYS))
    .replace('{a}', String(Math.floor(r() * 500)));
}

/** An agent message as agents write them: an opener, one or two templates, variable slots. */
export function agentMessage(r: () => number): string {
  const first = fill(r, pick(r, AGENT));
  const body = r() < 0.3 ? `${first}。${fill(r, pick(r, AGENT))}` : first;
  return r() < 0.7 ? `${pick(r, OPENERS)}，${body}` : body;
}

export function userMessage(r: () => number): string {
  return fill(r, pick(r, USER));
}

// Rough labels for the synthetic user templates (emotion, intent), so trained heads see
// learnable data; a fifth of the labels are flipped at random as noise.
const USER_LABELS: [string, string][] = [
  ['dissatisfied', 'logistics'], ['calm', 'logistics'], ['dissatisfied', 'refund'], ['calm', 'return_exchange'],
  ['anxious', 'payment_problem'], ['anxious', 'account_ban_appeal'], ['calm', 'product_question'],
  ['angry', 'logistics'], ['angry', 'complaint'], ['satisfied', 'other'], ['dissatisfied', 'payment_problem'],
  ['anxious', 'logistics'],
];
const EMO = ['calm', 'satisfied', 'anxious', 'dissatisfied', 'angry'];
const INT = ['refund', 'return_exchange', 'logistics', 'product_question', 'payment_problem', 'account_ban_appeal', 'complaint', 'other'];

/** 6–15 random common CJK characters: the long tail of real messages, so trained heads are dense. */
function noise(r: () => number): string {
  let s = '';
  const len = 6 + Math.floor(r() * 10);
  for (let i = 0; i < len; i++) s += String.fromCharCode(0x4e00 + Math.floor(r() * 3500));
  return s;
}

export function labelledUserMessage(r: () => number): { text: string; emotion: string; intent: string } {
  const i = Math.floor(r() * USER.length);
  const [e, n] = USER_LABELS[i]!;
  const text = `${fill(r, USER[i]!)}，${noise(r)}`;
  return { text, emotion: r() < 0.2 ? pick(r, EMO) : e, intent: r() < 0.2 ? pick(r, INT) : n };
}

export function conversation(r: () => number, turns: number): { role: 'user' | 'agent'; text: string }[] {
  return Array.from({ length: turns }, (_, i) => (i % 2 === 0 ? { role: 'user' as const, text: userMessage(r) } : { role: 'agent' as const, text: agentMessage(r) }));
}
