/**
 * The web app in end-to-end tests: compile apps/web with tsc (what `npm run build` does for it),
 * serve it from a stack's API on a real port, and drive Debian's Chromium (/usr/bin/chromium,
 * installed by `npm test`'s bootstrap) headless with playwright-core. No browser is downloaded.
 * Also: a second API over the same stack with its own settings (a low login rate limit), and the
 * check that every character of a page is drawn with a real glyph, not the missing-glyph box.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../apps/api/src/app';
import { loadApiConfig } from '../../apps/api/src/config';
import { ADMIN, type Stack } from './stack';

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

/** Makes an API listen on 127.0.0.1 (a random port): the browser needs a real address. */
async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Makes the stack's API listen on 127.0.0.1 (a random port): the browser needs a real address. */
export async function serveStack(stack: Stack): Promise<string> {
  return listen(stack.app);
}

/**
 * A second API process-in-process over the stack's database and Temporal, with settings of its own
 * (e.g. LOGIN_RATE_LIMIT=2 for a login test that must meet the 429, while the stack's own API has
 * the limit off), serving the same web app on another port. Its tokens are its own (JWT_SECRET).
 */
export async function serveSecondApi(stack: Stack, env: Record<string, string>): Promise<{ base: string; stop(): Promise<void> }> {
  const app = await createApp(
    loadApiConfig({
      PORT: '0',
      DATABASE_URL: stack.db.url,
      TEMPORAL_ADDRESS: stack.env.address,
      TEMPORAL_NAMESPACE: stack.env.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      JWT_SECRET: `e2e-second-${randomUUID()}`,
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'error',
      ...env,
    }),
  );
  await app.init();
  const base = await listen(app);
  return { base, stop: () => app.close() };
}

export interface GlyphReport {
  /** The computed font of <body> the characters were drawn with. */
  font: string;
  /** The distinct non-ASCII characters of document.body.innerText that were drawn. */
  checked: string[];
  /** Those drawn exactly like U+10FFFD (a code point no font has): the missing-glyph box. */
  missing: string[];
  /** Those that left no pixel at all. */
  blank: string[];
  /** Sanity of the method: two code points without glyphs draw the same box. */
  controlSame: boolean;
}

/**
 * Draws each distinct non-ASCII character of the page's text on a canvas with the computed font of
 * <body> and compares its pixels with U+10FFFD (a private-use code point no font has a glyph for)
 * drawn the same way: a character whose font fallback found no glyph draws that same box. White
 * space and invisible format characters are skipped.
 */
export async function glyphReport(page: Page): Promise<GlyphReport> {
  return (await page.evaluate(GLYPH_SCRIPT)) as GlyphReport;
}

/** glyphReport's code in the page (a string: the tests' TypeScript has no DOM types). */
const GLYPH_SCRIPT = `(() => {
  const style = getComputedStyle(document.body);
  const font = style.fontStyle + ' ' + style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
  const size = Math.ceil(parseFloat(style.fontSize) || 16);
  const canvas = document.createElement('canvas');
  canvas.width = size * 3;
  canvas.height = size * 2;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d canvas');
  const draw = (ch) => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = font;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#000';
    ctx.fillText(ch, size / 2, size);
    return ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  };
  const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
  const missingBox = draw(String.fromCodePoint(0x10fffd));
  const controlSame = same(missingBox, draw(String.fromCodePoint(0x10fffe)));
  const chars = [...new Set(Array.from(document.body.innerText))]
    .filter((c) => c.codePointAt(0) > 0x7e && !/[\\s\\p{Cf}]/u.test(c))
    .sort();
  const missing = [];
  const blank = [];
  for (const ch of chars) {
    const pixels = draw(ch);
    if (same(pixels, missingBox)) missing.push(ch);
    else if (pixels.every((v, i) => i % 4 !== 3 || v === 0)) blank.push(ch);
  }
  return { font, checked: chars, missing, blank, controlSame };
})()`;

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
