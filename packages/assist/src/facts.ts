/**
 * Key facts from conversation text: order numbers, amounts, products, phone numbers (masked)
 * and dates, in the forms people actually type — full-width digits, spaces and dashes inside
 * numbers, Chinese numerals, currency signs before or units after.
 */
import type { Facts } from './types.ts';

const CN_DIGIT: Record<string, number> = {
  零: 0, '〇': 0, 一: 1, 壹: 1, 幺: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4, 五: 5, 伍: 5,
  六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const CN_UNIT: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const CN_BIG: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8 };

/** Parse a Chinese numeral such as 三千五百, 两万, 十二, 一百零五; NaN if it is not one. */
export function parseChineseNumber(s: string): number {
  if (!s) return NaN;
  let total = 0;
  let section = 0;
  let digit = -1;
  for (const ch of s) {
    if (ch in CN_DIGIT) digit = CN_DIGIT[ch]!;
    else if (ch in CN_UNIT) {
      section += (digit < 0 ? 1 : digit) * CN_UNIT[ch]!;
      digit = -1;
    } else if (ch in CN_BIG) {
      total += (section + (digit < 0 ? 0 : digit)) * CN_BIG[ch]!;
      section = 0;
      digit = -1;
    } else return NaN;
  }
  return total + section + (digit < 0 ? 0 : digit);
}

/** Full-width digits and letters to ASCII; keeps length so indices stay aligned. */
function toAscii(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Runs of ≥7 spelled digits (一三八…, 幺三八…) become ASCII digits (same length). */
function spelledDigits(text: string): string {
  return text.replace(/[零〇一二三四五六七八九幺]{7,}/g, (run) => Array.from(run, (c) => String(CN_DIGIT[c] ?? 0)).join(''));
}

/** Mask a phone number: mobile 138****1234, others keep the first 3 and the last 4 digits. */
export function maskPhone(digits: string): string {
  if (digits.length <= 7) return digits.slice(0, 2) + '*'.repeat(Math.max(digits.length - 4, 1)) + digits.slice(-2);
  return digits.slice(0, 3) + '****' + digits.slice(-4);
}

const SEP = '[ \\-‐–—_.]?';
// Mobile: optional +86 / 0086 / 86 prefix, then 1[3-9] and 9 more digits, groups 3-4-4 with
// optional separators.
const MOBILE = new RegExp(`(?<![0-9A-Za-z])(?:(?:\\+|00)?86${SEP}|\\(\\+?86\\)${SEP}?)?(1[3-9][0-9])${SEP}([0-9]{4})${SEP}([0-9]{4})(?![0-9])`, 'g');
// Landline: area code 0xx / 0xxx then 7–8 digits; or 400/800 service numbers.
const LANDLINE = /(?<![0-9])(?:\(?(0[1-9][0-9]{1,2})\)?[ \-]?([0-9]{7,8})|([48]00)[ \-]?([0-9]{3})[ \-]?([0-9]{4}))(?![0-9])/g;

const ORDER_KEY = /(?:订单编号|订单号码?|单号|运单号|快递单号|物流单号|订单|order\s*(?:no\.?|number|id)?|编号)\s*(?:是|为|:|：|#|＃)?\s*/iy;
const ALNUM_ORDER = /(?<![0-9A-Za-z])([A-Za-z]{1,4}[0-9]{8,22})(?![0-9A-Za-z])/g;
const LONG_DIGITS = /(?<![0-9A-Za-z.])([0-9]{10,24})(?![0-9A-Za-z])/g;

function pushUnique<T>(arr: T[], v: T, key: (x: T) => string = String): void {
  const k = key(v);
  if (!arr.some((x) => key(x) === k)) arr.push(v);
}

function extractPhones(t: string, taken: Array<[number, number]>): string[] {
  const out: string[] = [];
  for (const m of t.matchAll(MOBILE)) {
    pushUnique(out, maskPhone(m[1]! + m[2]! + m[3]!));
    taken.push([m.index!, m.index! + m[0].length]);
  }
  for (const m of t.matchAll(LANDLINE)) {
    const s = m.index!;
    if (taken.some(([a, b]) => s < b && s + m[0].length > a)) continue;
    // A landline needs a phone-ish word nearby, or it is just a number.
    const before = t.slice(Math.max(0, s - 8), s);
    const isService = m[3] !== undefined;
    // A landline written as 010-12345678 or (0755) 1234567 is clearly a phone; bare digits need a
    // phone-ish word just before, or they are just a number.
    const shaped = /^\(|^0[0-9]{2,3}[ \-]/.test(m[0]);
    if (!isService && !shaped && !/电话|座机|热线|号码|致电|回电|来电|打|拨|联系|tel|phone/i.test(before)) continue;
    const digits = isService ? m[3]! + m[4]! + m[5]! : m[1]! + m[2]!;
    pushUnique(out, maskPhone(digits));
    taken.push([s, s + m[0].length]);
  }
  return out;
}

function overlaps(taken: Array<[number, number]>, s: number, e: number): boolean {
  return taken.some(([a, b]) => s < b && e > a);
}

function extractOrders(t: string, taken: Array<[number, number]>): string[] {
  const out: string[] = [];
  // After an order keyword, digits may be grouped with spaces or dashes: 2024 0501 1234 5678.
  for (let i = 0; i < t.length; i++) {
    ORDER_KEY.lastIndex = i;
    const k = ORDER_KEY.exec(t);
    if (!k) continue;
    const start = i + k[0].length;
    const m = /^([A-Za-z]{0,4}[0-9]+(?:[ \-][0-9]{2,})*)/.exec(t.slice(start));
    if (m) {
      const raw = m[1]!;
      const id = raw.replace(/[ \-]/g, '');
      const digits = id.replace(/[^0-9]/g, '');
      if (digits.length >= 6 && !overlaps(taken, start, start + raw.length)) {
        pushUnique(out, id.toUpperCase());
        taken.push([start, start + raw.length]);
      }
    }
    i += k[0].length - 1;
  }
  for (const re of [ALNUM_ORDER, LONG_DIGITS]) {
    for (const m of t.matchAll(re)) {
      const s = m.index!;
      if (overlaps(taken, s, s + m[0].length)) continue;
      pushUnique(out, m[1]!.toUpperCase());
      taken.push([s, s + m[0].length]);
    }
  }
  return out;
}

const NUM = '[0-9]+(?:,[0-9]{3})*(?:\\.[0-9]+)?';
const CNNUM = '[零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟]+';
const AMOUNT_PATTERNS: RegExp[] = [
  // ¥199 / ￥199.5 / RMB 199 / 人民币199元
  new RegExp(`(?:[¥￥]|rmb|cny|人民币)\\s*(${NUM})(?:\\s*元)?`, 'gi'),
  // 3块5 / 3块5毛 / 12元5角
  new RegExp(`(${NUM}|${CNNUM})\\s*(?:块|元)(?:钱)?\\s*([0-9一二两三四五六七八九])\\s*(?:毛|角)?(?![0-9])`, 'g'),
  // 199元 / 199.00 元 / 二百五十块 / 1,299元 / 5毛
  new RegExp(`(${NUM}|${CNNUM})\\s*(元|块钱|块|毛钱|毛|角)(?![0-9a-z])`, 'gi'),
];

function amountValue(num: string): number {
  return /[0-9]/.test(num) ? Number(num.replace(/,/g, '')) : parseChineseNumber(num);
}

function extractAmounts(t: string, taken: Array<[number, number]>): Facts['amounts'] {
  const out: Facts['amounts'] = [];
  for (let p = 0; p < AMOUNT_PATTERNS.length; p++) {
    for (const m of t.matchAll(AMOUNT_PATTERNS[p]!)) {
      const s = m.index!;
      if (overlaps(taken, s, s + m[0].length)) continue;
      let value = amountValue(m[1]!);
      if (p === 1) value += (amountValue(m[2]!) || 0) / 10;
      if (p === 2 && /^(毛|毛钱|角)$/.test(m[2]!)) value /= 10;
      if (!Number.isFinite(value)) continue;
      // A bare "一块" (one piece, together) is not money unless it has a digit or a unit word.
      if (p === 2 && /^[一]$/.test(m[1]!) && m[2] === '块' && !/钱/.test(t.slice(s, s + m[0].length + 1))) continue;
      pushUnique(out, { value: Math.round(value * 100) / 100, text: m[0].trim() }, (a) => String(a.value));
      taken.push([s, s + m[0].length]);
    }
  }
  return out;
}

const WEEK = '一二三四五六日天';
const REL_DAYS: Record<string, number> = { 前天: -2, 昨天: -1, 今天: 0, 明天: 1, 后天: 2, 大后天: 3 };

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function extractDates(t: string): Facts['dates'] {
  const out: Facts['dates'] = [];
  const taken: Array<[number, number]> = [];
  const add = (m: RegExpMatchArray, iso?: string) => {
    const s = m.index!;
    if (overlaps(taken, s, s + m[0].length)) return;
    taken.push([s, s + m[0].length]);
    pushUnique(out, iso ? { text: m[0], iso } : { text: m[0] }, (d) => d.text);
  };
  const valid = (mo: number, d: number) => mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
  for (const m of t.matchAll(/(?<![0-9])(20[0-9]{2}|19[0-9]{2})\s*[年\-/.]\s*([0-9]{1,2})\s*[月\-/.]\s*([0-9]{1,2})\s*[日号]?(?![0-9])/g)) {
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (valid(mo, d)) add(m, `${m[1]}-${pad(mo)}-${pad(d)}`);
  }
  for (const m of t.matchAll(/(?<![0-9年])([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*[日号](?![0-9])/g)) {
    const mo = /[0-9]/.test(m[1]!) ? Number(m[1]) : parseChineseNumber(m[1]!);
    const d = /[0-9]/.test(m[2]!) ? Number(m[2]) : parseChineseNumber(m[2]!);
    if (valid(mo, d)) add(m, `--${pad(mo)}-${pad(d)}`);
  }
  for (const m of t.matchAll(/(?<![0-9])(20[0-9]{2})\s*年\s*([0-9]{1,2})\s*月(?![0-9])/g)) add(m);
  for (const m of t.matchAll(new RegExp(`(?:上|下|这|本)?(?:个)?(?:周|星期|礼拜)[${WEEK}]`, 'g'))) add(m);
  for (const m of t.matchAll(/大后天|前天|昨天|今天|明天|后天/g)) add(m);
  for (const m of t.matchAll(/([0-9]+|[一二两三四五六七八九十]+)\s*(?:个)?(?:工作日|天|小时|周|个月)(?:内|后|前|之内|以内)/g)) add(m);
  return out;
}

const PRODUCT_NOUNS =
  '手机|耳机|衣服|上衣|外套|羽绒服|卫衣|衬衫|T恤|裤子|牛仔裤|裙子|连衣裙|鞋子|鞋|靴子|袜子|帽子|包包|背包|电脑|笔记本|平板|充电器|充电宝|数据线|手表|手环|键盘|鼠标|显示器|路由器|音箱|相机|镜头|电视|冰箱|洗衣机|空调|热水器|吸尘器|扫地机|电饭煲|微波炉|净水器|吹风机|剃须刀|面膜|口红|粉底|洗面奶|护肤品|香水|奶粉|纸尿裤|玩具|书|床垫|被子|枕头|沙发|桌子|椅子|台灯|行车记录仪|后视镜|轮胎|茶叶|零食|大米|水果|化妆品|眼镜|戒指|项链|耳环|手链|自行车|电动车|打印机|硒鼓|墨盒|内存卡|硬盘|U盘|主板|显卡|套装|礼盒|商品|宝贝';
const PRODUCT_AFTER_VERB = new RegExp(
  `(?:买了|买的|购买了?|下单了?|订了|收到的?|拍了|拍的|这款|那款|这个|那个|这件|那件|这双|这台|那台|一台|一件|一双|一个)\\s*([A-Za-z0-9\\u4e00-\\u9fa5 +\\-]{0,14}?(?:${PRODUCT_NOUNS}))`,
  'g',
);
const PRODUCT_QUOTED = /[《【“「]([^》】”」]{2,30})[》】”」]/g;
const PRODUCT_MODEL = /(?<![A-Za-z0-9])((?:iPhone|iPad|MacBook|Galaxy|Mate|Redmi|小米|华为|荣耀|OPPO|vivo|AirPods|Switch|PS)\s?[A-Za-z0-9]{0,6}(?:\s?(?:Pro|Max|Plus|Ultra|mini|Lite|SE))*)/gi;

function extractProducts(t: string): string[] {
  const out: string[] = [];
  for (const m of t.matchAll(PRODUCT_QUOTED)) pushUnique(out, m[1]!.trim());
  for (const m of t.matchAll(PRODUCT_MODEL)) if (m[1]!.trim().length >= 2) pushUnique(out, m[1]!.trim());
  for (const m of t.matchAll(PRODUCT_AFTER_VERB)) {
    const p = m[1]!.trim().replace(/^(?:[一两]?[件个台双条套部只款]|的|了)/, '');
    if (p.length >= 1 && p !== '商品' && p !== '宝贝') pushUnique(out, p);
  }
  // Keep the most specific: drop an entry contained in a longer one.
  return out.filter((p) => !out.some((q) => q !== p && q.includes(p)));
}

/** Facts from one text. */
export function extractFacts(text: string): Facts {
  const t = spelledDigits(toAscii(text));
  const taken: Array<[number, number]> = [];
  const phones = extractPhones(t, taken);
  // Dates first so 2024-05-01 is never read as an amount or an order number.
  const dates = extractDates(t);
  const dateSpans: Array<[number, number]> = [];
  for (const m of t.matchAll(/(?<![0-9])(?:20|19)[0-9]{2}\s*[年\-/.]\s*[0-9]{1,2}\s*[月\-/.]\s*[0-9]{1,2}/g)) dateSpans.push([m.index!, m.index! + m[0].length]);
  const orderNos = extractOrders(t, [...taken, ...dateSpans]);
  const afterOrders: Array<[number, number]> = [...taken, ...dateSpans];
  for (const o of orderNos) {
    const i = t.toUpperCase().indexOf(o);
    if (i >= 0) afterOrders.push([i, i + o.length]);
  }
  // Grouped order numbers (with spaces) are not findable by indexOf; cover their keyword spans.
  for (const m of t.matchAll(/(?:订单编号|订单号码?|单号|运单号)\s*(?:是|为|:|：)?\s*[A-Za-z0-9 \-]+/g)) afterOrders.push([m.index!, m.index! + m[0].length]);
  const amounts = extractAmounts(t, afterOrders);
  const products = extractProducts(t);
  return { orderNos, amounts, products, phones, dates };
}

/** Facts from several texts, merged in order without duplicates. */
export function mergeFacts(list: Facts[]): Facts {
  const out: Facts = { orderNos: [], amounts: [], products: [], phones: [], dates: [] };
  for (const f of list) {
    for (const x of f.orderNos) pushUnique(out.orderNos, x);
    for (const x of f.amounts) pushUnique(out.amounts, x, (a) => String(a.value));
    for (const x of f.products) pushUnique(out.products, x);
    for (const x of f.phones) pushUnique(out.phones, x);
    for (const x of f.dates) pushUnique(out.dates, x, (d) => d.text);
  }
  return out;
}
