/** The worker process: polls Temporal, runs workflows and activities until SIGINT/SIGTERM. */
import 'reflect-metadata';
import { NativeConnection } from '@temporalio/worker';
import { createDataSource } from '@tdkt/persistence';
import { loadWorkerConfig } from './config';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const dataSource = await createDataSource(config.databaseUrl).initialize();
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createWorker({ connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, dataSource });
  console.log(`[worker] polling task queue "${config.taskQueue}" on ${config.temporalAddress} (namespace ${config.temporalNamespace})`);
  // Worker.run() shuts down gracefully on SIGINT/SIGTERM (the SDK installs the handlers).
  await worker.run();
  await connection.close();
  await dataSource.destroy();
}

main().catch((err) => {
  console.error('[worker] fatal:', err instanceof Error ? err.message : err);
  process.exit(1);
});
