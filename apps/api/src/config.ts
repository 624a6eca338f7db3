/** API configuration from the environment, validated at start-up with a message naming the variable. */
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
