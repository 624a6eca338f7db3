/**
 * The fuzz of `npm run fuzz` with a small budget, so that CI (which runs exactly `npm test`) runs
 * it on every change: schemathesis generates requests from the API's OpenAPI document, as an
 * administrator and as a unit officer, and fails on any 5xx or any answer the document does not
 * describe (status, content type, body schema). Same options as infra/scripts/fuzz.mjs (both use
 * infra/scripts/lib/fuzz.cjs), against the whole stack (Temporal dev server, worker, API,
 * Postgres) with one real campaign running, so that the document's examples name real objects.
 * On failure the test prints schemathesis's report (each failure with a curl to reproduce it).
 */
import type { AddressInfo } from 'node:net';
import { ADMIN, DEMO_PASSWORD, startStack, type Stack } from '../support/stack';

// The configuration module is plain CommonJS so that `npm run fuzz` runs it before any build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fuzzApi } = require('../../infra/scripts/lib/fuzz.cjs') as {
  fuzzApi(
    baseUrl: string,
    options: { users: { username: string; password: string }[]; maxExamples: number; seed: number; timeoutMs: number },
  ): Promise<{ ok: boolean; runs: { username: string; code: number; output: string; timedOut: boolean; args: string[] }[] }>;
};

jest.setTimeout(180_000);

/** Examples per operation and run: two runs of about 48 operations stay well under 90 s here. */
const MAX_EXAMPLES = 5;
const SEED = 20261125;

let stack: Stack;
let baseUrl: string;

beforeAll(async () => {
  stack = await startStack({ env: { LOGIN_RATE_LIMIT: '0' } });
  await stack.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(stack.app.getHttpServer().address() as AddressInfo).port}`;
  // The year and ids of the document's examples (2026:KV-TP-TW:STP-HN) exist.
  const started = await stack.post(ADMIN.username, '/api/v1/campaigns', {
    clusterCode: 'KV-TP-TW',
    clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương',
    year: 2026,
    memberUnitCodes: ['STP-HN', 'STP-HCM', 'THADS-HN'],
    headUnitCode: 'STP-HN',
    registrationDeadline: new Date(Date.now() + 14 * 24 * 3600 * 1000).toISOString(),
  });
  if (started.status !== 201) throw new Error(`campaign: ${started.status} ${JSON.stringify(started.body)}`);
});

afterAll(async () => {
  await stack?.stop();
});

it('answers every generated request without a 5xx and as its OpenAPI document says', async () => {
  const started = Date.now();
  const result = await fuzzApi(baseUrl, {
    users: [ADMIN, { username: 'canbo.stp-hn', password: DEMO_PASSWORD }],
    maxExamples: MAX_EXAMPLES,
    seed: SEED,
    timeoutMs: 75_000,
  });
  const seconds = (Date.now() - started) / 1000;
  if (!result.ok) {
    const report = result.runs
      .map((r) => `=== schemathesis as ${r.username}: exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\n${r.args.join(' ')}\n${r.output}`)
      .join('\n');
    throw new Error(`the fuzz found problems (${seconds.toFixed(0)} s):\n${report}`);
  }
  expect(result.runs.map((r) => r.code)).toEqual([0, 0]);
  expect(seconds).toBeLessThan(90);
});
