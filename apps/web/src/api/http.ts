import { ApiError, toApiError } from './errors.ts';

export type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** Customer side: the platform-signed token. Agents use the session cookie instead. */
  token?: string;
  signal?: AbortSignal;
}

type Listener = (e: ApiError) => void;
const sessionLostListeners = new Set<Listener>();

/** The workbench subscribes once and returns to the login page, keeping drafts. */
export function onSessionLost(fn: Listener): () => void {
  sessionLostListeners.add(fn);
  return () => sessionLostListeners.delete(fn);
}

export const API_BASE = '/api/v1';

export function buildUrl(path: string, query?: Query): string {
  let url = API_BASE + path;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    if (s) url += `?${s}`;
  }
  return url;
}

/**
 * One JSON request. The API takes JSON bodies only and refuses cross-site origins, so the
 * same-origin cookie is the whole of the agent's credentials (issue 2, CSRF).
 */
export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, opts: RequestOptions = {}, fetchImpl: typeof fetch = fetch): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return exchange<T>(buildUrl(path, opts.query), { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }, opts, fetchImpl);
}

/** One file as multipart/form-data (field "file"): the attachment upload routes. */
export async function upload<T>(path: string, file: Blob, filename: string, opts: RequestOptions = {}, fetchImpl: typeof fetch = fetch): Promise<T> {
  const form = new FormData();
  form.append('file', file, filename);
  return exchange<T>(buildUrl(path, opts.query), { method: 'POST', headers: { accept: 'application/json' }, body: form }, opts, fetchImpl);
}

async function exchange<T>(url: string, init: { method: string; headers: Record<string, string>; body?: BodyInit | undefined }, opts: RequestOptions, fetchImpl: typeof fetch): Promise<T> {
  if (opts.token) init.headers.authorization = `Bearer ${opts.token}`;
  let res: Response;
  try {
    res = await fetchImpl(url, { ...init, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError('NETWORK_ERROR', 0, e instanceof Error ? e.message : 'network error');
  }
  let data: unknown = undefined;
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = toApiError(res.status, data);
    if (err.sessionLost && !opts.token) for (const fn of sessionLostListeners) fn(err);
    throw err;
  }
  if (data === undefined && res.status !== 204) throw new ApiError('BAD_RESPONSE', res.status, 'response is not JSON');
  return data as T;
}
