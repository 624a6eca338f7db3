import * as path from 'node:path';

interface Config {
  PORT: number;
  DATABASE_URL: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_UI_PORT: number;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
  DATA_DIR: string;
  ADMIN_USERNAME: string;
  ADMIN_PASSWORD: string;
  JWT_SECRET: string;
  DEMO_PASSWORD: string;
  database: { host: string; port: number };
  temporal: { host: string; port: number };
  env: Record<string, string | undefined>;
}

// The configuration module is plain CommonJS (built-ins only) so that the start scripts run before `npm install`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { config, ROOT } = require('./lib/config.cjs') as { config: (env?: NodeJS.ProcessEnv, root?: string) => Config; ROOT: string };

describe('infra config', () => {
  it('has the documented defaults', () => {
    const cfg = config({ PATH: '/usr/bin' });
    expect(cfg).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tdkt_flow',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_UI_PORT: 8233,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'tdkt-flow',
      DATA_DIR: path.join(ROOT, '.data'),
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'Admin@123456',
      JWT_SECRET: 'tdkt-flow-demo-secret-change-me',
      DEMO_PASSWORD: 'Demo@123456',
      database: { host: '127.0.0.1', port: 5432 },
      temporal: { host: '127.0.0.1', port: 7233 },
    });
    expect(ROOT).toBe(path.resolve(__dirname, '..', '..'));
  });

  it('hands every value to child processes as a string, keeping the rest of the environment', () => {
    const cfg = config({ PATH: '/usr/bin', PORT: '4000', DATA_DIR: '/tmp/x' });
    expect(cfg.PORT).toBe(4000);
    expect(cfg.env).toMatchObject({
      PATH: '/usr/bin',
      PORT: '4000',
      TEMPORAL_UI_PORT: '8233',
      DATA_DIR: '/tmp/x',
      TEMPORAL_TASK_QUEUE: 'tdkt-flow',
    });
  });

  it('accepts postgresql:// URLs, IPv6 Temporal addresses, and treats empty values as unset', () => {
    const cfg = config({ DATABASE_URL: 'postgresql://u:p@db.example:6543/x', TEMPORAL_ADDRESS: '[::1]:7233', PORT: '' });
    expect(cfg.database).toEqual({ host: 'db.example', port: 6543 });
    expect(cfg.temporal).toEqual({ host: '::1', port: 7233 });
    expect(cfg.PORT).toBe(3000);
  });

  it.each([['abc'], ['0'], ['65536'], ['3000.5'], ['-1']])(
    'rejects PORT=%s naming the variable, the value and what is expected',
    (value) => {
      expect(() => config({ PORT: value })).toThrow(`PORT="${value}": expected an integer port number between 1 and 65535`);
    },
  );

  it('rejects a bad TEMPORAL_UI_PORT', () => {
    expect(() => config({ TEMPORAL_UI_PORT: 'x' })).toThrow(/TEMPORAL_UI_PORT="x".*port number/);
  });

  it.each([['mysql://root@localhost/db'], ['postgres://'], ['127.0.0.1:5432'], ['postgres://host:99999/db']])(
    'rejects DATABASE_URL=%s',
    (value) => {
      expect(() => config({ DATABASE_URL: value })).toThrow(
        new RegExp(`DATABASE_URL=${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: expected a PostgreSQL URL`),
      );
    },
  );

  it.each([['localhost'], ['localhost:'], ['localhost:port'], [':7233'], ['localhost:70000'], ['http://localhost:7233']])(
    'rejects TEMPORAL_ADDRESS=%s',
    (value) => {
      expect(() => config({ TEMPORAL_ADDRESS: value })).toThrow(`TEMPORAL_ADDRESS=${JSON.stringify(value)}: expected host:port`);
    },
  );
});
