/** The worker process: polls Temporal, runs workflows and activities until SIGINT/SIGTERM. */
import 'reflect-metadata';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { createDataSource } from '@tdkt/persistence';
import { cachedWorkflowsPerInstance, loadWorkerConfig, maxConcurrentActivities } from './config';
import { startMetricsServer, WorkerMetrics } from './metrics';
import { EmailDispatcher } from './mailer';
import { createWorker, WORKFLOWS_PATH } from './worker';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const dataSource = await createDataSource(config.databaseUrl, { poolSize: config.dbPoolSize }).initialize();
  const metrics = new WorkerMetrics();
  const cachedPerWorker = cachedWorkflowsPerInstance(config);
  // The process's Temporal workers (WORKER_INSTANCES) share one bundle of the workflows; the first
  // alone runs activities. Each has its own connection: the SDK refuses two workers of one task
  // queue on one connection.
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  const connections: NativeConnection[] = [];
  const workers = [];
  for (let i = 0; i < config.instances; i++) {
    const connection = await NativeConnection.connect({ address: config.temporalAddress });
    connections.push(connection);
    workers.push(
      await createWorker({
        connection,
        namespace: config.temporalNamespace,
        taskQueue: config.taskQueue,
        dataSource,
        metrics,
        workflowBundle,
        runActivities: i === 0,
        maxCachedWorkflows: cachedPerWorker,
        maxConcurrentActivities: maxConcurrentActivities(config),
      }),
    );
  }
  const metricsServer = config.metricsPort ? await startMetricsServer(metrics, config.metricsPort) : undefined;
  const instances = config.instances > 1 ? ` with ${config.instances} workers of ${cachedPerWorker} cached workflows each` : '';
  console.log(`[worker] polling task queue "${config.taskQueue}" on ${config.temporalAddress} (namespace ${config.temporalNamespace})${instances}`);
  if (metricsServer) console.log(`[worker] metrics on http://localhost:${metricsServer.port}/metrics`);
  // Reminder e-mails of the outbox go out through SMTP_URL (none: they stay in the outbox and the in-app inbox).
  const mailer = config.smtpUrl
    ? new EmailDispatcher({ dataSource, smtpUrl: config.smtpUrl, from: config.mailFrom, log: (l) => console.log(l) })
    : undefined;
  mailer?.start();
  if (mailer) console.log(`[worker] sending reminder e-mails through ${config.smtpUrl.replace(/\/\/[^@/]*@/, '//***@')}`);
  // Worker.run() shuts down gracefully on SIGINT/SIGTERM (the SDK installs the handlers).
  await Promise.all(workers.map((w) => w.run()));
  await mailer?.stop();
  await new Promise((resolve) => (metricsServer ? metricsServer.close(resolve) : resolve(undefined)));
  for (const connection of connections) await connection.close();
  await dataSource.destroy();
}

main().catch((err) => {
  console.error('[worker] fatal:', err instanceof Error ? err.message : err);
  process.exit(1);
});
