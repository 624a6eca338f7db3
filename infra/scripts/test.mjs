// `npm test`: every test of the repository, on a fresh clone.
//   1. bootstrap: node_modules (npm ci when needed), the Temporal CLI and test server in
//      .tools/venv, Postgres up (TEST_DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres),
//      Debian's Chromium for the web app's e2e test (apt-get install chromium when /usr/bin/chromium is missing)
//   2. type check: tsc -p tsconfig.json --noEmit, and the web app's tsc -p apps/web/tsconfig.json --noEmit
//   3. lint: eslint .
//   4. jest: unit, workflows (time-skipping test server) and e2e projects.
// Stops at the first failure. The last line of the output is always `tests: N passed, M failed`
// (a failure before jest counts as `tests: 0 passed, 1 failed`); the exit code is jest's.
//
// Arguments after `--` go to jest:   npm test -- --selectProjects unit
// TDKT_SKIP_STATIC=1 skips the type check and lint (steps 2 and 3):
//                                    TDKT_SKIP_STATIC=1 npm test -- infra
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, ensureChromium, ensureNodeModules, ensurePostgres, ensureTools, log, run } from './lib/bootstrap.mjs';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const jestArgs = process.argv.slice(2);
const timings = [];

function printTimings() {
  for (const { name, seconds, ok } of timings) log(`${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(12)} ${seconds.toFixed(1)}s`);
}

async function step(name, fn) {
  const started = Date.now();
  log(`${name}...`);
  try {
    const result = await fn();
    timings.push({ name, seconds: (Date.now() - started) / 1000, ok: true });
    log(`${name} done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return result;
  } catch (err) {
    timings.push({ name, seconds: (Date.now() - started) / 1000, ok: false });
    console.error(`[tdkt] ${name} failed: ${err.message}`);
    printTimings();
    console.log('tests: 0 passed, 1 failed');
    process.exit(err.exitCode && err.exitCode > 0 ? err.exitCode : 1);
  }
}

const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

/** Our jest defaults, minus those the caller overrides (e.g. `npm test -- -i` or `--maxWorkers=4`). */
function defaultJestFlags(args) {
  const has = (...names) => args.some((a) => names.some((n) => a === n || a.startsWith(`${n}=`)));
  const flags = [];
  if (!has('--ci', '--no-ci')) flags.push('--ci');
  if (!has('--runInBand', '-i', '--maxWorkers', '-w')) flags.push('--runInBand=false', '--maxWorkers=2');
  return flags;
}

const tools = await step('bootstrap', async () => {
  await ensureNodeModules();
  const t = await ensureTools();
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL || DEFAULT_ADMIN_URL;
  await ensurePostgres(adminUrl);
  if (process.env.DATABASE_URL) await ensurePostgres(process.env.DATABASE_URL);
  // The web app's e2e test drives Debian's Chromium headless (never a downloaded browser).
  const chromium = await ensureChromium();
  return { ...t, adminUrl, chromium };
});

if (process.env.TDKT_SKIP_STATIC === '1') {
  log('TDKT_SKIP_STATIC=1: type check and lint skipped');
} else {
  await step('type check', async () => {
    await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    // The web app is typed for the browser (DOM), apart from the Node projects.
    await run(bin('tsc'), ['-p', 'apps/web/tsconfig.json', '--noEmit']);
  });
  await step('lint', () => run(bin('eslint'), ['.']));
}

const summaryDir = mkdtempSync(path.join(tmpdir(), 'tdkt-test-'));
const summaryFile = path.join(summaryDir, 'summary.txt');
const started = Date.now();
log(`jest${jestArgs.length ? ` ${jestArgs.join(' ')}` : ''}...`);
let exitCode = 0;
try {
  await run(
    bin('jest'),
    // The caller's arguments come first: --reporters (like --selectProjects) takes several values
    // and would swallow a following positional test path pattern.
    [...jestArgs, ...defaultJestFlags(jestArgs), '--reporters=default', '--reporters=./infra/jest/summary-reporter.cjs'],
    {
      env: {
        ...process.env,
        TEMPORAL_CLI_PATH: tools.temporalCli,
        TEMPORAL_TEST_SERVER_PATH: tools.testServer,
        SCHEMATHESIS_PATH: tools.schemathesis,
        TEST_DATABASE_ADMIN_URL: tools.adminUrl,
        TDKT_SUMMARY_FILE: summaryFile,
        CHROMIUM_PATH: tools.chromium,
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
      },
    },
  );
} catch (err) {
  exitCode = err.exitCode && err.exitCode > 0 ? err.exitCode : 1;
}
timings.push({ name: 'jest', seconds: (Date.now() - started) / 1000, ok: exitCode === 0 });
printTimings();
// Jest may exit before its reporters run (bad configuration, crash): then it is one failure.
const summary = existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8').trim() : '';
rmSync(summaryDir, { recursive: true, force: true });
if (exitCode !== 0) log(`jest exited with code ${exitCode}`);
console.log(summary || (exitCode === 0 ? 'tests: 0 passed, 0 failed' : 'tests: 0 passed, 1 failed'));
process.exit(exitCode);
