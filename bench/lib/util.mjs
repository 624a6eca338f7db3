// Small helpers of the bench: latency recording, percentiles, a FIFO semaphore (the "concurrent
// clients"), and a keep-alive HTTP JSON client on node:http (less overhead than fetch, so the
// driver disturbs the measured processes less on a 2-core machine). Node built-ins only.
import http from 'node:http';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const nowMs = () => performance.now();

/** The value at quantile q (0..1) of an ascending array (nearest rank). */
export function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  let sum = 0;
  for (const v of sorted) sum += v;
  const r = (v) => Math.round(v * 100) / 100;
  return {
    count: n,
    p50: r(quantile(sorted, 0.5)),
    p95: r(quantile(sorted, 0.95)),
    p99: r(quantile(sorted, 0.99)),
    max: r(sorted[n - 1]),
    mean: r(sum / n),
  };
}

/** Latency samples (ms) and error counts per label (an endpoint template such as "POST /nominations/:id/review"). */
export class Recorder {
  constructor() {
    this.samples = new Map();
    this.errors = new Map();
  }
  add(label, ms) {
    let list = this.samples.get(label);
    if (!list) this.samples.set(label, (list = []));
    list.push(ms);
  }
  error(label, what) {
    const key = `${label} → ${what}`;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }
  summary() {
    const endpoints = {};
    for (const [label, list] of [...this.samples.entries()].sort(([a], [b]) => a.localeCompare(b))) endpoints[label] = summarize(list);
    return { endpoints, errors: Object.fromEntries(this.errors) };
  }
}

/** At most `permits` holders at a time, served first come, first served. */
export class Semaphore {
  constructor(permits) {
    this.free = permits;
    this.waiting = [];
  }
  async acquire() {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise((resolve) => this.waiting.push(resolve));
  }
  release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
  async with(fn) {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/** Runs fn over items with at most `concurrency` at once; rejects on the first failure. */
export async function pool(items, concurrency, fn) {
  let next = 0;
  let failed = null;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        await fn(items[i], i);
      } catch (err) {
        failed ??= err;
      }
    }
  });
  await Promise.all(workers);
  if (failed) throw failed;
}

export class HttpError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} → ${status}: ${typeof body === 'string' ? body.slice(0, 300) : JSON.stringify(body).slice(0, 300)}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * JSON over HTTP/1.1 keep-alive. request() resolves { status, body, ms } for any status;
 * the latency is from the call (or from opts.since, for open-loop schedules) to the last byte.
 */
export class JsonClient {
  constructor(baseUrl, { maxSockets = 64 } = {}) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
    this.prefix = url.pathname.replace(/\/$/, '');
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(method, path, { body, token, headers = {}, since, timeoutMs = 120_000 } = {}) {
    const started = since ?? nowMs();
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const h = { accept: 'application/json', ...headers };
    if (payload) {
      h['content-type'] = 'application/json';
      h['content-length'] = payload.length;
    }
    if (token) h.authorization = `Bearer ${token}`;
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: this.host, port: this.port, method, path: this.prefix + path, headers: h, agent: this.agent },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const ms = nowMs() - started;
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode, body: parsed, ms });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs / 1000}s`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** Peak resident set size (VmHWM) and current RSS of a process, in MiB, from /proc; null when gone. */
export async function peakRss(pid) {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMiB: Math.round(kib('VmHWM') / 102.4) / 10, rssMiB: Math.round(kib('VmRSS') / 102.4) / 10 };
  } catch {
    return null;
  }
}
