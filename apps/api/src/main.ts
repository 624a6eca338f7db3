/** The API process: validated configuration, then the NestJS app on PORT. */
import 'reflect-metadata';
import { ConfigError, loadApiConfig } from './config';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  console.log(`[api] listening on http://localhost:${config.port}/api/v1 (docs: /api/docs)`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `[api] configuration error: ${err.message}` : `[api] fatal: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
