import { describe, expect, it } from 'vitest';
import { findExternalLinks } from './links.ts';

const allow = ['kuaishou.com', 'mystore.cn'];
const hosts = (t: string) => findExternalLinks(t, allow).map((h) => h.host);

describe('external links', () => {
  it.each([
    ['看这里 https://evil.example.com/a?b=1 便宜', 'evil.example.com'],
    ['加我 www.taobao.com 下单', 'taobao.com'],
    ['去 jd.com 买', 'jd.com'],
    ['ｗｗｗ．ｔａｏｂａｏ．ｃｏｍ', 'taobao.com'],
    ['www点xxx点com', 'xxx.com'],
    ['baidu 点 com', 'baidu.com'],
    ['taobao(dot)com', 'taobao.com'],
    ['taobao[.]com', 'taobao.com'],
    ['w w w.fake.cn', 'fake.cn'],
    ['www. evil .com 私聊', 'evil.com'],
    ['e v i l . c o m', 'evil.com'],
    ['短链 t.cn/A6xYz 看看', 't.cn'],
    ['http://192.168.1.10:8080/x', '192.168.1.10'],
    ['HTTPS://EVIL.COM', 'evil.com'],
    ['百度点com', '百度.com'],
  ])('finds %s', (text, host) => {
    expect(hosts(text)).toEqual([host]);
  });

  it.each([
    '这款3.5寸的屏幕，价格99.00元',
    '订单号 20261125000123 已发货',
    '一点点小问题，早点发货吧',
    '点击下方按钮即可申请退款',
    '请访问 https://www.kuaishou.com/help 获取帮助',
    '官方店铺 shop.mystore.cn 可以查询',
    'v1.2.3 版本已更新',
    '规格：500ml，共2件',
    'email me at the end. Thanks',
  ])('leaves alone %s', (text) => {
    expect(hosts(text)).toEqual([]);
  });

  it('maps spans back to the original text, noise included', () => {
    const text = '请去 ｗｗｗ点ｆａｋｅ点ｃｏｍ 看';
    const [hit] = findExternalLinks(text, allow);
    expect(text.slice(hit!.start, hit!.end)).toBe('ｗｗｗ点ｆａｋｅ点ｃｏｍ');
    const t2 = '链接 https://x.io/a，快点';
    const [h2] = findExternalLinks(t2, allow);
    expect(t2.slice(h2!.start, h2!.end)).toBe('https://x.io/a');
  });

  it('treats short links as external even when allow-listed', () => {
    expect(findExternalLinks('t.cn/abc', ['t.cn']).map((h) => h.host)).toEqual(['t.cn']);
  });
});
