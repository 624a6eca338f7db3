/**
 * POST /campaigns when the engine is too busy for the campaign's first write to land within the
 * API's wait (seen at year-end scale in the bench: 1,000 campaigns started at once): the campaign
 * has started, durably, so the answer is 202 with its id, not a 503 for a request that succeeded.
 * Here no worker polls the task queue at first, then one starts and the campaign appears.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createWorker } from '../../apps/worker/src/worker';
import { eventually } from '../support/eventually';
import { API_ADMIN, startApiApp, type ApiApp } from '../support/api-app';
import { createDevServerEnv, workflowBundle } from '../support/temporal';

jest.setTimeout(120_000);

const taskQueue = `busy-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let api: ApiApp;

beforeAll(async () => {
  env = await createDevServerEnv();
  api = await startApiApp({
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: env.namespace ?? 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    CAMPAIGN_START_WAIT_MS: '1500',
  });
});

afterAll(async () => {
  await api?.stop();
  await env?.teardown();
});

const body = {
  clusterCode: 'KV-TP-TW',
  clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương',
  year: 2034,
  memberUnitCodes: ['STP-HN', 'STP-HCM'],
  headUnitCode: 'STP-HN',
  registrationDeadline: '2034-12-31T10:00:00Z',
};

it('answers 202 with the id while the first write is pending, refuses a second start, and the campaign appears once a worker runs', async () => {
  const token = await api.token(API_ADMIN.username);
  const started = await api.http.post('/api/v1/campaigns').set('Authorization', `Bearer ${token}`).send(body);
  expect(started.status).toBe(202);
  expect(started.body).toEqual({ id: '2034:KV-TP-TW', starting: true, message: expect.stringContaining('2034:KV-TP-TW has started') });

  const read = () => api.http.get('/api/v1/campaigns/2034:KV-TP-TW').set('Authorization', `Bearer ${token}`);
  expect((await read()).status).toBe(404);
  // Started once: the same request again is a conflict, not a second campaign.
  const again = await api.http.post('/api/v1/campaigns').set('Authorization', `Bearer ${token}`).send(body);
  expect(again.status).toBe(409);

  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    dataSource: api.db.dataSource,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  try {
    await eventually(async () => {
      const res = await read();
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: '2034:KV-TP-TW', clusterName: body.clusterName, phase: 'REGISTRATION' });
    }, 60_000);
  } finally {
    worker.shutdown();
    await running;
  }
});
