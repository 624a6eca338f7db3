// Starts this year's demo campaign of every seeded cluster through the public API, as an
// administrator would (idempotent: a campaign that already exists is left as it is).
// Usage: node infra/scripts/demo-campaigns.mjs [apiBaseUrl]   (built-ins only)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const api = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT ?? 3000}/api/v1`;
const { clusters } = JSON.parse(readFileSync(`${root}/libs/persistence/src/seed/clusters.json`, 'utf8'));

async function call(method, path, body, token, key) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

export async function startDemoCampaigns() {
  const login = await call('POST', '/auth/login', {
    username: process.env.ADMIN_USERNAME ?? 'admin',
    password: process.env.ADMIN_PASSWORD ?? 'Admin@123456',
  });
  if (login.status >= 300) throw new Error(`demo: admin login failed (${login.status}): ${JSON.stringify(login.body)}`);
  const year = new Date().getFullYear();
  const deadline = new Date(Date.now() + 14 * 24 * 3600 * 1000).toISOString();
  for (const c of clusters) {
    const head = c.nextYear?.head ?? c.head ?? c.members[0].code;
    const res = await call(
      'POST',
      '/campaigns',
      {
        clusterCode: c.code,
        clusterName: c.name,
        year,
        memberUnitCodes: c.members.map((m) => m.code),
        headUnitCode: head,
        ...(c.nextYear?.deputy ? { deputyUnitCode: c.nextYear.deputy } : {}),
        registrationDeadline: deadline,
      },
      login.body.accessToken,
      `demo-campaign-${year}-${c.code}`,
    );
    const what = res.status === 201 ? 'started' : res.status === 409 ? 'already running' : `failed (${res.status}: ${JSON.stringify(res.body)})`;
    console.log(`[demo] campaign ${year}:${c.code} ${what}`);
    if (res.status !== 201 && res.status !== 409) throw new Error(`demo: campaign ${c.code} could not start`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  startDemoCampaigns().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
