import { describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, ErrorCodes } from '@kefu/shared';
import zhCN from '../i18n/zh-CN.ts';
import en from '../i18n/en.ts';
import { ApiError, CLIENT_ERROR_CODES, toApiError } from './errors.ts';
import { onSessionLost, request } from './http.ts';

function keysOf(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keysOf(v as object, `${prefix}${k}.`)));
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('error catalogue translations', () => {
  it.each(ERROR_CODES.map((c) => [c]))('%s has a Chinese and an English message', (code) => {
    const zh = (zhCN.errors as Record<string, string>)[code];
    const eng = (en.errors as Record<string, string>)[code];
    expect(zh, `zh-CN errors.${code}`).toBeTruthy();
    expect(eng, `en errors.${code}`).toBeTruthy();
    expect(zh).toMatch(/[\u4e00-\u9fff]/); // really Chinese, not an English copy
    expect(eng).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('covers the client-side codes too, and nothing that is not a code', () => {
    const all = new Set<string>([...ERROR_CODES, ...CLIENT_ERROR_CODES]);
    expect(new Set(Object.keys(zhCN.errors))).toEqual(all);
    expect(new Set(Object.keys(en.errors))).toEqual(all);
  });

  it('English has every key Chinese has, and no empty text', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zhCN).sort());
    for (const k of keysOf(en)) {
      const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], en);
      expect(typeof v === 'string' && v.length > 0, k).toBe(true);
    }
  });
});

describe('toApiError', () => {
  it('keeps a catalogue code and the details', () => {
    const e = toApiError(429, { error: { code: 'DAILY_QUOTA_EXCEEDED', message: 'used up', resetAt: '2026-01-01T16:00:00Z' } });
    expect(e.code).toBe('DAILY_QUOTA_EXCEEDED');
    expect(e.status).toBe(429);
    expect(e.details.resetAt).toBe('2026-01-01T16:00:00Z');
    expect(e.retryable).toBe(false);
  });
  it('maps an unknown code to UNKNOWN_ERROR but remembers it', () => {
    const e = toApiError(418, { error: { code: 'TEAPOT', message: 'short and stout' } });
    expect(e.code).toBe('UNKNOWN_ERROR');
    expect(e.details.serverCode).toBe('TEAPOT');
  });
  it('treats a body that is not an error body by status', () => {
    expect(toApiError(502, '<html>').code).toBe('INTERNAL');
    expect(toApiError(404, undefined).code).toBe('BAD_RESPONSE');
  });
  it('knows which failures a retry with the same client id can fix', () => {
    expect(new ApiError('NETWORK_ERROR', 0, '').retryable).toBe(true);
    expect(new ApiError('INTERNAL', 500, '').retryable).toBe(true);
    expect(new ApiError('SENSITIVE_BLOCKED', 422, '').retryable).toBe(false);
    expect(new ApiError('MFA_REQUIRED', 401, '').sessionLost).toBe(true);
    expect(new ApiError('INVALID_CREDENTIALS', 401, '').sessionLost).toBe(false);
  });
});

describe('request', () => {
  it('sends JSON with the query string and returns the parsed body', async () => {
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => jsonResponse(200, { ok: true }));
    const r = await request<{ ok: boolean }>('POST', '/x', { body: { a: 1 }, query: { afterSeq: 3, limit: undefined, q: '' } }, fetchImpl as unknown as typeof fetch);
    expect(r).toEqual({ ok: true });
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe('/api/v1/x?afterSeq=3');
    expect(init?.body).toBe('{"a":1}');
    expect((init?.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('puts the platform token in the Authorization header', async () => {
    const fetchImpl = vi.fn(async () => jsonResponse(200, {}));
    await request('GET', '/customer/session', { token: 'tok' }, fetchImpl as unknown as typeof fetch);
    const init = (fetchImpl.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it('rejects with every catalogue code exactly as the server sent it', async () => {
    for (const code of ERROR_CODES) {
      const fetchImpl = async () => jsonResponse(ErrorCodes[code].status, { error: { code, message: ErrorCodes[code].message } });
      await expect(request('GET', '/x', {}, fetchImpl as unknown as typeof fetch)).rejects.toMatchObject({ code, status: ErrorCodes[code].status });
    }
  });

  it('turns a failed connection into NETWORK_ERROR and a non-JSON 200 into BAD_RESPONSE', async () => {
    const down = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(request('GET', '/x', {}, down as unknown as typeof fetch)).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
    const html = async () => new Response('<!doctype html>', { status: 200 });
    await expect(request('GET', '/x', {}, html as unknown as typeof fetch)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('tells the workbench when the agent session is lost, but not for customer calls', async () => {
    const seen: string[] = [];
    const off = onSessionLost((e) => seen.push(e.code));
    const lost = async () => jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: 'Log in first.' } });
    await expect(request('GET', '/conversations', {}, lost as unknown as typeof fetch)).rejects.toBeInstanceOf(ApiError);
    await expect(request('GET', '/customer/session', { token: 't' }, lost as unknown as typeof fetch)).rejects.toBeInstanceOf(ApiError);
    const wrong = async () => jsonResponse(401, { error: { code: 'INVALID_CREDENTIALS', message: 'no' } });
    await expect(request('POST', '/auth/login', { body: {} }, wrong as unknown as typeof fetch)).rejects.toBeInstanceOf(ApiError);
    off();
    expect(seen).toEqual(['UNAUTHENTICATED']);
  });
});
