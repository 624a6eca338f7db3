// `npm run bench`: throughput and latency of tdkt-flow against the real stack, on this machine.
// Not part of `npm test`. See docs/performance.md for what each figure means.
//
// It bootstraps like `npm start` (node_modules, the Temporal CLI, Postgres, the build into dist/),
// then starts an isolated stack of its own: a fresh database tdkt_bench_<stamp> (migrated and
// seeded), a Temporal dev server on 17233 (UI 18233) with its state under bench/results/tmp/, the
// worker and the API (port 13000) as child processes. It runs, for each size in --n:
//   1. the pipeline over HTTP (bench/lib/pipeline.mjs)   nominations/s end to end, per-endpoint latency
//   2. the engine floor (bench/lib/floor.mjs)            bare Temporal + one INSERT per update; the ratio
//   3. read latency, open loop (bench/lib/reads.mjs)     list and detail p50/p99 at a fixed rate
//   4. audit verification (bench/lib/audit.mjs)          verifyAuditChain events/s
// then samples the peak RSS of the worker and the API and, once per bench run, runs
//   6. the reminder sweep (bench/lib/sweep.mjs)          late units reminded: seconds from deadline, exactly once
// (it stops the worker and starts it again), prints a table and writes bench/results/<stamp>.json.
// Whatever happens (failure, Ctrl-C), it stops what it started, drops its database and removes its
// Temporal state (unless --keep).
//
// Node built-ins only at the top level (like infra/scripts/*.mjs): what needs node_modules is
// imported after the bootstrap has installed it.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT,
  config,
  ensureNodeModules,
  ensurePostgres,
  ensureTools,
  isPortOpen,
  run,
  spawnService,
  startTemporalDevServer,
  stopChildren,
  waitForHttp,
} from '../infra/scripts/lib/bootstrap.mjs';

const log = (msg) => console.log(`[bench] ${msg}`);

// ---------------------------------------------------------------- options
const OPTIONS = {
  n: { env: 'BENCH_N', def: '200', help: 'nominations per run, a multiple of 10; a list runs each size: --n 1000,10000' },
  concurrency: { env: 'BENCH_CONCURRENCY', def: '8', help: 'concurrent clients (requests in flight) of the pipeline and the floor' },
  'read-rate': { env: 'BENCH_READ_RATE', def: '200', help: 'read requests per second (open loop), half list, half detail' },
  'read-seconds': { env: 'BENCH_READ_SECONDS', def: '10', help: 'duration of the read scenario' },
  'read-nominations': {
    env: 'BENCH_READ_NOMINATIONS',
    def: '0',
    help: 'synthetic read-model nominations added to the year before the reads (e.g. 100000), so reads run over a large table',
  },
  'audit-events': {
    env: 'BENCH_AUDIT_EVENTS',
    def: '100000',
    help: "synthetic chained events appended before timing the verification (0: only the run's own)",
  },
  'ceiling-events': {
    env: 'BENCH_CEILING_EVENTS',
    def: '3000',
    help: "events written through recordDecision by 10 concurrent writers to find the audit writer's ceiling, and /10 reminder rounds of 10 units (0: skip)",
  },
  'council-batch': { env: 'BENCH_COUNCIL_BATCH', def: '50', help: 'nominations per council session' },
  'floor-updates': {
    env: 'BENCH_FLOOR_UPDATES',
    def: 'auto',
    help: "updates per floor workflow; auto = the pipeline's decision requests per nomination",
  },
  'max-minutes': {
    env: 'BENCH_MAX_MINUTES',
    def: '0',
    help: 'time budget of each pipeline run; past it the run stops and its JSON keeps the figures so far (0: none)',
  },
  'floor-n': {
    env: 'BENCH_FLOOR_N',
    def: 'same',
    help: "workflows of the engine floor; same = the run's N (a smaller one keeps a 10,000 run within the hour: the floor is flat in N)",
  },
  'sweep-units': {
    env: 'BENCH_SWEEP_UNITS',
    def: '10000',
    help: 'late units of the reminder sweep, run once after the other scenarios; a multiple of 10 (0: skip)',
  },
  'sweep-model': {
    env: 'BENCH_SWEEP_MODEL',
    def: 'timer',
    help: "timer: the campaigns run first and their reminder timers fall due together (as in production); restart: the campaigns start while the worker is stopped, T0 = the worker's start",
  },
  'sweep-lead-seconds': {
    env: 'BENCH_SWEEP_LEAD_SECONDS',
    def: 'auto',
    help: "timer model: seconds from the campaigns' start to their reminder instant, for their start-up to finish first; auto = 120 + 0.06 × units",
  },
  port: { env: 'BENCH_API_PORT', def: '13000', help: 'API port of the bench stack' },
  'temporal-port': {
    env: 'BENCH_TEMPORAL_PORT',
    def: '17233',
    help: 'Temporal frontend port of the bench stack (UI: --temporal-ui-port, 18233)',
  },
  'temporal-ui-port': { env: 'BENCH_TEMPORAL_UI_PORT', def: '18233', help: 'Temporal Web UI port of the bench stack' },
};
const FLAGS = {
  'no-build': 'skip `tsc -b tsconfig.build.json` (dist/ must be current)',
  'no-floor': 'skip the engine floor',
  keep: 'keep the database and Temporal state for inspection',
  help: 'this text',
};

function usage() {
  const lines = ['usage: npm run bench [-- --n 200 --concurrency 8 ...]', ''];
  for (const [name, o] of Object.entries(OPTIONS)) lines.push(`  --${name.padEnd(17)} ${o.help} (env ${o.env}, default ${o.def})`);
  for (const [name, help] of Object.entries(FLAGS)) lines.push(`  --${name.padEnd(17)} ${help}`);
  return lines.join('\n');
}

function parseArgs(argv) {
  const values = Object.fromEntries(Object.entries(OPTIONS).map(([k, o]) => [k, process.env[o.env] || o.def]));
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    const [, name, inline] = m;
    if (name in FLAGS) flags[name] = true;
    else if (name in OPTIONS) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`--${name} needs a value`);
      values[name] = v;
    } else throw new Error(`unknown option --${name}`);
  }
  const int = (name, min) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${values[name]}`);
    return v;
  };
  const sizes = String(values.n)
    .split(',')
    .map((s) => Number(s.trim()));
  if (sizes.some((s) => !Number.isInteger(s) || s < 10 || s % 10 !== 0))
    throw new Error(`--n must be multiples of 10 (≥ 10), got ${values.n}`);
  const sweepUnits = int('sweep-units', 0);
  if (sweepUnits % 10 !== 0) throw new Error(`--sweep-units must be a multiple of 10 (0 skips the sweep), got ${sweepUnits}`);
  const sweepModel = String(values['sweep-model']);
  if (!['timer', 'restart'].includes(sweepModel)) throw new Error(`--sweep-model must be timer or restart, got ${sweepModel}`);
  return {
    sizes,
    concurrency: int('concurrency', 1),
    readRate: int('read-rate', 1),
    readSeconds: int('read-seconds', 1),
    readNominations: int('read-nominations', 0),
    auditEvents: int('audit-events', 0),
    ceilingEvents: int('ceiling-events', 0),
    councilBatch: int('council-batch', 1),
    floorUpdates: values['floor-updates'] === 'auto' ? 'auto' : int('floor-updates', 1),
    floorN: values['floor-n'] === 'same' ? 'same' : int('floor-n', 10),
    maxMinutes: int('max-minutes', 0),
    sweepUnits,
    sweepModel,
    sweepLeadSeconds: values['sweep-lead-seconds'] === 'auto' ? Math.round(120 + 0.06 * sweepUnits) : int('sweep-lead-seconds', 30),
    port: int('port', 1),
    temporalPort: int('temporal-port', 1),
    temporalUiPort: int('temporal-ui-port', 1),
    build: !flags['no-build'],
    floor: !flags['no-floor'],
    keep: !!flags.keep,
    help: !!flags.help,
  };
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`[bench] ${err.message}\n${usage()}`);
  process.exit(2);
}
if (opts.help) {
  console.log(usage());
  process.exit(0);
}

// ---------------------------------------------------------------- the isolated stack
const started = new Date();
const stamp = started.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const runId = `${stamp}-${process.pid}`;
const RESULTS = path.join(ROOT, 'bench', 'results');
const TMP = path.join(RESULTS, 'tmp', runId);
const dbName = `tdkt_bench_${stamp.replace('-', '_')}_${process.pid}`;
const baseDb = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/tdkt_flow');
const dbUrl = new URL(baseDb);
dbUrl.pathname = `/${dbName}`;
const adminDbUrl = new URL(baseDb);
adminDbUrl.pathname = '/postgres';
const ADMIN_PASSWORD = 'Admin@123456';
const DEMO_PASSWORD = 'Demo@123456';

const cfg = config({
  ...process.env,
  PORT: String(opts.port),
  DATABASE_URL: dbUrl.toString(),
  TEMPORAL_ADDRESS: `127.0.0.1:${opts.temporalPort}`,
  TEMPORAL_UI_PORT: String(opts.temporalUiPort),
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'tdkt-flow',
  DATA_DIR: TMP,
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD,
  DEMO_PASSWORD,
  JWT_SECRET: `bench-${runId}-secret`,
});
// No metrics server for the bench's worker (as infra/scripts/fuzz.mjs): port 9464 may belong to
// `npm start`'s worker or another bench, and the sweep starts the worker a second time.
const childEnv = { ...cfg.env, LOG_LEVEL: 'warn', WORKER_METRICS_PORT: '0' };
const API = `http://127.0.0.1:${opts.port}/api/v1`;
const REGISTER = './infra/runtime/register-paths.cjs';

const children = { api: null, worker: null, temporal: null };
let databaseCreated = false;
let pgAdmin = null; // monitoring connection to the bench database
let tearingDown = null;
let died = null; // set when a child exits on its own
const diedPromise = new Promise((_, reject) => (died = reject));
diedPromise.catch(() => undefined);

function supervise(name, child) {
  children[name] = child;
  child.once('exit', (code, signal) => {
    // tdktStopping: stopped on purpose by stopChildren (the sweep stops the worker and starts it again).
    if (!tearingDown && !child.tdktStopping) died(new Error(`${name} exited unexpectedly (${signal ?? `code ${code}`})`));
  });
  return child;
}
const startWorker = () =>
  supervise(
    'worker',
    spawnService('worker', process.execPath, ['--require', REGISTER, 'dist/apps/worker/src/main.js'], childEnv, { detached: true }),
  );

async function teardown() {
  tearingDown ??= (async () => {
    if (pgAdmin) await pgAdmin.end().catch(() => undefined);
    await stopChildren([children.api, children.worker, children.temporal].filter(Boolean), 10_000).catch((err) =>
      log(`stop: ${err.message}`),
    );
    if (opts.keep) {
      log(`--keep: database ${dbName} and Temporal state ${TMP} kept`);
      return;
    }
    if (databaseCreated) {
      try {
        await dropWithPg();
        log(`dropped database ${dbName}`);
      } catch (err) {
        log(`could not drop database ${dbName}: ${err.message}`);
      }
    }
    rmSync(TMP, { recursive: true, force: true });
    try {
      if (readdirSync(path.dirname(TMP)).length === 0) rmSync(path.dirname(TMP), { recursive: true, force: true });
    } catch {
      // already gone
    }
  })();
  return tearingDown;
}

async function dropWithPg() {
  const pg = createRequire(path.join(ROOT, 'package.json'))('pg');
  const client = new pg.Client({ connectionString: adminDbUrl.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping and cleaning up`);
    void teardown().finally(() => process.exit(130));
  });
}
// A bug of the bench itself must not leave the stack behind either.
for (const event of ['unhandledRejection', 'uncaughtException']) {
  process.on(event, (err) => {
    console.error(`[bench] ${event}: ${err instanceof Error ? err.stack : err}`);
    if (interrupted) return;
    interrupted = true;
    void teardown().finally(() => process.exit(1));
  });
}
// Last resort: never leave a child running (they are in their own process groups).
process.on('exit', () => {
  for (const child of Object.values(children)) if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

// ---------------------------------------------------------------- measurement helpers
const procCpu = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
};
/** CPU seconds used so far by: api, worker, temporal, this process, and every postgres process. */
function cpuSnapshot() {
  let postgres = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') postgres += procCpu(pid);
    } catch {
      // gone meanwhile
    }
  }
  const self = process.cpuUsage();
  // Whole machine, from /proc/stat (user+nice+system+irq+softirq+steal, in ticks of 1/100 s).
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const machine = (cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7]) / 100;
  return {
    api: procCpu(children.api.pid),
    worker: procCpu(children.worker.pid),
    temporal: children.temporal ? procCpu(children.temporal.pid) : 0,
    bench: (self.user + self.system) / 1e6,
    postgres,
    machine,
  };
}
/**
 * CPU used between two snapshots, per component, in seconds and in cores busy. postgres sums the
 * postgres processes alive at both snapshots (a backend that exits in between is lost: a lower
 * bound); other = the machine minus all of ours (other users of the machine, the kernel).
 */
function cpuDelta(a, b, seconds) {
  const d = Object.fromEntries(Object.keys(a).map((k) => [k, Math.max(0, b[k] - a[k])]));
  d.other = Math.max(0, d.machine - d.api - d.worker - d.temporal - d.bench - d.postgres);
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, { cpuSeconds: round(v, 1), coresBusy: round(v / seconds, 2) }]));
}

function round(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Samples pg_stat_activity of the bench database: sessions waiting on an advisory lock, active sessions. */
function lockSampler(pgClient) {
  let samples = 0;
  let advisoryWaiting = 0;
  let withWaiter = 0;
  let active = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const { rows } = await pgClient.query(
          `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory')::int AS adv,
                  count(*) FILTER (WHERE state = 'active')::int AS active
             FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [dbName],
        );
        samples += 1;
        advisoryWaiting += rows[0].adv;
        active += rows[0].active;
        if (rows[0].adv > 0) withWaiter += 1;
      } catch {
        // the database is going away
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return {
      samples,
      meanSessionsWaitingOnAdvisoryLock: round(advisoryWaiting / Math.max(1, samples), 2),
      shareOfSamplesWithAWaiter: round(withWaiter / Math.max(1, samples), 2),
      meanActiveSessions: round(active / Math.max(1, samples), 2),
    };
  };
}

async function dbCounters(pgClient) {
  const { rows: db } = await pgClient.query('SELECT xact_commit::bigint AS commits FROM pg_stat_database WHERE datname = $1', [dbName]);
  const { rows: tables } = await pgClient.query(
    "SELECT relname, (coalesce(seq_scan,0) + coalesce(idx_scan,0))::bigint AS scans, n_tup_ins::bigint AS ins FROM pg_stat_user_tables WHERE relname IN ('app_user','audit_event','nomination','campaign','idempotency_record')",
  );
  const { rows: events } = await pgClient.query('SELECT count(*)::int AS count FROM audit_event');
  return {
    commits: Number(db[0]?.commits ?? 0),
    tables: Object.fromEntries(tables.map((t) => [t.relname, Number(t.scans)])),
    auditEvents: events[0].count,
  };
}

// ---------------------------------------------------------------- table
const TARGETS = {
  throughput: 100,
  ratio: 0.8,
  readP99: 20,
  verify: 200_000,
  sweepSeconds: 60,
};
/** Campaign year of the reminder sweep: far from the pipeline's years (2040, 2041, …). */
const SWEEP_YEAR = 2090;
function gapAtLeast(value, target) {
  if (value === null || value === undefined) return 'n/a';
  if (value >= target) return 'met';
  return `−${fmt(target - value)} (${value > 0 ? `${round(target / value, 1)}× short` : 'none'})`;
}
function gapAtMost(value, target) {
  if (value === null || value === undefined) return 'n/a';
  if (value <= target) return 'met';
  return `+${fmt(value - target)} (${round(value / target, 1)}× over)`;
}
function fmt(v) {
  if (v === null || v === undefined) return 'n/a';
  if (typeof v === 'string') return v;
  if (Math.abs(v) >= 10_000) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 100) return String(Math.round(v));
  return String(round(v, Math.abs(v) >= 10 ? 1 : 2));
}
/** The environment's settings of the worker and the API that shape the figures: WORKER_*, NODE_OPTIONS, CAMPAIGN_START_WAIT_MS. */
function stackSettings() {
  return Object.fromEntries(
    Object.entries(process.env)
      .filter(([k]) => /^WORKER_|^NODE_OPTIONS$|^CAMPAIGN_START_WAIT_MS$/.test(k))
      .sort(),
  );
}
function renderTable(rows, headers) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- main
const report = {
  startedAt: started.toISOString(),
  runId,
  options: opts,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  },
  // The stack's own settings this run was given (they pass through to its processes), so that a JSON says how its worker ran.
  stack: { api: API, temporal: cfg.TEMPORAL_ADDRESS, database: dbName, settings: stackSettings() },
  runs: [],
  rows: [],
};
let exitCode = 0;

async function step(name, fn) {
  const t = Date.now();
  const result = await Promise.race([fn(), diedPromise]);
  log(`${name}: ${((Date.now() - t) / 1000).toFixed(1)}s`);
  return result;
}

try {
  await step('install node_modules', () => ensureNodeModules());
  const tools = await step('install Temporal CLI', () => ensureTools());
  await step('postgres', () => ensurePostgres(cfg.DATABASE_URL));
  if (opts.build) await step('build', () => run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'tsconfig.build.json']));
  for (const [what, port] of [
    ['API', opts.port],
    ['Temporal', opts.temporalPort],
    ['Temporal UI', opts.temporalUiPort],
  ]) {
    if (await isPortOpen('127.0.0.1', port, 1000))
      throw new Error(`port ${port} (${what} of the bench stack) is in use: stop what listens there or pass another port (see --help)`);
  }
  const settings = Object.entries(report.stack.settings);
  if (settings.length) log(`stack settings: ${settings.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  mkdirSync(TMP, { recursive: true });

  const temporal = await step('temporal dev server', () =>
    startTemporalDevServer(cfg, tools.temporalCli, { spawn: { detached: true }, onSpawn: (c) => (children.temporal = c) }),
  );
  supervise('temporal', temporal);
  databaseCreated = true; // from here on, the database may exist: teardown drops it
  await step('migrate', () => run(process.execPath, ['--require', REGISTER, 'dist/apps/worker/src/cli.js', 'migrate'], { env: childEnv }));
  await step('seed', () => run(process.execPath, ['--require', REGISTER, 'dist/apps/worker/src/cli.js', 'seed'], { env: childEnv }));
  startWorker();
  supervise(
    'api',
    spawnService('api', process.execPath, ['--require', REGISTER, 'dist/apps/api/src/main.js'], childEnv, { detached: true }),
  );
  await step('api health', () => waitForHttp(`${API}/health`, 120_000));

  const { runPipeline } = await import('./lib/pipeline.mjs');
  const { addSyntheticNominations, runReads } = await import('./lib/reads.mjs');
  const { runAudit } = await import('./lib/audit.mjs');
  const { runFloor } = await import('./lib/floor.mjs');
  const { runSweep } = await import('./lib/sweep.mjs');
  const { engineWork } = await import('./lib/engine-work.mjs');
  const { peakRss } = await import('./lib/util.mjs');
  const peakMemory = async () => ({
    worker: await peakRss(children.worker.pid),
    api: await peakRss(children.api.pid),
    temporal: children.temporal ? await peakRss(children.temporal.pid) : null,
    bench: await peakRss(process.pid),
  });
  const pg = createRequire(path.join(ROOT, 'package.json'))('pg');
  pgAdmin = new pg.Client({ connectionString: cfg.DATABASE_URL });
  pgAdmin.on('error', (err) => log(`monitoring connection: ${err.message}`));
  await pgAdmin.connect();
  report.machine.postgres = (await pgAdmin.query('SHOW server_version')).rows[0].server_version;

  for (const [index, n] of opts.sizes.entries()) {
    const year = 2040 + index;
    const result = { n, year };
    report.runs.push(result);
    log(`──── N = ${n} (year ${year}) ────`);

    // 1. the pipeline
    let counters0;
    let cpu0;
    let stopSampler;
    const pipeline = await step(`pipeline N=${n}`, () =>
      runPipeline({
        api: API,
        n,
        concurrency: opts.concurrency,
        year,
        prefix: `B${index}`,
        adminPassword: ADMIN_PASSWORD,
        demoPassword: DEMO_PASSWORD,
        councilBatch: opts.councilBatch,
        log,
        databaseUrl: cfg.DATABASE_URL,
        pg,
        hashPassword: createRequire(path.join(ROOT, 'package.json'))(path.join(ROOT, 'dist', 'libs', 'persistence', 'src', 'passwords.js'))
          .hashPassword,
        jwtSecret: cfg.env.JWT_SECRET,
        jwtTtlSeconds: 8 * 3600,
        maxSeconds: opts.maxMinutes * 60,
        onTimedStart: async () => {
          counters0 = await dbCounters(pgAdmin);
          cpu0 = cpuSnapshot();
          stopSampler = lockSampler(pgAdmin);
        },
      }),
    ).catch(async (err) => {
      // A run stopped by its time budget keeps its CPU by process and the peak memory so far too.
      if (err?.partial) {
        if (cpu0) err.partial.cpu = cpuDelta(cpu0, cpuSnapshot(), err.partial.seconds);
        err.partial.memory = await peakMemory();
      }
      throw err;
    });
    const cpu1 = cpuSnapshot();
    pipeline.locks = stopSampler ? await stopSampler() : null;
    pipeline.cpu = cpu0 ? cpuDelta(cpu0, cpu1, pipeline.seconds) : null;
    const counters1 = await dbCounters(pgAdmin);
    const { rows: stages } = await pgAdmin.query(
      'SELECT stage, count(*)::int AS count FROM nomination WHERE year = $1 GROUP BY stage ORDER BY stage',
      [year],
    );
    pipeline.stages = Object.fromEntries(stages.map((s) => [s.stage, s.count]));
    const finalCount = stages.filter((s) => pipeline.finalStages.includes(s.stage)).reduce((a, s) => a + s.count, 0);
    if (finalCount !== n)
      throw new Error(`after the pipeline ${finalCount} of ${n} nominations are final: ${JSON.stringify(pipeline.stages)}`);
    pipeline.perNomination = {
      decisionRequests: round(pipeline.decisionRequests / n, 2),
      httpRequests: round(pipeline.requests / n, 2),
      auditEvents: round((counters1.auditEvents - counters0.auditEvents) / n, 2),
      // minus the sampler's own one-statement transactions
      postgresCommits: round((counters1.commits - counters0.commits - (pipeline.locks?.samples ?? 0)) / n, 1),
      appUserLookups: round(((counters1.tables.app_user ?? 0) - (counters0.tables.app_user ?? 0)) / n, 1),
    };
    result.pipeline = pipeline;
    log(
      `pipeline N=${n}: ${round(pipeline.nominationsPerSecond, 2)} nominations/s (${round(pipeline.seconds, 1)}s), ${JSON.stringify(pipeline.stages)}`,
    );

    // 3. reads (right after the pipeline, on the data it produced)
    const { rows: ids } = await pgAdmin.query('SELECT id FROM nomination WHERE year = $1', [year]);
    const login = await fetch(`${API}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'vutdkt', password: DEMO_PASSWORD }),
    }).then((r) => r.json());
    let readIds = ids.map((r) => r.id);
    if (opts.readNominations > 0) {
      const extra = await step(`synthetic nominations N=${n}`, () =>
        addSyntheticNominations({ root: ROOT, databaseUrl: cfg.DATABASE_URL, year, nominationIds: readIds, log }, opts.readNominations),
      );
      readIds = readIds.concat(extra.ids);
      result.readsSynthetic = { rows: extra.ids.length, seconds: extra.seconds };
    }
    const readsCpu0 = cpuSnapshot();
    result.reads = await step(`reads N=${n}`, () =>
      runReads({
        api: API,
        token: login.accessToken,
        year,
        nominationIds: readIds,
        rate: opts.readRate,
        seconds: opts.readSeconds,
        log,
      }),
    );
    result.reads.cpu = cpuDelta(readsCpu0, cpuSnapshot(), opts.readSeconds);

    // 4. audit verification
    result.audit = await step(`audit N=${n}`, () =>
      runAudit({
        root: ROOT,
        databaseUrl: cfg.DATABASE_URL,
        syntheticEvents: opts.auditEvents,
        ceilingEvents: opts.ceilingEvents,
        ceilingWriters: 10,
        runId,
        log,
      }),
    );

    // 2. the engine floor (last: its worker shares the machine with the idle API and worker)
    if (opts.floor) {
      const updates = opts.floorUpdates === 'auto' ? Math.max(1, Math.round(pipeline.decisionRequests / n)) : opts.floorUpdates;
      const floorCpu0 = cpuSnapshot();
      result.floor = await step(`floor N=${n}`, () =>
        runFloor({
          root: ROOT,
          temporalAddress: cfg.TEMPORAL_ADDRESS,
          databaseUrl: cfg.DATABASE_URL,
          n: opts.floorN === 'same' ? n : Math.min(n, opts.floorN),
          concurrency: opts.concurrency,
          updates,
          runId: `${runId}-${index}`,
          log,
        }),
      );
      // The floor's worker and clients run in this process ("bench"); cpu covers bundling too.
      result.floor.cpu = cpuDelta(floorCpu0, cpuSnapshot(), result.floor.seconds);
      result.ratio = pipeline.nominationsPerSecond / result.floor.nominationsPerSecond;
    }

    // The engine's work per nomination, from the histories (not timed): what cost 4 is made of.
    const groups = [
      {
        name: 'tdkt-flow',
        types: ['campaignWorkflow', 'nominationWorkflow', 'councilSessionWorkflow'],
        idPattern: new RegExp(`^[a-z-]+:${year}[:-]`),
      },
    ];
    if (result.floor)
      groups.push({
        name: 'floor',
        types: ['floorNominationWorkflow'],
        idPattern: new RegExp(`^floor:${runId}-${index}:`),
        n: result.floor.n,
      });
    result.engineWork = await step(`engine work N=${n}`, () =>
      engineWork({ root: ROOT, temporalAddress: cfg.TEMPORAL_ADDRESS, namespace: cfg.TEMPORAL_NAMESPACE, n, groups, log }),
    );
  }

  // 5. memory
  report.memory = await peakMemory();

  // 6. the reminder sweep, once per bench run, last (the restart model stops the worker and starts it again)
  if (opts.sweepUnits > 0) {
    try {
      report.sweep = await step(`sweep ${opts.sweepUnits} units`, () =>
        runSweep({
          root: ROOT,
          temporalAddress: cfg.TEMPORAL_ADDRESS,
          namespace: cfg.TEMPORAL_NAMESPACE,
          taskQueue: cfg.TEMPORAL_TASK_QUEUE,
          databaseUrl: cfg.DATABASE_URL,
          units: opts.sweepUnits,
          model: opts.sweepModel,
          leadSeconds: opts.sweepLeadSeconds,
          year: SWEEP_YEAR,
          adminUsername: 'admin',
          stopWorker: () => stopChildren([children.worker], 30_000),
          startWorker,
          cpu: { snapshot: cpuSnapshot, delta: cpuDelta },
          log,
        }),
      );
    } catch (err) {
      if (err?.partial?.sweep) report.sweep = err.partial.sweep;
      throw err;
    }
    // The restart model's worker is a new process: its own peak, apart from the one of the runs above.
    report.sweep.workerMemory = await peakRss(children.worker.pid);
    log(
      `sweep: last reminder ${round(report.sweep.lastReminderSeconds, 1)}s after T0 (wall ${round(report.sweep.wallSeconds, 1)}s), ` +
        `${round(report.sweep.remindersPerSecond, 1)} reminders/s, exactly once: ${report.sweep.check.exactlyOnce ? 'yes' : 'no'}`,
    );
  }

  // ---------------------------------------------------------------- the table
  const rows = [];
  for (const r of report.runs) {
    const tag = `N=${r.n}, c=${opts.concurrency}`;
    const p = r.pipeline;
    rows.push([
      '1 pipeline',
      `nominations/s end to end (${tag})`,
      fmt(p.nominationsPerSecond),
      '≥ 100',
      gapAtLeast(p.nominationsPerSecond, TARGETS.throughput),
    ]);
    rows.push(['1 pipeline', `wall time, s (${p.requests} requests)`, fmt(p.seconds), '', '']);
    if (r.floor) {
      rows.push([
        '2 floor',
        `nominations/s, ${r.floor.updatesPerNomination} updates each (${tag})`,
        fmt(r.floor.nominationsPerSecond),
        '',
        '',
      ]);
      rows.push(['2 floor', 'ratio tdkt-flow / floor', fmt(r.ratio), '≥ 0.8', gapAtLeast(r.ratio, TARGETS.ratio)]);
    } else rows.push(['2 floor', 'skipped (--no-floor)', '', '≥ 0.8', 'n/a']);
    const list = r.reads.endpoints['GET /nominations?year&pageSize=20'];
    const detail = r.reads.endpoints['GET /nominations/:id'];
    const rate = `${r.reads.rate} req/s, ${r.reads.nominationsInYear.toLocaleString('en-US')} nominations`;
    rows.push(['3 reads', `list p50, ms (${rate})`, fmt(list?.p50), '', '']);
    rows.push(['3 reads', `list p99, ms (${rate})`, fmt(list?.p99), '≤ 20', gapAtMost(list?.p99, TARGETS.readP99)]);
    rows.push(['3 reads', `detail p50, ms (${rate})`, fmt(detail?.p50), '', '']);
    rows.push(['3 reads', `detail p99, ms (${rate})`, fmt(detail?.p99), '≤ 20', gapAtMost(detail?.p99, TARGETS.readP99)]);
    const c = r.audit.recordDecisionCeiling;
    if (c) {
      const needed = TARGETS.throughput * p.perNomination.auditEvents;
      rows.push([
        '4 audit',
        `recordDecision ceiling, events/s (${c.writers} writers, no projection)`,
        fmt(c.eventsPerSecond),
        `≥ ${fmt(needed)} (100 nom/s)`,
        gapAtLeast(c.eventsPerSecond, needed),
      ]);
      if (c.batched)
        rows.push([
          '4 audit',
          `recordDecisions ceiling, events/s (${c.batched.writers} writers, ${c.batched.batch} a transaction)`,
          fmt(c.batched.eventsPerSecond),
          `≥ ${fmt(needed)} (100 nom/s)`,
          gapAtLeast(c.batched.eventsPerSecond, needed),
        ]);
      if (c.reminderRounds)
        rows.push([
          '4 audit',
          `reminder rounds written, rounds/s (${c.reminderRounds.writers} writers, 10 reminders a round: the sweep's writes alone)`,
          fmt(c.reminderRounds.roundsPerSecond),
          '≥ 17 (1,000 in 60 s)',
          gapAtLeast(c.reminderRounds.roundsPerSecond, 1000 / 60),
        ]);
    }
    rows.push([
      '4 audit',
      `verify events/s (${r.audit.checked.toLocaleString('en-US')} events)`,
      fmt(r.audit.eventsPerSecond),
      '≥ 200,000',
      gapAtLeast(r.audit.eventsPerSecond, TARGETS.verify),
    ]);
  }
  rows.push(['5 memory', 'worker peak RSS, MiB', fmt(report.memory.worker?.peakMiB), '', '']);
  rows.push(['5 memory', 'API peak RSS, MiB', fmt(report.memory.api?.peakMiB), '', '']);
  const sw = report.sweep;
  if (sw) {
    const units = sw.units.toLocaleString('en-US');
    rows.push([
      '6 reminders',
      `reminder sweep, s from ${sw.model === 'timer' ? 'the reminder instant' : 'the worker start'} to last reminder (${units} units, ${sw.model} model)`,
      fmt(sw.lastReminderSeconds),
      `≤ ${TARGETS.sweepSeconds}`,
      gapAtMost(sw.lastReminderSeconds, TARGETS.sweepSeconds),
    ]);
    rows.push(['6 reminders', 'reminders/s', fmt(sw.remindersPerSecond), '', '']);
    rows.push([
      '6 reminders',
      'exactly one per unit',
      sw.check.exactlyOnce ? 'yes' : 'no',
      'yes',
      sw.check.exactlyOnce ? 'met' : 'not met',
    ]);
  } else rows.push(['6 reminders', 'reminder sweep: skipped (--sweep-units 0)', '', '', '']);
  report.rows = rows.map(([scenario, metric, value, target, gap]) => ({ scenario, metric, value, target, gap }));

  const endpointRows = [];
  for (const r of report.runs) {
    for (const [label, s] of Object.entries(r.pipeline.endpoints))
      endpointRows.push([`N=${r.n}`, label, s.count, fmt(s.p50), fmt(s.p95), fmt(s.p99), fmt(s.max)]);
  }
  console.log('');
  console.log(renderTable(rows, ['scenario', 'metric', 'value', 'target', 'gap']));
  console.log('');
  console.log('pipeline latency per endpoint (ms, under load):');
  console.log(renderTable(endpointRows, ['run', 'endpoint', 'count', 'p50', 'p95', 'p99', 'max']));
  for (const r of report.runs) {
    const p = r.pipeline;
    console.log('');
    const c = r.audit?.recordDecisionCeiling;
    if (c)
      console.log(
        `N=${r.n}: recordDecision ceiling: ${Math.round(c.eventsPerSecond)} events/s with ${c.writers} writers, ${Math.round(c.oneWriter.eventsPerSecond)} with 1`,
      );
    console.log(`N=${r.n}: milestones (s): ${JSON.stringify(p.milestones)}`);
    console.log(`N=${r.n}: per nomination ${JSON.stringify(p.perNomination)}`);
    if (p.cpu)
      console.log(
        `N=${r.n}: CPU during the pipeline (cores busy of ${os.cpus().length}): ${Object.entries(p.cpu)
          .map(([k, v]) => `${k} ${v.coresBusy}`)
          .join(', ')}`,
      );
    if (p.locks) console.log(`N=${r.n}: advisory lock: ${JSON.stringify(p.locks)}`);
    if (r.reads?.cpu)
      console.log(
        `N=${r.n}: CPU during the reads (cores busy): ${Object.entries(r.reads.cpu)
          .map(([k, v]) => `${k} ${v.coresBusy}`)
          .join(', ')}`,
      );
    if (r.floor?.cpu)
      console.log(
        `N=${r.n}: CPU during the floor (cores busy): ${Object.entries(r.floor.cpu)
          .map(([k, v]) => `${k} ${v.coresBusy}`)
          .join(', ')}`,
      );
    console.log(`N=${r.n}: 409 retries ${p.retries409}, polls ${p.polls}, errors ${JSON.stringify(p.errors)}`);
    for (const [name, w] of Object.entries(r.engineWork ?? {})) {
      const { byKind, ...totals } = w.perNomination;
      console.log(
        `N=${r.n}: engine work per nomination, ${name} (${w.workflows} workflows, ${w.sampled} histories read): ${JSON.stringify(totals)}; largest history ${w.largestHistory?.mib} MiB (${w.largestHistory?.workflowId})`,
      );
    }
  }
  if (sw) {
    console.log('');
    console.log(
      `sweep (${sw.model} model, ${sw.units} units, ${sw.campaigns} campaigns, year ${sw.year}), s after T0 (${sw.model === 'timer' ? `reminders due at ${sw.reminderTime} Vietnam time` : 'worker spawned'}): worker polling ${fmt(sw.workerReadySeconds)}, ` +
        `first CAMPAIGN_STARTED ${fmt(sw.firstCampaignStartedSeconds)}, last CAMPAIGN_STARTED ${fmt(sw.lastCampaignStartedSeconds)}, ` +
        `first reminder ${fmt(sw.firstReminderSeconds)}, last reminder ${fmt(sw.lastReminderSeconds)} (wall clock ${fmt(sw.wallSeconds)})`,
    );
    const per = sw.campaignStartToLastReminderSeconds;
    console.log(
      `sweep: per campaign, s from ${sw.model === 'timer' ? 'T0' : 'its CAMPAIGN_STARTED'} to its last reminder: p50 ${fmt(per.p50)}, p95 ${fmt(per.p95)}, p99 ${fmt(per.p99)}, max ${fmt(per.max)}`,
    );
    console.log(
      `sweep: reminder sequence ${sw.check.expectedSequence} (${sw.expectedReminder?.date}), ${sw.check.reminderEvents} REMINDER_SENT, ` +
        `inbox rows ${sw.inboxRows}, e-mail outbox rows ${sw.outboxRows} ${JSON.stringify(sw.check.outbox.states)}, ` +
        `${sw.auditEventsDuringSweep} audit events in all during the sweep; setup ${fmt(sw.setupSeconds)}s, ` +
        `worker stop ${fmt(sw.workerStopSeconds)}s, ${sw.campaigns} workflow starts ${fmt(sw.workflowStartSeconds)}s` +
        (sw.model === 'timer' ? `, start-up done ${fmt(sw.setupIdleSeconds)}s before T` : ''),
    );
    if (sw.cpu)
      console.log(
        `sweep: CPU from T0 to the last reminder (cores busy of ${os.cpus().length}): ${Object.entries(sw.cpu)
          .map(([k, v]) => `${k} ${v.coresBusy}`)
          .join(', ')}`,
      );
    if (sw.workerMemory) console.log(`sweep: worker peak RSS ${fmt(sw.workerMemory.peakMiB)} MiB`);
  }
} catch (err) {
  exitCode = 1;
  report.error = err instanceof Error ? err.message : String(err);
  if (err?.partial) report.partial = err.partial;
  console.error(`[bench] failed: ${report.error}`);
} finally {
  if (pgAdmin) await pgAdmin.end().catch(() => undefined);
  report.finishedAt = new Date().toISOString();
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`results: ${path.relative(ROOT, file)}${exitCode ? ' (failed run)' : ''}`);
  if (!interrupted) {
    await teardown();
    process.exit(exitCode);
  }
}
