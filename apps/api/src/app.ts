/**
 * Builds the NestJS application: routes under /api/v1, validation of every input at the edge,
 * one error shape, OpenAPI at /api/docs, security headers (helmet), request metrics, and the
 * first administrator from the configuration.
 */
import { BadRequestException, RequestMethod, ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ValidationError } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { hashPassword } from '@tdkt/persistence';
import { AppModule, type AppOptions } from './app.module';
import type { ApiConfig } from './config';
import { Metrics } from './common/metrics';
import { addCommonResponses } from './common/openapi';
import { DATA_SOURCE } from './common/tokens';
import { NoNulCharacterPipe } from './common/validation';
import { serveWebApp, WEB_CSP, WEB_PATH } from './web/web-app';

/** The paths of the OpenAPI UI and document, served outside the /api/v1 prefix. */
const DOCS_PATH = /^\/api\/docs(?:[/-]|$)/;

/**
 * Security headers on every response. The API answers JSON only, so its content policy allows
 * nothing at all; the Swagger UI (/api/docs) needs its own scripts, styles and inline images; the
 * web app (every path outside /api/) gets a self-only policy (web/web-app.ts).
 */
export function securityHeaders() {
  const api = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
  });
  const docs = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
  });
  // The web app (apps/web, served at /): scripts and styles of this origin only, nothing inline.
  const web = helmet({ contentSecurityPolicy: { useDefaults: false, directives: WEB_CSP } });
  return (req: Request, res: Response, next: NextFunction) => (DOCS_PATH.test(req.path) ? docs : WEB_PATH.test(req.path) ? web : api)(req, res, next);
}

/** Flattens nested validation errors into "field.sub: message" lines. */
export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? `${parent ? `${parent}.` : ''}${m}` : `${path}: ${m}`));
    return [...own, ...validationMessages(e.children ?? [], path)];
  });
}

export function buildOpenApi(app: INestApplication) {
  const config = new DocumentBuilder()
    .setTitle('tdkt-flow API')
    .setDescription('Emulation and commendation (thi đua, khen thưởng) of the Justice sector: campaigns, secret ballots, review, council and Government decisions.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return addCommonResponses(SwaggerModule.createDocument(app, config));
}

export async function createApp(config: ApiConfig, options: AppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config, options), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  // bufferLogs holds Nest's own log lines until a flush: without this, the lines of Logger
  // instances (the error filter's, the workflow gateway's) would never be written.
  app.flushLogs();
  app.use(securityHeaders());
  app.use(app.get(Metrics).httpMiddleware());
  serveWebApp(app);
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'api/docs', method: RequestMethod.GET }] });
  app.useGlobalPipes(
    new NoNulCharacterPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(validationMessages(errors)),
    }),
  );
  SwaggerModule.setup('api/docs', app, buildOpenApi(app), { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  await ensureAdmin(app.get<DataSource>(DATA_SOURCE), config);
  return app;
}

/** The first administrator (ADMIN_USERNAME / ADMIN_PASSWORD), created when missing. */
async function ensureAdmin(dataSource: DataSource, config: ApiConfig): Promise<void> {
  await dataSource.query(
    `INSERT INTO app_user (username, password_hash, full_name, roles, unit_code)
     VALUES ($1, $2, 'Quản trị hệ thống', ARRAY['ADMIN'], NULL) ON CONFLICT (username) DO NOTHING`,
    [config.adminUsername, await hashPassword(config.adminPassword)],
  );
}
