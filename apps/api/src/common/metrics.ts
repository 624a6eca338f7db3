/**
 * Prometheus metrics of the API (prom-client): request durations by method, Nest route pattern
 * and status; workflow starts and updates by name and outcome; the default process metrics.
 * One registry per app instance (tests run several apps in one process), served by
 * GET /api/v1/metrics.
 */
import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** How a workflow start or update ended. */
export type WorkflowOutcome = 'accepted' | 'rejected' | 'error';

@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests by method, route pattern (never the raw URL) and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly workflowUpdates = new Counter({
    name: 'tdkt_workflow_updates_total',
    help: 'Temporal workflow updates executed by the API, by update name and outcome (accepted, rejected by the workflow or the API, error)',
    labelNames: ['update', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly workflowStarts = new Counter({
    name: 'tdkt_workflow_starts_total',
    help: 'Temporal workflows started by the API, by workflow type and outcome',
    labelNames: ['workflow_type', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Express middleware timing every request; the route label is the matched pattern or UNMATCHED. */
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const end = this.httpDuration.startTimer();
      res.once('finish', () => end({ method: req.method, route: routeLabel(req), status_code: String(res.statusCode) }));
      next();
    };
  }
}

/** The route pattern Express matched (`/api/v1/nominations/:id`), so labels stay few. */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl ?? ''}${route.path}`;
  return 'UNMATCHED';
}
