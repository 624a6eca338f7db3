/** Builds the Temporal worker: the bundled workflows of workflows/ plus the activities. */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import type { TdktActivities } from '@tdkt/contracts';
import { createActivities } from './activities';
import type { WorkerMetrics } from './metrics';

/** The workflows entry point, resolved from this file both in sources and in the compiled dist/. */
export const WORKFLOWS_PATH = require.resolve('../../../workflows/src/index');

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataSource: DataSource;
  /** A prebuilt bundle (tests bundle once and share it); otherwise the worker bundles WORKFLOWS_PATH. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The sticky cache's size (WORKER_MAX_CACHED_WORKFLOWS); undefined: the SDK's default. */
  maxCachedWorkflows?: number;
  /** Activities run at once (maxConcurrentActivities of config.ts); undefined: the SDK's default (100). */
  maxConcurrentActivities?: number;
  /** Counts activity executions and failures (served by main.ts on WORKER_METRICS_PORT). */
  metrics?: WorkerMetrics;
  /** false: this worker runs workflows only and polls no activity tasks (the extra instances of WORKER_INSTANCES). */
  runActivities?: boolean;
  /** Tests wrap the activities to inject faults (e.g. a crash right after a write committed). */
  wrapActivities?: (activities: TdktActivities) => TdktActivities;
}

export function createWorker(o: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
    ...(o.maxConcurrentActivities !== undefined ? { maxConcurrentActivityTaskExecutions: o.maxConcurrentActivities } : {}),
    ...(o.runActivities === false ? {} : { activities: (o.wrapActivities ?? ((a) => a))(createActivities(o.dataSource, o.metrics)) }),
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
}
