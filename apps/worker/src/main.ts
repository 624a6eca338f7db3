/** The worker process: polls Temporal, runs workflows and activities until SIGINT/SIGTERM. */
import 'reflect-metadata';
import { NativeConnection } from '@temporalio/worker';
import { createDataSource } from '@tdkt/persistence';
import { loadWorkerConfig, maxConcurrentActivities } from './config';
import { startMetricsServer, WorkerMetrics } from './metrics';
import { EmailDispatcher } from './mailer';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const dataSource = await createDataSource(config.databaseUrl, { poolSize: config.dbPoolSize }).initialize();
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const metrics = new WorkerMetrics();
  const worker = await createWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    dataSource,
    metrics,
    maxCachedWorkflows: config.maxCachedWorkflows,
    maxConcurrentActivities: maxConcurrentActivities(config),
  });
  const metricsServer = config.metricsPort ? await startMetricsServer(metrics, config.metricsPort) : undefined;
  console.log(`[worker] polling task queue "${config.taskQueue}" on ${config.temporalAddress} (namespace ${config.temporalNamespace})`);
  if (metricsServer) console.log(`[worker] metrics on http://localhost:${metricsServer.port}/metrics`);
  // Reminder e-mails of the outbox go out through SMTP_URL (none: they stay in the outbox and the in-app inbox).
  const mailer = config.smtpUrl
    ? new EmailDispatcher({ dataSource, smtpUrl: config.smtpUrl, from: config.mailFrom, log: (l) => console.log(l) })
    : undefined;
  mailer?.start();
  if (mailer) console.log(`[worker] sending reminder e-mails through ${config.smtpUrl.replace(/\/\/[^@/]*@/, '//***@')}`);
  // Worker.run() shuts down gracefully on SIGINT/SIGTERM (the SDK installs the handlers).
  await worker.run();
  await mailer?.stop();
  await new Promise((resolve) => (metricsServer ? metricsServer.close(resolve) : resolve(undefined)));
  await connection.close();
  await dataSource.destroy();
}

main().catch((err) => {
  console.error('[worker] fatal:', err instanceof Error ? err.message : err);
  process.exit(1);
});
