/**
 * Browser-test harness: builds the web app, starts a real Kefu server on a throw-away data
 * folder, and drives Debian's Chromium through playwright-core (never a downloaded browser).
 * UI steps go through the helpers below, not raw selectors scattered over the tests.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { generate } from 'otplib';

export const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = resolve(webRoot, '../..');
export const artifactsDir = resolve(repoRoot, 'artifacts/web');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const n of readdirSync(path)) if (n !== 'node_modules' && n !== 'dist') m = Math.max(m, newest(join(path, n)));
  return m;
}

/**
 * Build the web app unless dist/ is newer than every source. Several browser-test files run in
 * parallel: a lock (an exclusive mkdir) makes one of them build while the others wait, and
 * then find it fresh.
 */
export function buildWeb(): void {
  if (process.env.KEFU_WEB_SKIP_BUILD === '1') return;
  const lock = resolve(tmpdir(), `kefu-web-build-${webRoot.replace(/[^a-zA-Z0-9]/g, '_')}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the longest build is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`web build lock ${lock} held too long`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    const built = existsSync(resolve(webRoot, 'dist/index.html')) ? statSync(resolve(webRoot, 'dist/index.html')).mtimeMs : 0;
    const sources = Math.max(newest(resolve(webRoot, 'src')), newest(resolve(webRoot, 'index.html')), newest(resolve(webRoot, 'vite.config.ts')), newest(resolve(repoRoot, 'packages/shared/src')));
    if (built > sources) return;
    execFileSync(process.execPath, [resolve(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: webRoot, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface DemoLogin {
  email: string;
  password: string;
  tier: string;
  name: string;
}
export interface Kefu {
  url: string;
  customerUrl: string;
  agents: DemoLogin[];
  close(): Promise<void>;
}

/** The server's programmatic start (apps/server/src/index.ts), typed only as far as we use it. */
export interface StartedServer {
  url: string;
  demo: { customerUrl: string; agents: DemoLogin[] } | null;
  close(): Promise<void>;
}
type StartServer = (opts: { dataDir: string; port: number; host: string; env: Record<string, string>; logLevel: string }) => Promise<StartedServer>;
let startServerFn: StartServer | null = null;
// Loaded by path at run time so the web app's type check does not pull in the server's sources.
export async function loadServer(): Promise<void> {
  const path = resolve(repoRoot, 'apps/server/src/index.ts');
  startServerFn = ((await import(path)) as { startServer: StartServer }).startServer;
}
export function startServerModule(): StartServer {
  if (!startServerFn) throw new Error('call loadServer() first');
  return startServerFn;
}

export async function startKefu(): Promise<Kefu> {
  await loadServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-web-e2e-'));
  // Each server serves its own copy of the build, so a rebuild by another run cannot pull
  // hashed assets out from under a page that is being tested.
  const webDir = join(dataDir, 'web');
  cpSync(resolve(webRoot, 'dist'), webDir, { recursive: true });
  const s = await startServerModule()({ dataDir, port: 0, host: '127.0.0.1', env: { NODE_ENV: 'test', KEFU_WEB_DIR: webDir }, logLevel: 'warn' });
  if (!s.demo) throw new Error('the server did not seed the demo organisation');
  return {
    url: s.url,
    customerUrl: s.demo.customerUrl,
    agents: s.demo.agents as DemoLogin[],
    async close() {
      await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  // playwright's launch() gives every browser a fresh, temporary user-data-dir.
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

export async function desktop(browser: Browser, lang?: 'zh-CN' | 'en'): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang ?? 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

export async function phone(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Kwai/11.0',
  });
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** TOTP secrets learnt at enrolment, and the last time step used (codes cannot be replayed). */
const secrets = new Map<string, { secret: string; step: number }>();

async function nextCode(email: string): Promise<string> {
  const s = secrets.get(email);
  if (!s) throw new Error(`no TOTP secret for ${email}`);
  let step = Math.floor(Date.now() / 30_000);
  if (step <= s.step) step = s.step + 1; // the server accepts one step of drift either way
  if (step > Math.floor(Date.now() / 30_000) + 1) {
    // Both usable steps are spent: wait for the clock.
    await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 200));
  }
  s.step = step;
  return generate({ secret: s.secret, epoch: step * 30 });
}

async function typeCode(page: Page, code: string): Promise<void> {
  const first = page.getByTestId('otp').locator('input').first();
  await first.click();
  await page.keyboard.type(code, { delay: 20 });
}

/** Sign in with password and TOTP; enrols the authenticator on first use, from the page's QR/secret. */
export async function signIn(page: Page, base: string, who: DemoLogin, opts: { screenshots?: string } = {}): Promise<void> {
  if (!page.url().includes('/login')) await page.goto(`${base}/login`);
  await page.getByTestId('email').fill(who.email);
  await page.getByTestId('password').fill(who.password);
  if (opts.screenshots) await shot(page, `${opts.screenshots}-login`);
  await page.getByTestId('login-submit').click();
  const enrol = page.getByTestId('totp-secret');
  const verify = page.getByTestId('verify');
  await enrol.or(verify).first().waitFor();
  if (await enrol.isVisible()) {
    const secret = (await enrol.innerText()).replace(/\s+/g, '');
    secrets.set(who.email, { secret, step: 0 });
    await page.getByTestId('totp-qr').waitFor();
    if (opts.screenshots) await shot(page, `${opts.screenshots}-totp-enrol`);
  }
  await typeCode(page, await nextCode(who.email));
  await page.waitForURL(/\/inbox/);
}

/** Find a user by phone, platform ID or order number, and open (or create) the conversation. */
export async function findAndOpen(page: Page, by: 'phone' | 'platformId' | 'orderNo', value: string): Promise<string> {
  const byLabel = { phone: ['手机号', 'Phone'], platformId: ['快手号', 'Platform ID'], orderNo: ['订单号', 'Order no.'] }[by];
  await page.getByTestId('search-by').click();
  await page.locator('.ant-select-item-option').filter({ hasText: new RegExp(`^(${byLabel.join('|')})$`) }).click();
  const input = page.locator('#contact-search');
  await input.fill(value);
  await input.press('Enter');
  await page.getByTestId('search-result').waitFor();
  await page.getByTestId('start-conversation').click();
  await page.waitForURL(/\/inbox\/[^/]+$/);
  await page.getByTestId('conversation-view').waitFor();
  return page.url().split('/').pop()!;
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByTestId('composer-input');
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

/** Texts of the committed messages on screen, in order. */
export async function messageTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="message"][data-seq] [data-testid="message-text"]').allInnerTexts();
}

export function messageByText(page: Page, text: string) {
  return page.locator('[data-testid="message"]').filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });
}
