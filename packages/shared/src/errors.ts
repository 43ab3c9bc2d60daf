/**
 * The one error catalogue. Every API error is `{"error": {"code", "message", ...details}}` with a
 * code from this table; the web app translates codes, never messages.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The API accepts JSON bodies only.' },
  CROSS_SITE_REQUEST: { status: 403, message: 'Cross-site requests are refused.' },
  UNAUTHENTICATED: { status: 401, message: 'Log in first.' },
  INVALID_CREDENTIALS: { status: 401, message: 'Wrong email or password.' },
  ACCOUNT_LOCKED: { status: 423, message: 'Too many failed attempts; the account is locked for a while.' },
  ACCOUNT_DISABLED: { status: 403, message: 'This account is disabled.' },
  MFA_REQUIRED: { status: 401, message: 'Complete the second factor first.' },
  TOTP_NOT_ENROLLED: { status: 409, message: 'No authenticator is enrolled yet.' },
  TOTP_ALREADY_ENROLLED: { status: 409, message: 'An authenticator is already enrolled.' },
  TOTP_INVALID: { status: 401, message: 'The code is wrong or expired.' },
  TOTP_REPLAYED: { status: 401, message: 'That code was already used; wait for the next one.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down.' },
  FORBIDDEN: { status: 403, message: 'You may not do that.' },
  TIER_FORBIDDEN: { status: 403, message: 'Your agent tier does not allow this.' },
  READ_REASON_REQUIRED: { status: 428, message: 'Give a reason to read a colleague\'s conversation; the read is audited.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  CONTACT_NOT_FOUND: { status: 404, message: 'No such platform user.' },
  CONVERSATION_NOT_FOUND: { status: 404, message: 'No such conversation.' },
  AGENT_NOT_FOUND: { status: 404, message: 'No such agent.' },
  ORDER_NOT_FOUND: { status: 404, message: 'No such order.' },
  EMAIL_TAKEN: { status: 409, message: 'An agent with this email already exists.' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state.' },
  CLIENT_MESSAGE_ID_REUSED: { status: 409, message: 'This client message id was already used for a different message.' },
  INVALID_TOKEN: { status: 401, message: 'The platform token is missing, invalid or expired.' },
  INVALID_SIGNATURE: { status: 401, message: 'The webhook signature is invalid.' },
  STALE_TIMESTAMP: { status: 401, message: 'The webhook timestamp is outside the allowed window.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  DAILY_QUOTA_EXCEEDED: { status: 429, message: 'The daily message quota is used up.' },
  EXTERNAL_LINK_FORBIDDEN: { status: 422, message: 'Messages with external links are not allowed for your tier.' },
  SENSITIVE_BLOCKED: { status: 422, message: 'The message contains blocked words.' },
  STEP_UP_REQUIRED: { status: 428, message: 'Verify your identity to send this message.' },
  STEP_UP_FAILED: { status: 401, message: 'The identity verification failed or expired.' },
  SEND_RESTRICTED: { status: 403, message: 'Sending is restricted for your account until a supervisor clears the review case.' },
  BYPASS_QUOTA_EXCEEDED: { status: 429, message: 'No bypasses left today.' },
  ATTACHMENT_TYPE_FORBIDDEN: { status: 415, message: 'This file type is not allowed for your tier.' },
  ATTACHMENT_TOO_LARGE: { status: 413, message: 'The file is too large.' },
  NOT_READY: { status: 503, message: 'Kefu is starting; try again shortly.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ErrorCodes;
export const ERROR_CODES = Object.keys(ErrorCodes) as ErrorCode[];

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; [detail: string]: unknown };
}

/** An error with a stable code, thrown by domain code and presented by the one error handler. */
export class KefuError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, message?: string, details: Record<string, unknown> = {}) {
    super(message ?? ErrorCodes[code].message);
    this.name = 'KefuError';
    this.code = code;
    this.status = ErrorCodes[code].status;
    this.details = details;
  }
  toBody(): ErrorBody {
    return { error: { ...this.details, code: this.code, message: this.message } };
  }
}

export function isErrorBody(x: unknown): x is ErrorBody {
  return !!x && typeof x === 'object' && 'error' in x && typeof (x as ErrorBody).error?.code === 'string';
}
