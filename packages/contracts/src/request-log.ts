import { type Static, Type } from 'typebox';
import { Page } from './common.ts';

/** The API request log: every `/api/v1` call, who made it, how it ended and how long it took. */
export const RequestActorKind = Type.Union([
  Type.Literal('user'),
  Type.Literal('token'),
  Type.Literal('anonymous'),
]);
export type RequestActorKind = Static<typeof RequestActorKind>;

export const RequestActor = Type.Object({
  kind: RequestActorKind,
  id: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
});
export type RequestActor = Static<typeof RequestActor>;

export const RequestLogEntry = Type.Object({
  id: Type.String(),
  at: Type.String({ description: 'When the request arrived (ISO 8601)' }),
  actor: RequestActor,
  method: Type.String(),
  path: Type.String({ description: 'The URL as called, with its query string' }),
  route: Type.Union([Type.String(), Type.Null()], {
    description: 'The route pattern, e.g. /api/v1/items/:id',
  }),
  status: Type.Integer(),
  durationMs: Type.Number(),
  requestId: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  idempotencyKey: Type.Union([Type.String(), Type.Null()]),
});
export type RequestLogEntry = Static<typeof RequestLogEntry>;

export const RequestLogDetail = Type.Intersect([
  RequestLogEntry,
  Type.Object({
    userAgent: Type.Union([Type.String(), Type.Null()]),
    /** Bodies of mutating calls, secrets redacted and cut at the size limit; null without `admin:read`. */
    requestBody: Type.Union([Type.String(), Type.Null()]),
    responseBody: Type.Union([Type.String(), Type.Null()]),
    bodiesVisible: Type.Boolean({ description: 'false when the caller may not see bodies' }),
    truncated: Type.Boolean(),
  }),
]);
export type RequestLogDetail = Static<typeof RequestLogDetail>;

export const RequestLogPage = Page(RequestLogEntry);
export type RequestLogPage = Static<typeof RequestLogPage>;

export const RequestStatusClass = Type.Union([
  Type.Literal('2xx'),
  Type.Literal('3xx'),
  Type.Literal('4xx'),
  Type.Literal('5xx'),
]);

export const RequestLogQuery = Type.Object(
  {
    actorKind: Type.Optional(RequestActorKind),
    /** A user id or an API token id. */
    actorId: Type.Optional(Type.String({ maxLength: 64 })),
    pathContains: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    method: Type.Optional(
      Type.Union([
        Type.Literal('GET'),
        Type.Literal('POST'),
        Type.Literal('PUT'),
        Type.Literal('PATCH'),
        Type.Literal('DELETE'),
      ]),
    ),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    statusClass: Type.Optional(RequestStatusClass),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    minDurationMs: Type.Optional(Type.Number({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type RequestLogQuery = Static<typeof RequestLogQuery>;
