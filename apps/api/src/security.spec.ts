/**
 * Security of the HTTP edge on the real API and a real Postgres (Temporal unreachable on purpose):
 * helmet headers (and a Swagger UI that still loads), the login rate limit, expired and tampered
 * tokens, nothing secret in the logs, readiness and metrics.
 */
import jwt from 'jsonwebtoken';
import { API_DEMO_PASSWORD, startApiApp, type ApiApp } from '../../../test/support/api-app';

jest.setTimeout(60_000);

let api: ApiApp;

beforeAll(async () => {
  api = await startApiApp({ LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '60', LOG_LEVEL: 'trace' });
});
afterAll(async () => {
  await api?.stop();
});

describe('security headers (helmet)', () => {
  it('are on every API response, with a content policy that allows nothing', async () => {
    for (const res of [await api.http.get('/api/v1/units'), await api.http.post('/api/v1/auth/login').send({}), await api.http.get('/api/v1/nope')]) {
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('leave the Swagger UI working: its page, script and document load under their own policy', async () => {
    const page = await api.http.get('/api/docs/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    // Every script and stylesheet the page refers to is served from here (allowed by 'self').
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^https?:/);
      const res = await api.http.get(new URL(asset, 'http://x/api/docs/').pathname);
      expect(res.status).toBe(200);
    }
    const doc = await api.http.get('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.paths['/api/v1/audit/events']).toBeDefined();
  });
});

describe('login rate limit (LOGIN_RATE_LIMIT per IP and username)', () => {
  it('answers 429 after the limit for one username, and leaves other usernames alone', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await api.http.post('/api/v1/auth/login').send({ username: 'canbo.stp-hp', password: `wrong-${i}` });
      expect(res.status).toBe(401);
    }
    const blocked = await api.http.post('/api/v1/auth/login').send({ username: 'canbo.stp-hp', password: API_DEMO_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringContaining('too many login attempts') });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The same username in other case is the same account, so the same counter.
    expect((await api.http.post('/api/v1/auth/login').send({ username: 'CANBO.STP-HP', password: 'x' })).status).toBe(429);
    const other = await api.http.post('/api/v1/auth/login').send({ username: 'canbo.stp-dn', password: API_DEMO_PASSWORD });
    expect(other.status).toBe(200);
  });
});

describe('tokens', () => {
  const secret = () => api.config.jwtSecret;

  it('a valid token passes', async () => {
    const token = jwt.sign({ sub: 'kiemtra' }, secret(), { expiresIn: 60 });
    expect((await api.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });

  it('an expired token is 401', async () => {
    const token = jwt.sign({ sub: 'admin', exp: Math.floor(Date.now() / 1000) - 60 }, secret());
    const res = await api.http.get('/api/v1/users').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'invalid or expired token' });
  });

  it('a tampered token is 401: a flipped signature character, or another subject under the old signature', async () => {
    const token = jwt.sign({ sub: 'kiemtra' }, secret(), { expiresIn: 600 });
    const [header, payload, signature] = token.split('.');
    const flipped = `${header}.${payload}.${signature.slice(0, 5)}${signature[5] === 'A' ? 'B' : 'A'}${signature.slice(6)}`;
    const asAdmin = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'admin' })).toString('base64url');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${asAdmin}.`;
    const otherSecret = jwt.sign({ sub: 'admin' }, 'another-secret-of-some-length', { expiresIn: 600 });
    for (const bad of [flipped, `${header}.${asAdmin}.${signature}`, unsigned, otherSecret]) {
      const res = await api.http.get('/api/v1/users').set('Authorization', `Bearer ${bad}`);
      expect(res.status).toBe(401);
    }
  });
});

describe('logs', () => {
  it('never contain a password, a token or a ballot body, but do log each request with its id', async () => {
    const password = 'Sup3r-Secret-Passw0rd!';
    await api.http.post('/api/v1/auth/login').send({ username: 'thutruong.stp-ct', password }).set('x-request-id', 'req-login-1');
    const token = await api.token('thutruong.stp-hn');
    const ballot = { unitCode: 'STP-HN', ministryFlag: ['BALLOT-CHOICE-MARKER'], governmentFlag: ['ANOTHER-CHOICE-MARKER'] };
    const res = await api.http
      .post('/api/v1/campaigns/2099:KV-TP-TW/vote/ballots')
      .set('Authorization', `Bearer ${token}`)
      .set('x-request-id', 'req-ballot-1')
      .send(ballot);
    expect(res.status).toBe(404);
    const logs = api.logs();
    expect(logs).toContain('req-login-1');
    expect(logs).toContain('req-ballot-1');
    expect(logs).toContain('/api/v1/campaigns/2099:KV-TP-TW/vote/ballots');
    for (const secret of [password, API_DEMO_PASSWORD, token, 'BALLOT-CHOICE-MARKER', 'ANOTHER-CHOICE-MARKER']) expect(logs).not.toContain(secret);
  });
});

describe('operations endpoints', () => {
  it('readiness is 503 while Temporal does not answer, and says which dependency is down', async () => {
    const res = await api.http.get('/api/v1/health/ready');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', db: 'up', temporal: 'down' });
  });

  it('metrics are Prometheus text with route patterns, never raw URLs', async () => {
    await api.http.get('/api/v1/nominations/2035:KV-TP-TW:STP-HN');
    const res = await api.http.get('/api/v1/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/nominations\/:id",status_code="401"\} 1/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/auth\/login",status_code="429"\} \d+/);
    expect(res.text).toContain('process_resident_memory_bytes');
    expect(res.text).toContain('# TYPE tdkt_workflow_updates_total counter');
    expect(res.text).not.toContain('STP-HN');
  });
});
