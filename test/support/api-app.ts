/**
 * The NestJS API alone on a real throwaway Postgres database (migrated and seeded), for tests of
 * what needs no workflow: security headers, login, tokens, logs, metrics, audit search. Temporal
 * is deliberately unreachable (a closed port): the client is lazy, so the API starts, and every
 * path that would reach Temporal answers 503 (which readiness tests rely on).
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDatabase, seedOrganisation, type TestDatabase } from '@tdkt/persistence';
import { createApp } from '../../apps/api/src/app';
import { loadApiConfig, type ApiConfig } from '../../apps/api/src/config';

export const API_ADMIN = { username: 'admin', password: 'Admin@unit-123' };
export const API_DEMO_PASSWORD = 'Demo@unit-123';

export interface ApiApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  db: TestDatabase;
  config: ApiConfig;
  /** Every line pino wrote so far. */
  logs(): string;
  token(username: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startApiApp(env: Record<string, string> = {}): Promise<ApiApp> {
  const db = await createTestDatabase('tdkt_api');
  await seedOrganisation(db.dataSource, { adminUsername: API_ADMIN.username, adminPassword: API_ADMIN.password, demoPassword: API_DEMO_PASSWORD });
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const config = loadApiConfig({
    PORT: '0',
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    JWT_SECRET: `unit-${randomUUID()}`,
    ADMIN_USERNAME: API_ADMIN.username,
    ADMIN_PASSWORD: API_ADMIN.password,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await createApp(config, { logDestination: destination });
  await app.init();
  const http = request(app.getHttpServer());
  const tokens = new Map<string, string>();
  return {
    app,
    http,
    db,
    config,
    logs: () => chunks.join(''),
    async token(username) {
      const cached = tokens.get(username);
      if (cached) return cached;
      const password = username === API_ADMIN.username ? API_ADMIN.password : API_DEMO_PASSWORD;
      const res = await http.post('/api/v1/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.accessToken);
      return res.body.accessToken as string;
    },
    async stop() {
      await app.close();
      await db.drop();
    },
  };
}
