/** Worker configuration from the environment, with the demo defaults of README.md. */
export interface WorkerConfig {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  /** Port of GET /metrics (Prometheus); 0 turns the server off. */
  metricsPort: number;
  /**
   * Workflows the worker keeps in memory between their tasks (the SDK's sticky cache). Undefined:
   * the SDK's default, sized from the heap (2,310 on a 4 GiB heap). A workflow evicted from it is
   * replayed from its whole history at its next task, so a deployment sizes it to the workflows
   * open at once per worker, and the heap (--max-old-space-size) to match: see docs/performance.md.
   */
  maxCachedWorkflows?: number;
  /**
   * Temporal workers this process runs on the task queue (WORKER_INSTANCES, default 1), each with
   * its own share of maxCachedWorkflows (which must then be set). The SDK's core walks every cached
   * run of its worker at each of its inputs (a poll, a completion), so its cost per task grows with
   * the workflows one worker holds; k workers holding n/k each do about 1/k of that work, on k
   * threads. Only the first runs activities, so the pool's limit below holds as it is.
   */
  instances: number;
  /**
   * Connections of the worker's Postgres pool (WORKER_DB_POOL_SIZE, default 10). Every activity
   * holds one connection while it runs, so the worker runs at most this many minus one activities
   * at once (one is left for the e-mail dispatcher): the others wait on Temporal's task queue
   * instead of timing out in the pool and retrying (docs/performance.md, cost 12).
   */
  dbPoolSize: number;
  /** SMTP server of reminder e-mails (smtp://host:port); empty: e-mails stay in the outbox. */
  smtpUrl: string;
  mailFrom: string;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const config: WorkerConfig = {
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tdkt_flow',
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'tdkt-flow',
    metricsPort: 9464,
    dbPoolSize: 10,
    instances: 1,
    smtpUrl: env.SMTP_URL ?? '',
    mailFrom: env.MAIL_FROM || 'tdkt-flow <nhac-viec@tdkt-flow.local>',
  };
  if (config.smtpUrl && !/^smtps?:\/\/[^\s]+:\d{1,5}\/?$/.test(config.smtpUrl))
    throw new Error(`SMTP_URL must look like smtp://host:port, got "${config.smtpUrl}"`);
  config.metricsPort = integerSetting(env, 'WORKER_METRICS_PORT', 0, 65535, 'an integer from 0 (off) to 65535') ?? config.metricsPort;
  const cache = env.WORKER_MAX_CACHED_WORKFLOWS;
  if (cache !== undefined && cache !== '') {
    if (!/^\d+$/.test(cache) || Number(cache) === 1 || Number(cache) > 1_000_000) {
      throw new Error(`WORKER_MAX_CACHED_WORKFLOWS must be 0 (no cache) or an integer from 2 to 1000000, got "${cache}"`);
    }
    config.maxCachedWorkflows = Number(cache);
  }
  config.instances = integerSetting(env, 'WORKER_INSTANCES', 1, 16, 'an integer from 1 to 16') ?? config.instances;
  if (config.instances > 1 && !config.maxCachedWorkflows)
    throw new Error('WORKER_INSTANCES above 1 needs WORKER_MAX_CACHED_WORKFLOWS (above 0): the workflows held in all, split between the instances');
  config.dbPoolSize = integerSetting(env, 'WORKER_DB_POOL_SIZE', 2, 100, 'an integer from 2 to 100') ?? config.dbPoolSize;
  if (!/^postgres(ql)?:\/\//.test(config.databaseUrl))
    throw new Error(`DATABASE_URL must be a postgres:// URL, got "${config.databaseUrl}"`);
  if (!/^[^:\s]+:\d{1,5}$/.test(config.temporalAddress))
    throw new Error(`TEMPORAL_ADDRESS must be host:port, got "${config.temporalAddress}"`);
  if (!config.taskQueue.trim()) throw new Error('TEMPORAL_TASK_QUEUE must not be empty');
  return config;
}

/** An optional whole-number setting within [min, max]; undefined when unset or empty. */
function integerSetting(env: NodeJS.ProcessEnv, name: string, min: number, max: number, expected: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new Error(`${name} must be ${expected}, got "${raw}"`);
  return Number(raw);
}

/** The sticky cache of each of the process's workers: the total split evenly, at least 2 (the SDK's minimum); unset and 0 (no cache) as given. */
export function cachedWorkflowsPerInstance(config: Pick<WorkerConfig, 'maxCachedWorkflows' | 'instances'>): number | undefined {
  return config.maxCachedWorkflows && Math.max(2, Math.ceil(config.maxCachedWorkflows / config.instances));
}

/** Activities the worker runs at once: one per pooled connection, one connection kept for the e-mail dispatcher. */
export function maxConcurrentActivities(config: Pick<WorkerConfig, 'dbPoolSize'>): number {
  return config.dbPoolSize - 1;
}
