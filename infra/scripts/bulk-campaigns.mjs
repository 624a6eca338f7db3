// Starts the campaigns of a whole year from a file, through the public API (built-ins only).
//
//   npm run campaigns:bulk -- --file clusters.json --year 2027 [--deadline 2027-01-31T10:00:00Z]
//        [--self-assessment-deadline ISO] [--api http://127.0.0.1:3000/api/v1] [--stop-after N]
//
// The file lists the clusters as libs/persistence/src/seed/clusters.json does ({ clusters: [{ code,
// name, members: [{ code }], head?, nextYear?: { head?, deputy? } }] }); next year's head and
// deputy (rotation) lead the new campaign. Progress is printed per cluster ([i/N] ...). A campaign
// is a business key (<year>:<cluster>: the API answers 409 for one that exists), so running the
// command again is harmless and an interrupted run resumes where it stopped: clusters already
// started are reported "already running". Credentials: ADMIN_USERNAME / ADMIN_PASSWORD.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

async function call(api, method, path, body, token, key) {
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

/** Returns { started, already, failed } and logs one line per cluster. */
export async function bulkStartCampaigns({ api, clusters, year, deadline, selfAssessmentDeadline, username, password, stopAfter, log = console.log, tag = 'bulk' }) {
  const login = await call(api, 'POST', '/auth/login', { username, password });
  if (login.status >= 300) throw new Error(`[${tag}] admin login failed (${login.status}): ${JSON.stringify(login.body)}`);
  const summary = { started: 0, already: 0, failed: 0 };
  const total = clusters.length;
  for (const [i, c] of clusters.entries()) {
    if (stopAfter !== undefined && i >= stopAfter) {
      log(`[${tag}] stopped after ${stopAfter} of ${total}; run the same command again to resume`);
      break;
    }
    const head = c.nextYear?.head ?? c.head ?? c.members[0].code;
    const deputy = c.nextYear?.deputy && c.nextYear.deputy !== head ? c.nextYear.deputy : undefined;
    const res = await call(
      api,
      'POST',
      '/campaigns',
      {
        clusterCode: c.code,
        clusterName: c.name,
        year,
        memberUnitCodes: c.members.map((m) => m.code),
        headUnitCode: head,
        ...(deputy ? { deputyUnitCode: deputy } : {}),
        registrationDeadline: deadline,
        ...(selfAssessmentDeadline ? { selfAssessmentDeadline } : {}),
      },
      login.body.accessToken,
    );
    const outcome = res.status === 201 ? 'started' : res.status === 409 ? 'already' : 'failed';
    summary[outcome] += 1;
    const what = outcome === 'started' ? 'started' : outcome === 'already' ? 'already running' : `failed (${res.status}: ${JSON.stringify(res.body.message ?? res.body)})`;
    log(`[${tag}] [${i + 1}/${total}] campaign ${year}:${c.code} ${what}`);
  }
  log(`[${tag}] done: ${summary.started} started, ${summary.already} already running, ${summary.failed} failed`);
  return summary;
}

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = arg('file');
  const year = Number(arg('year'));
  if (!file || !Number.isInteger(year)) {
    console.error('usage: bulk-campaigns.mjs --file <clusters.json> --year <YYYY> [--deadline ISO] [--self-assessment-deadline ISO] [--api URL] [--stop-after N]');
    process.exit(2);
  }
  const { clusters } = JSON.parse(readFileSync(file, 'utf8'));
  bulkStartCampaigns({
    api: arg('api') ?? `http://127.0.0.1:${process.env.PORT ?? 3000}/api/v1`,
    clusters,
    year,
    deadline: arg('deadline') ?? new Date(Date.now() + 14 * 24 * 3600 * 1000).toISOString(),
    selfAssessmentDeadline: arg('self-assessment-deadline'),
    username: process.env.ADMIN_USERNAME ?? 'admin',
    password: process.env.ADMIN_PASSWORD ?? 'Admin@123456',
    stopAfter: arg('stop-after') === undefined ? undefined : Number(arg('stop-after')),
  }).then(
    (s) => process.exit(s.failed ? 1 : 0),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
