// Scenario 2: the engine floor. On the same Temporal dev server and Postgres, a worker in this
// process runs bench/floor/workflows.ts: per nomination one workflow, `updates` updates, each
// awaiting one activity doing one INSERT (pg pool of 10, as the product's worker). A pool of
// `concurrency` clients starts the workflows and sends the updates one after the other, as
// the pipeline's clients do; the time runs until every workflow has completed.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Recorder, nowMs, pool } from './util.mjs';

let runtimeInstalled = false;

/** opts: { root, temporalAddress, databaseUrl, n, concurrency, updates, runId, log } */
export async function runFloor(opts) {
  const require = createRequire(path.join(opts.root, 'package.json'));
  const { Worker, NativeConnection, Runtime, DefaultLogger, bundleWorkflowCode } = require('@temporalio/worker');
  const { Client, Connection } = require('@temporalio/client');
  const pg = require('pg');
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }

  const db = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
  db.on('error', () => undefined); // an idle client dropped at teardown
  await db.query(
    'CREATE TABLE IF NOT EXISTS bench_floor_step (workflow_id text NOT NULL, step int NOT NULL, at timestamptz NOT NULL DEFAULT now())',
  );
  const taskQueue = `bench-floor-${opts.runId}`;
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: path.join(opts.root, 'bench', 'floor', 'workflows.ts'),
    logger: new DefaultLogger('WARN'),
  });
  const nativeConnection = await NativeConnection.connect({ address: opts.temporalAddress });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle,
    activities: {
      insertStep: async (workflowId, step) => {
        await db.query('INSERT INTO bench_floor_step (workflow_id, step) VALUES ($1, $2)', [workflowId, step]);
      },
    },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const rec = new Recorder();
  const handles = [];
  let seconds;
  try {
    opts.log(`floor: ${opts.n} workflows × ${opts.updates} updates (each one activity + INSERT), ${opts.concurrency} concurrent clients`);
    const started = nowMs();
    await pool(
      Array.from({ length: opts.n }, (_, i) => i),
      opts.concurrency,
      async (i) => {
        let t = nowMs();
        const handle = await client.workflow.start('floorNominationWorkflow', {
          taskQueue,
          workflowId: `floor:${opts.runId}:${i}`,
          args: [opts.updates],
        });
        rec.add('start workflow', nowMs() - t);
        for (let step = 1; step <= opts.updates; step++) {
          t = nowMs();
          await handle.executeUpdate('step', { args: [step] });
          rec.add('update (activity + INSERT)', nowMs() - t);
        }
        handles.push(handle);
      },
    );
    await Promise.all(handles.map((h) => h.result()));
    seconds = (nowMs() - started) / 1000;
    const [{ count }] = (
      await db.query('SELECT count(*)::int AS count FROM bench_floor_step WHERE workflow_id LIKE $1', [`floor:${opts.runId}:%`])
    ).rows;
    if (count !== opts.n * opts.updates) throw new Error(`floor: ${count} rows inserted, expected ${opts.n * opts.updates}`);
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    await nativeConnection.close();
    await db.end();
  }
  return {
    n: opts.n,
    updatesPerNomination: opts.updates,
    concurrency: opts.concurrency,
    seconds,
    nominationsPerSecond: opts.n / seconds,
    ...rec.summary(),
  };
}
