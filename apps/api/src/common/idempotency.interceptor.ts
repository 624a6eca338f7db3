/**
 * `Idempotency-Key` on a POST: the first response is stored and a retry with the same key and body
 * gets it back unchanged; the same key with another body is a 422, and a retry while the first
 * request still runs a 409. The key also becomes the Temporal update id, so even a retry that
 * races the first request reaches the workflow as the same update, never as a second decision.
 *
 * A first request holds its key with a lease: its row's updated_at is refreshed every
 * LEASE_HEARTBEAT_MS while it runs. When the API process dies mid-request (kill -9, OOM, a
 * database that went away before the answer was stored), the row stays IN_PROGRESS with a lease
 * nobody renews: after LEASE_MS a retry takes the key over and runs the request again, which is
 * safe because it reaches Temporal as the same update id (Temporal answers with the first
 * outcome instead of deciding twice). Without the lease such a key would answer 409 forever.
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
import { canonicalJson, updateReturning } from '@tdkt/persistence';
import type { AuthedRequest } from './auth';
import { DATA_SOURCE } from './tokens';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * JSON for a jsonb column. Postgres cannot store the NUL character (\u0000) in text or jsonb, and
 * a refusal may quote the client's input (a 400 naming a field "a\u0000b"): NUL is stored as
 * U+FFFD, so the replay of such an answer differs from the first by that character only.
 */
export function storableJson(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

const NO_STORED_RESPONSE = 'tdkt:no-stored-response';

/** A first request renews its hold on the key this often... */
export const LEASE_HEARTBEAT_MS = 2_000;
/** ...and a key not renewed for this long belongs to a request whose process is gone. */
export const LEASE_MS = 10_000;
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
      if (first.state !== 'DONE') {
        // Abandoned by a process that died mid-request: take the key over (one retry wins) and run it again.
        const taken = await updateReturning(
          this.dataSource,
          `UPDATE idempotency_record SET updated_at = now()
            WHERE key = $1 AND state = 'IN_PROGRESS' AND updated_at < now() - make_interval(secs => $2) RETURNING key`,
          [scopedKey, LEASE_MS / 1000],
        );
        if (taken.length === 0) throw new ConflictException('the first request with this Idempotency-Key is still being processed; retry shortly');
        return this.runFirst(next, res, scopedKey);
      }
      res.setHeader('Idempotent-Replayed', 'true');
      // A refusal comes back whole: its message and any fields it carried (an import's rows).
      if (first.response_status >= 400) throw new HttpException({ ...(first.response_body ?? {}), message: first.response_body?.message }, first.response_status);
      res.status(first.response_status);
      return first.response_body;
    }
    return this.runFirst(next, res, scopedKey);
  }

  /** Runs the request that holds the key (renewing its lease) and stores its answer. */
  private async runFirst(next: CallHandler, res: Response, scopedKey: string): Promise<unknown> {
    const heartbeat = setInterval(() => {
      this.dataSource
        .query("UPDATE idempotency_record SET updated_at = now() WHERE key = $1 AND state = 'IN_PROGRESS'", [scopedKey])
        .catch(() => undefined);
    }, LEASE_HEARTBEAT_MS);
    heartbeat.unref();
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.dataSource.query(
        "UPDATE idempotency_record SET state = 'DONE', response_status = $2, response_body = $3, updated_at = now() WHERE key = $1",
        [scopedKey, res.statusCode, storableJson(body ?? null)],
      );
      return body;
    } catch (err) {
      // A refused request (4xx) is stored like a success: the retry learns the same answer.
      if (err instanceof HttpException && err.getStatus() < 500) {
        const response = err.getResponse();
        const { statusCode: _statusCode, error: _error, ...stored } = typeof response === 'string' ? { message: response } : (response as Record<string, unknown>);
        try {
          await this.dataSource.query(
            "UPDATE idempotency_record SET state = 'DONE', response_status = $2, response_body = $3, updated_at = now() WHERE key = $1",
            [scopedKey, err.getStatus(), storableJson(stored)],
          );
        } catch {
          // Not stored (the database went away): the client still gets its 4xx, and a retry,
          // which decides nothing either, gets it again.
          await this.dataSource.query('DELETE FROM idempotency_record WHERE key = $1', [scopedKey]).catch(() => undefined);
        }
      } else {
        // Failed for reasons of our own (5xx): forget the key so a retry runs again.
        await this.dataSource.query('DELETE FROM idempotency_record WHERE key = $1', [scopedKey]).catch(() => undefined);
      }
      throw err;
    } finally {
      clearInterval(heartbeat);
    }
  }
}
