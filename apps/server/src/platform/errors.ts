/**
 * One error vocabulary for the whole server. Services throw AppError with a stable code;
 * the HTTP layer maps the kind to a status and renders RFC 9457 problem+json.
 */
export type ErrorKind =
  | 'Invalid'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'Unprocessable'
  | 'TooMany'
  | 'Unavailable';

export interface FieldError {
  readonly field: string;
  readonly message: string;
  readonly code?: string;
}

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  Invalid: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  Unprocessable: 422,
  TooMany: 429,
  Unavailable: 503,
};

/** Stable codes: clients and tests rely on these, never on messages. */
export const ErrorCodes = {
  VALIDATION_FAILED: 'Invalid',
  MALFORMED_JSON: 'Invalid',
  BODY_TOO_LARGE: 'Invalid',
  UNSUPPORTED_MEDIA_TYPE: 'Invalid',
  BAD_CURSOR: 'Invalid',
  UNAUTHENTICATED: 'Unauthorized',
  BAD_CREDENTIALS: 'Unauthorized',
  ACCOUNT_LOCKED: 'Unauthorized',
  TOTP_REQUIRED: 'Unauthorized',
  TOTP_INVALID: 'Unauthorized',
  TOKEN_EXPIRED: 'Unauthorized',
  TOKEN_REVOKED: 'Unauthorized',
  WRONG_PASSWORD: 'Invalid',
  PASSWORD_CHANGE_REQUIRED: 'Forbidden',
  TOTP_ENROLMENT_REQUIRED: 'Forbidden',
  SCOPE_TOO_WIDE: 'Forbidden',
  CSRF_FAILED: 'Forbidden',
  PERMISSION_DENIED: 'Forbidden',
  NOT_FOUND: 'NotFound',
  ROUTE_NOT_FOUND: 'NotFound',
  STALE_VERSION: 'Conflict',
  DUPLICATE_CODE: 'Conflict',
  DUPLICATE_LOGIN: 'Conflict',
  DUPLICATE_NAME: 'Conflict',
  DUPLICATE_BADGE: 'Conflict',
  ROLE_IN_USE: 'Conflict',
  LAST_ADMIN: 'Conflict',
  INVALID_STATE: 'Conflict',
  OVER_RECEIPT: 'Conflict',
  SEPARATE_APPROVER_REQUIRED: 'Forbidden',
  INSUFFICIENT_STOCK: 'Conflict',
  INSUFFICIENT_AVAILABLE: 'Conflict',
  OVER_SHIPMENT: 'Conflict',
  QTY_BELOW_SHIPPED: 'Conflict',
  ALREADY_REVERSED: 'Conflict',
  IDEMPOTENCY_KEY_REUSED: 'Invalid',
  IDEMPOTENCY_KEY_MISMATCH: 'Unprocessable',
  IDEMPOTENCY_IN_FLIGHT: 'Conflict',
  IDEMPOTENCY_RESPONSE_LOST: 'Conflict',
  EXTERNAL_ID_CONFLICT: 'Conflict',
  IN_USE: 'Conflict',
  BOM_CYCLE: 'Conflict',
  MERGE_SAME_RECORD: 'Invalid',
  MERGE_INCOMPATIBLE: 'Conflict',
  MERGE_TARGET_INACTIVE: 'Conflict',
  MERGE_STOCK_ON_BOTH: 'Conflict',
  MERGE_CONFLICT: 'Conflict',
  ROUTING_CYCLE: 'Invalid',
  RATE_LIMITED: 'TooMany',
  NOT_READY: 'Unavailable',
  READ_TIMEOUT: 'Unavailable',
  INTERNAL: 'Unavailable',
} as const satisfies Record<string, ErrorKind>;
export type ErrorCode = keyof typeof ErrorCodes;

export class AppError extends Error {
  override name = 'AppError';
  readonly kind: ErrorKind;
  readonly code: ErrorCode;
  readonly fieldErrors: readonly FieldError[];
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fieldErrors?: readonly FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.code = code;
    this.kind = ErrorCodes[code];
    this.fieldErrors = options.fieldErrors ?? [];
    this.extra = options.extra ?? {};
  }

  get status(): number {
    return STATUS_OF_KIND[this.kind];
  }
}

export const notFound = (what: string, id: string) =>
  new AppError('NOT_FOUND', `${what} ${id} was not found`);
/**
 * A refusal of one field. The third argument is the field error's code, or options with the code and a
 * `detail` summary sentence when that should differ from the field message.
 */
export const invalidField = (
  field: string,
  message: string,
  codeOrOptions: string | { code?: string; detail?: string } = {},
) => {
  const { code, detail } =
    typeof codeOrOptions === 'string' ? { code: codeOrOptions, detail: undefined } : codeOrOptions;
  return new AppError('VALIDATION_FAILED', detail ?? message, {
    fieldErrors: [{ field, message, ...(code ? { code } : {}) }],
  });
};

/** A foreign-key violation from either database: the row is still referenced (or refers to nothing). */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; errcode?: string; message?: string };
  return (
    e?.code === '23503' ||
    e?.errcode === 'SQLITE_CONSTRAINT_FOREIGNKEY' ||
    (typeof e?.message === 'string' && e.message.includes('FOREIGN KEY constraint failed'))
  );
}

/** Maps a unique-constraint violation from either database to a conflict on the named field. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errcode?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.errcode === 'SQLITE_CONSTRAINT_UNIQUE' ||
    (typeof e?.message === 'string' && e.message.includes('UNIQUE constraint failed'))
  );
}
