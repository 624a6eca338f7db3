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
  // One connection per Temporal worker: the SDK refuses two workers of one task queue on one connection.
  const connections: NativeConnection[] = [];
  for (let i = 0; i < config.instances; i++) connections.push(await NativeConnection.connect({ address: config.temporalAddress }));
  const metrics = new WorkerMetrics();
  // Several instances (WORKER_INSTANCES) share one bundle of the workflows; the first alone runs activities.
  const workflowBundle = config.instances > 1 ? await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH }) : undefined;
  const workers = [];
  for (let i = 0; i < config.instances; i++) {
    workers.push(
      await createWorker({
        connection: connections[i],
        namespace: config.temporalNamespace,
        taskQueue: config.taskQueue,
        dataSource,
        metrics,
        workflowBundle,
        runActivities: i === 0,
        maxCachedWorkflows: cachedWorkflowsPerInstance(config),
        maxConcurrentActivities: maxConcurrentActivities(config),
      }),
    );
  }
  const metricsServer = config.metricsPort ? await startMetricsServer(metrics, config.metricsPort) : undefined;
  const instances = config.instances > 1 ? ` with ${config.instances} workers of ${cachedWorkflowsPerInstance(config)} cached workflows each` : '';
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
