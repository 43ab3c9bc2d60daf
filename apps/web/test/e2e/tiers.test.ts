/**
 * Issue 5 in the workbench: a basic agent sees the remaining daily quota, live after each send,
 * and inserts an organisation canned reply with its hotkey, variables filled in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildWeb, desktop, findAndOpen, launch, shot, signIn, startKefu, type Kefu } from './harness.ts';

let kefu: Kefu;
let browser: Browser;
let admin: Page;
let basic: Page;

describe('tier rules in the workbench', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    buildWeb();
    kefu = await startKefu();
    browser = await launch();
    admin = await (await desktop(browser)).newPage();
    basic = await (await desktop(browser)).newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await kefu?.close();
  });

  it('shows a basic agent the remaining quota live and inserts a canned reply by hotkey', async () => {
    const adminLogin = kefu.agents.find((a) => a.tier === 'admin')!;
    const basicLogin = kefu.agents.find((a) => a.tier === 'basic')!;
    await signIn(admin, kefu.url, adminLogin);
    // The admin saves an organisation reply on slot 1 (through the API, as the admin page does).
    const created = await admin.evaluate(async () => {
      const r = await fetch('/api/v1/canned-replies', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: '问候', body: '{昵称}您好，我是客服{客服名}，很高兴为您服务', hotkey: 1 }),
      });
      return r.status;
    });
    expect(created).toBe(201);

    await signIn(basic, kefu.url, basicLogin);
    const token = new URL(kefu.customerUrl).searchParams.get('token')!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string; nickname: string };
    await findAndOpen(basic, 'platformId', claims.sub);
    const badge = basic.getByTestId('quota-remaining');
    await badge.waitFor();
    expect(await badge.getAttribute('data-remaining')).toBe('200');
    expect(await badge.innerText()).toContain('今日剩余 200 / 200 条');

    const input = basic.getByTestId('composer-input');
    await input.click();
    // Alt+1: a browser tab keeps Ctrl+digit for switching tabs.
    await input.press('Alt+1');
    await expect.poll(() => input.inputValue()).toBe(`${claims.nickname}您好，我是客服${basicLogin.name}，很高兴为您服务`);
    await shot(basic, 'tiers-01-canned-inserted');
    await input.press('Enter');
    await expect.poll(() => badge.getAttribute('data-remaining')).toBe('199');
    await shot(basic, 'tiers-02-quota-after-send');
    // An empty slot says so instead of inserting anything.
    await input.press('Alt+2');
    await expect.poll(() => basic.getByText('快捷键 2 还没有设置话术').count()).toBeGreaterThan(0);
    expect(await input.inputValue()).toBe('');
  });

  it('refuses a video to a basic agent with a readable message, and sends a picture', async () => {
    // An MP4 is recognised by its bytes (an ftyp box), whatever the file is called.
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2mp41'), Buffer.alloc(64)]);
    await basic.getByTestId('attach-input').setInputFiles({ name: '演示视频.mp4', mimeType: 'video/mp4', buffer: mp4 });
    await expect.poll(() => basic.getByText('当前坐席等级不允许发送此类文件').count()).toBeGreaterThan(0);
    await shot(basic, 'tiers-03-video-refused');
    const before = await basic.locator('[data-testid="message"][data-seq]').count();
    // A 1×1 PNG goes out as an image message.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await basic.getByTestId('attach-input').setInputFiles({ name: '截图.png', mimeType: 'image/png', buffer: png });
    await expect.poll(() => basic.locator('[data-testid="message"][data-seq]').count()).toBe(before + 1);
    await expect.poll(() => basic.locator('[data-testid="message"][data-seq]').last().locator('img').count()).toBeGreaterThan(0);
    expect(await basic.getByTestId('quota-remaining').getAttribute('data-remaining')).toBe('198');
    await shot(basic, 'tiers-04-picture-sent');
  });
});
