/**
 * Spelling variants of a lexicon word: homophones and look-alikes, split characters, full
 * pinyin, mixed pinyin/hanzi and initials. Variants go into the same automaton as the word,
 * so sound matching costs nothing at scan time.
 */
import { pinyin } from 'pinyin-pro';

/**
 * Homophones, near-homophones and look-alikes written by us for the characters of the default
 * lexicon's level-1/2 words (evasions seen in customer-service chat: 威信, 薇信, 徽信 → 微信…).
 */
export const HOMOPHONES: Record<string, string> = {
  微: '威薇维唯徽溦嶶危', 信: '芯心鑫', 加: '家佳嘉伽枷', 支: '只枝知芝汁', 付: '副富服傅咐赴',
  宝: '保包堡饱', 转: '专砖', 账: '帐张仗涨', 钱: '前浅潜', 私: '思丝司斯', 下: '夏吓',
  交: '胶焦娇', 易: '亦益', 联: '连莲', 系: '细戏', 扣: '叩寇', 退: '腿褪', 款: '宽', 赔: '陪培',
  偿: '尝常', 投: '头偷', 诉: '素塑', 举: '巨句', 报: '抱豹暴', 傻: '煞沙莎', 逼: '笔比币必',
  他: '她它', 妈: '马吗码玛', 操: '草艹曹', 号: '好豪', 码: '马吗玛', 群: '裙', 赌: '堵睹',
  博: '搏', 返: '反饭', 红: '洪', 现: '线', 卡: '咔', 扫: '骚', 贷: '代袋', 骗: '片偏', 淘: '陶掏',
  企: '起启', 鹅: '俄额', 电: '点店', 话: '化画', 手: '首守', 机: '几鸡', 套: '淘', 刷: '唰',
  单: '丹担', 钓: '调', 鱼: '于余', 枪: '抢呛', 毒: '独读', 嫖: '漂飘', 娼: '昌倡', 色: '涩',
  情: '晴请', 约: '月悦', 炮: '泡跑', 奸: '尖间', 杀: '沙刹', 死: '丝四', 滚: '衮', 蛋: '淡弹',
  垃: '拉', 圾: '鸡', 婊: '表', 贱: '践溅', 狗: '苟', 屁: '匹', 蠢: '春', 猪: '朱珠',
};

/** Split-character (拆字) spellings written by us. */
export const SPLIT_FORMS: Record<string, string> = {
  信: '亻言', 加: '力口', 钱: '钅戋', 转: '车专', 账: '贝长', 付: '亻寸', 胡: '古月', 好: '女子',
  奸: '女干', 强: '弓虽', 张: '弓长', 吃: '口乞', 枪: '木仓', 扣: '扌口', 打: '扌丁', 妈: '女马',
  码: '石马', 骗: '马扁', 赌: '贝者', 嫖: '女票', 娼: '女昌', 群: '君羊', 私: '禾厶', 好友: '女子友',
};

const pinyinCache = new Map<string, string[]>();

/** Toneless pinyin per character of a CJK word ('' for non-CJK characters). */
export function wordPinyin(word: string): string[] {
  const hit = pinyinCache.get(word);
  if (hit) return hit;
  const chars = Array.from(word);
  const arr = pinyin(word, { toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
  let out: string[];
  if (arr.length === chars.length) {
    out = arr.map((p, i) => (isCjk(chars[i]!) ? p.replace(/ü/g, 'v').toLowerCase() : ''));
  } else {
    out = chars.map((c) =>
      isCjk(c) ? (pinyin(c, { toneType: 'none' }) as string).replace(/ü/g, 'v').toLowerCase() : '',
    );
  }
  pinyinCache.set(word, out);
  return out;
}

export function isCjk(ch: string): boolean {
  const u = ch.codePointAt(0)!;
  return (u >= 0x3400 && u <= 0x9fff) || (u >= 0x20000 && u <= 0x3ffff) || (u >= 0xf900 && u <= 0xfaff);
}

export interface VariantSwitches {
  pinyin: boolean;
  homophones: boolean;
  max: number;
  /** large lexicons: per-character readings (fast) instead of per-word readings (context-aware) */
  perChar?: boolean;
}

const charPinyin = new Map<string, string>();

/** Toneless pinyin of single characters, cached: used for large lexicons. */
function pinyinPerChar(chars: string[]): string[] {
  return chars.map((c) => {
    if (!isCjk(c)) return '';
    let p = charPinyin.get(c);
    if (p === undefined) {
      p = (pinyin(c, { toneType: 'none' }) as string).replace(/ü/g, 'v').toLowerCase();
      charPinyin.set(c, p);
    }
    return p;
  });
}

/**
 * Variants of a canonical word (the word itself excluded). Only words with at least two CJK
 * characters get variants: a single character spelt in pinyin is an ordinary syllable. The
 * policy keeps the automaton proportionate on large lexicons:
 * - full pinyin for 2–6 CJK characters;
 * - mixed pinyin/hanzi: every mix for 2–3 characters, one syllable at a time for 4;
 * - initials for 3–4 characters (zfb, yhkh), mixed with hanzi (他md) for 3;
 * - homophones, look-alikes and split characters one at a time up to 6 characters, two at a
 *   time up to 4; never more than `max` variants per word.
 */
export function variantsOf(word: string, s: VariantSwitches): string[] {
  const chars = Array.from(word);
  const cjk = chars.filter(isCjk).length;
  if (cjk < 2) return [];
  const n = chars.length;
  const out = new Set<string>();
  const add = (v: string) => {
    if (v !== word && out.size < s.max) out.add(v);
  };
  if (s.pinyin && cjk <= 6) {
    const py = s.perChar ? pinyinPerChar(chars) : wordPinyin(word);
    add(chars.map((c, i) => py[i] || c).join(''));
    if (cjk >= 3 && cjk <= 4) add(chars.map((c, i) => (py[i] ? py[i]![0]! : c)).join(''));
    if (n <= 3) {
      for (let mask = 1; mask < (1 << n) - 1; mask++) {
        let v = '';
        let mixed = false;
        for (let i = 0; i < n; i++) {
          if (mask & (1 << i) && py[i]) {
            v += py[i];
            mixed = true;
          } else v += chars[i];
        }
        if (mixed) add(v);
      }
      // mixed initials and hanzi (他md): at least two initials
      if (cjk === 3) {
        for (let mask = 1; mask < (1 << n) - 1; mask++) {
          let bits = 0;
          let v = '';
          for (let i = 0; i < n; i++) {
            if (mask & (1 << i) && py[i]) {
              v += py[i]![0];
              bits++;
            } else v += chars[i];
          }
          if (bits >= 2) add(v);
        }
      }
    } else if (n === 4) {
      for (let i = 0; i < n; i++) if (py[i]) add(chars.slice(0, i).join('') + py[i] + chars.slice(i + 1).join(''));
    }
  }
  if (s.homophones && n <= 6) {
    const alts = chars.map((c) => Array.from(HOMOPHONES[c] ?? ''));
    // single substitutions first, then pairs: the likeliest evasions survive the cap
    for (let i = 0; i < n; i++) for (const a of alts[i]!) add(chars.slice(0, i).join('') + a + chars.slice(i + 1).join(''));
    for (let i = 0; i < n; i++) {
      const sp = SPLIT_FORMS[chars[i]!];
      if (sp) add(chars.slice(0, i).join('') + sp + chars.slice(i + 1).join(''));
    }
    if (n <= 4)
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++)
          for (const a of alts[i]!)
            for (const b of alts[j]!) {
              const v = chars.slice();
              v[i] = a;
              v[j] = b;
              add(v.join(''));
            }
  }
  return [...out];
}
