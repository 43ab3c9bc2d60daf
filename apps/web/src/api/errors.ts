import { ERROR_CODES, isErrorBody, type ErrorCode } from '@kefu/shared';

/** Codes the browser produces itself, when no answer from the server could be read. */
export const CLIENT_ERROR_CODES = ['NETWORK_ERROR', 'BAD_RESPONSE', 'UNKNOWN_ERROR'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];
export type AnyErrorCode = ErrorCode | ClientErrorCode;

const known = new Set<string>(ERROR_CODES);

const RETRYABLE = new Set<string>(['NETWORK_ERROR', 'BAD_RESPONSE', 'UNKNOWN_ERROR', 'INTERNAL', 'NOT_READY', 'RATE_LIMITED']);
/** Failures that a repeat can fix; the others (blocked words, quota, closed…) need an edit. */
export function isRetryableCode(code: string | undefined): boolean {
  return code === undefined || RETRYABLE.has(code);
}

/** Every failed call rejects with one of these; the UI translates `code`, never `message`. */
export class ApiError extends Error {
  readonly code: AnyErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor(code: AnyErrorCode, status: number, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** A send that failed this way may succeed if repeated with the same client message id. */
  get retryable(): boolean {
    return isRetryableCode(this.code) || this.status >= 500;
  }

  /** The session is gone or was never complete: the workbench goes back to the login page. */
  get sessionLost(): boolean {
    return this.code === 'UNAUTHENTICATED' || this.code === 'MFA_REQUIRED';
  }
}

/** Turn an HTTP answer (or its absence) into an ApiError with a catalogue code. */
export function toApiError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) {
    const { code, message, ...details } = body.error;
    // A code this build does not know (a newer server) is still shown, with a generic text.
    const c: AnyErrorCode = known.has(code) ? code : 'UNKNOWN_ERROR';
    return new ApiError(c, status, message, { ...details, serverCode: code });
  }
  return new ApiError(status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE', status, `HTTP ${status}`);
}

export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError('UNKNOWN_ERROR', 0, e instanceof Error ? e.message : String(e));
}
