import type { Problem } from '@takt/contracts';

/** One invalid field from a problem's `errors`, with the JSON-pointer-like `field` split into a form path. */
export interface ApiFieldError {
  field: string;
  path: (string | number)[];
  message: string;
  code?: string;
}

interface ApiErrorInit {
  status: number;
  code: string;
  title: string;
  detail?: string | undefined;
  requestId?: string | undefined;
  fieldErrors?: ApiFieldError[];
  problem?: Problem | undefined;
}

/** A failed API call: an RFC 9457 problem, a non-problem HTTP error, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly fieldErrors: ApiFieldError[];
  readonly problem: Problem | undefined;

  constructor(init: ApiErrorInit) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.fieldErrors = init.fieldErrors ?? [];
    this.problem = init.problem;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Anything thrown becomes an `ApiError`, so the page can always show what went wrong. */
export function asApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  return new ApiError({
    status: 0,
    code: 'CLIENT_ERROR',
    title: error instanceof Error ? error.message : String(error),
  });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** `/lines/0/qty` → `['lines', 0, 'qty']`; `code` → `['code']` (RFC 6901 escapes are undone). */
export function pointerToPath(field: string): (string | number)[] {
  const trimmed = field.startsWith('/') ? field.slice(1) : field;
  if (trimmed === '') return [];
  return trimmed
    .split(/[/.]/)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

let csrfToken: string | null = null;
let unauthorizedHandler: ((error: ApiError) => void) | null = null;

/** The token from the login or session response; sent as `x-csrf-token` on every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF header for requests made without `request` (uploads with progress). */
export function csrfHeader(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

/** Called on a 401 from any call that does not expect one (the session ended). */
export function setUnauthorizedHandler(handler: ((error: ApiError) => void) | null): void {
  unauthorizedHandler = handler;
}

export function notifyUnauthorized(error: ApiError): void {
  unauthorizedHandler?.(error);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** A 401 is an expected answer here (session probe, login, logout): do not end the session on it. */
  allowUnauthorized?: boolean;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function toApiError(response: Response): Promise<ApiError> {
  const headerRequestId = response.headers.get('x-request-id') ?? undefined;
  const contentType = response.headers.get('content-type') ?? '';
  let body: unknown;
  if (contentType.includes('json')) {
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
  }
  if (body && typeof body === 'object') {
    const p = body as Partial<Problem> & Record<string, unknown>;
    const errors = Array.isArray(p.errors) ? p.errors : [];
    return new ApiError({
      status: typeof p.status === 'number' ? p.status : response.status,
      code: asString(p.code) ?? `HTTP_${response.status}`,
      title: asString(p.title) ?? (response.statusText || `HTTP ${response.status}`),
      detail: asString(p.detail) ?? asString(p.message),
      requestId: asString(p.requestId) ?? headerRequestId,
      fieldErrors: errors
        .filter((e) => e && typeof e.field === 'string' && typeof e.message === 'string')
        .map((e) => ({
          field: e.field,
          path: pointerToPath(e.field),
          message: e.message,
          ...(e.code ? { code: e.code } : {}),
        })),
      problem: typeof p.type === 'string' ? (p as Problem) : undefined,
    });
  }
  return new ApiError({
    status: response.status,
    code: `HTTP_${response.status}`,
    title: response.statusText || `HTTP ${response.status}`,
    requestId: headerRequestId,
  });
}

/**
 * Calls the API: JSON in and out, the CSRF header on every non-GET request, problem+json turned
 * into an `ApiError`. A 401 ends the session (see `setUnauthorizedHandler`) unless `allowUnauthorized`.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: string | undefined;
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    body = JSON.stringify(options.body ?? {});
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError({
      status: 0,
      code: 'NETWORK_ERROR',
      title: 'Network error',
      detail: error instanceof Error ? error.message : undefined,
    });
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && !options.allowUnauthorized) notifyUnauthorized(error);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('json')) return undefined as T;
  return (await response.json()) as T;
}

export const API = '/api/v1';
