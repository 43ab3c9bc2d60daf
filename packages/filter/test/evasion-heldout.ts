/**
 * Held-out evasion cases: written after the normalisation, homophone and variant tables were
 * frozen, and never used to tune them. Their recall estimates how the engine does on evasions
 * nobody targeted (the main suite is, unavoidably, written alongside the tables). The bench
 * reports it; no test asserts a bar on it.
 */
import type { EvasionCase } from './evasion-cases.ts';

const c = (category: string, expect: string | null, ...texts: string[]): EvasionCase[] =>
  texts.map((text) => ({ category, text, expect }));

export const HELDOUT_CASES: EvasionCase[] = [
  ...c('case', 'vx', 'Vx号多少', 'vX同号'),
  ...c('case', 'qq', 'QQ群里说'),
  ...c('width', 'tmd', 'ｔｍｄ'),
  ...c('width', '加微信', '加 ｗｅｉ ｘｉｎ'),
  ...c('traditional', '银行卡号', '銀行卡號發我'),
  ...c('traditional', '退钱', '退錢給你'),
  ...c('traditional', '补偿', '給您補償'),
  ...c('traditional', '微信号', '微信號多少'),
  ...c('single noise', '刷单', '刷、单'),
  ...c('single noise', '套现', '套~现'),
  ...c('single noise', '赌球', '赌 球'),
  ...c('mixed noise', '加qq', '加_q_q'),
  ...c('mixed noise', '私聊我', '私（聊）我'),
  ...c('invisible', '退钱', '退\u200b钱'),
  ...c('invisible', '投诉', '投\u2061诉'),
  ...c('emoji noise', '支付宝', '支🙏付宝'),
  ...c('emoji noise', '私聊我', '私💕聊我'),
  ...c('repetition', '投诉', '投投诉诉'),
  ...c('repetition', '微信号', '微微信信号号'),
  ...c('number forms', '手机号', '１８６ ００００ １１１１', '壹捌陆零零零零壹壹壹壹', '电话:一八六零零零零一一一一'),
  ...c('stylised latin', 'vx', '𝒗𝒙'),
  ...c('stylised latin', 'qq', 'Ⓠⓠ'),
  ...c('url and contact', '扣扣', '扣扣：123456'),
  ...c('url and contact', '企鹅号', '企鹅号 123456'),
  ...c('url and contact', 'vx', 'V❤X：abc'),
  ...c('combinations', 'wx', '加 W X'),
  ...c('combinations', '加qq', '➕QQ'),
  ...c('combinations', '转账', 'ZHUAN 帐'),
  ...c('full pinyin', '加qq', 'jiaqq'),
  ...c('full pinyin', '微信号', 'weixinhao'),
  ...c('full pinyin', '退钱', 'tuiqian'),
  ...c('full pinyin', '举报', 'jubao'),
  ...c('full pinyin', '约炮', 'yuepao'),
  ...c('full pinyin', '刷单', 'shuadan'),
  ...c('mixed pinyin', '加微', '加wei'),
  ...c('mixed pinyin', '微信号', '微xin号'),
  ...c('mixed pinyin', '退钱', 'tui钱'),
  ...c('mixed pinyin', '支付', 'zhi付'),
  ...c('initials', '微信号', 'wxh'),
  ...c('initials', '加微信', 'jwx'),
  ...c('initials', '私聊我', 'slw'),
  ...c('homophones', '微信', '微新', '威心'),
  ...c('homophones', '支付宝', '支负宝'),
  ...c('homophones', '赌博', '堵搏'),
  ...c('homophones', '投诉', '偷诉'),
  ...c('homophones', '退款', '退宽'),
  ...c('look-alikes', '微信', '薇亻言'),
  ...c('look-alikes', '支付宝', '攴付宝'),
  ...c('split characters', '转账', '车专帐'),
  ...c('split characters', '加微信', '力口威信'),
  ...c('noise over real characters', null, '支持付出宝贵时间', '加油哦微笑信心'),
  ...c('latin and digit boundaries', null, 'qqq群', 'vxworks', 'wxpython', '2123156'),
  ...c('order numbers and prices', null, '运单号 75138001380001', '¥ 1,380,013,800', '尾号 8000'),
  ...c('everyday domain words', null, '我们已经为您登记，会尽快处理', '商品已签收', '麻烦您耐心等待', '退货运费我们承担', '请在订单页面申请售后'),
];
