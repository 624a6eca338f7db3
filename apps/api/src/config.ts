/** API configuration from the environment, validated at start-up with a message naming the variable. */
import path from 'node:path';

/** The file types a dossier may attach (ATTACHMENT_TYPES), checked by their content's magic bytes. */
export const ATTACHMENT_TYPE_NAMES = ['pdf', 'docx', 'xlsx', 'jpeg', 'png'] as const;
export type AttachmentTypeName = (typeof ATTACHMENT_TYPE_NAMES)[number];

export interface ApiConfig {
  port: number;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  adminUsername: string;
  adminPassword: string;
  /** Log level of pino (info by default; `silent` in tests). */
  logLevel: string;
  /** Login attempts allowed per client IP and username in each window (LOGIN_RATE_LIMIT, 0 = no limit). */
  loginRateLimit: number;
  /** The window of the login rate limit, in seconds (LOGIN_RATE_WINDOW_SECONDS). */
  loginRateWindowSeconds: number;
  /** NODE_ENV=production: the demo secrets are refused. */
  production: boolean;
  /** The content-addressed store of dossier attachments (ATTACHMENT_DIR, default <DATA_DIR>/attachments), absolute. */
  attachmentDir: string;
  /** The largest attachment accepted, in bytes (ATTACHMENT_MAX_BYTES, default 10 MiB). */
  attachmentMaxBytes: number;
  /** The attachment types accepted (ATTACHMENT_TYPES, default pdf,docx,xlsx,jpeg,png). */
  attachmentTypes: AttachmentTypeName[];
  /** How long POST /campaigns waits for the campaign's first write before answering 202 instead of 201. */
  campaignStartWaitMs: number;
}

/** The demo values of README.md: fine on a laptop, refused when NODE_ENV=production. */
export const DEMO_JWT_SECRET = 'tdkt-flow-demo-secret-change-me';
export const DEMO_ADMIN_PASSWORD = 'Admin@123456';

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

function attachmentTypes(raw: string | undefined): AttachmentTypeName[] {
  if (raw === undefined || raw.trim() === '') return [...ATTACHMENT_TYPE_NAMES];
  const names = raw.split(',').map((s) => s.trim().toLowerCase()).map((s) => (s === 'jpg' ? 'jpeg' : s));
  const unknown = names.filter((n) => !(ATTACHMENT_TYPE_NAMES as readonly string[]).includes(n));
  if (unknown.length || names.length === 0) {
    throw new ConfigError(`ATTACHMENT_TYPES must be a comma-separated list of ${ATTACHMENT_TYPE_NAMES.join(', ')}, got "${raw}"`);
  }
  return [...new Set(names as AttachmentTypeName[])];
}

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const config: ApiConfig = {
    port: int(env, 'PORT', 3000, 0, 65535),
    databaseUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/tdkt_flow',
    temporalAddress: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'tdkt-flow',
    jwtSecret: env.JWT_SECRET || DEMO_JWT_SECRET,
    jwtTtlSeconds: int(env, 'JWT_TTL_SECONDS', 8 * 3600, 60, 30 * 24 * 3600),
    adminUsername: env.ADMIN_USERNAME || 'admin',
    adminPassword: env.ADMIN_PASSWORD || DEMO_ADMIN_PASSWORD,
    logLevel: env.LOG_LEVEL || 'info',
    loginRateLimit: int(env, 'LOGIN_RATE_LIMIT', 10, 0, 1_000_000),
    loginRateWindowSeconds: int(env, 'LOGIN_RATE_WINDOW_SECONDS', 60, 1, 24 * 3600),
    production: env.NODE_ENV === 'production',
    attachmentDir: path.resolve(env.ATTACHMENT_DIR || path.join(env.DATA_DIR || '.data', 'attachments')),
    attachmentMaxBytes: int(env, 'ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1, 100 * 1024 * 1024),
    attachmentTypes: attachmentTypes(env.ATTACHMENT_TYPES),
    campaignStartWaitMs: int(env, 'CAMPAIGN_START_WAIT_MS', 20_000, 0, 600_000),
  };
  let url: URL;
  try {
    url = new URL(config.databaseUrl);
  } catch {
    throw new ConfigError(`DATABASE_URL must be a URL like postgres://user@host:5432/db, got "${config.databaseUrl}"`);
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol)) throw new ConfigError(`DATABASE_URL must start with postgres://, got "${config.databaseUrl}"`);
  if (!/^[^:\s/]+:\d{1,5}$/.test(config.temporalAddress)) throw new ConfigError(`TEMPORAL_ADDRESS must be host:port, got "${config.temporalAddress}"`);
  if (config.jwtSecret.length < 16) throw new ConfigError('JWT_SECRET must be at least 16 characters');
  if (config.adminPassword.length < 8) throw new ConfigError('ADMIN_PASSWORD must be at least 8 characters');
  if (config.production) {
    // A production API must never run with the secrets printed in README.md.
    if (config.jwtSecret === DEMO_JWT_SECRET) {
      throw new ConfigError('JWT_SECRET must be set to a secret of your own when NODE_ENV=production (the demo secret is refused)');
    }
    if (config.jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters when NODE_ENV=production');
    if (config.adminPassword === DEMO_ADMIN_PASSWORD) {
      throw new ConfigError('ADMIN_PASSWORD must be set to a password of your own when NODE_ENV=production (the demo password is refused)');
    }
  }
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${config.logLevel}"`);
  }
  return config;
}
