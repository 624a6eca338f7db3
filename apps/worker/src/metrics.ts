/**
 * The worker's Prometheus metrics: recordDecision executions (written, or found already written
 * by an earlier attempt), failures and durations, plus the default process metrics; served by a
 * tiny node:http server on WORKER_METRICS_PORT (GET /metrics).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export class WorkerMetrics {
  readonly registry = new Registry();

  readonly activityExecutions = new Counter({
    name: 'tdkt_worker_activity_executions_total',
    help: 'Activity executions (attempts) by activity name',
    labelNames: ['activity'] as const,
    registers: [this.registry],
  });

  readonly activityFailures = new Counter({
    name: 'tdkt_worker_activity_failures_total',
    help: 'Activity executions that threw (Temporal retries them) by activity name',
    labelNames: ['activity'] as const,
    registers: [this.registry],
  });

  readonly activityDuration = new Histogram({
    name: 'tdkt_worker_activity_duration_seconds',
    help: 'Duration of activity executions by activity name and outcome',
    labelNames: ['activity', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly decisionsRecorded = new Counter({
    name: 'tdkt_worker_decisions_recorded_total',
    help: 'recordDecision results: written=true a new audit event, written=false one already stored (a retried activity)',
    labelNames: ['written'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Wraps an activity so that each execution is counted, timed and, when it throws, counted as a failure. */
  instrument<A extends unknown[], R>(activity: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      this.activityExecutions.inc({ activity });
      const end = this.activityDuration.startTimer({ activity });
      try {
        const result = await fn(...args);
        end({ outcome: 'ok' });
        return result;
      } catch (err) {
        this.activityFailures.inc({ activity });
        end({ outcome: 'error' });
        throw err;
      }
    };
  }
}

/** Serves GET /metrics on the port (0: any free port, for tests). Resolves once listening. */
export function startMetricsServer(metrics: WorkerMetrics, port: number, host = '0.0.0.0'): Promise<Server & { port: number }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(Object.assign(server, { port: (server.address() as AddressInfo).port }));
    });
  });
}
