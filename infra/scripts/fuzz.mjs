// `npm run fuzz`: fuzzes the API from its OpenAPI document with schemathesis, on a throwaway stack.
//   1. bootstrap: node_modules, the Temporal CLI and schemathesis in .tools/venv, Postgres up
//   2. build into dist/, a fresh database tdkt_fuzz_<time> (migrate + seed), the Temporal dev
//      server (headless, state in a temporary directory), the worker and the API on free ports,
//      this year's demo campaigns (so the examples of the document name real objects)
//   3. schemathesis run <api>/api/docs-json once as an administrator and once as a unit officer
//      (infra/scripts/lib/fuzz.cjs: checks not_a_server_error, response_schema_conformance,
//      status_code_conformance, content_type_conformance; fixed seed; bounded examples)
//   4. stops everything, drops the database; exit code 0 when no check failed, 1 otherwise.
// Options: --max-examples N (default 50 per operation), --seed N, --users u1,u2 (seeded users),
//          --keep (leave the stack running until Ctrl-C, printing its URL).
// The API's own log lines (stack traces of any 500) are printed prefixed with [api].
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ROOT,
  ensureNodeModules,
  ensurePostgres,
  ensureTools,
  log,
  run,
  spawnService,
  startTemporalDevServer,
  stopChildren,
  waitForHttp,
} from './lib/bootstrap.mjs';
import { startDemoCampaigns } from './demo-campaigns.mjs';

const require = createRequire(import.meta.url);
const { fuzzApi } = require('./lib/fuzz.cjs');

const ADMIN = { username: 'admin', password: 'Admin@fuzz-123' };
const DEMO_PASSWORD = 'Demo@fuzz-123';

function parseArgs(argv) {
  const opts = { maxExamples: 50, seed: 20261125, users: ['admin', 'canbo.stp-hn'], keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--max-examples') opts.maxExamples = Number(value());
    else if (a === '--seed') opts.seed = Number(value());
    else if (a === '--users') opts.users = value().split(',').filter(Boolean);
    else if (a === '--keep') opts.keep = true;
    else throw new Error(`unknown argument ${a} (usage: npm run fuzz [-- --max-examples N] [--seed N] [--users a,b] [--keep])`);
  }
  if (!Number.isInteger(opts.maxExamples) || opts.maxExamples < 1) throw new Error('--max-examples must be a positive integer');
  if (!Number.isInteger(opts.seed)) throw new Error('--seed must be an integer');
  return opts;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`[tdkt] ${err.message}`);
  process.exit(2);
}

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const children = [];
const dataDir = mkdtempSync(path.join(tmpdir(), 'tdkt-fuzz-'));
const dbName = `tdkt_fuzz_${Date.now().toString(36)}`;
const databaseUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
let dbCreated = false;

async function cleanup() {
  await stopChildren([...children].reverse(), 10_000);
  if (dbCreated) {
    // node_modules is installed by now (ensureNodeModules ran before the database was created).
    const { Client } = require('pg');
    const client = new Client({ connectionString: adminUrl });
    try {
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    } catch (err) {
      log(`could not drop ${dbName}: ${err.message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}

let exitCode = 1;
try {
  await ensureNodeModules();
  const tools = await ensureTools();
  await ensurePostgres(adminUrl);
  log('building into dist/');
  await run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'tsconfig.build.json']);

  const [apiPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env,
    PORT: String(apiPort),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `fuzz-${Date.now().toString(36)}`,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    DEMO_PASSWORD,
    JWT_SECRET: `fuzz-${Math.random().toString(36).slice(2)}-${Date.now()}`,
    LOGIN_RATE_LIMIT: '0',
    LOG_LEVEL: 'warn',
    WORKER_METRICS_PORT: '0',
  };
  delete env.SMTP_URL;
  const node = (main, ...args) => [process.execPath, ['--require', './infra/runtime/register-paths.cjs', main, ...args]];
  log(`database ${dbName}: migrate and seed`);
  dbCreated = true;
  await run(...node('dist/apps/worker/src/cli.js', 'migrate'), { env, stdio: ['ignore', 'ignore', 'inherit'] });
  await run(...node('dist/apps/worker/src/cli.js', 'seed'), { env, stdio: ['ignore', 'ignore', 'inherit'] });

  const temporal = await startTemporalDevServer(
    { TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS, TEMPORAL_UI_PORT: uiPort, TEMPORAL_NAMESPACE: 'default', DATA_DIR: dataDir },
    tools.temporalCli,
  );
  if (temporal) children.push(temporal);
  // The worker's SDK logs at INFO whatever LOG_LEVEL says: keep its output out of the report.
  const worker = spawn(...node('dist/apps/worker/src/main.js'), { cwd: ROOT, env, stdio: 'ignore' });
  worker.serviceName = 'worker';
  children.push(worker);
  children.push(spawnService('api', ...node('dist/apps/api/src/main.js'), env));
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  await waitForHttp(`${baseUrl}/api/v1/health`, 120_000);
  // startDemoCampaigns logs in with ADMIN_USERNAME / ADMIN_PASSWORD of the environment.
  Object.assign(process.env, { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password });
  await startDemoCampaigns(`${baseUrl}/api/v1`);

  const users = opts.users.map((username) => ({ username, password: username === ADMIN.username ? ADMIN.password : DEMO_PASSWORD }));
  log(`schemathesis ${opts.maxExamples} example(s) per operation, seed ${opts.seed}, as ${opts.users.join(' and ')}`);
  const result = await fuzzApi(baseUrl, {
    schemathesis: tools.schemathesis,
    users,
    maxExamples: opts.maxExamples,
    seed: opts.seed,
    onLine: (line) => console.log(line),
  });
  for (const r of result.runs) log(`${r.username}: schemathesis exited ${r.code}${r.timedOut ? ' (timed out)' : ''}`);
  log(result.ok ? 'fuzz: no check failed' : 'fuzz: FAILED (see the reports above)');
  exitCode = result.ok ? 0 : 1;
  if (opts.keep) {
    log(`--keep: the stack runs on ${baseUrl}/api/v1 (docs ${baseUrl}/api/docs); Ctrl-C stops it`);
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
} catch (err) {
  console.error(`[tdkt] fuzz: ${err.message}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
