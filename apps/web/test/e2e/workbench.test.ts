/**
 * The issue paragraph, in a real browser: an agent signs in with password + TOTP (enrolling
 * from the QR code page), finds a user, sees profile and orders, sends; the user on a phone
 * sees it live, replies; the agent sees the reply, delivered/read marks and typing live; a
 * second session of the same agent shows the same state within a second; the language
 * switches to complete English; the customer page survives a dropped network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWeb, desktop, findAndOpen, launch, messageByText, messageTexts, phone, sendMessage, shot, signIn, startKefu, type Kefu } from './harness.ts';

let kefu: Kefu;
let browser: Browser;
let agentCtx: BrowserContext;
let custCtx: BrowserContext;
let agent: Page;
let customer: Page;
let conversationId: string;

const admin = () => kefu.agents.find((a) => a.tier === 'admin')!;
const customerPlatformId = () => new URL(kefu.customerUrl).searchParams.get('token')!.split('.')[1]!;

describe('workbench and customer page in Chromium', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    buildWeb();
    kefu = await startKefu();
    browser = await launch();
    agentCtx = await desktop(browser);
    custCtx = await phone(browser);
    agent = await agentCtx.newPage();
    customer = await custCtx.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await kefu?.close();
  });

  it('agent signs in with password and TOTP enrolment, in Chinese by default', async () => {
    await agent.goto(kefu.url);
    await agent.waitForURL(/\/login/);
    expect(await agent.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(() => agent.getByRole('heading', { name: '登录客服工作台' }).isVisible()).toBe(true);
    // A first visit is not an expired session.
    expect(await agent.getByTestId('session-expired').count()).toBe(0);
    await signIn(agent, kefu.url, admin(), { screenshots: '01-agent' });
    await agent.getByTestId('conversation-list').waitFor();
    await expect.poll(() => agent.getByTestId('connection').getAttribute('data-state')).toBe('online');
    // The demo desk is not empty.
    expect(await agent.getByTestId('conversation-row').count()).toBeGreaterThan(0);
    await shot(agent, '02-agent-inbox');
  });

  it('finds the user, opens the conversation with profile and orders, and talks live with the customer on a phone', async () => {
    // The customer opens the chat page on a phone first, so everything after is live.
    await customer.goto(kefu.customerUrl);
    await customer.getByTestId('customer-page').waitFor();
    await expect.poll(() => customer.getByTestId('customer-page').getAttribute('data-conn')).toBe('online');

    const platformId = JSON.parse(Buffer.from(customerPlatformId(), 'base64url').toString('utf8')).sub as string;
    conversationId = await findAndOpen(agent, 'platformId', platformId);
    const panel = agent.getByTestId('contact-panel');
    await expect.poll(() => panel.innerText()).toContain(platformId);
    await agent.getByTestId('orders').waitFor();
    await shot(agent, '03-agent-conversation');

    const hello = `您好，我是客服周主管，请问有什么可以帮您？#${Date.now() % 10000}`;
    await sendMessage(agent, hello);
    // Acknowledged after the durable commit: the bubble gets its seq.
    await messageByText(agent, hello).and(agent.locator('[data-seq]')).waitFor();
    // Live on the phone, no reload.
    await messageByText(customer, hello).waitFor({ timeout: 5000 });
    // The phone delivered and read it (the page is visible): the agent sees 已读.
    await expect.poll(() => messageByText(agent, hello).getAttribute('data-state'), { timeout: 5000 }).toBe('read');
    expect(await messageByText(agent, hello).getByTestId('message-mark').innerText()).toContain('已读');

    // The customer types: the agent sees the indicator live.
    const box = customer.getByTestId('composer-input');
    await box.click();
    await box.pressSequentially('我的快递三天没', { delay: 30 });
    await expect.poll(() => agent.getByTestId('typing-indicator').getAttribute('data-typing'), { timeout: 5000 }).toBe('true');
    expect(await agent.getByTestId('typing-indicator').innerText()).toBe('对方正在输入…');
    await shot(agent, '04-agent-sees-typing');
    await box.pressSequentially('动了，订单能查一下吗？', { delay: 10 });
    await box.press('Enter');
    await messageByText(agent, '我的快递三天没动了，订单能查一下吗？').waitFor({ timeout: 5000 });
    await expect.poll(() => agent.getByTestId('typing-indicator').getAttribute('data-typing')).toBe('false');
    await shot(customer, '05-customer-375x667');
    await shot(agent, '06-agent-reply-received');
  });

  it('a second session of the same agent shows the same state within a second', async () => {
    const ctx2 = await desktop(browser);
    const second = await ctx2.newPage();
    await signIn(second, kefu.url, admin());
    await second.goto(`${kefu.url}/inbox/${conversationId}`);
    await second.getByTestId('conversation-view').waitFor();
    expect(await messageTexts(second)).toEqual(await messageTexts(agent));

    // A message the customer sends reaches both agent sessions, within a second of each
    // other: each page notes (in the page, by a MutationObserver) when the text appears.
    const text = `麻烦尽快，谢谢 ${Date.now() % 10000}`;
    const watch = (p: Page) =>
      p.evaluate((want) => {
        (window as unknown as { __seen: Promise<number> }).__seen = new Promise<number>((done) => {
          const has = () => [...document.querySelectorAll('[data-testid="message-text"]')].some((e) => e.textContent === want);
          const mo = new MutationObserver(() => {
            if (has()) {
              mo.disconnect();
              done(Date.now());
            }
          });
          mo.observe(document.body, { subtree: true, childList: true, characterData: true });
        });
      }, text);
    await Promise.all([watch(agent), watch(second)]);
    const t0 = Date.now();
    await customer.getByTestId('composer-input').fill(text);
    await customer.getByTestId('composer-input').press('Enter');
    const seen = (p: Page) => p.evaluate(() => (window as unknown as { __seen: Promise<number> }).__seen);
    const [a, b] = await Promise.all([seen(agent), seen(second)]);
    expect(Math.abs(a - b)).toBeLessThan(1000);
    expect(Math.max(a, b) - t0).toBeLessThan(5000);

    // What one session sends appears in the other without a reload, with the same marks.
    const reply = `已为您查询，包裹今天下午派送 ${Date.now() % 10000}`;
    await sendMessage(agent, reply);
    await messageByText(second, reply).waitFor({ timeout: 1000 });
    await expect.poll(() => messageByText(second, reply).getAttribute('data-state'), { timeout: 5000 }).toBe('read');
    expect(await messageTexts(second)).toEqual(await messageTexts(agent));
    await shot(second, '07-second-session');
    await ctx2.close();
  });

  it('switches every screen to complete English and back', async () => {
    await agent.getByTestId('lang-switch').click();
    await agent.getByTestId('lang-en').click();
    await expect.poll(() => agent.locator('html').getAttribute('lang')).toBe('en');
    const body = await agent.locator('body').innerText();
    expect(body).toContain('Conversations');
    expect(body).toContain('User profile');
    expect(body).toContain('Enter to send');
    // No Chinese left in the chrome of the app (user content — names, messages, products — is Chinese by nature).
    const chrome = await agent.locator('.wb-brand, .wb-menu, .wb-conn, [data-testid="user-menu"] .ant-tag, .inbox-side-head, .inbox-filters, .conv-tags, .composer-bar, .panel-title, .contact-desc .ant-descriptions-item-label, .conv-head .ant-select, .msg-mark, .day-sep').allInnerTexts();
    await shot(agent, '08-agent-english');
    expect(chrome.join(' | ').match(/[^|]*[\u4e00-\u9fff][^|]*/g)).toBeNull();

    await customer.getByTestId('lang-switch').click();
    await customer.getByTestId('lang-en').click();
    await expect.poll(() => customer.locator('.cust-title').innerText()).toBe('Customer service');
    expect(await customer.getByTestId('composer-input').getAttribute('placeholder')).toBe('Type a message…');
    await shot(customer, '09-customer-english');

    await agent.getByTestId('lang-switch').click();
    await agent.getByTestId('lang-zh-CN').click();
    await expect.poll(() => agent.locator('html').getAttribute('lang')).toBe('zh-CN');
    await customer.getByTestId('lang-switch').click();
    await customer.getByTestId('lang-zh-CN').click();
  });

  it('the customer page survives a dropped network and shows every missed message exactly once', async () => {
    await custCtx.setOffline(true);
    await customer.getByTestId('customer-offline').waitFor({ timeout: 5000 });
    const missed = [1, 2, 3].map((i) => `离线期间的第${i}条消息 ${Date.now() % 10000}`);
    for (const m of missed) {
      await sendMessage(agent, m);
      await messageByText(agent, m).and(agent.locator('[data-seq]')).waitFor();
    }
    await shot(customer, '10-customer-offline');
    expect(await messageByText(customer, missed[0]!).count()).toBe(0);
    await custCtx.setOffline(false);
    await expect.poll(() => customer.getByTestId('customer-page').getAttribute('data-conn'), { timeout: 15_000 }).toBe('online');
    for (const m of missed) await messageByText(customer, m).waitFor({ timeout: 10_000 });
    // Give any duplicate push time to arrive, then check: once each, in seq order, no gap.
    await customer.waitForTimeout(800);
    for (const m of missed) expect(await messageByText(customer, m).count()).toBe(1);
    const seqs = (await customer.locator('[data-testid="message"][data-seq]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq')))));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! - seqs[i - 1]!).toBe(1);
    expect(await messageTexts(customer)).toEqual(await messageTexts(agent));
    await shot(customer, '11-customer-recovered');
  });
  it('a failed send shows a retry; the retry carries the same client message id and sends once', async () => {
    await agent.goto(`${kefu.url}/inbox/${conversationId}`);
    await agent.getByTestId('conversation-view').waitFor();
    const pattern = `**/api/v1/conversations/${conversationId}/messages`;
    const ids: string[] = [];
    let failNext = true;
    await agent.route(pattern, async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      ids.push((route.request().postDataJSON() as { clientMessageId: string }).clientMessageId);
      if (failNext) {
        failNext = false;
        return route.abort('internetdisconnected');
      }
      return route.fallback();
    });
    const text = `您的换货申请已提交，请留意短信通知 ${Date.now() % 10000}`;
    await sendMessage(agent, text);
    const bubble = messageByText(agent, text);
    await expect.poll(() => bubble.first().getAttribute('data-state')).toBe('failed');
    expect(await bubble.getByTestId('retry-send').innerText()).toContain('重新发送');
    await shot(agent, '12-agent-send-failed');
    await bubble.getByTestId('retry-send').click();
    await messageByText(agent, text).and(agent.locator('[data-seq]')).waitFor();
    await agent.unroute(pattern);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    await agent.waitForTimeout(500);
    expect(await messageByText(agent, text).count()).toBe(1);
    await messageByText(customer, text).waitFor();
    expect(await messageByText(customer, text).count()).toBe(1);
  });

  it('a refusal a retry cannot fix (a level-2 word needs step-up) says why and puts the text back to edit', async () => {
    const text = `我们会尽快为您办理退款 ${Date.now() % 10000}`;
    await sendMessage(agent, text);
    const bubble = messageByText(agent, text);
    await expect.poll(() => bubble.first().getAttribute('data-state')).toBe('failed');
    const reason = await bubble.getByTestId('send-refused').innerText();
    expect(reason).toContain('人脸验证');
    expect(await bubble.getByTestId('retry-send').count()).toBe(0);
    await shot(agent, '12c-agent-send-refused');
    await bubble.getByTestId('edit-failed').click();
    await expect.poll(() => agent.getByTestId('composer-input').inputValue()).toBe(text);
    expect(await messageByText(agent, text).count()).toBe(0);
    await agent.getByTestId('composer-input').fill('');
  });

  it('a send whose answer is lost is committed once: the push fills in, a repeat returns the original', async () => {
    const pattern = `**/api/v1/conversations/${conversationId}/messages`;
    let body: { clientMessageId: string; text: string } | null = null;
    await agent.route(pattern, async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      body = route.request().postDataJSON() as { clientMessageId: string; text: string };
      await route.fetch(); // the server commits...
      await route.abort('connectionreset'); // ...but the answer never arrives
    });
    const text = `稍等，我帮您联系仓库 ${Date.now() % 10000}`;
    await sendMessage(agent, text);
    // The socket push of the committed message replaces the pending bubble.
    await messageByText(agent, text).and(agent.locator('[data-seq]')).waitFor();
    await agent.unroute(pattern);
    expect(body).not.toBeNull();
    // The same client message id again returns the original message, not a second one.
    const again = await agent.request.post(`${kefu.url}/api/v1/conversations/${conversationId}/messages`, { data: body! });
    expect(again.status()).toBe(200);
    const r = await agent.request.get(`${kefu.url}/api/v1/conversations/${conversationId}/messages?afterSeq=0&limit=200`);
    const all = ((await r.json()) as { messages: { text: string }[] }).messages;
    expect(all.filter((m) => m.text === text)).toHaveLength(1);
    await agent.waitForTimeout(300);
    expect(await messageByText(agent, text).count()).toBe(1);
  });

  it('the inbox updates live: unread count, preview and order, and keyboard navigation', async () => {
    await agent.goto(`${kefu.url}/inbox`);
    await agent.getByTestId('conversation-list').waitFor();
    const row = agent.locator(`[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`);
    await row.waitFor();
    const text = `还有一个问题，发票怎么开？${Date.now() % 10000}`;
    await customer.getByTestId('composer-input').fill(text);
    await customer.getByTestId('composer-input').press('Enter');
    // Not open on the agent's screen: it counts as unread, moves to the top, shows the text.
    await expect.poll(() => row.getAttribute('data-unread'), { timeout: 5000 }).toBe('1');
    expect(await row.getByTestId('conversation-preview').innerText()).toBe(text);
    expect(await agent.getByTestId('conversation-row').first().getAttribute('data-conversation-id')).toBe(conversationId);
    await shot(agent, '13-agent-unread-live');
    // Keyboard: Alt+↓ opens the first conversation, then the next one; Alt+↑ goes back.
    await agent.locator('body').click({ position: { x: 700, y: 400 } });
    await agent.keyboard.press('Alt+ArrowDown');
    await agent.waitForURL(new RegExp(`/inbox/${conversationId}$`));
    await expect.poll(() => row.getAttribute('data-unread')).toBe('0');
    await agent.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => agent.url()).not.toContain(conversationId);
    await agent.keyboard.press('Alt+ArrowUp');
    await agent.waitForURL(new RegExp(`/inbox/${conversationId}$`));
  });

  it('a lost session goes back to the login page and keeps the draft', async () => {
    const senior = kefu.agents.find((a) => a.tier === 'senior')!;
    const ctx = await desktop(browser);
    const page = await ctx.newPage();
    await signIn(page, kefu.url, senior);
    const rows = page.getByTestId('conversation-row');
    await rows.first().waitFor();
    await rows.nth(0).click();
    await page.getByTestId('conversation-view').waitFor();
    const firstUrl = page.url();
    const draft = '亲，您的问题我已经记录，稍后';
    await page.getByTestId('composer-input').fill(draft);
    // The session ends on the server (as after the idle timeout), the cookie stays.
    const cookies = await ctx.cookies();
    await page.request.post(`${kefu.url}/api/v1/auth/logout`, { data: {} });
    await ctx.addCookies(cookies);
    // The server tells the open socket (session.ended), or the next request gets 401: either
    // way the workbench goes back to the login page.
    const gone = page.waitForURL(/\/login/, { timeout: 15_000 });
    await page.waitForTimeout(1500);
    if (!page.url().includes('/login')) await page.getByTestId('status-filter').getByText('待处理').click({ timeout: 2000 }).catch(() => undefined);
    await gone;
    await page.getByTestId('session-expired').waitFor();
    await shot(page, '14-session-expired');
    await signIn(page, kefu.url, senior);
    await page.goto(firstUrl);
    await expect.poll(() => page.getByTestId('composer-input').inputValue()).toBe(draft);
    await ctx.close();
  });

  it('an admin creates an agent with a tier and sees who is online', async () => {
    await agent.goto(`${kefu.url}/admin/agents`);
    const me = agent.locator(`[data-testid="agent-online"][data-email="${admin().email}"]`);
    await me.waitFor();
    await expect.poll(() => me.getAttribute('data-online')).toBe('true');
    await agent.getByTestId('create-agent').click();
    await agent.getByTestId('agent-name').fill('王小明');
    const email = `wang.xm${Date.now() % 100000}@demo.kefu.local`;
    await agent.getByTestId('agent-email').fill(email);
    await agent.locator('.ant-modal .ant-select').click();
    await agent.locator('.ant-select-item-option').filter({ hasText: '高级客服' }).click();
    await agent.getByTestId('agent-password').fill('Kefu-demo-2026!');
    await agent.locator('.ant-modal-footer .ant-btn-primary').click();
    const created = agent.locator(`[data-testid="agent-online"][data-email="${email}"]`);
    await created.waitFor();
    expect(await created.getAttribute('data-online')).toBe('false');
    expect(await agent.locator('tr', { has: created }).innerText()).toContain('高级客服');
    await agent.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
    await shot(agent, '15-admin-agents');
  });
  it('finds users by phone number and by order number, with the phone masked', async () => {
    const api = `${kefu.url}/api/v1`;
    const platformId = `ks9${Date.now() % 100000000}`;
    const created = await agent.request.post(`${api}/contacts`, { data: { platformId, nickname: '温柔的小鹿', phone: '13912345678' } });
    expect(created.ok()).toBe(true);
    const orderNo = `2026${Date.now() % 1000000000000}`;
    const order = await agent.request.post(`${api}/orders`, { data: { orderNo, platformId, items: [{ name: '蓝牙耳机 降噪版', quantity: 1, price: 299 }], amount: 299 } });
    expect(order.ok()).toBe(true);

    await agent.goto(`${kefu.url}/inbox`);
    const id = await findAndOpen(agent, 'phone', '13912345678');
    const panel = agent.getByTestId('contact-panel');
    await expect.poll(() => panel.innerText()).toContain('温柔的小鹿');
    expect(await agent.getByTestId('contact-phone').innerText()).toBe('139****5678');
    await expect.poll(() => agent.getByTestId('order-card').first().innerText()).toContain(orderNo);
    expect(await agent.getByTestId('order-card').first().innerText()).toContain('蓝牙耳机 降噪版');
    await shot(agent, '16-found-by-phone');

    await agent.goto(`${kefu.url}/inbox`);
    expect(await findAndOpen(agent, 'orderNo', orderNo)).toBe(id); // the same conversation, not a second one
    await agent.goto(`${kefu.url}/inbox`);
    await agent.getByTestId('search-by').click();
    await agent.locator('.ant-select-item-option').filter({ hasText: /^手机号$/ }).click();
    await agent.locator('#contact-search').fill('13900000000');
    await agent.locator('#contact-search').press('Enter');
    await expect.poll(() => agent.getByTestId('search-error').innerText()).toBe('未找到该用户');
  });

  it('loads the whole history by scrolling up, in seq order with nothing missing', async () => {
    const token = new URL(kefu.customerUrl).searchParams.get('token')!;
    const before = await agent.request.get(`${kefu.url}/api/v1/customer/session`, { headers: { authorization: `Bearer ${token}` } });
    const from = ((await before.json()) as { conversation: { lastSeq: number } }).conversation.lastSeq;
    for (let i = 0; i < 260; i++) {
      const r = await agent.request.post(`${kefu.url}/api/v1/customer/messages`, { headers: { authorization: `Bearer ${token}` }, data: { clientMessageId: `hist-${i}`, text: `历史消息 ${i + 1}` } });
      expect(r.ok()).toBe(true);
    }
    const total = from + 260;
    await agent.goto(`${kefu.url}/inbox/${conversationId}`);
    const list = agent.getByTestId('message-list');
    await agent.locator('[data-testid="message"][data-seq]').first().waitFor();
    expect(Number(await list.getAttribute('data-count'))).toBeLessThan(total); // one page, not everything
    for (let i = 0; i < 40 && Number(await list.getAttribute('data-count')) < total; i++) {
      await list.evaluate((el) => (el.scrollTop = 0));
      await agent.waitForTimeout(150);
    }
    expect(Number(await list.getAttribute('data-count'))).toBe(total);
    // The last page kept the reader's place; go to the very top.
    await list.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(() => list.innerText()).toContain('已经到顶了');
    await expect.poll(() => agent.locator('[data-testid="message"][data-seq]').first().getAttribute('data-seq')).toBe('1');
    const top = await agent.locator('[data-testid="message"][data-seq]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    expect(top[0]).toBe(1);
    for (let i = 1; i < top.length; i++) expect(top[i]).toBe(top[i - 1]! + 1);
    // Only what is on screen is in the DOM.
    expect(top.length).toBeLessThan(60);
    await shot(agent, '17-history-top');
  });
  it('filters the inbox by business type and status', async () => {
    await agent.goto(`${kefu.url}/inbox`);
    await agent.getByTestId('conversation-row').first().waitFor();
    await agent.getByTestId('business-filter').click();
    await agent.locator('.ant-select-item-option').filter({ hasText: /^账号封禁$/ }).click();
    await expect.poll(async () => {
      const tags = await agent.locator('[data-testid="conversation-row"] .conv-tags .ant-tag').allInnerTexts();
      return tags.length > 0 && tags.every((x) => x === '账号封禁');
    }).toBe(true);
    await agent.getByTestId('status-filter').getByText('已解决').click();
    await expect.poll(async () => {
      const st = await agent.locator('[data-testid="conversation-row"] .conv-status').allInnerTexts();
      const empty = await agent.locator('.conv-empty').count();
      return empty > 0 || (st.length > 0 && st.every((x) => x === '已解决'));
    }).toBe(true);
    await shot(agent, '22-agent-filtered');
  });

  it('logging out returns to the login page, which does not call it an expiry', async () => {
    await agent.goto(`${kefu.url}/inbox`);
    await agent.getByTestId('user-menu').click();
    await agent.getByTestId('logout').click();
    await agent.waitForURL(/\/login/);
    await agent.getByTestId('login-submit').waitFor();
    await agent.waitForTimeout(500);
    expect(await agent.getByTestId('session-expired').count()).toBe(0);
    // The session is really gone.
    const me = await agent.request.get(`${kefu.url}/api/v1/auth/me`);
    expect(me.status()).toBe(401);
  });
  it('an agent on a phone (375×667) gets one column at a time: list, chat, profile', async () => {
    const basic = kefu.agents.find((a) => a.tier === 'basic')!;
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await page.goto(`${kefu.url}/login`);
    await signIn(page, kefu.url, basic, { screenshots: '18-mobile-agent' });
    const rows = page.getByTestId('conversation-row');
    await rows.first().waitFor();
    const width = await page.getByTestId('conversation-list').evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(360);
    await shot(page, '19-mobile-agent-inbox');
    await rows.first().click();
    await page.getByTestId('conversation-view').waitFor();
    expect(await page.getByTestId('conversation-list').isVisible()).toBe(false);
    const box = await page.getByTestId('composer-input').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await shot(page, '20-mobile-agent-chat');
    await page.getByTestId('open-contact-panel').click();
    await page.locator('.contact-drawer [data-testid="contact-panel"]').waitFor();
    await page.waitForTimeout(500); // the drawer slides in
    await shot(page, '21-mobile-agent-profile');
    await page.locator('.contact-drawer .ant-drawer-close').click();
    await page.getByTestId('conversation-back').click();
    await page.getByTestId('conversation-list').waitFor();
    await ctx.close();
  });
  it('the customer page with a bad or missing token explains, in the user’s language, what to do', async () => {
    const ctx = await phone(browser);
    const page = await ctx.newPage();
    await page.goto(`${kefu.url}/c?token=not-a-token`);
    await page.getByTestId('customer-error').waitFor();
    const text = await page.getByTestId('customer-error').innerText();
    expect(text).toContain('链接无效或已过期');
    expect(text).toContain('请从 App 内重新进入客服页面');
    await shot(page, '23-customer-bad-token');
    await page.goto(`${kefu.url}/c?lang=en`);
    await expect.poll(() => page.getByTestId('customer-error').innerText()).toContain('Open customer service again from the app');
    await ctx.close();
  });
});
