import { describe, expect, it } from 'vitest';
import { KeyRing, maskPhone, normalisePhone } from './crypto.ts';
import { peekClaims, signHs256, verifyHs256 } from './jwt.ts';
import { newId } from './ids.ts';

describe('KeyRing', () => {
  it('round-trips, uses a fresh IV each time, and detects tampering', () => {
    const ring = new KeyRing(KeyRing.generate());
    const a = ring.encrypt('退款请联系客服');
    const b = ring.encrypt('退款请联系客服');
    expect(a).not.toBe(b);
    expect(ring.decrypt(a)).toBe('退款请联系客服');
    const parts = a.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(() => ring.decrypt(`${parts[0]}.${parts[1]}.${body.toString('base64url')}`)).toThrow();
  });

  it('rotates keys without losing old values', () => {
    const v1 = KeyRing.generate();
    const old = new KeyRing(v1);
    const stored = old.encrypt('旧数据');
    const v2 = { ...v1, current: 2, keys: { ...v1.keys, '2': KeyRing.generate().keys['1']! } };
    const ring = new KeyRing(v2);
    expect(ring.decrypt(stored)).toBe('旧数据');
    expect(ring.isStale(stored)).toBe(true);
    const fresh = ring.encrypt('新数据');
    expect(fresh.startsWith('v2.')).toBe(true);
    expect(ring.isStale(fresh)).toBe(false);
    expect(() => old.decrypt(fresh)).toThrow(/unknown key version/);
  });

  it('computes a keyed, deterministic blind index', () => {
    const a = new KeyRing(KeyRing.generate());
    const b = new KeyRing(KeyRing.generate());
    expect(a.blindIndex('phone', '13800138000')).toBe(a.blindIndex('phone', '13800138000'));
    expect(a.blindIndex('phone', '13800138000')).not.toBe(b.blindIndex('phone', '13800138000'));
    expect(a.blindIndex('phone', '13800138000')).not.toBe(a.blindIndex('email', '13800138000'));
  });

  it('refuses malformed key rings', () => {
    expect(() => new KeyRing({ current: 1, keys: { '1': 'c2hvcnQ=' }, index: KeyRing.generate().index })).toThrow(/32 bytes/);
    expect(() => new KeyRing({ ...KeyRing.generate(), current: 3 })).toThrow(/missing/);
  });
});

describe('phone numbers', () => {
  it('normalises the common written forms', () => {
    for (const raw of ['13800138000', '138 0013 8000', '138-0013-8000', '+86 138 0013 8000', '008613800138000', '(+86)13800138000']) {
      expect(normalisePhone(raw), raw).toBe('13800138000');
    }
    expect(normalisePhone('call me')).toBeNull();
    expect(normalisePhone('12')).toBeNull();
  });
  it('masks for display', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('85212345')).toBe('****2345');
  });
});

describe('HS256 customer tokens', () => {
  const claims = { org: 'o1', sub: 'ks1', nickname: '小明', exp: 2_000_000_000 };
  it('verifies what it signs and nothing else', () => {
    const t = signHs256(claims, 'secret');
    expect(verifyHs256(t, 'secret', 1_900_000_000)).toEqual(claims);
    expect(verifyHs256(t, 'other', 1_900_000_000)).toBeNull();
    expect(verifyHs256(t, 'secret', 2_000_000_000)).toBeNull(); // expired
    const [h, , s] = t.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'ks2' })).toString('base64url')}.${s}`;
    expect(verifyHs256(forged, 'secret', 1_900_000_000)).toBeNull();
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${t.split('.')[1]}.`;
    expect(peekClaims(none)).toBeNull();
  });
});

describe('ids', () => {
  it('are unique and sort by time', () => {
    const a = newId(1_000_000);
    const b = newId(2_000_000);
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newId())).size).toBe(1000);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
