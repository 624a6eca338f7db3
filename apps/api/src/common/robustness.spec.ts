/** The pure helpers behind the crash-safety and fuzz findings of ADR 0006. */
import type { OpenAPIObject } from '@nestjs/swagger';
import { isUnavailable, unavailableService } from './http-exception.filter';
import { storableJson } from './idempotency.interceptor';
import { addCommonResponses } from './openapi';
import { nulPaths } from './validation';

describe('storableJson (answers kept for an Idempotency-Key)', () => {
  it('replaces NUL, which Postgres jsonb cannot hold, and keeps an escaped "\\u0000" text as it is', () => {
    expect(JSON.parse(storableJson({ message: ['property a\u0000b should not exist'] }))).toEqual({ message: ['property a\ufffdb should not exist'] });
    expect(JSON.parse(storableJson({ text: 'C:\\u0000' }))).toEqual({ text: 'C:\\u0000' });
    expect(JSON.parse(storableJson({ text: '\\\u0000' }))).toEqual({ text: '\\\ufffd' });
    expect(storableJson(null)).toBe('null');
  });
});

describe('unavailable dependencies are 503, named', () => {
  it('recognises a database refusing connections and a wrapped Temporal UNAVAILABLE', () => {
    const refused = Object.assign(new Error('database "x" is not currently accepting connections'), { code: '55000', severity: 'FATAL' });
    expect(isUnavailable(refused)).toBe(true);
    expect(unavailableService(refused)).toBe('the database');
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    const wrapped = Object.assign(new Error('Failed to execute update'), { name: 'ServiceError', cause: grpc });
    expect(isUnavailable(wrapped)).toBe(true);
    expect(unavailableService(wrapped)).toBe('the workflow engine (Temporal)');
    expect(isUnavailable(new Error('duplicate key value violates unique constraint'))).toBe(false);
  });
});

describe('addCommonResponses', () => {
  it('documents the error answers and the Idempotency-Key of an authenticated POST, and keeps what the route declared', () => {
    const doc = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/api/v1/nominations/{id}/review': {
          post: { security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path' }], requestBody: {}, responses: { '201': { description: 'ok' } } },
        },
        '/api/v1/health': { get: { responses: { '200': { description: 'ok' }, '503': { description: 'down', content: { 'application/json': { schema: {} } } } } } },
        '/api/v1/metrics': { get: { responses: { '200': { description: 'ok' } } } },
      },
    } as unknown as OpenAPIObject;
    addCommonResponses(doc);
    const review = doc.paths['/api/v1/nominations/{id}/review'].post!;
    expect(Object.keys(review.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '413', '422', '503']);
    expect(review.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]));
    expect(doc.paths['/api/v1/health'].get!.responses['503']).toEqual({ description: 'down', content: { 'application/json': { schema: {} } } });
    expect(Object.keys(doc.paths['/api/v1/metrics'].get!.responses)).toEqual(['200']);
    expect(doc.components?.schemas?.ErrorResponse).toMatchObject({ required: ['statusCode', 'error', 'message'] });
  });
});

describe('nulPaths (what NoNulCharacterPipe refuses)', () => {
  it('names every string holding NUL, nested and in arrays, keys too, and nothing else', () => {
    const body = { reason: 'ổn', criteria: [{ code: 'TC1', name: 'a\u0000' }, { code: 'TC2' }], ['k\u0000']: 1, note: 'escaped \\u0000 text' };
    expect(nulPaths(body)).toEqual(['criteria[0].name', 'k\u0000']);
    expect(nulPaths('x\u0000', 'id')).toEqual(['id']);
    expect(nulPaths({ year: 2026, ok: true, none: null })).toEqual([]);
  });
});
