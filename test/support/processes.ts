/**
 * The system as separate OS processes, for tests that kill parts of it with SIGKILL: the Temporal
 * CLI dev server (its state in a SQLite file, so a restart on the same file and port continues
 * where it was), the worker and the API from the compiled dist/, each restartable; plus a switch
 * that takes one Postgres database "down" (no new connections, every session ended) without
 * touching the machine's shared Postgres cluster. The ideas are those of
 * infra/scripts/lib/bootstrap.mjs, in TypeScript and with kill/restart in mind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import readline from 'node:readline';
import { Client as PgClient } from 'pg';

export const ROOT = join(__dirname, '..', '..');
const REGISTER_PATHS = './infra/runtime/register-paths.cjs';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free again when this resolves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True when host:port accepts a TCP connection within timeoutMs. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Runs a command to completion; resolves with its stdout and stderr, rejects naming it on failure. */
export function runCommand(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.once('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${[command, ...args].join(' ')} ${signal ? `was killed by ${signal}` : `exited with ${code}`}\n${stdout}${stderr}`.trim()));
    });
  });
}

let built: Promise<void> | undefined;
/** Compiles the apps into dist/ once per test process (tsc -b is incremental: seconds when up to date). */
export function buildDist(): Promise<void> {
  built ??= runCommand(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'tsconfig.build.json'], { timeoutMs: 300_000 }).then(() => undefined);
  return built;
}

/** Every service any test of this process started, SIGKILLed if the process exits with them alive. */
const everyService = new Set<Service>();
process.once('exit', () => {
  for (const service of everyService) service.child?.kill('SIGKILL');
});

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Resolves once the started process serves (it is racing the process's exit). */
  ready(service: Service): Promise<void>;
  /** How long start() waits for ready. */
  startTimeoutMs?: number;
}

/**
 * One restartable OS process with its output kept (the last 400 lines, for failure reports; set
 * TDKT_SERVICE_OUTPUT=1 to also print them live).
 */
export class Service {
  child: ChildProcess | undefined;
  private readonly lines: string[] = [];
  private lineListeners: ((line: string) => void)[] = [];
  /** How many times the process was started. */
  starts = 0;

  constructor(readonly spec: ServiceSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the process printed (stdout and stderr), across restarts. */
  output(last = 80): string {
    return this.lines.slice(-last).join('\n');
  }

  /** Resolves with the first line (printed from now on) that matches. */
  waitForLine(pattern: RegExp): Promise<string> {
    return new Promise((resolve) => {
      const listener = (line: string) => {
        if (!pattern.test(line)) return;
        this.lineListeners = this.lineListeners.filter((l) => l !== listener);
        resolve(line);
      };
      this.lineListeners.push(listener);
    });
  }

  /** Spawns the process and waits until it is ready; rejects (with its output) if it exits or times out first. */
  async start(): Promise<this> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    const { command, args, env, startTimeoutMs = 90_000 } = this.spec;
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.starts += 1;
    everyService.add(this);
    const generation = this.starts;
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        const tagged = `[${this.name}#${generation}] ${line}`;
        this.lines.push(tagged);
        if (this.lines.length > 400) this.lines.shift();
        if (process.env.TDKT_SERVICE_OUTPUT === '1') process.stdout.write(`${tagged}\n`);
        for (const listener of [...this.lineListeners]) listener(line);
      });
    }
    const exited = new Promise<never>((_, reject) => {
      child.once('error', (err) => reject(new Error(`${this.name}: cannot start ${command}: ${err.message}`)));
      child.once('exit', (code, signal) => reject(new Error(`${this.name} exited during start-up (${signal ?? `code ${code}`}):\n${this.output(40)}`)));
    });
    exited.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} was not ready within ${startTimeoutMs / 1000}s:\n${this.output(40)}`)), startTimeoutMs);
    });
    try {
      await Promise.race([this.spec.ready(this), exited, timeout]);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return this;
  }

  /** Resolves once the process has exited (at once if it is not running). */
  waitForExit(timeoutMs?: number): Promise<boolean> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => resolve(false), timeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** kill -9: no shutdown hook, no flush, nothing. Resolves once it is gone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.waitForExit();
  }

  /** SIGSTOP / SIGCONT: freezes the process (its sockets stay open) and lets it go on. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** A clean stop: SIGTERM, then SIGKILL after timeoutMs. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGCONT');
    this.child!.kill('SIGTERM');
    if (!(await this.waitForExit(timeoutMs))) await this.kill();
  }

  async restart(): Promise<this> {
    await this.kill();
    return this.start();
  }
}

/** The search attributes of infra/temporal-search-attributes.json as `--search-attribute` flags. */
function searchAttributeArgs(): string[] {
  const { attributes } = JSON.parse(readFileSync(join(ROOT, 'infra', 'temporal-search-attributes.json'), 'utf8')) as { attributes: Record<string, string> };
  return Object.entries(attributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

export function temporalCliPath(): string {
  return process.env.TEMPORAL_CLI_PATH ?? join(ROOT, '.tools', 'venv', 'bin', 'temporal');
}

/**
 * The Temporal CLI dev server on 127.0.0.1:port, headless, its state in dbFile: restarted on the
 * same file and port, it has every workflow it had (what `npm start` runs, minus the Web UI).
 */
export function temporalDevServer(options: { port: number; dbFile: string }): Service {
  const cli = temporalCliPath();
  const address = `127.0.0.1:${options.port}`;
  // The CLI reads connection options from TEMPORAL_* variables too: keep ours out of its way.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')));
  return new Service({
    name: 'temporal',
    command: cli,
    args: [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--headless',
      '--db-filename',
      options.dbFile,
      // As npm start runs it (ADR 0010): the crash tests kill this server and check nothing is lost.
      '--sqlite-pragma',
      'journal_mode=wal',
      '--namespace',
      'default',
      '--log-level',
      'error',
      ...searchAttributeArgs(),
    ],
    env,
    async ready() {
      // The port opens a little before the server answers: wait until it reports SERVING.
      for (;;) {
        if (await isPortOpen(options.port)) {
          try {
            await runCommand(cli, ['operator', 'cluster', 'health', '--address', address], { env, timeoutMs: 10_000 });
            return;
          } catch {
            // not serving yet
          }
        }
        await sleep(200);
      }
    },
  });
}

export interface AppEnv {
  DATABASE_URL: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_TASK_QUEUE: string;
  [name: string]: string;
}

const node = (main: string) => ['--require', REGISTER_PATHS, main];

/** The worker of dist/ (bundles the workflows at start), ready once it polls its task queue. */
export function workerProcess(env: AppEnv): Service {
  return new Service({
    name: 'worker',
    command: process.execPath,
    args: node('dist/apps/worker/src/main.js'),
    env: { ...process.env, LOG_LEVEL: 'warn', WORKER_METRICS_PORT: '0', ...env },
    ready: (service) => service.waitForLine(/^\[worker\] polling task queue/).then(() => undefined),
  });
}

/** The API of dist/ on env.PORT, ready once it listens. */
export function apiProcess(env: AppEnv & { PORT: string }): Service {
  return new Service({
    name: 'api',
    command: process.execPath,
    args: node('dist/apps/api/src/main.js'),
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    ready: (service) => service.waitForLine(/^\[api\] listening on/).then(() => undefined),
  });
}

/** A fresh temporary directory (for the Temporal SQLite file), removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * "Postgres is down" for one database only: `ALTER DATABASE … ALLOW_CONNECTIONS false` refuses
 * every new connection (FATAL 55000 "is not currently accepting connections") and
 * pg_terminate_backend ends the open ones (FATAL 57P01), as a crash or a restart would, while
 * the machine's shared cluster and every other database keep running. Needs a superuser URL.
 */
export class DatabaseSwitch {
  constructor(
    private readonly adminUrl: string,
    readonly database: string,
  ) {
    if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`unexpected database name ${database}`);
  }

  static forUrl(databaseUrl: string, adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'): DatabaseSwitch {
    return new DatabaseSwitch(adminUrl, decodeURIComponent(new URL(databaseUrl).pathname.slice(1)));
  }

  private async admin<T>(fn: (client: PgClient) => Promise<T>): Promise<T> {
    const client = new PgClient({ connectionString: this.adminUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** Refuses new connections and terminates the open ones; resolves with how many were ended. */
  down(): Promise<number> {
    return this.admin(async (c) => {
      await c.query(`ALTER DATABASE "${this.database}" ALLOW_CONNECTIONS false`);
      const res = await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [this.database]);
      return res.rowCount ?? 0;
    });
  }

  up(): Promise<void> {
    return this.admin(async (c) => {
      await c.query(`ALTER DATABASE "${this.database}" ALLOW_CONNECTIONS true`);
    });
  }
}
