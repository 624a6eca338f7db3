/**
 * The web app in end-to-end tests: compile apps/web with tsc (what `npm run build` does for it),
 * serve it from a stack's API on a real port, and drive Debian's Chromium (/usr/bin/chromium,
 * installed by `npm test`'s bootstrap) headless with playwright-core. No browser is downloaded.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import type { Stack } from './stack';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..', '..');

/** tsc -p apps/web/tsconfig.json: type checks the app and writes dist/apps/web/js, which the API serves. */
export async function buildWebApp(): Promise<void> {
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', path.join(ROOT, 'apps', 'web', 'tsconfig.json')], { cwd: ROOT });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`the web app does not compile:\n${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`);
  }
}

/** Makes the stack's API listen on 127.0.0.1 (a random port): the browser needs a real address. */
export async function serveStack(stack: Stack): Promise<string> {
  await stack.app.listen(0, '127.0.0.1');
  const { port } = stack.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: npm test installs it (apt-get install chromium); or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}
