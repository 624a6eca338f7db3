/**
 * The officers' web app (apps/web) served by the API process at `/`: the static page and styles
 * from apps/web/public, the browser modules that `tsc -b tsconfig.build.json` compiled into
 * dist/apps/web/js. Nothing here is a Nest route: no token is needed to load the app itself
 * (every call it makes to /api/v1 carries the user's bearer token). Its Content-Security-Policy
 * (WEB_CSP, applied by securityHeaders() in app.ts) allows scripts and styles from this origin only.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Logger, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';

/** Paths outside /api/ belong to the web app. */
export const WEB_PATH = /^\/(?!api(?:\/|$))/;

/** Self-only: no inline script or style, no eval, no other origin, no framing. */
export const WEB_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameSrc: ["'none'"],
  workerSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

export interface WebAppDirs {
  /** index.html, app.css, favicon.svg (the sources: nothing to build). */
  publicDir: string;
  /** The compiled modules (dist/apps/web/js/main.js …). */
  jsDir: string;
}

/** The repository root: the first directory above this file holding apps/web/public/index.html. */
export function webAppDirs(from = __dirname): WebAppDirs | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'apps', 'web', 'public', 'index.html'))) {
      return { publicDir: path.join(dir, 'apps', 'web', 'public'), jsDir: path.join(dir, 'dist', 'apps', 'web', 'js') };
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** Registers the static files; call after the security headers so they apply. */
export function serveWebApp(app: INestApplication, dirs: WebAppDirs | null = webAppDirs()): void {
  const logger = new Logger('web');
  if (!dirs) {
    logger.warn('apps/web/public not found: the web app is not served');
    return;
  }
  if (!existsSync(path.join(dirs.jsDir, 'main.js'))) logger.warn(`${dirs.jsDir}/main.js missing: build the web app with \`npm run build\``);
  const express = app as NestExpressApplication;
  // Revalidate every time (ETag): a new build is picked up at the next load.
  const setHeaders = (res: Response) => res.setHeader('Cache-Control', 'no-cache');
  express.useStaticAssets(dirs.jsDir, { prefix: '/js/', index: false, fallthrough: true, setHeaders });
  express.useStaticAssets(dirs.publicDir, { prefix: '/', index: 'index.html', fallthrough: true, setHeaders });
}
