// The API fuzz of `npm run fuzz` (infra/scripts/fuzz.mjs) and of test/e2e/fuzz.e2e-spec.ts, in
// one place so both run the same thing: schemathesis (pinned in infra/requirements-fuzz.txt,
// installed into .tools/venv) generates requests from the API's OpenAPI document and checks every
// answer: never a 5xx (not_a_server_error) and always what the document says
// (response_schema_conformance, status_code_conformance, content_type_conformance). One run per
// user (an administrator and a unit officer by default), each with its own bearer token, a fixed
// seed and a bounded number of examples per operation. Node built-ins only.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DEFAULT_SCHEMATHESIS = path.join(ROOT, '.tools', 'venv', 'bin', 'schemathesis');

/** What every answer is checked for. */
const CHECKS = ['not_a_server_error', 'response_schema_conformance', 'status_code_conformance', 'content_type_conformance'];

/** The command line of one schemathesis run. */
function schemathesisArgs({ baseUrl, token, maxExamples = 20, seed = 20261125, workers = 2, requestTimeout = 30, extra = [] }) {
  const args = [
    'run',
    `${baseUrl}/api/docs-json`,
    '--url',
    baseUrl,
    '--checks',
    CHECKS.join(','),
    '--max-examples',
    String(maxExamples),
    '--seed',
    String(seed),
    '--workers',
    String(workers),
    '--request-timeout',
    String(requestTimeout),
    '--generation-database',
    'none',
    '--phases',
    'examples,coverage,fuzzing',
    '--suppress-health-check',
    'all',
    '--no-color',
    '--continue-on-failure',
    '--output-truncate',
    'false',
  ];
  if (token) args.push('--header', `Authorization: Bearer ${token}`);
  return [...args, ...extra];
}

/** Runs a command, collecting its output (and passing each line to onLine); kills it after timeoutMs. */
function runCollecting(command, args, { timeoutMs, onLine, env = process.env } = {}) {
  return new Promise((resolve) => {
    let output = '';
    let child;
    try {
      child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: 127, output: `cannot run ${command}: ${err.message}`, timedOut: false });
      return;
    }
    let pending = '';
    const take = (chunk) => {
      const text = chunk.toString();
      output += text;
      if (!onLine) return;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = timeoutMs ? setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), timeoutMs) : undefined;
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 127, output: `${output}\ncannot run ${command}: ${err.message}`, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (pending && onLine) onLine(pending);
      resolve({ code: code ?? (signal ? 128 : 1), output, timedOut });
    });
  });
}

/** schemathesis's environment: our hooks (infra/fuzz/tdkt_schemathesis_hooks.py), no colours, no telemetry. */
function schemathesisEnv(env = process.env) {
  const hooksDir = path.join(ROOT, 'infra', 'fuzz');
  return {
    ...env,
    SCHEMATHESIS_HOOKS: 'tdkt_schemathesis_hooks',
    PYTHONPATH: env.PYTHONPATH ? `${hooksDir}${path.delimiter}${env.PYTHONPATH}` : hooksDir,
    SCHEMATHESIS_TELEMETRY: 'false',
    NO_COLOR: '1',
  };
}

/** A bearer token for username, from POST /api/v1/auth/login. */
async function login(baseUrl, username, password) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status !== 200 || !body.accessToken) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

/**
 * Fuzzes the API at baseUrl once per user. Resolves with { ok, runs: [{ username, code, output,
 * timedOut, args }] }; ok is true when every run exited 0 (no check failed, no error).
 * options: schemathesis (path), users [{ username, password }], maxExamples, seed, timeoutMs (per
 * run), onLine (each output line, e.g. to print it live), workers.
 */
async function fuzzApi(baseUrl, options) {
  const { schemathesis = process.env.SCHEMATHESIS_PATH || DEFAULT_SCHEMATHESIS, users, timeoutMs, onLine, ...rest } = options;
  const runs = [];
  for (const user of users) {
    const token = await login(baseUrl, user.username, user.password);
    const args = schemathesisArgs({ baseUrl, token, ...rest });
    onLine?.(`--- schemathesis as ${user.username} ---`);
    const result = await runCollecting(schemathesis, args, { timeoutMs, onLine, env: schemathesisEnv() });
    // The token is a secret of the run: keep it out of what is printed.
    runs.push({ username: user.username, ...result, args: args.map((a) => (a.startsWith('Authorization:') ? 'Authorization: Bearer ***' : a)) });
  }
  return { ok: runs.every((r) => r.code === 0 && !r.timedOut), runs };
}

module.exports = { CHECKS, DEFAULT_SCHEMATHESIS, schemathesisArgs, schemathesisEnv, fuzzApi, login, runCollecting };
