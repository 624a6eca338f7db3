/**
 * Builds the NestJS application: routes under /api/v1, validation of every input at the edge,
 * one error shape, OpenAPI at /api/docs, and the first administrator from the configuration.
 */
import { BadRequestException, RequestMethod, ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ValidationError } from 'class-validator';
import { Logger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { hashPassword } from '@tdkt/persistence';
import { AppModule } from './app.module';
import type { ApiConfig } from './config';
import { DATA_SOURCE } from './common/tokens';

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
  return SwaggerModule.createDocument(app, config);
}

export async function createApp(config: ApiConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'api/docs', method: RequestMethod.GET }] });
  app.useGlobalPipes(
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
