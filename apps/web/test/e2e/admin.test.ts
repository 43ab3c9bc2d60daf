/**
 * The admin center in a real browser (issues 5 and 6): an admin signs in with password + TOTP,
 * tightens the basic tier's daily quota, imports a lexicon with a bad line (and sees its line
 * number), tests a sentence in the test box (and sees the highlight), approves a message a basic
 * agent held for review (the customer receives it), confirms an AI post-review and overturns the
 * appeal the agent filed. The other agents act through the API, as they would from their own
 * workbenches. Screenshots of every page in Chinese, and a few in English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generate } from 'otplib';
import { buildWeb, desktop, launch, shot, signIn, startKefu, type DemoLogin, type Kefu } from './harness.ts';

let kefu: Kefu;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;

type Who = DemoLogin & { id: string };
const agent = (tier: string) => kefu.agents.find((a) => a.tier === tier)! as Who;
const customerToken = () => new URL(kefu.customerUrl).searchParams.get('token')!;

/** An agent's session from the API alone: password, TOTP enrolment and verification. */
async function apiSession(who: DemoLogin) {
  let cookie = '';
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(`${kefu.url}/api/v1${path}`, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}), ...extra },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('kefu_session='));
    if (set) cookie = set.split(';')[0]!;
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  const login = await call('POST', '/auth/login', { email: who.email, password: who.password });
  expect(login.json.next).toBe('totp_enroll');
  const { secret } = (await call('POST', '/auth/totp/enroll', {})).json as { secret: string };
  const verified = await call('POST', '/auth/totp/verify', { code: await generate({ secret }) });
  expect(verified.status).toBe(200);
  return { call, cookie: () => cookie };
}

async function customer(method: string, path: string, body?: unknown) {
  const res = await fetch(`${kefu.url}/api/v1${path}`, {
    method,
    headers: { accept: 'application/json', authorization: `Bearer ${customerToken()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/** The admin's own API calls share the browser's session cookie. */
async function asAdmin(method: 'get' | 'post' | 'patch', path: string, data?: unknown) {
  const res = await ctx.request[method](`${kefu.url}/api/v1${path}`, data === undefined ? {} : { data });
  return { status: res.status(), json: await res.json() };
}

async function openPage(key: string) {
  await page.getByTestId(`ops-nav-${key}`).click();
  await page.getByTestId(`ops-${key}`).waitFor();
}

/** Screenshot once transitions (dialogs, tabs, table fades) have finished; endless spinners aside. */
async function still(p: Page, name: string) {
  await p.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  await shot(p, name);
}

/** Ant Design's toast, by text. */
async function toast(text: string | RegExp) {
  await page.locator('.ant-message-notice').filter({ hasText: text }).first().waitFor();
}

describe('admin center in Chromium', { timeout: 120_000 }, () => {
  let basic: Awaited<ReturnType<typeof apiSession>>;
  let senior: Awaited<ReturnType<typeof apiSession>>;
  let conversationId: string;

  beforeAll(async () => {
    buildWeb();
    kefu = await startKefu();
    browser = await launch();
    ctx = await desktop(browser);
    page = await ctx.newPage();
    basic = await apiSession(agent('basic'));
    senior = await apiSession(agent('senior'));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await kefu?.close();
  });

  it('an admin signs in and finds the admin center with every page', async () => {
    await signIn(page, kefu.url, agent('admin'));
    await page.getByTestId('nav-ops').click();
    await page.waitForURL(/\/ops\/agents$/);
    for (const key of ['agents', 'policy', 'templates', 'lexicon', 'review', 'violations', 'exports', 'audit']) expect(await page.getByTestId(`ops-nav-${key}`).count()).toBe(1);
    await page.getByTestId('ops-agents').locator('tbody tr').filter({ hasText: agent('basic').email }).waitFor();
    // Disabling asks first; cancelling changes nothing.
    await page.getByTestId(`toggle-${agent('basic').email}`).click();
    const cancel = page.locator('.ant-modal-confirm').getByRole('button', { name: /^(取\s?消|Cancel)$/ });
    // A trial click waits until the dialog has finished opening (stable), without clicking.
    await cancel.click({ trial: true });
    expect(await page.locator('.ant-modal-confirm').innerText()).toContain(`停用坐席 ${agent('basic').name}`);
    await still(page, 'admin-agents-disable-confirm');
    await cancel.click();
    await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    const basicNow = (await asAdmin('get', '/agents')).json.agents.find((a: { id: string }) => a.id === agent('basic').id);
    expect(basicNow.disabled).toBe(false);
    await still(page, 'admin-agents');
  });

  it('tightens the basic tier\'s daily quota, refuses a value above the ceiling, and logs the change', async () => {
    await openPage('policy');
    const input = page.locator('[data-testid="policy-basic-dailyMessages"]');
    await input.fill('300');
    await page.getByTestId('policy-save').click();
    await page.getByText('不能超过平台上限 200').waitFor();
    expect((await asAdmin('get', '/org/policy')).json.policies.basic.dailyMessages).toBe(200);
    await input.fill('150');
    await page.getByTestId('policy-save').click();
    await toast('策略已更新');
    expect((await asAdmin('get', '/org/policy')).json.policies.basic.dailyMessages).toBe(150);
    // The basic agent's own quota follows.
    expect((await basic.call('GET', '/me/quota')).json.limit).toBe(150);
    const log = page.getByTestId('policy-changes');
    await expect.poll(() => log.innerText()).toContain('基础客服 · 每日发送条数');
    expect(await log.locator('[data-testid="policy-change"]').first().innerText()).toBe('200 → 150');
    expect(await log.innerText()).toContain(agent('admin').name);
    await page.locator('.ops-main').evaluate((e) => e.scrollTo(0, 0));
    await still(page, 'admin-policy');
    await log.scrollIntoViewIfNeeded();
    await still(page, 'admin-policy-changes');
  });

  it('shows canned replies with hotkeys, variables and flagged spans', async () => {
    await asAdmin('post', '/canned-replies', { title: '问候', body: '{昵称}您好，我是客服{客服名}，请问有什么可以帮您？', hotkey: 1 });
    await asAdmin('post', '/canned-replies', { title: '付款方式', body: '可以直接支付宝转账给我，或者访问 www.pay-me.cn', hotkey: 2 });
    await asAdmin('post', '/auto-replies', { trigger: 'keyword', keywords: ['什么时候发货'], body: '亲，订单一般在48小时内发货～' });
    await openPage('templates');
    const table = page.getByTestId('canned-table');
    await table.getByTestId('canned-flagged').waitFor();
    expect(await page.getByTestId('ops-templates').getByTestId('variables-help').first().innerText()).toContain('{订单号}');
    const marks = table.locator('mark[data-testid="hl"]');
    expect(await marks.count()).toBeGreaterThanOrEqual(2);
    expect(await marks.allInnerTexts()).toEqual(expect.arrayContaining(['www.pay-me.cn']));
    await still(page, 'admin-templates');
  });

  it('imports a lexicon: a bad line is named by its number and nothing is stored; then a good file goes in', async () => {
    await openPage('lexicon');
    await page.getByTestId('tab-import').click();
    await page.getByTestId('lexicon-import-content').fill('拼多多\t1\tcompetitor\n坏行\t9\n淘宝店\t2\tcompetitor\n');
    await page.getByTestId('lexicon-import-run').click();
    const errors = page.getByTestId('lexicon-import-errors');
    await errors.waitFor();
    expect(await page.getByTestId('lexicon-import-error').getAttribute('data-line')).toBe('2');
    expect(await errors.innerText()).toContain('第 2 行');
    expect((await asAdmin('get', '/lexicon')).json.entries).toEqual([]);
    await still(page, 'admin-lexicon-import-error');
    await page.getByTestId('lexicon-import-content').fill('拼多多\t1\tcompetitor\n淘宝店\t2\tcompetitor\n');
    await page.getByTestId('lexicon-import-run').click();
    await page.getByTestId('lexicon-import-ok').waitFor();
    expect((await asAdmin('get', '/lexicon')).json.entries.map((e: { word: string }) => e.word).sort()).toEqual(['拼多多', '淘宝店'].sort());
  });

  it('highlights each hit of a test sentence by level, with the reason on hover', async () => {
    const sentence = '去拼多多买更便宜，不满意可以投诉';
    await page.getByTestId('lexicon-test-input').fill(sentence);
    await page.getByTestId('lexicon-test-run').click();
    const result = page.getByTestId('lexicon-test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-action')).toBe('blocked');
    const marks = result.locator('mark[data-testid="hl"]');
    const found = await marks.evaluateAll((els) => els.map((e) => [e.textContent, e.getAttribute('data-level')]));
    expect(found).toEqual([
      ['拼多多', '1'],
      ['投诉', '3'],
    ]);
    expect(await marks.first().evaluate((e) => getComputedStyle(e).color)).toBe('rgb(207, 19, 34)');
    await marks.first().hover();
    await page.locator('.ant-tooltip').filter({ hasText: '阻断' }).waitFor();
    expect(await page.locator('.ant-tooltip').filter({ hasText: '阻断' }).innerText()).toContain('竞品');
    await still(page, 'admin-lexicon-test');
  });

  it('approves a message a basic agent held for review; the customer receives it as the agent\'s', async () => {
    // The demo customer writes; the admin gives the conversation to the basic agent.
    await customer('POST', '/customer/messages', { clientMessageId: `adm-${Date.now()}`, text: '退款什么时候到账？' });
    conversationId = (await customer('GET', '/customer/session')).conversation.id;
    expect((await asAdmin('patch', `/conversations/${conversationId}`, { assigneeId: agent('basic').id })).status).toBe(200);
    const text = '退款已经原路返回到您的支付宝，请注意查收';
    const refused = await basic.call('POST', `/conversations/${conversationId}/messages`, { clientMessageId: 'held-e2e-0', text });
    expect(['SENSITIVE_BLOCKED', 'STEP_UP_REQUIRED']).toContain(refused.json.error.code);
    const held = await basic.call('POST', `/conversations/${conversationId}/held`, { clientMessageId: 'held-e2e-1', text, note: '用户一直追问退款去向' });
    expect(held.status).toBe(201);

    await openPage('review');
    const row = page.getByTestId('held-table').locator('tbody tr').filter({ hasText: '用户一直追问退款去向' });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain(agent('basic').name);
    expect(await row.locator('mark[data-testid="hl"]').count()).toBeGreaterThan(0);
    await still(page, 'admin-review-held');
    await row.getByTestId('held-approve').click();
    await toast('已通过');
    await row.waitFor({ state: 'detached' });
    const session = await customer('GET', '/customer/session');
    const got = session.messages.filter((m: { clientMessageId: string }) => m.clientMessageId === 'held-e2e-1');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ text, senderId: agent('basic').id });
    expect((await basic.call('GET', '/held?status=approved')).json.held.map((h: { id: string }) => h.id)).toContain(held.json.held.id);
  });

  it('shows account-review cases with their priority', async () => {
    // Three blocked attempts the same day make the case urgent.
    for (const i of [1, 2, 3]) {
      const r = await basic.call('POST', `/conversations/${conversationId}/messages`, { clientMessageId: `l1-${i}`, text: `加我微信，私下转账给你${i}` });
      expect(r.json.error.code).toBe('SENSITIVE_BLOCKED');
    }
    await page.getByTestId('tab-cases').click();
    const row = page.getByTestId('cases-table').locator('tbody tr').filter({ hasText: agent('basic').name });
    await row.waitFor({ timeout: 10_000 });
    // The queue refreshes on its own (polling): the same row turns urgent with four attempts.
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('紧急');
    expect((await row.innerText()).split('\t')[2]).toBe('4');
    await still(page, 'admin-review-cases');
  });

  it('confirms an AI post-review with its type, and overturns the appeal the agent filed', async () => {
    expect((await asAdmin('patch', `/conversations/${conversationId}`, { assigneeId: agent('senior').id })).status).toBe(200);
    const sent = await senior.call('POST', `/conversations/${conversationId}/messages`, { clientMessageId: 'ai-e2e-1', text: '百分之百没问题，明天一定到账' });
    expect(sent.status).toBe(201);
    await page.getByTestId('tab-post').click();
    const row = page.getByTestId('post-table').locator('tbody tr').filter({ hasText: '明天一定到账' });
    await row.waitFor({ timeout: 20_000 });
    const evidence = await row.locator('mark[data-testid="hl"]').allInnerTexts();
    expect(evidence).toEqual(expect.arrayContaining(['百分之百没问题', '一定到账']));
    expect(await row.innerText()).toContain('虚假承诺');
    await still(page, 'admin-review-post');
    await row.getByTestId('post-confirm').click();
    await page.getByTestId('post-confirm-ok').click();
    await toast('已确认违规');
    await row.waitFor({ state: 'detached' });

    const mine = (await senior.call('GET', '/violations')).json.violations as { id: string; type: string; messageId: string }[];
    const v = mine.find((x) => x.messageId === sent.json.message.id)!;
    expect(v.type).toBe('false_promise');
    const appealed = await senior.call('POST', `/violations/${v.id}/appeal`, { statement: '店铺活动页写明次日到账，有截图为证' });
    expect(appealed.json.violation.appealStatus).toBe('pending');

    await page.getByTestId('tab-appeals').click();
    const appeal = page.getByTestId('appeals-table').locator('tbody tr').filter({ hasText: '有截图为证' });
    await appeal.waitFor({ timeout: 10_000 });
    expect(await appeal.innerText()).toContain(agent('senior').name);
    await still(page, 'admin-review-appeals');
    await appeal.getByTestId('appeal-overturn').click();
    await page.getByTestId('decision-note').fill('核实活动页属实');
    await page.getByTestId('decision-ok').click();
    await toast('申诉已处理');
    await appeal.waitFor({ state: 'detached' });
    const after = (await senior.call('GET', '/violations')).json.violations.find((x: { id: string }) => x.id === v.id);
    expect(after).toMatchObject({ appealStatus: 'overturned', appealNote: '核实活动页属实' });
  });

  it('shows an agent their own violations with the deadline and the appeal form', async () => {
    // The senior agent's own workbench: their API session's cookie in a second browser.
    const ctx2 = await desktop(browser);
    await ctx2.addCookies([{ name: 'kefu_session', value: senior.cookie().split('=')[1]!, url: kefu.url }]);
    const p2 = await ctx2.newPage();
    await p2.goto(`${kefu.url}/ops`);
    await p2.waitForURL(/\/ops\/templates$/);
    // Admin-only pages are not offered to a senior agent.
    expect(await p2.getByTestId('ops-nav-review').count()).toBe(0);
    expect(await p2.getByTestId('ops-nav-lexicon').count()).toBe(0);
    await p2.getByTestId('ops-nav-violations').click();
    const table = p2.getByTestId('violations-table');
    await table.locator('[data-testid="appeal-status"]').first().waitFor();
    expect(await table.locator('[data-testid="appeal-status"]').first().getAttribute('data-status')).toBe('overturned');
    expect(await table.innerText()).toContain('核实活动页属实');
    await still(p2, 'admin-violations-agent');
    await p2.goto(`${kefu.url}/ops/review`);
    await p2.getByText('仅超级管理员可访问此页面').waitFor();
    await ctx2.close();
  });

  it('shows a basic agent the canned replies read-only', async () => {
    const ctx3 = await desktop(browser);
    await ctx3.addCookies([{ name: 'kefu_session', value: basic.cookie().split('=')[1]!, url: kefu.url }]);
    const p3 = await ctx3.newPage();
    await p3.goto(`${kefu.url}/ops/templates`);
    await p3.getByTestId('templates-readonly').waitFor();
    await p3.getByTestId('canned-table').getByTestId('canned-flagged').waitFor();
    expect(await p3.getByTestId('canned-create').count()).toBe(0);
    expect(await p3.getByTestId('canned-table').getByRole('button').count()).toBe(0);
    await still(p3, 'admin-templates-basic-readonly');
    await ctx3.close();
  });

  it('changes an agent\'s tier and resets their second factor (after a confirmation)', async () => {
    const who = agent('senior');
    await openPage('agents');
    await page.getByTestId(`tier-${who.email}`).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^基础客服$/ }).click();
    await toast(`已将 ${who.name} 调整为基础客服`);
    expect((await senior.call('GET', '/me/policy')).json.tier).toBe('basic');
    await page.getByTestId(`reset-mfa-${who.email}`).click();
    const ok = page.locator('.ant-modal-confirm').getByRole('button', { name: '重置二次验证' });
    await ok.click({ trial: true });
    expect(await page.locator('.ant-modal-confirm').innerText()).toContain(`重置 ${who.name} 的二次验证`);
    await ok.click();
    await toast(`已重置 ${who.name} 的二次验证`);
    const row = (await asAdmin('get', '/agents')).json.agents.find((a: { id: string }) => a.id === who.id);
    expect(row).toMatchObject({ tier: 'basic', totpEnrolled: false });
    await expect.poll(() => page.getByTestId('ops-agents').locator('tbody tr').filter({ hasText: who.email }).innerText()).toContain('未绑定');
  });

  it('exports records with progress and a download link, and verifies the audit chain', async () => {
    await openPage('exports');
    await page.getByTestId('export-start').click();
    await toast('导出任务已开始');
    const done = page.getByTestId('exports-table').locator('[data-testid="export-progress"][data-status="done"]');
    await done.first().waitFor({ timeout: 30_000 });
    const href = await page.getByTestId('export-download').first().getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/exports\/[^/]+\/download$/);
    const file = await ctx.request.get(`${kefu.url}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toContain('text/csv');
    expect((await file.text()).length).toBeGreaterThan(0);
    await still(page, 'admin-exports');

    await openPage('audit');
    await page.getByTestId('audit-table').locator('tbody tr').first().waitFor();
    await page.getByTestId('audit-verify').click();
    const verdict = page.getByTestId('audit-verify-result');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    expect(await verdict.innerText()).toContain('校验通过');
    await still(page, 'admin-audit');
  });

  it('is complete in English', async () => {
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    for (const key of ['policy', 'lexicon', 'review']) {
      await openPage(key);
      if (key === 'lexicon') {
        await page.getByTestId('lexicon-test-input').fill('去拼多多买更便宜，不满意可以投诉');
        await page.getByTestId('lexicon-test-run').click();
        await page.getByTestId('lexicon-test-result').waitFor();
      }
      if (key === 'review') await page.getByTestId('tab-cases').click();
      await page.locator('.ops-layout tbody tr').first().waitFor();
      const text = await page.locator('.ops-layout').innerText();
      // Chinese left on the page may only be data (names, messages, words), never labels.
      const labels = await page.locator('.ops-sider, .ops-head, .ops-layout th, .ops-layout .ant-tabs-tab, .ops-layout button').allInnerTexts();
      expect(labels.join(' '), key).not.toMatch(/[\u4e00-\u9fff]/);
      expect(text.length).toBeGreaterThan(0);
      await still(page, `admin-en-${key}`);
    }
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-zh-CN').click();
  });
});
