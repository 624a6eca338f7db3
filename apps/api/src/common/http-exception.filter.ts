/**
 * Every error leaves as `{ statusCode, error, message }` (API.md); a 4xx thrown with more fields
 * (an import's `errors`, one per row) keeps them beside the three. Bad JSON is a 400, a database
 * or Temporal that cannot be reached a 503; anything unexpected is logged and answered 500
 * without internals.
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function isUnavailable(err: unknown): boolean {
  // The error itself or what it wraps (a client's "Failed to …" around a connection error).
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isUnavailableError(e)) return true;
  }
  return false;
}

function isUnavailableError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    // 57P01-57P03: the server is shutting down, crashed or starting; 53300: no connection slot;
    // 08xxx: the connection failed or broke.
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300', '08006', '08001', '08003', '08004'].includes(code) ||
    // A database that refuses connections (ALLOW_CONNECTIONS false, 55000) is down for us too.
    /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|UNAVAILABLE|is not currently accepting connections|terminating connection/i.test(message)
  );
}

/** Which dependency an "unavailable" error is about, for the 503's message. */
export function unavailableService(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; name?: unknown; severity?: unknown; cause?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : '';
  const cause = e?.cause as { message?: unknown } | undefined;
  if (/UNAVAILABLE|grpc|temporal/i.test(`${message} ${typeof cause?.message === 'string' ? cause.message : ''}`) || e?.name === 'ServiceError') {
    return 'the workflow engine (Temporal)';
  }
  const code = typeof e?.code === 'string' ? e.code : '';
  if (/^[0-9A-Z]{5}$/.test(code) || e?.severity !== undefined || e?.name === 'QueryFailedError' || /Connection terminated|database|connect/i.test(message)) {
    return 'the database';
  }
  return 'a service the API depends on (database or Temporal)';
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let message: string | string[] = 'Internal server error';
    // Fields a refusal adds to the three of API.md (an import's rows with their errors); kept for 4xx only.
    let details: Record<string, unknown> = {};
    const parseError = exception as { type?: string; status?: number } | null;
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'string') message = body;
      else {
        const { message: given, statusCode: _statusCode, error: _error, ...rest } = body as { message?: string | string[]; statusCode?: unknown; error?: unknown };
        message = given ?? exception.message;
        if (status < 500) details = rest;
      }
    } else if (parseError?.type === 'entity.parse.failed') {
      status = 400;
      message = 'the request body is not valid JSON';
    } else if (parseError?.type === 'entity.too.large') {
      status = 413;
      message = 'the request body is too large';
    } else if (isUnavailable(exception)) {
      status = 503;
      message = `${unavailableService(exception)} is unavailable; try again shortly`;
      this.logger.warn(`dependency unavailable: ${(exception as Error).message}`);
    } else {
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    }
    if (res.headersSent) return;
    // Explicitly JSON: a route that declared another type (the council minutes are text/html) has
    // set it already, and res.json() keeps a Content-Type it finds.
    res.status(status).type('application/json').json({ statusCode: status, error: REASONS[status] ?? 'Error', message, ...details });
  }
}
