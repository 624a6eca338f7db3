// Configuration of `npm start` / `npm run migrate|seed|audit:verify`: defaults and validation.
// CommonJS and Node built-ins only, so that it runs on a fresh clone before `npm install` and can
// be required from a jest spec (infra/scripts/config.spec.ts) as well as from bootstrap.mjs.
'use strict';

const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');

const DEFAULTS = Object.freeze({
  PORT: '3000',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tdkt_flow',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  TEMPORAL_UI_PORT: '8233',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'tdkt-flow',
  DATA_DIR: '.data',
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'Admin@123456',
  JWT_SECRET: 'tdkt-flow-demo-secret-change-me',
  DEMO_PASSWORD: 'Demo@123456',
});

class ConfigError extends Error {
  constructor(name, value, expected) {
    super(`invalid configuration: ${name}=${JSON.stringify(value)}: expected ${expected}`);
    this.name = 'ConfigError';
    this.variable = name;
  }
}

function parsePort(name, value) {
  if (!/^\d+$/.test(value)) throw new ConfigError(name, value, 'an integer port number between 1 and 65535');
  const port = Number(value);
  if (port < 1 || port > 65535) throw new ConfigError(name, value, 'an integer port number between 1 and 65535');
  return port;
}

function parseDatabaseUrl(value) {
  const expected = 'a PostgreSQL URL such as postgres://user:password@host:5432/database';
  if (!/^postgres(ql)?:\/\//.test(value)) throw new ConfigError('DATABASE_URL', value, expected);
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('DATABASE_URL', value, expected);
  }
  if (!url.hostname) throw new ConfigError('DATABASE_URL', value, `${expected} (the host is missing)`);
  if (url.port !== '') parsePortIn('DATABASE_URL', value, url.port, expected);
  return url;
}

function parsePortIn(name, whole, port, expected) {
  try {
    return parsePort(name, port);
  } catch {
    throw new ConfigError(name, whole, expected);
  }
}

/** "host:port" or "[ipv6]:port" → { host, port }. */
function parseHostPort(name, value) {
  const expected = 'host:port, for example 127.0.0.1:7233';
  const m = /^(?:\[([^\]]+)\]|([^:\s/[\]]+)):(\d+)$/.exec(value);
  if (!m) throw new ConfigError(name, value, expected);
  return { host: m[1] ?? m[2], port: parsePortIn(name, value, m[3], expected) };
}

function nonEmpty(name, value) {
  if (!value.trim()) throw new ConfigError(name, value, 'a non-empty string');
  return value;
}

/**
 * Reads the configuration from `env` (process.env by default). An unset or empty variable takes
 * its default. Throws a ConfigError naming the variable, its value and what is expected.
 * The result holds the typed values, and `env`: the given environment merged with every value as
 * a string (DATA_DIR made absolute), to hand to child processes.
 */
function config(env = process.env, root = ROOT) {
  const raw = {};
  for (const [name, dflt] of Object.entries(DEFAULTS)) {
    const v = env[name];
    raw[name] = v === undefined || v === '' ? dflt : String(v);
  }
  const PORT = parsePort('PORT', raw.PORT);
  const TEMPORAL_UI_PORT = parsePort('TEMPORAL_UI_PORT', raw.TEMPORAL_UI_PORT);
  const db = parseDatabaseUrl(raw.DATABASE_URL);
  const temporal = parseHostPort('TEMPORAL_ADDRESS', raw.TEMPORAL_ADDRESS);
  for (const name of ['TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'ADMIN_USERNAME', 'ADMIN_PASSWORD', 'JWT_SECRET', 'DEMO_PASSWORD']) {
    nonEmpty(name, raw[name]);
  }
  const DATA_DIR = path.resolve(root, nonEmpty('DATA_DIR', raw.DATA_DIR));

  const values = {
    PORT,
    DATABASE_URL: raw.DATABASE_URL,
    TEMPORAL_ADDRESS: raw.TEMPORAL_ADDRESS,
    TEMPORAL_UI_PORT,
    TEMPORAL_NAMESPACE: raw.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: raw.TEMPORAL_TASK_QUEUE,
    DATA_DIR,
    ADMIN_USERNAME: raw.ADMIN_USERNAME,
    ADMIN_PASSWORD: raw.ADMIN_PASSWORD,
    JWT_SECRET: raw.JWT_SECRET,
    DEMO_PASSWORD: raw.DEMO_PASSWORD,
  };
  const childEnv = { ...env };
  for (const [k, v] of Object.entries(values)) childEnv[k] = String(v);
  return {
    ...values,
    database: { host: db.hostname.replace(/^\[|\]$/g, ''), port: db.port ? Number(db.port) : 5432 },
    temporal,
    env: childEnv,
  };
}

module.exports = { ROOT, DEFAULTS, ConfigError, config, parsePort, parseHostPort, parseDatabaseUrl };
