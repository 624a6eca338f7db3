/**
 * Every error leaves as `{ statusCode, error, message }` (API.md). Bad JSON is a 400, a database
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
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P03', '08006', '08001'].includes(code) ||
    /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|UNAVAILABLE/i.test(message)
  );
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let message: string | string[] = 'Internal server error';
    const parseError = exception as { type?: string; status?: number } | null;
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      message = typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? exception.message);
    } else if (parseError?.type === 'entity.parse.failed') {
      status = 400;
      message = 'the request body is not valid JSON';
    } else if (parseError?.type === 'entity.too.large') {
      status = 413;
      message = 'the request body is too large';
    } else if (isUnavailable(exception)) {
      status = 503;
      message = 'a service the API depends on (database or Temporal) is unavailable; try again shortly';
      this.logger.warn(`dependency unavailable: ${(exception as Error).message}`);
    } else {
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    }
    if (res.headersSent) return;
    res.status(status).json({ statusCode: status, error: REASONS[status] ?? 'Error', message });
  }
}
