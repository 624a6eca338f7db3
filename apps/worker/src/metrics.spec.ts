/**
 * The worker's metrics: recordDecision executions and failures counted around the real activity
 * (real Postgres), served in Prometheus format by the worker's small HTTP server.
 */
import type { RecordDecisionInput } from '@tdkt/contracts';
import { createTestDatabase, type TestDatabase } from '@tdkt/persistence';
import { createActivities } from './activities';
import { cachedWorkflowsPerInstance, loadWorkerConfig, maxConcurrentActivities } from './config';
import { startMetricsServer, WorkerMetrics } from './metrics';

jest.setTimeout(30_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('tdkt_worker');
});
afterAll(async () => {
  await db?.drop();
});

const input: RecordDecisionInput = {
  event: {
    eventId: 'nomination:2035:KV-TP-TW:STP-HN#1',
    at: '2035-03-01T08:00:00.000Z',
    actor: 'system',
    role: null,
    actorUnitCode: null,
    action: 'NOMINATION_CREATED',
    subjectType: 'NOMINATION',
    subjectId: '2035:KV-TP-TW:STP-HN',
    fromStage: null,
    toStage: 'SELF_ASSESSMENT',
    reason: null,
    requestId: null,
    data: {},
  },
  projections: [],
};

describe('worker metrics', () => {
  it('count recordDecision executions, retries that found their event, and failures; served on GET /metrics', async () => {
    const metrics = new WorkerMetrics();
    const activities = createActivities(db.dataSource, metrics);
    expect((await activities.recordDecision(input)).written).toBe(true);
    expect((await activities.recordDecision(input)).written).toBe(false);
    const broken = { ...input, event: { ...input.event, eventId: 'nomination:x#1', actor: null as unknown as string } };
    await expect(activities.recordDecision(broken)).rejects.toThrow();

    const server = await startMetricsServer(metrics, 0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toContain('tdkt_worker_activity_executions_total{activity="recordDecision"} 3');
      expect(text).toContain('tdkt_worker_activity_failures_total{activity="recordDecision"} 1');
      expect(text).toContain('tdkt_worker_decisions_recorded_total{written="true"} 1');
      expect(text).toContain('tdkt_worker_decisions_recorded_total{written="false"} 1');
      expect(text).toMatch(/tdkt_worker_activity_duration_seconds_count\{activity="recordDecision",outcome="error"\} 1/);
      expect(text).toContain('process_resident_memory_bytes');
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('without metrics the activities are the plain ones', async () => {
    const activities = createActivities(db.dataSource);
    expect((await activities.recordDecision(input)).written).toBe(false);
    expect(await activities.readNomination('no-such-nomination')).toBeNull();
  });

  it('WORKER_METRICS_PORT: 9464 by default, 0 turns the server off, anything else is refused', () => {
    expect(loadWorkerConfig({}).metricsPort).toBe(9464);
    expect(loadWorkerConfig({ WORKER_METRICS_PORT: '0' }).metricsPort).toBe(0);
    expect(loadWorkerConfig({ WORKER_METRICS_PORT: '9100' }).metricsPort).toBe(9100);
    expect(() => loadWorkerConfig({ WORKER_METRICS_PORT: 'abc' })).toThrow(
      /WORKER_METRICS_PORT must be an integer from 0 \(off\) to 65535/,
    );
    expect(() => loadWorkerConfig({ WORKER_METRICS_PORT: '70000' })).toThrow(/WORKER_METRICS_PORT/);
  });

  it('WORKER_MAX_CACHED_WORKFLOWS: the SDK default when unset, 0 or 2 and up accepted, anything else refused', () => {
    expect(loadWorkerConfig({}).maxCachedWorkflows).toBeUndefined();
    expect(loadWorkerConfig({ WORKER_MAX_CACHED_WORKFLOWS: '' }).maxCachedWorkflows).toBeUndefined();
    expect(loadWorkerConfig({ WORKER_MAX_CACHED_WORKFLOWS: '12000' }).maxCachedWorkflows).toBe(12000);
    expect(loadWorkerConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' }).maxCachedWorkflows).toBe(0);
    for (const bad of ['1', '-5', '2.5', 'many', '2000000']) {
      expect(() => loadWorkerConfig({ WORKER_MAX_CACHED_WORKFLOWS: bad })).toThrow(
        new RegExp(`WORKER_MAX_CACHED_WORKFLOWS must be 0 \\(no cache\\) or an integer from 2 to 1000000, got "${bad}"`),
      );
    }
  });

  it('WORKER_INSTANCES: 1 by default; more share WORKER_MAX_CACHED_WORKFLOWS evenly and refuse to start without it', () => {
    expect(loadWorkerConfig({}).instances).toBe(1);
    expect(cachedWorkflowsPerInstance(loadWorkerConfig({}))).toBeUndefined();
    expect(cachedWorkflowsPerInstance(loadWorkerConfig({ WORKER_MAX_CACHED_WORKFLOWS: '12000' }))).toBe(12000);
    expect(cachedWorkflowsPerInstance(loadWorkerConfig({ WORKER_INSTANCES: '2', WORKER_MAX_CACHED_WORKFLOWS: '12000' }))).toBe(6000);
    expect(cachedWorkflowsPerInstance(loadWorkerConfig({ WORKER_INSTANCES: '3', WORKER_MAX_CACHED_WORKFLOWS: '100' }))).toBe(34);
    expect(cachedWorkflowsPerInstance(loadWorkerConfig({ WORKER_INSTANCES: '4', WORKER_MAX_CACHED_WORKFLOWS: '2' }))).toBe(2);
    for (const cache of [undefined, '0']) {
      expect(() => loadWorkerConfig({ WORKER_INSTANCES: '2', ...(cache === undefined ? {} : { WORKER_MAX_CACHED_WORKFLOWS: cache }) })).toThrow(
        /WORKER_INSTANCES above 1 needs WORKER_MAX_CACHED_WORKFLOWS/,
      );
    }
    for (const bad of ['0', '17', 'two', '1.5']) {
      expect(() => loadWorkerConfig({ WORKER_INSTANCES: bad, WORKER_MAX_CACHED_WORKFLOWS: '100' })).toThrow(
        new RegExp(`WORKER_INSTANCES must be an integer from 1 to 16, got "${bad.replace('.', '\\.')}"`),
      );
    }
  });

  it('WORKER_DB_POOL_SIZE: 10 by default, 2 to 100 accepted; the worker runs one activity fewer at once than the pool has connections', () => {
    expect(loadWorkerConfig({}).dbPoolSize).toBe(10);
    expect(maxConcurrentActivities(loadWorkerConfig({}))).toBe(9);
    expect(maxConcurrentActivities(loadWorkerConfig({ WORKER_DB_POOL_SIZE: '2' }))).toBe(1);
    expect(loadWorkerConfig({ WORKER_DB_POOL_SIZE: '' }).dbPoolSize).toBe(10);
    for (const bad of ['1', '0', '101', 'x', '4.5']) {
      expect(() => loadWorkerConfig({ WORKER_DB_POOL_SIZE: bad })).toThrow(
        new RegExp(`WORKER_DB_POOL_SIZE must be an integer from 2 to 100, got "${bad.replace('.', '\\.')}"`),
      );
    }
  });
});
