import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKefu, type Kefu } from './helpers/harness.ts';

/** The server serves the built web app: hashed assets cached for good, index.html always revalidated. */
describe('serving the web app', () => {
  let k: Kefu;
  beforeAll(async () => {
    const web = mkdtempSync(join(tmpdir(), 'kefu-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Kefu</title><script src="/assets/app-abc123.js"></script>');
    writeFileSync(join(web, 'assets', 'app-abc123.js'), 'console.log(1)');
    k = await makeKefu('sqlite', { env: { KEFU_WEB_DIR: web } });
  });
  afterAll(async () => k?.close());

  it('caches hashed assets immutably and never index.html, also through the SPA fallback', async () => {
    const asset = await k.req('GET', '/assets/app-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/inbox/some/deep/link', '/c?token=x']) {
      const page = await k.req('GET', path);
      expect(page.status, path).toBe(200);
      expect(page.body, path).toContain('<title>Kefu</title>');
      expect(page.headers['cache-control'], path).toBe('no-cache');
    }
    expect((await k.req('GET', '/api/v1/nothing-here')).json.error.code).toBe('NOT_FOUND');
    expect((await k.req('GET', '/assets/missing.js')).status).toBe(404);
  });
});
