import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../errors.ts';
import { fieldErrorsFromAjv } from './validation.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors: readonly FieldError[] = [],
  extra: Record<string, unknown> = {},
) {
  const body = {
    type: `https://takt.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    ...(errors.length > 0 ? { errors } : {}),
    ...extra,
  };
  // Serialized here: a route's response schema for the same status (e.g. 422 with a report) must not
  // be applied to a problem.
  return reply.status(status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
}

/** Every error leaves as RFC 9457 problem+json with a stable code; internals are logged, not shown. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { validationContext?: string }, request, reply) => {
    if (err instanceof AppError) {
      return sendProblem(request, reply, err.status, err.code, err.message, err.fieldErrors, {
        ...err.extra,
      });
    }
    if (err.validation) {
      const errors = fieldErrorsFromAjv(err.validation as never, err.validationContext);
      const summary = errors.map((e) => `${e.field} ${e.message}`).join('; ');
      return sendProblem(request, reply, 400, 'VALIDATION_FAILED', `Invalid request: ${summary}`, errors);
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(
          request,
          reply,
          400,
          'MALFORMED_JSON',
          `The body is not valid JSON: ${err.message}`,
          [{ field: '/', message: 'is not valid JSON' }],
        );
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(request, reply, 413, 'BODY_TOO_LARGE', 'The request body is larger than allowed');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(
          request,
          reply,
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'Send JSON with content-type application/json',
        );
      case 'FST_ERR_RATE_LIMIT_EXCEEDED':
        return sendProblem(request, reply, 429, 'RATE_LIMITED', err.message);
    }
    if (err.statusCode === 429) return sendProblem(request, reply, 429, 'RATE_LIMITED', err.message);
    if (err instanceof SyntaxError && err.statusCode === 400) {
      return sendProblem(request, reply, 400, 'MALFORMED_JSON', `The body is not valid JSON: ${err.message}`);
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(request, reply, err.statusCode, 'VALIDATION_FAILED', err.message);
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(
      request,
      reply,
      500,
      'INTERNAL',
      'An unexpected error occurred; quote the request id to support',
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      404,
      'ROUTE_NOT_FOUND',
      `No route ${request.method} ${request.url.split('?')[0]}`,
    ),
  );
}
