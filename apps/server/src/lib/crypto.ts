/**
 * Encryption at rest (AES-256-GCM, versioned keys) and keyed blind indexes (HMAC-SHA256).
 * A ciphertext is `v<version>.<iv>.<ciphertext+tag>` in base64url, so keys can rotate without
 * downtime: new writes use the current key, old values still decrypt with theirs.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KeyRingJson {
  current: number;
  keys: Record<string, string>;
  /** Blind-index key; never rotated without a re-index. */
  index: string;
}

export class KeyRing {
  private readonly keys = new Map<number, Buffer>();
  readonly current: number;
  private readonly indexKey: Buffer;

  constructor(json: KeyRingJson) {
    for (const [v, k] of Object.entries(json.keys)) {
      const key = Buffer.from(k, 'base64');
      if (key.length !== 32) throw new Error(`encryption key v${v} must be 32 bytes (base64)`);
      this.keys.set(Number(v), key);
    }
    if (!this.keys.has(json.current)) throw new Error(`current key v${json.current} is missing from the key ring`);
    this.current = json.current;
    this.indexKey = Buffer.from(json.index, 'base64');
    if (this.indexKey.length < 32) throw new Error('blind-index key must be at least 32 bytes (base64)');
  }

  static generate(): KeyRingJson {
    return { current: 1, keys: { '1': randomBytes(32).toString('base64') }, index: randomBytes(32).toString('base64') };
  }

  /** Embedded mode: read the key ring from the data folder, creating it (mode 0600) on first start. */
  static loadOrCreate(dataDir: string, json: string | null): KeyRing {
    if (json) return new KeyRing(JSON.parse(json) as KeyRingJson);
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'keys.json');
    if (!existsSync(file)) writeFileSync(file, JSON.stringify(KeyRing.generate(), null, 2), { mode: 0o600, flag: 'wx' });
    return new KeyRing(JSON.parse(readFileSync(file, 'utf8')) as KeyRingJson);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.current)!, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v${this.current}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(token: string): string {
    const [v, ivB64, bodyB64] = token.split('.');
    const key = this.keys.get(Number(v?.slice(1)));
    if (!key || !ivB64 || !bodyB64) throw new Error('undecryptable value (unknown key version or malformed)');
    const body = Buffer.from(bodyB64, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivB64, 'base64url'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
  }

  /** True when the value was written with an older key (a rotation job re-encrypts it). */
  isStale(token: string): boolean {
    return !token.startsWith(`v${this.current}.`);
  }

  blindIndex(domain: string, value: string): string {
    return createHmac('sha256', this.indexKey).update(domain).update('\0').update(value).digest('base64url').slice(0, 32);
  }
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('base64url');
}

export function hmacHex(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Mainland mobile numbers are 11 digits; keep digits only and drop a +86/0086 prefix. */
export function normalisePhone(raw: string): string | null {
  const digits = raw.replace(/[\s\-()（）+]/g, '').replace(/^0086/, '').replace(/^86(?=1\d{10}$)/, '');
  return /^\d{5,20}$/.test(digits) ? digits : null;
}

export function maskPhone(phone: string): string {
  if (phone.length >= 11) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  if (phone.length > 4) return `${'*'.repeat(phone.length - 4)}${phone.slice(-4)}`;
  return '****';
}
