import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('has embedded defaults', () => {
    const c = loadConfig({}, '/srv/kefu');
    expect(c).toMatchObject({ port: 3000, dataDir: '/srv/kefu/data', databaseUrl: null, bootstrapAdmin: null, secureCookies: false });
  });
  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', KEFU_BOOTSTRAP_ADMIN_EMAIL: 'a@b.c', KEFU_BOOTSTRAP_ADMIN_PASSWORD: 'short' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'KEFU_KEYS', 'LOG_LEVEL', 'KEFU_BOOTSTRAP_ADMIN_PASSWORD']) expect(problems).toContain(name);
    }
  });
  it('turns on secure cookies behind an https public URL', () => {
    expect(loadConfig({ KEFU_PUBLIC_URL: 'https://kefu.example.com' }).secureCookies).toBe(true);
  });
});
