import path from 'node:path';
import { ConfigError, loadApiConfig } from './config';

describe('loadApiConfig', () => {
  it('has working defaults', () => {
    expect(loadApiConfig({})).toMatchObject({
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/tdkt_flow',
      temporalAddress: '127.0.0.1:7233',
      taskQueue: 'tdkt-flow',
      adminUsername: 'admin',
    });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be an integer from 0 to 65535, got "70000"/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /DATABASE_URL must start with postgres/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL must be a URL/],
    [{ TEMPORAL_ADDRESS: 'localhost' }, /TEMPORAL_ADDRESS must be host:port/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 16/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadApiConfig(env)).toThrow(ConfigError);
    expect(() => loadApiConfig(env)).toThrow(message);
  });
});

describe('loadApiConfig: login rate limit', () => {
  it('defaults to 10 attempts per 60 s and can be configured', () => {
    expect(loadApiConfig({})).toMatchObject({ loginRateLimit: 10, loginRateWindowSeconds: 60 });
    expect(loadApiConfig({ LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '5' })).toMatchObject({ loginRateLimit: 3, loginRateWindowSeconds: 5 });
    expect(loadApiConfig({ LOGIN_RATE_LIMIT: '0' }).loginRateLimit).toBe(0);
  });

  it.each([
    [{ LOGIN_RATE_LIMIT: 'many' }, /LOGIN_RATE_LIMIT must be an integer/],
    [{ LOGIN_RATE_WINDOW_SECONDS: '0' }, /LOGIN_RATE_WINDOW_SECONDS must be an integer from 1/],
  ])('refuses %j', (env, message) => {
    expect(() => loadApiConfig(env)).toThrow(message);
  });
});

describe('loadApiConfig: NODE_ENV=production', () => {
  const own = { JWT_SECRET: 'a-production-secret-of-32-characters-or-more', ADMIN_PASSWORD: 'An0ther-Strong-Password' };

  it('starts with secrets of its own', () => {
    expect(loadApiConfig({ NODE_ENV: 'production', ...own })).toMatchObject({ production: true, jwtSecret: own.JWT_SECRET });
  });

  it.each([
    [{ ADMIN_PASSWORD: own.ADMIN_PASSWORD }, /^JWT_SECRET must be set to a secret of your own/],
    [{ ADMIN_PASSWORD: own.ADMIN_PASSWORD, JWT_SECRET: 'tdkt-flow-demo-secret-change-me' }, /^JWT_SECRET must be set/],
    [{ ADMIN_PASSWORD: own.ADMIN_PASSWORD, JWT_SECRET: 'sixteen-chars-ok-but-short' }, /^JWT_SECRET must be at least 32 characters when NODE_ENV=production/],
    [{ JWT_SECRET: own.JWT_SECRET }, /^ADMIN_PASSWORD must be set to a password of your own/],
    [{ JWT_SECRET: own.JWT_SECRET, ADMIN_PASSWORD: 'Admin@123456' }, /^ADMIN_PASSWORD must be set/],
  ])('refuses the demo values: %j', (env, message) => {
    expect(() => loadApiConfig({ NODE_ENV: 'production', ...env })).toThrow(ConfigError);
    expect(() => loadApiConfig({ NODE_ENV: 'production', ...env })).toThrow(message);
  });

  it('keeps the demo values outside production', () => {
    expect(loadApiConfig({ NODE_ENV: 'development' })).toMatchObject({ production: false, jwtSecret: 'tdkt-flow-demo-secret-change-me', adminPassword: 'Admin@123456' });
  });
});

describe('loadApiConfig: attachments', () => {
  it('stores them under DATA_DIR/attachments, up to 10 MiB, of the five accepted types, by default', () => {
    expect(loadApiConfig({})).toMatchObject({
      attachmentDir: path.resolve('.data', 'attachments'),
      attachmentMaxBytes: 10 * 1024 * 1024,
      attachmentTypes: ['pdf', 'docx', 'xlsx', 'jpeg', 'png'],
    });
    expect(loadApiConfig({ DATA_DIR: '/srv/tdkt' }).attachmentDir).toBe('/srv/tdkt/attachments');
    expect(loadApiConfig({ DATA_DIR: '/srv/tdkt', ATTACHMENT_DIR: '/mnt/hoso' }).attachmentDir).toBe('/mnt/hoso');
    expect(loadApiConfig({ ATTACHMENT_MAX_BYTES: '1048576', ATTACHMENT_TYPES: 'PDF, jpg,pdf' })).toMatchObject({ attachmentMaxBytes: 1048576, attachmentTypes: ['pdf', 'jpeg'] });
  });

  it.each([
    [{ ATTACHMENT_MAX_BYTES: '0' }, /ATTACHMENT_MAX_BYTES must be an integer from 1 to 104857600, got "0"/],
    [{ ATTACHMENT_MAX_BYTES: '10MB' }, /ATTACHMENT_MAX_BYTES must be an integer/],
    [{ ATTACHMENT_TYPES: 'pdf,exe' }, /ATTACHMENT_TYPES must be a comma-separated list of pdf, docx, xlsx, jpeg, png, got "pdf,exe"/],
    [{ ATTACHMENT_TYPES: ',' }, /ATTACHMENT_TYPES must be a comma-separated list/],
  ])('refuses %j', (env, message) => {
    expect(() => loadApiConfig(env)).toThrow(ConfigError);
    expect(() => loadApiConfig(env)).toThrow(message);
  });
});
