// Scenario 1: the whole pipeline over HTTP, as the clients would drive it.
//
// Setup (timed apart): N synthetic units, an officer and a leader per unit, a cluster head per
// cluster of 10, written into Postgres, and their access tokens. Then, timed: per cluster, a campaign, every registration, the
// self-assessments (once registration has closed by itself), the secret ballot (every leader
// elects the first 3 units for the Ministry flag and the first one for the Government flag),
// the Department's approval of the 3 selected; the approved nominations go to council sessions
// of about 50 nominations (9 members vote, the chair closes), then the Government decision for
// those waiting for it. Clusters progress independently; at most `concurrency` requests are in
// flight at any moment (the "concurrent clients").
import { createHmac } from 'node:crypto';
import { HttpError, JsonClient, Recorder, Semaphore, nowMs, pool, sleep } from './util.mjs';

const CLUSTER_SIZE = 10;
const MINISTRY_SEATS = 3;
const GOVERNMENT_SEATS = 1;
const COUNCIL = ['chutich', ...Array.from({ length: 8 }, (_, i) => `hoidong${i + 1}`)];
const FINAL_STAGES = ['AWARDED', 'NOT_SELECTED', 'NOT_AWARDED', 'WITHDRAWN'];

/** An HS256 access token of the API's shape ({ sub, iat, exp }), as @nestjs/jwt signs it at login. */
function signAccessToken(username, secret, ttlSeconds) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: username, iat, exp: iat + ttlSeconds })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/**
 * opts: { api (base URL …/api/v1), n, concurrency, year, prefix (unique per run, e.g. "B0"),
 *         adminPassword, demoPassword, councilBatch, log,
 *         databaseUrl, pg, hashPassword, jwtSecret, jwtTtlSeconds (the setup's direct inserts and tokens),
 *         maxSeconds (time budget of the timed part; 0: none) }
 */
export async function runPipeline(opts) {
  const { n, concurrency, year, prefix, log } = opts;
  if (n % CLUSTER_SIZE !== 0 || n < CLUSTER_SIZE) throw new Error(`--n must be a multiple of ${CLUSTER_SIZE} (got ${n})`);
  const client = new JsonClient(opts.api, { maxSockets: concurrency + 8 });
  let rec = new Recorder(); // setup's, then the timed pipeline's
  const gate = new Semaphore(concurrency);
  const tokens = new Map();
  const counters = { requests: 0, decisionRequests: 0, retries409: 0, polls: 0 };

  /** One request under the concurrency gate; records its latency under `label`; throws unless status is expected. */
  async function call(label, method, path, { user, body, expect = [200, 201], decision = false } = {}) {
    const token = user ? tokens.get(user) : undefined;
    if (user && !token) throw new Error(`no token for ${user}`);
    const res = await gate.with(() => client.request(method, path, { body, token }));
    counters.requests += 1;
    rec.add(label, res.ms);
    if (!expect.includes(res.status)) {
      rec.error(label, String(res.status));
      throw new HttpError(method, path, res.status, res.body);
    }
    if (decision && res.status < 300) counters.decisionRequests += 1; // accepted decisions only, not refused retries
    return res;
  }

  /** Retries a decision refused with 409 because a signal from another workflow has not landed yet. */
  async function decisionWithRetry(label, path, user, body, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
      try {
        return await call(label, 'POST', path, { user, body, decision: true });
      } catch (err) {
        if (!(err instanceof HttpError) || err.status !== 409 || Date.now() > deadline) throw err;
        counters.retries409 += 1;
        await sleep(delay);
      }
    }
  }

  async function poll(label, path, user, done, timeoutMs = 60_000, expect = [200]) {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 20; ; delay = Math.min(delay * 2, 200)) {
      counters.polls += 1;
      const res = await call(label, 'GET', path, { user, expect });
      if (done(res.body)) return res.body;
      if (Date.now() > deadline)
        throw new Error(`${path}: condition not reached within ${timeoutMs / 1000}s (last: ${JSON.stringify(res.body).slice(0, 300)})`);
      await sleep(delay);
    }
  }

  // ---------------------------------------------------------------- setup (not in the throughput)
  const pad = (i, w) => String(i).padStart(w, '0');
  const clusters = Array.from({ length: n / CLUSTER_SIZE }, (_, c) => {
    const code = `${prefix}-C${pad(c, 4)}`;
    const units = Array.from({ length: CLUSTER_SIZE }, (_, u) => `${prefix}-U${pad(c * CLUSTER_SIZE + u, 6)}`);
    return { code, units, id: `${year}:${code}`, head: `head.${code.toLowerCase()}` };
  });
  const officer = (u) => `officer.${u.toLowerCase()}`;
  const leader = (u) => `leader.${u.toLowerCase()}`;
  const password = 'Bench@123456';

  const setupStarted = nowMs();
  const allUnits = clusters.flatMap((c) => c.units);
  const users = [
    ...allUnits.flatMap((u) => [
      { username: officer(u), fullName: `Cán bộ thi đua ${u}`, role: 'UNIT_OFFICER', unitCode: u },
      { username: leader(u), fullName: `Thủ trưởng ${u}`, role: 'UNIT_LEADER', unitCode: u },
    ]),
    ...clusters.map((c) => ({ username: c.head, fullName: `Cụm trưởng ${c.code}`, role: 'CLUSTER_HEAD', unitCode: c.units[0] })),
  ];
  // The units and accounts are written straight into Postgres (the sweep does the same) and their
  // access tokens are signed here with the stack's JWT secret, as POST /auth/login signs them: a
  // scrypt per POST /users and per login made the setup of N=10,000 take longer than its pipeline.
  // The demo accounts (the Department, the council) log in through the API.
  const db = new opts.pg.Client({ connectionString: opts.databaseUrl });
  await db.connect();
  try {
    const hash = await opts.hashPassword(`Bench-${prefix}-${Date.now()}`); // nobody logs in as these accounts
    for (let i = 0; i < allUnits.length; i += 5_000) {
      const codes = allUnits.slice(i, i + 5_000);
      await db.query(
        `INSERT INTO unit (code, name, kind) SELECT code, 'Đơn vị thử tải ' || code, 'OTHER' FROM unnest($1::text[]) AS code`,
        [codes],
      );
    }
    for (let i = 0; i < users.length; i += 5_000) {
      const batch = users.slice(i, i + 5_000);
      await db.query(
        `INSERT INTO app_user (username, password_hash, full_name, roles, unit_code)
         SELECT u, $5, f, ARRAY[r], c FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(u, f, r, c)`,
        [batch.map((u) => u.username), batch.map((u) => u.fullName), batch.map((u) => u.role), batch.map((u) => u.unitCode), hash],
      );
    }
  } finally {
    await db.end();
  }
  for (const u of users) tokens.set(u.username, signAccessToken(u.username, opts.jwtSecret, opts.jwtTtlSeconds));
  const logins = [
    { username: 'admin', password: opts.adminPassword },
    ...['vutdkt', ...COUNCIL].map((username) => ({ username, password: opts.demoPassword })),
  ];
  await pool(logins, concurrency, async (l) => {
    const res = await call('POST /auth/login', 'POST', '/auth/login', { body: l });
    tokens.set(l.username, res.body.accessToken);
  });
  // One request per kind of account, so a token the API would refuse fails the setup, not the run.
  for (const u of [users[0], users[1], users.at(-1)]) await call('GET /me/tasks', 'GET', '/me/tasks', { user: u.username });
  const setupSeconds = (nowMs() - setupStarted) / 1000;
  log(`setup: ${allUnits.length} units, ${users.length} users, ${logins.length + 1} logins in ${setupSeconds.toFixed(1)}s`);
  const setup = { seconds: setupSeconds, ...rec.summary() };

  // ---------------------------------------------------------------- the timed pipeline
  rec = new Recorder();
  for (const k of Object.keys(counters)) counters[k] = 0;

  const councilQueue = []; // { nominationId, government: boolean }
  let sessionsOpened = 0;
  const sessionMutex = new Semaphore(1);
  const councilRuns = [];
  const sessionIds = [];
  let reviewsDone = 0;
  const milestones = {}; // seconds since the timed start
  let timedStart = 0;
  const mark = (name) => (milestones[name] = Math.round((nowMs() - timedStart) / 100) / 10);
  let submissionsSupported; // undefined until the first try
  const stats = { campaigns: 0, campaignsAccepted: 0, awarded: 0, governmentDecisions: 0 };

  const nid = (c, u) => `${year}:${c.code}:${u}`;

  async function runCouncil(items) {
    const opened = await sessionMutex.with(() =>
      call('POST /council-sessions', 'POST', '/council-sessions', {
        user: 'chutich',
        body: { year, nominationIds: items.map((i) => i.nominationId) },
        decision: true,
      }),
    );
    const sessionId = opened.body.id;
    sessionIds.push(sessionId);
    mark(`council ${sessionId} opened (${items.length} nominations)`);
    sessionsOpened += 1;
    const votes = COUNCIL.flatMap((voter) =>
      items.flatMap((i) => [
        { voter, nominationId: i.nominationId, title: 'MINISTRY_FLAG' },
        ...(i.government ? [{ voter, nominationId: i.nominationId, title: 'GOVERNMENT_FLAG' }] : []),
      ]),
    );
    await Promise.all(
      votes.map((v) =>
        call('POST /council-sessions/:id/votes', 'POST', `/council-sessions/${sessionId}/votes`, {
          user: v.voter,
          body: { nominationId: v.nominationId, title: v.title, approve: true },
          decision: true,
        }),
      ),
    );
    mark(`council ${sessionId} ${votes.length} votes cast`);
    await call('POST /council-sessions/:id/close', 'POST', `/council-sessions/${sessionId}/close`, {
      user: 'chutich',
      body: { membersPresent: COUNCIL.length },
      decision: true,
    });
    mark(`council ${sessionId} closed`);
    const government = items.filter((i) => i.government);
    // The Government flag goes to the Government in a batch within the year's quota (trình Chính
    // phủ), when the product has that step (POST /government-submissions); synthetic units are of
    // kind OTHER, which needs no consultation (hiệp y).
    if (government.length && submissionsSupported !== false) {
      const body = { year, nominationIds: government.map((i) => i.nominationId) };
      if (submissionsSupported === undefined) {
        const probe = await call('POST /government-submissions', 'POST', '/government-submissions', {
          user: 'vutdkt',
          body,
          expect: [200, 201, 404, 409],
          decision: true,
        });
        submissionsSupported = probe.status !== 404;
        if (probe.status === 409) await decisionWithRetry('POST /government-submissions', '/government-submissions', 'vutdkt', body);
      } else if (submissionsSupported) {
        await decisionWithRetry('POST /government-submissions', '/government-submissions', 'vutdkt', body);
      }
    }
    await Promise.all(
      government.map(async (i) => {
        const path = `/nominations/${encodeURIComponent(i.nominationId)}/government-decision`;
        const res = await decisionWithRetry('POST /nominations/:id/government-decision', path, 'vutdkt', {
          decision: 'AWARDED',
          decisionNumber: `${sessionsOpened}/QĐ-TTg`,
          decisionDate: `${year + 1}-03-20`,
        });
        if (res.body.stage !== 'AWARDED') throw new Error(`${i.nominationId}: stage ${res.body.stage} after the Government decision`);
        stats.governmentDecisions += 1;
      }),
    );
    mark(`council ${sessionId} Government decisions recorded`);
  }

  function flushCouncil(all) {
    while (councilQueue.length >= opts.councilBatch || (all && councilQueue.length > 0)) {
      const items = councilQueue.splice(0, opts.councilBatch);
      // Awaited at the end; a failure meanwhile stops the run at once (never an unhandled rejection).
      const session = runCouncil(items);
      session.catch((err) => failNow(err));
      councilRuns.push(session);
    }
  }

  async function runCluster(c) {
    const enc = encodeURIComponent(c.id);
    const started = await call('POST /campaigns', 'POST', '/campaigns', {
      user: 'admin',
      decision: true,
      expect: [201, 202],
      body: {
        clusterCode: c.code,
        clusterName: `Cụm thi đua thử tải ${c.code}`,
        year,
        memberUnitCodes: c.units,
        headUnitCode: c.units[0],
        deputyUnitCode: c.units[1],
        registrationDeadline: `${year}-12-31T10:00:00.000Z`,
      },
    });
    // 202: started, but the engine is busy and the campaign is not readable yet (the API's wait ran out).
    if (started.status === 202) {
      stats.campaignsAccepted += 1;
      await poll('GET /campaigns/:id (after 202)', `/campaigns/${enc}`, 'admin', (b) => b?.id === c.id, 600_000, [200, 404]);
    }
    stats.campaigns += 1;
    if (stats.campaigns === clusters.length) mark('all campaigns started');
    await Promise.all(
      c.units.map((u) =>
        call('POST /campaigns/:id/registrations', 'POST', `/campaigns/${enc}/registrations`, {
          user: officer(u),
          body: { unitCode: u, targetTitles: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] },
          decision: true,
        }),
      ),
    );
    // Registration closes by itself once every member has registered.
    await poll('GET /campaigns/:id (poll)', `/campaigns/${enc}`, c.head, (v) => v.phase === 'SELF_ASSESSMENT');
    await Promise.all(
      c.units.map((u) =>
        decisionWithRetry(
          'POST /nominations/:id/self-assessment',
          `/nominations/${encodeURIComponent(nid(c, u))}/self-assessment`,
          officer(u),
          {
            score: 90,
            achievementReport: `Báo cáo thành tích năm ${year} của ${u}: hoàn thành xuất sắc nhiệm vụ`,
          },
        ),
      ),
    );
    // The campaign learns of each self-assessment by a signal: the vote's candidates are those it knows.
    await poll('GET /campaigns/:id (poll)', `/campaigns/${enc}`, c.head, (v) => v.members.every((m) => m.selfAssessedAt));
    await call('POST /campaigns/:id/vote/open', 'POST', `/campaigns/${enc}/vote/open`, {
      user: c.head,
      body: { ministryFlagSeats: MINISTRY_SEATS, governmentFlagSeats: GOVERNMENT_SEATS },
      decision: true,
    });
    const ministry = c.units.slice(0, MINISTRY_SEATS);
    const government = c.units.slice(0, GOVERNMENT_SEATS);
    await Promise.all(
      c.units.map((u) =>
        call('POST /campaigns/:id/vote/ballots', 'POST', `/campaigns/${enc}/vote/ballots`, {
          user: leader(u),
          body: { unitCode: u, ministryFlag: ministry, governmentFlag: government },
          decision: true,
        }),
      ),
    );
    const closed = await call('POST /campaigns/:id/vote/close', 'POST', `/campaigns/${enc}/vote/close`, { user: c.head, decision: true });
    mark('last vote closed');
    const selected = closed.body.ministryFlag.filter((t) => t.selected).map((t) => t.unitCode);
    if (selected.length !== MINISTRY_SEATS)
      throw new Error(`${c.id}: ${selected.length} units selected, expected ${MINISTRY_SEATS}: ${JSON.stringify(closed.body)}`);
    await Promise.all(
      ministry.map(async (u) => {
        const res = await decisionWithRetry(
          'POST /nominations/:id/review',
          `/nominations/${encodeURIComponent(nid(c, u))}/review`,
          'vutdkt',
          {
            decision: 'APPROVE',
            reason: 'Hồ sơ đầy đủ, đủ điều kiện',
          },
        );
        if (res.body.stage !== 'COUNCIL_DECISION') throw new Error(`${nid(c, u)}: stage ${res.body.stage} after approval`);
        reviewsDone += 1;
        mark('last review');
        councilQueue.push({ nominationId: nid(c, u), government: government.includes(u) });
      }),
    );
    flushCouncil(false);
  }

  log(`pipeline: ${n} nominations in ${clusters.length} clusters, ${concurrency} concurrent clients`);
  let failNow;
  const failed = new Promise((_, reject) => (failNow = reject));
  failed.catch(() => undefined);
  await opts.onTimedStart?.();
  const started = nowMs();
  timedStart = started;
  // A time budget (--max-minutes): past it the run fails with the figures measured so far in its JSON.
  const budget = opts.maxSeconds
    ? setTimeout(
        () =>
          failNow(
            new Error(
              `pipeline N=${n}: time budget of ${opts.maxSeconds / 60} min spent (${stats.campaigns} campaigns started, ${reviewsDone} reviews)`,
            ),
          ),
        opts.maxSeconds * 1000,
      )
    : null;
  // Every minute, how far the run has got: phase rates of a run that does not finish (--max-minutes).
  const timeline = [];
  const sample = () =>
    timeline.push({
      s: Math.round((nowMs() - started) / 1000),
      requests: counters.requests,
      campaigns: stats.campaigns,
      reviews: reviewsDone,
      councilSessions: sessionsOpened,
      governmentDecisions: stats.governmentDecisions,
    });
  const sampler = setInterval(sample, 60_000);
  const timelineToNow = () => {
    sample();
    return timeline;
  };
  let progress = setInterval(
    () =>
      log(
        `  … ${stats.campaigns}/${clusters.length} campaigns started, ${reviewsDone} reviews, ${sessionsOpened} council sessions, ${stats.governmentDecisions} Government decisions, ${counters.requests} requests`,
      ),
    10_000,
  );
  try {
    await Promise.race([Promise.all(clusters.map((c) => runCluster(c))), failed]);
    flushCouncil(true);
    await Promise.race([Promise.all(councilRuns), failed]);
  } catch (err) {
    // Keep what was measured up to the failure for the JSON report.
    err.partial = {
      n,
      seconds: (nowMs() - started) / 1000,
      ...counters,
      reviews: reviewsDone,
      councilSessions: sessionIds.length,
      ...stats,
      ...rec.summary(),
      milestones,
      timeline: timelineToNow(),
    };
    throw err;
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
    if (budget) clearTimeout(budget);
    progress = null;
  }
  const seconds = (nowMs() - started) / 1000;
  client.close();

  return {
    n,
    clusters: clusters.length,
    concurrency,
    year,
    setup,
    seconds,
    nominationsPerSecond: n / seconds,
    requests: counters.requests,
    decisionRequests: counters.decisionRequests,
    polls: counters.polls,
    retries409: counters.retries409,
    councilSessions: sessionIds.length,
    milestones,
    timeline: timelineToNow(),
    reviews: reviewsDone,
    governmentDecisions: stats.governmentDecisions,
    ...rec.summary(),
    finalStages: FINAL_STAGES,
  };
}
