/**
 * Kefu's built-in lexicon, written for customer-service private messages (DESIGN 1.3). Small and
 * curated: every word is something an agent must not send (level 1), may send only after a
 * face step-up (level 2), or that triggers the official statement (level 3). Organisations add
 * their own lexicons on top. Format: word<TAB>level<TAB>category, as parseLexicon reads it.
 */
import { parseLexicon } from './lexicon.ts';
import type { LexiconEntry } from './types.ts';

const DEFAULT_LEXICON = `
# ── level 1: payment and transfer outside the platform (支付/转账) ──
支付	1	payment
转账	1	payment
支付宝	1	payment
微信支付	1	payment
微信转账	1	payment
支付宝转账	1	payment
私下转账	1	payment
私下付款	1	payment
直接转给我	1	payment
转给我	1	payment
打款	1	payment
汇款	1	payment
收款码	1	payment
付款码	1	payment
扫码付款	1	payment
扫码支付	1	payment
银行卡号	1	payment
发红包	1	payment
# ── level 1: off-platform contact and trading ──
微信	1	contact
加微信	1	contact
加我微信	1	contact
微信号	1	contact
加微	1	contact
加v	1	contact
加vx	1	contact
vx	1	contact
wx	1	contact
v信	1	contact
威信号	1	contact
qq	1	contact
加qq	1	contact
qq号	1	contact
扣扣	1	contact
企鹅号	1	contact
加好友	1	contact
加我好友	1	contact
加群	1	contact
进群	1	contact
群号	1	contact
私聊我	1	contact
私下联系	1	contact
私下交易	1	contact
线下交易	1	contact
私下退款	1	contact
私人号	1	contact
我的电话	1	contact
打我电话	1	contact
加我电话	1	contact
手机联系	1	contact
联系方式给你	1	contact
二维码	1	contact
扫码加	1	contact
# ── level 1: prohibited content ──
赌博	1	prohibited
博彩	1	prohibited
网赌	1	prohibited
赌球	1	prohibited
六合彩	1	prohibited
代孕	1	prohibited
毒品	1	prohibited
冰毒	1	prohibited
大麻	1	prohibited
海洛因	1	prohibited
摇头丸	1	prohibited
迷药	1	prohibited
枪支	1	prohibited
仿真枪	1	prohibited
管制刀具	1	prohibited
裸聊	1	prohibited
约炮	1	prohibited
嫖娼	1	prohibited
卖淫	1	prohibited
色情	1	prohibited
黄片	1	prohibited
刷单	1	prohibited
刷信誉	1	prohibited
套现	1	prohibited
洗钱	1	prohibited
代开发票	1	prohibited
办证	1	prohibited
高仿	1	prohibited
贷款	1	prohibited
网贷	1	prohibited
# ── level 1: abusing users (辱骂) ──
傻逼	1	abuse
傻b	1	abuse
sb	1	abuse
他妈的	1	abuse
tmd	1	abuse
操你妈	1	abuse
你妈死了	1	abuse
去死	1	abuse
滚蛋	1	abuse
滚开	1	abuse
白痴	1	abuse
智障	1	abuse
脑残	1	abuse
贱人	1	abuse
婊子	1	abuse
狗东西	1	abuse
你是垃圾	1	abuse
王八蛋	1	abuse
神经病	1	abuse
# ── level 2: refund and compensation promises ──
退款	2	refund
全额退款	2	refund
退钱	2	refund
返现	2	refund
返款	2	refund
赔偿	2	compensation
补偿	2	compensation
包赔	2	compensation
假一赔十	2	compensation
假一赔三	2	compensation
退一赔三	2	compensation
双倍赔偿	2	compensation
保证退	2	refund
无条件退	2	refund
# ── level 3: complaint and report ──
投诉	3	complaint
举报	3	complaint
12315	3	complaint
消协	3	complaint
消费者协会	3	complaint
工商局	3	complaint
市场监管局	3	complaint
曝光	3	complaint
维权	3	complaint
起诉	3	complaint
律师函	3	complaint
`;

/**
 * Everyday shopping and service language that contains a listed word; a hit inside one of these
 * is dropped (written by us, tuned on the takeaway and hotel review sets, not on the evaluation set).
 */
const DEFAULT_ALLOW = [
  // payment words inside the platform's own checkout language
  '在线支付', '网上支付', '支付成功', '支付失败', '支付方式', '已支付', '未支付', '支付页面', '支付完成',
  '确认支付', '货到付款', '支付优惠', '实际支付', '实付',
  // contact words that are ordinary in service and product talk
  '客服电话', '官方客服', '微信公众号', '微信小程序', '微信登录', '微信视频', '聊微信', '玩微信', '看微信', '发微信', '刷微信', '用微信', '上微信', '登微信', 'qq音乐', 'qq游戏', 'qq空间', '上qq', '登qq', '登录qq',
  '聊qq', '玩qq', '二维码扫描',
  // product and shopping words
  '发票', '女儿', '曝光度', '曝光补偿', '曝光时间', '过曝', '欠曝', '自动曝光', '曝光不足', '曝光过度',
  '神经病学', '色情况', '特色情', '出色情', '景色情', '角色情', '脸色', '颜色', '退款进度', '退款到账',
  '补偿费', '支付宝小程序',
  // number and code words
  '打款单',
];

export function defaultLexicon(): LexiconEntry[] {
  const { entries, errors } = parseLexicon(DEFAULT_LEXICON, { format: 'text' });
  if (errors.length) throw new Error(`built-in lexicon: ${JSON.stringify(errors)}`);
  return entries;
}

export function defaultAllowList(): string[] {
  return [...DEFAULT_ALLOW];
}
