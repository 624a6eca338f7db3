/**
 * `Idempotency-Key` on a POST: the first response is stored and a retry with the same key and body
 * gets it back unchanged; the same key with another body is a 422, and a retry while the first
 * request still runs a 409. The key also becomes the Temporal update id, so even a retry that
 * races the first request reaches the workflow as the same update, never as a second decision.
 */
import {
  BadRequestException,
  CallHandler,
  ConflictException,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UnprocessableEntityException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { canonicalJson } from '@tdkt/persistence';
import type { AuthedRequest } from './auth';
import { DATA_SOURCE } from './tokens';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const NO_STORED_RESPONSE = 'tdkt:no-stored-response';
/**
 * For a route whose response must not be kept (a ballot's receipt): the Idempotency-Key still
 * becomes the Temporal update id, so a retry is the same update and gets the same result, and the
 * route rebuilds the same response from it; nothing is written to idempotency_record.
 */
export const NoStoredResponse = () => SetMetadata(NO_STORED_RESPONSE, true);

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const raw = req.headers['idempotency-key'];
    if (req.method !== 'POST' || raw === undefined || !req.user) return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new BadRequestException('Idempotency-Key must be 1 to 200 visible ASCII characters');
    if (this.reflector.get<boolean>(NO_STORED_RESPONSE, ctx.getHandler())) {
      const path = req.originalUrl.split('?')[0];
      req.idempotency = { updateId: sha256(`${req.user.username}:${key}:${req.method}:${path}`) };
      return next.handle();
    }
    return from(this.handle(ctx, next, req, key));
  }

  private async handle(ctx: ExecutionContext, next: CallHandler, req: AuthedRequest, key: string): Promise<unknown> {
    const res = ctx.switchToHttp().getResponse<Response>();
    const path = req.originalUrl.split('?')[0];
    const scopedKey = `${req.user!.username}:${key}`;
    const bodyHash = sha256(canonicalJson(req.body ?? {}));
    req.idempotency = { updateId: sha256(`${scopedKey}:${req.method}:${path}`) };

    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_record (key, method, path, body_hash, state, created_at, updated_at)
       VALUES ($1,$2,$3,$4,'IN_PROGRESS', now(), now()) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [scopedKey, req.method, path, bodyHash],
    );
    if (inserted.length === 0) {
      const [first] = await this.dataSource.query(
        'SELECT method, path, body_hash, state, response_status, response_body FROM idempotency_record WHERE key = $1',
        [scopedKey],
      );
      if (!first) throw new ConflictException('the first request with this Idempotency-Key is being undone; retry');
      if (first.method !== req.method || first.path !== path || first.body_hash !== bodyHash) {
        throw new UnprocessableEntityException('this Idempotency-Key was used for another request; use a new key for a new request');
      }
      if (first.state !== 'DONE') throw new ConflictException('the first request with this Idempotency-Key is still being processed');
      res.setHeader('Idempotent-Replayed', 'true');
      if (first.response_status >= 400) throw new HttpException({ message: first.response_body?.message }, first.response_status);
      res.status(first.response_status);
      return first.response_body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.dataSource.query(
        "UPDATE idempotency_record SET state = 'DONE', response_status = $2, response_body = $3, updated_at = now() WHERE key = $1",
        [scopedKey, res.statusCode, JSON.stringify(body ?? null)],
      );
      return body;
    } catch (err) {
      // A refused request (4xx) is stored like a success: the retry learns the same answer.
      if (err instanceof HttpException && err.getStatus() < 500) {
        const response = err.getResponse();
        const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
        await this.dataSource.query(
          "UPDATE idempotency_record SET state = 'DONE', response_status = $2, response_body = $3, updated_at = now() WHERE key = $1",
          [scopedKey, err.getStatus(), JSON.stringify({ message })],
        );
      } else {
        // Failed for reasons of our own (5xx): forget the key so a retry runs again.
        await this.dataSource.query('DELETE FROM idempotency_record WHERE key = $1', [scopedKey]).catch(() => undefined);
      }
      throw err;
    }
  }
}
