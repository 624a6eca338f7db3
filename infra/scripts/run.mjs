// `npm run migrate | seed | audit:verify | audit:reconcile`: one command of the worker's CLI
// against DATABASE_URL (and TEMPORAL_ADDRESS for reconcile).
// Usage: node infra/scripts/run.mjs <migrate|seed|audit-verify|reconcile>
// Installs node_modules if needed, starts Postgres if it is down, builds into dist/, then runs
// `node --require ./infra/runtime/register-paths.cjs dist/apps/worker/src/cli.js <command>`
// with the configuration of infra/README.md, and exits with its exit code.
import path from 'node:path';
import { ROOT, config, ensureNodeModules, ensurePostgres, run } from './lib/bootstrap.mjs';

const COMMANDS = ['migrate', 'seed', 'audit-verify', 'reconcile', 'registry-import'];
const [command, ...rest] = process.argv.slice(2);
if (!COMMANDS.includes(command)) {
  console.error(`[tdkt] usage: node infra/scripts/run.mjs <${COMMANDS.join('|')}> [args...]`);
  process.exit(2);
}

let cfg;
try {
  cfg = config();
} catch (err) {
  console.error(`[tdkt] ${err.message}`);
  process.exit(1);
}

try {
  await ensureNodeModules();
  await ensurePostgres(cfg.DATABASE_URL);
  await run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'tsconfig.build.json']);
} catch (err) {
  console.error(`[tdkt] ${err.message}`);
  process.exit(1);
}

try {
  await run(process.execPath, ['--require', './infra/runtime/register-paths.cjs', 'dist/apps/worker/src/cli.js', command, ...rest], {
    env: cfg.env,
  });
  process.exit(0);
} catch (err) {
  console.error(`[tdkt] ${command} failed: ${err.message}`);
  process.exit(err.exitCode && err.exitCode > 0 ? err.exitCode : 1);
}
