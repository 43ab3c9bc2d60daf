/**
 * Configuration: read once from the environment at start, validated, typed, frozen. A bad value
 * stops the start with a readable list of every problem, not the first one.
 */
import { resolve } from 'node:path';
import { CHANNELS, type Channel } from '@kefu/shared';

export interface Config {
  host: string;
  port: number;
  /** Embedded mode's data folder (SQLite file, keys, attachments). */
  dataDir: string;
  /** PostgreSQL when set; embedded SQLite otherwise. */
  databaseUrl: string | null;
  /** Key ring JSON (required in cluster mode; generated into dataDir in embedded mode). */
  keysJson: string | null;
  bootstrapAdmin: { email: string; password: string } | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Origins allowed besides the request's own host (CSRF check). */
  allowedOrigins: string[];
  trustProxy: boolean;
  /** Mark cookies Secure; on by default when behind HTTPS (KEFU_PUBLIC_URL https://…). */
  secureCookies: boolean;
  publicUrl: string | null;
  /** Folder of the built web app served at `/`; absent folder → API only. */
  webDir: string;
  /** Login attempts allowed per IP per minute. */
  loginRatePerMinute: number;
  /** Pool size for PostgreSQL. */
  pgPoolSize: number;
  /** Attachments: largest upload, tighter per-channel caps (WeCom 20 MB), image pixel limit, image jobs at once (null: cores − 1). */
  uploads: { maxBytes: number; channelMaxBytes: Partial<Record<Channel, number>>; imageMaxPixels: number; imageJobs: number | null };
  /** The platform's own domains: links to them are never "external". */
  platformDomains: string[];
  /** Platform-level loosening/tightening of the tier defaults (JSON, per tier, per field). */
  tierCeilingJson: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer in ${min}..${max} (got "${raw}")`);
      return dflt;
    }
    return n;
  };
  const bool = (name: string, dflt: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return dflt;
  };

  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// URL');
  const keysJson = env.KEFU_KEYS?.trim() || null;
  if (databaseUrl && !keysJson) {
    problems.push('KEFU_KEYS is required with DATABASE_URL (every process must share the encryption keys); see README');
  }

  const email = env.KEFU_BOOTSTRAP_ADMIN_EMAIL?.trim();
  const password = env.KEFU_BOOTSTRAP_ADMIN_PASSWORD;
  let bootstrapAdmin: Config['bootstrapAdmin'] = null;
  if (email || password) {
    if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) problems.push('KEFU_BOOTSTRAP_ADMIN_EMAIL must be an email address');
    if (!password || password.length < 10) problems.push('KEFU_BOOTSTRAP_ADMIN_PASSWORD must have at least 10 characters');
    if (email && password) bootstrapAdmin = { email, password };
  }

  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`);

  const publicUrl = env.KEFU_PUBLIC_URL?.trim() || null;
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) problems.push('KEFU_PUBLIC_URL must start with http:// or https://');

  const channelMaxBytes: Partial<Record<Channel, number>> = {};
  const capsRaw = env.KEFU_UPLOAD_CHANNEL_MAX_BYTES ?? 'wecom=20971520';
  for (const item of capsRaw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = item.split('=').map((s) => s.trim());
    const n = Number(value);
    if (!CHANNELS.includes(name as Channel) || !Number.isInteger(n) || n < 1) {
      problems.push(`KEFU_UPLOAD_CHANNEL_MAX_BYTES must be channel=bytes pairs with channels ${CHANNELS.join(', ')} (got "${item}")`);
    } else channelMaxBytes[name as Channel] = n;
  }

  const config: Config = {
    host: env.HOST?.trim() || '127.0.0.1',
    port: int('PORT', 3000, 0, 65535),
    dataDir: resolve(cwd, env.KEFU_DATA_DIR?.trim() || 'data'),
    databaseUrl,
    keysJson,
    bootstrapAdmin,
    logLevel,
    allowedOrigins: (env.KEFU_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: bool('KEFU_TRUST_PROXY', false),
    secureCookies: bool('KEFU_SECURE_COOKIES', publicUrl?.startsWith('https://') ?? false),
    publicUrl,
    webDir: resolve(env.KEFU_WEB_DIR?.trim() || resolve(import.meta.dirname, '../../web/dist')),
    loginRatePerMinute: int('KEFU_LOGIN_RATE_PER_MINUTE', 20, 1, 100000),
    pgPoolSize: int('KEFU_PG_POOL_SIZE', 20, 1, 1000),
    uploads: {
      maxBytes: int('KEFU_UPLOAD_MAX_BYTES', 50 * 1024 * 1024, 1024, 2 ** 40),
      channelMaxBytes,
      imageMaxPixels: int('KEFU_IMAGE_MAX_PIXELS', 100_000_000, 1, 2 ** 31),
      imageJobs: env.KEFU_IMAGE_JOBS ? int('KEFU_IMAGE_JOBS', 1, 1, 64) : null,
    },
    platformDomains: (env.KEFU_PLATFORM_DOMAINS ?? 'kuaishou.com,kwai.com,gifshow.com,kuaishoupay.com')
      .split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
    tierCeilingJson: env.KEFU_TIER_CEILING?.trim() || null,
  };
  if (config.tierCeilingJson) {
    try {
      JSON.parse(config.tierCeilingJson);
    } catch {
      problems.push('KEFU_TIER_CEILING must be JSON, e.g. {"basic":{"dailyMessages":300}}');
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}
