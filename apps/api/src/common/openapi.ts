/**
 * What every operation of the OpenAPI document has in common, added once here rather than on
 * each route: the error answers of http-exception.filter.ts (one shape, `ErrorResponse`) that the
 * route can give, and the optional `Idempotency-Key` header of every POST. Without them the
 * document promised only the success status, so a client (or a fuzzer checking the answers
 * against the document) could not tell a documented refusal from a broken contract.
 */
import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  security?: unknown[];
};

export const ERROR_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 409 },
    error: { type: 'string', example: 'Conflict' },
    message: {
      description: 'what went wrong; for a 400 of validation, one line per field',
      oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    },
  },
};

const DESCRIPTIONS: Record<string, string> = {
  '400': 'malformed input (the message names the field) or a body that is not JSON',
  '401': 'no valid bearer token',
  '403': 'a role that may not do this, or another unit’s data',
  '404': 'no such object',
  '409': 'not possible in the current stage, a repeat, or the first request with this Idempotency-Key is still being processed',
  '413': 'the request body is too large',
  '422': 'this Idempotency-Key was used for another request',
  '503': 'the database or Temporal is unavailable; try again (with the same Idempotency-Key)',
};

/** Operations that reach neither Postgres nor Temporal (no 503 to document). */
const NO_DEPENDENCY = new Set(['/api/v1/metrics']);

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the POST safe to retry: the same key with the same body returns the first answer (header Idempotent-Replayed: true) and decides nothing twice; the same key with another body is a 422. 1 to 200 visible ASCII characters.',
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]{1,200}$' },
};

/** Adds the error answers, the ErrorResponse schema and the Idempotency-Key header in place. */
export function addCommonResponses(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {});
  schemas.ErrorResponse = ERROR_RESPONSE_SCHEMA;
  const error = (status: string) => ({
    description: DESCRIPTIONS[status],
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
  });
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const responses = (op.responses ??= {});
      const statuses = new Set<string>();
      const authenticated = (op.security?.length ?? 0) > 0;
      const params = op.parameters ?? [];
      if (authenticated) ['401', '403', '409'].forEach((s) => statuses.add(s));
      if (params.some((p) => p.in === 'path')) statuses.add('404');
      if (params.some((p) => p.in === 'query') || op.requestBody || method === 'post') statuses.add('400');
      if (method === 'post') {
        statuses.add('413');
        if (authenticated) {
          statuses.add('422');
          if (!params.some((p) => p.name.toLowerCase() === 'idempotency-key')) op.parameters = [...params, IDEMPOTENCY_KEY];
        }
      }
      if (!NO_DEPENDENCY.has(path)) statuses.add('503');
      for (const status of statuses) {
        const existing = responses[status] as { description?: string; content?: unknown } | undefined;
        if (!existing) responses[status] = error(status);
        else if (!existing.content) responses[status] = { ...error(status), description: existing.description || DESCRIPTIONS[status] };
      }
    }
  }
  return document;
}
