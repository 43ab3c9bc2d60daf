/** HS256 JSON Web Tokens, the platform's customer tokens. Small on purpose: one algorithm only. */
import { createHmac } from 'node:crypto';
import { safeEqual } from './crypto.ts';

export interface CustomerClaims {
  /** Organisation id the token is for. */
  org: string;
  /** Platform user id (快手号). */
  sub: string;
  nickname?: string;
  avatar?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export function signHs256(claims: CustomerClaims, secret: string): string {
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64(claims);
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** Decode without verifying, to find which organisation's secret to verify with. */
export function peekClaims(token: string): Partial<CustomerClaims> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: string };
    if (head.alg !== 'HS256') return null;
    return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Partial<CustomerClaims>;
  } catch {
    return null;
  }
}

export function verifyHs256(token: string, secret: string, nowSec = Math.floor(Date.now() / 1000)): CustomerClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest('base64url');
  if (!safeEqual(expected, parts[2]!)) return null;
  const claims = peekClaims(token);
  if (!claims || typeof claims.org !== 'string' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
  if (claims.exp <= nowSec) return null;
  if (claims.sub.length === 0 || claims.sub.length > 64) return null;
  return claims as CustomerClaims;
}
