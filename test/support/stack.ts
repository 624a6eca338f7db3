/**
 * The whole system for end-to-end tests, all real: the Temporal CLI dev server, a fresh Postgres
 * database with the migrations and the fixture seed, a worker, and the NestJS API in-process.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import request from 'supertest';
import { createTestDatabase, seedOrganisation } from '@tdkt/persistence';
import { createApp } from '../../apps/api/src/app';
import type { AppOptions } from '../../apps/api/src/app.module';
import { loadApiConfig } from '../../apps/api/src/config';
import { createWorker } from '../../apps/worker/src/worker';
import { createDevServerEnv, workflowBundle } from './temporal';

export const ADMIN = { username: 'admin', password: 'Admin@e2e-123' };
export const DEMO_PASSWORD = 'Demo@e2e-123';

export interface Stack {
  env: TestWorkflowEnvironment;
  app: INestApplication;
  http: ReturnType<typeof request>;
  taskQueue: string;
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  /** A bearer token for a seeded user (cached). */
  token(username: string): Promise<string>;
  /** POST as a seeded user (JSON body, extra headers such as Idempotency-Key). */
  post(username: string, path: string, body: object, headers?: Record<string, string>): Promise<request.Response>;
  /** GET as a seeded user. */
  get(username: string, path: string): Promise<request.Response>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra API configuration (e.g. LOG_LEVEL, LOGIN_RATE_LIMIT). */
  env?: Record<string, string>;
  /** What the API gets besides its configuration (e.g. a log destination to read). */
  app?: AppOptions;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const taskQueue = `e2e-${randomUUID()}`;
  const [env, db] = await Promise.all([createDevServerEnv(), createTestDatabase('tdkt_e2e')]);
  await seedOrganisation(db.dataSource, { adminUsername: ADMIN.username, adminPassword: ADMIN.password, demoPassword: DEMO_PASSWORD });
  const worker: Worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    dataSource: db.dataSource,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const app = await createApp(
    loadApiConfig({
      PORT: '0',
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      JWT_SECRET: `e2e-${randomUUID()}`,
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      ...options.env,
    }),
    options.app,
  );
  await app.init();
  const http = request(app.getHttpServer());
  const tokens = new Map<string, string>();
  async function token(username: string): Promise<string> {
    const cached = tokens.get(username);
    if (cached) return cached;
    const password = username === ADMIN.username ? ADMIN.password : DEMO_PASSWORD;
    const res = await http.post('/api/v1/auth/login').send({ username, password });
    if (res.status !== 200 && res.status !== 201) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.set(username, res.body.accessToken);
    return res.body.accessToken as string;
  }
  return {
    env,
    app,
    http,
    taskQueue,
    db,
    token,
    async post(username, path, body, headers = {}) {
      return http.post(path).set('Authorization', `Bearer ${await token(username)}`).set(headers).send(body);
    },
    async get(username, path) {
      return http.get(path).set('Authorization', `Bearer ${await token(username)}`);
    },
    async stop() {
      await app.close();
      worker.shutdown();
      await running;
      await env.teardown();
      await db.drop();
    },
  };
}

/** Fails with the answer's body unless it has this status; gives the answer back. */
export function expectStatus<T extends { status: number; body: unknown }>(res: T, status: number): T {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}
