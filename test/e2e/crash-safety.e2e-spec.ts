/**
 * Crash safety against the real stack run as separate OS processes (test/support/processes.ts):
 * the Temporal CLI dev server on a SQLite file, the worker and the API from dist/, a throwaway
 * Postgres database. One real cluster of the fixtures (KV-TP-TW 2022) is driven over HTTP to the
 * Government's decision while, at chosen points,
 *   (a) the worker is killed (-9) right after a batch of registrations was accepted,
 *   (b) the API is killed (-9) in the middle of a burst of self-assessments (the clients retry
 *       with the same Idempotency-Key once it is back),
 *   (c) the Temporal dev server is killed (-9) between ballots and restarted on the same file,
 *   (d) our database goes "down" (no connections allowed, every session terminated) while a
 *       review is being recorded: the API answers 503, the worker's activity keeps retrying.
 * After each, nothing may be lost or doubled: the read model, the audit chain and each
 * workflow's own state (queried from Temporal) agree, every expected decision exactly once.
 * Also: 50 concurrent identical approvals decide once. See docs/decisions/0006-crash-safety-tests.md.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { campaignStateQuery, councilSessionStateQuery, nominationStateQuery } from '@tdkt/contracts';
import { createTestDatabase, seedOrganisation, verifyAuditChain, type TestDatabase } from '@tdkt/persistence';
import { eventually } from '../support/eventually';
import {
  apiProcess,
  buildDist,
  DatabaseSwitch,
  freePort,
  runCommand,
  ROOT,
  temporalDevServer,
  tempDir,
  workerProcess,
  type AppEnv,
  type Service,
} from '../support/processes';
import { TRAIL_AWARDED_AFTER_AMENDMENT_WITH_CONSULTATION } from '../support/trails';
import { expectStatus } from '../support/stack';

jest.setTimeout(600_000);

const YEAR = 2022;
const CLUSTER = 'KV-TP-TW';
const ID = `${YEAR}:${CLUSTER}`;
const MEMBERS = ['STP-HN', 'STP-HCM', 'STP-HP', 'STP-DN', 'STP-CT', 'THADS-HN', 'THADS-HCM', 'THADS-HP', 'THADS-DN', 'THADS-CT'];
const MINISTRY = ['STP-HN', 'STP-HCM', 'THADS-HN', 'THADS-HCM'];
const NOT_SELECTED = MEMBERS.filter((u) => !MINISTRY.includes(u));
const HEAD = 'cumtruong.stp-hn';
const COUNCIL = ['chutich', ...Array.from({ length: 8 }, (_, i) => `hoidong${i + 1}`)];
const ADMIN = { username: 'admin', password: 'Admin@crash-123' };
const DEMO_PASSWORD = 'Demo@crash-123';
const officer = (u: string) => `canbo.${u.toLowerCase()}`;
const leader = (u: string) => `thutruong.${u.toLowerCase()}`;
const nid = (u: string) => `${ID}:${u}`;

let db: TestDatabase;
let dbSwitch: DatabaseSwitch;
let temporal: Service;
let worker: Service;
let api: Service;
let tmp: ReturnType<typeof tempDir>;
let temporalClient: Client;
let baseUrl: string;
let env: AppEnv;

// ------------------------------------------------------------------------------------ HTTP

interface Answer {
  status: number;
  body: Record<string, unknown> & { message?: unknown };
  replayed: boolean;
}

const tokens = new Map<string, string>();

async function send(method: 'GET' | 'POST', path: string, options: { user?: string; body?: object; key?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.user) headers.authorization = `Bearer ${await token(options.user)}`;
  if (options.body) headers['content-type'] = 'application/json';
  if (options.key) headers['idempotency-key'] = options.key;
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: options.body ? JSON.stringify(options.body) : undefined, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  let body: Answer['body'] = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, body, replayed: res.headers.get('idempotent-replayed') === 'true' };
}

async function token(username: string): Promise<string> {
  const cached = tokens.get(username);
  if (cached) return cached;
  const password = username === ADMIN.username ? ADMIN.password : DEMO_PASSWORD;
  const res = await send('POST', '/api/v1/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  tokens.set(username, res.body.accessToken as string);
  return res.body.accessToken as string;
}

const post = (user: string, path: string, body: object, key?: string) => send('POST', `/api/v1${path}`, { user, body, key });
const get = (user: string, path: string) => send('GET', `/api/v1${path}`, { user });


/**
 * What a well-behaved client does: retry the same request with the same Idempotency-Key while the
 * API cannot be reached, answers 503, or says the first attempt is still being processed.
 */
async function postUntilAnswered(user: string, path: string, body: object, key: string, timeoutMs = 90_000): Promise<Answer & { attempts: number }> {
  const deadline = Date.now() + timeoutMs;
  for (let attempts = 1; ; attempts++) {
    let retryable: string;
    try {
      const res = await post(user, path, body, key);
      const stillRunning = res.status === 409 && /still being processed/.test(String(res.body.message));
      if (res.status !== 503 && !stillRunning) return { ...res, attempts };
      retryable = `${res.status} ${JSON.stringify(res.body)}`;
    } catch (err) {
      retryable = `network: ${(err as Error).message}`;
    }
    if (Date.now() > deadline) throw new Error(`POST ${path} (key ${key}) still unanswered after ${attempts} attempts: ${retryable}`);
    await new Promise((r) => setTimeout(r, Math.min(200 * attempts, 1000)));
  }
}

// ------------------------------------------------------------------------------------ what must hold

type Counts = Record<string, number>;
const count = (actions: string[]): Counts => actions.reduce<Counts>((acc, a) => ({ ...acc, [a]: (acc[a] ?? 0) + 1 }), {});

const CREATED = ['NOMINATION_CREATED'];
const REGISTERED = [...CREATED, 'REGISTRATION_CLOSED'];
const ASSESSED = [...REGISTERED, 'SELF_ASSESSMENT_SUBMITTED'];
const VOTED = [...ASSESSED, 'CLUSTER_VOTE_RESULT'];

/** The nominations' expected trails, updated as the scenario goes on. */
const expectedTrail: Record<string, string[]> = Object.fromEntries(MEMBERS.map((u) => [u, CREATED]));
/** The campaign's expected decisions (action → how many). */
let expectedCampaign: Counts = { CAMPAIGN_STARTED: 1 };

interface AuditRow {
  event_id: string;
  action: string;
  subject_type: string;
  subject_id: string;
}

/**
 * Nothing lost, nothing doubled: for the campaign, every nomination and the council sitting, the
 * audit events (in order, each expected action exactly once), the read model's row and the
 * workflow's state queried from Temporal agree on stage and version; the chain verifies and no
 * event id appears twice. Waits (up to timeoutMs) for in-flight decisions to land first.
 */
async function expectConsistent(what: string, timeoutMs = 90_000): Promise<void> {
  const ds = db.dataSource;
  try {
    await eventually(
      async () => {
        const events: AuditRow[] = await ds.query('SELECT event_id, action, subject_type, subject_id FROM audit_event ORDER BY seq');
        const of = (subject: string) => events.filter((e) => e.subject_id === subject).map((e) => e.action);

        const nominations: { id: string; unit_code: string; stage: string; version: number }[] = await ds.query(
          'SELECT id, unit_code, stage, version FROM nomination WHERE campaign_id = $1 ORDER BY id',
          [ID],
        );
        expect(nominations.map((n) => n.unit_code).sort()).toEqual([...MEMBERS].sort());
        for (const n of nominations) {
          expect({ unit: n.unit_code, trail: of(n.id) }).toEqual({ unit: n.unit_code, trail: expectedTrail[n.unit_code] });
          const live = await temporalClient.workflow.getHandle(`nomination:${n.id}`).query(nominationStateQuery);
          expect({ unit: n.unit_code, stage: live.stage, version: live.version }).toEqual({ unit: n.unit_code, stage: n.stage, version: n.version });
          expect(n.version).toBe(of(n.id).length);
        }

        const [campaign]: { phase: string; version: number }[] = await ds.query('SELECT phase, version FROM campaign WHERE id = $1', [ID]);
        expect(count(of(ID))).toEqual(expectedCampaign);
        const liveCampaign = await temporalClient.workflow.getHandle(`campaign:${ID}`).query(campaignStateQuery);
        expect({ phase: liveCampaign.phase, version: liveCampaign.version }).toEqual({ phase: campaign.phase, version: campaign.version });
        expect(campaign.version).toBe(of(ID).length);

        const sessions: { id: string; status: string; version: number }[] = await ds.query('SELECT id, status, version FROM council_session');
        for (const s of sessions) {
          const live = await temporalClient.workflow.getHandle(`council-session:${s.id}`).query(councilSessionStateQuery);
          expect({ status: live.status, version: live.version }).toEqual({ status: s.status, version: s.version });
          expect(s.version).toBe(of(s.id).length);
        }
      },
      timeoutMs,
      500,
    );
    const ids: { event_id: string }[] = await ds.query('SELECT event_id FROM audit_event GROUP BY event_id HAVING count(*) > 1');
    expect(ids).toEqual([]);
    const chain = await verifyAuditChain(ds);
    expect(chain).toMatchObject({ ok: true });
  } catch (err) {
    throw new Error(`${what}: ${(err as Error).message}\n--- service output ---\n${[temporal, worker, api].map((s) => s.output(25)).join('\n')}`);
  }
}

// ------------------------------------------------------------------------------------ the stack

beforeAll(async () => {
  tmp = tempDir('tdkt-crash-');
  const [, database, apiPort, temporalPort] = await Promise.all([buildDist(), createTestDatabase('tdkt_crash'), freePort(), freePort()]);
  db = database;
  dbSwitch = DatabaseSwitch.forUrl(db.url);
  await seedOrganisation(db.dataSource, { adminUsername: ADMIN.username, adminPassword: ADMIN.password, demoPassword: DEMO_PASSWORD });
  baseUrl = `http://127.0.0.1:${apiPort}`;
  env = {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_TASK_QUEUE: `crash-${randomUUID()}`,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    DEMO_PASSWORD,
    JWT_SECRET: `crash-${randomUUID()}`,
    LOGIN_RATE_LIMIT: '0',
    LOG_LEVEL: 'warn',
    // The worker process runs two Temporal workers (docs/performance.md, cost 13): every kill below
    // hits both, and whichever takes a workflow's next task must continue it from its history.
    WORKER_INSTANCES: '2',
    WORKER_MAX_CACHED_WORKFLOWS: '100',
  };
  temporal = temporalDevServer({ port: temporalPort, dbFile: join(tmp.path, 't.db') });
  worker = workerProcess(env);
  api = apiProcess({ ...env, PORT: String(apiPort) });
  await temporal.start();
  await Promise.all([worker.start(), api.start()]);
  temporalClient = new Client({ connection: Connection.lazy({ address: env.TEMPORAL_ADDRESS }) });
  const users = [ADMIN.username, HEAD, 'vutdkt', 'kiemtra', ...COUNCIL, ...MEMBERS.flatMap((u) => [officer(u), leader(u)])];
  for (let i = 0; i < users.length; i += 8) await Promise.all(users.slice(i, i + 8).map(token));
});

afterAll(async () => {
  await dbSwitch?.up().catch(() => undefined);
  await temporalClient?.connection.close().catch(() => undefined);
  for (const service of [api, worker, temporal]) await service?.stop();
  await db?.drop();
  tmp?.remove();
});

// ------------------------------------------------------------------------------------ the scenario

/** A step of the scenario; when it fails, the error carries what the processes printed last. */
function step(name: string, fn: () => Promise<void>): void {
  it(name, async () => {
    try {
      await fn();
    } catch (err) {
      const e = err as Error;
      if (!e.message.includes('--- service output ---')) e.message += `\n--- service output ---\n${[temporal, worker, api].map((s) => s.output(30)).join('\n')}`;
      throw e;
    }
  });
}

describe(`crash safety: cluster ${CLUSTER} ${YEAR} while its processes are killed`, () => {
  step('launches the campaign', async () => {
    expect(worker.output(50)).toMatch(/with 2 workers of 50 cached workflows each/);
    const res = await post(ADMIN.username, '/campaigns', {
      clusterCode: CLUSTER,
      clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương',
      year: YEAR,
      memberUnitCodes: MEMBERS,
      headUnitCode: 'STP-HN',
      deputyUnitCode: 'STP-HCM',
      registrationDeadline: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(),
    }, 'launch');
    expectStatus(res, 201);
    await expectConsistent('after the launch');
  });

  step('(a) kill -9 of the worker right after a batch of registrations was accepted loses nothing', async () => {
    const answers = await Promise.all(
      MEMBERS.map((u) => post(officer(u), `/campaigns/${ID}/registrations`, { unitCode: u, targetTitles: MINISTRY.includes(u) ? ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] : ['MINISTRY_FLAG'] }, `register-${u}`)),
    );
    await worker.kill();
    answers.forEach((a) => expectStatus(a, 201));
    // The last registration closed the registration: its hand-offs to the ten nominations were in
    // flight on the worker we just killed. A new worker takes over from the histories.
    await worker.start();
    for (const u of MEMBERS) expectedTrail[u] = REGISTERED;
    expectedCampaign = { ...expectedCampaign, UNIT_REGISTERED: 10, REGISTRATION_CLOSED: 1 };
    await expectConsistent('after the worker was killed');
    expect((await get(HEAD, `/campaigns/${ID}`)).body.phase).toBe('SELF_ASSESSMENT');
  });

  step('(b) kill -9 of the API in the middle of a burst: the clients’ retries decide nothing twice', async () => {
    const body = (u: string) => ({ score: 90 + MEMBERS.indexOf(u) / 2, achievementReport: `Báo cáo thành tích năm ${YEAR} của ${u}: hoàn thành xuất sắc nhiệm vụ` });
    const firsts = new Map<string, Answer | Error>();
    const burst = MEMBERS.map((u) =>
      post(officer(u), `/nominations/${nid(u)}/self-assessment`, body(u), `assess-${u}`).then(
        (a) => void firsts.set(u, a),
        (err: Error) => void firsts.set(u, err),
      ),
    );
    // Kill as soon as the first answer of the burst is back: the others are somewhere in flight.
    await Promise.race(burst);
    await api.kill();
    await Promise.all(burst);
    const answeredBeforeKill = [...firsts].filter(([, a]) => !(a instanceof Error) && a.status === 201).map(([u]) => u);
    expect(answeredBeforeKill.length).toBeGreaterThanOrEqual(1);
    await api.start();

    const retries = await Promise.all(MEMBERS.map((u) => postUntilAnswered(officer(u), `/nominations/${nid(u)}/self-assessment`, body(u), `assess-${u}`)));
    for (const [i, u] of MEMBERS.entries()) {
      const retry = retries[i];
      expectStatus(retry, 201);
      expect(retry.body).toMatchObject({ id: nid(u), stage: 'CLUSTER_VOTE' });
      const first = firsts.get(u);
      // A request answered before the crash is replayed exactly.
      if (first && !(first instanceof Error) && first.status === 201) {
        expect(retry.replayed).toBe(true);
        expect(retry.body).toEqual(first.body);
      }
    }
    for (const u of MEMBERS) expectedTrail[u] = ASSESSED;
    expectedCampaign = { ...expectedCampaign, SELF_ASSESSMENT_SUBMITTED: 10 };
    await expectConsistent('after the API was killed');
  });

  step('(c) kill -9 of the Temporal dev server between ballots: 503 while it is down, then the vote goes on', async () => {
    expectStatus(await post(HEAD, `/campaigns/${ID}/vote/open`, { ministryFlagSeats: 4, governmentFlagSeats: 1 }, 'vote-open'), 201);
    const ballot = (i: number) => ({ unitCode: MEMBERS[i], ministryFlag: i < 8 ? MINISTRY : ['STP-HP', 'THADS-HP', 'STP-HN'], governmentFlag: i < 7 ? ['THADS-HN'] : [] });
    const receipts = new Map<string, string>();
    for (let i = 0; i < 5; i++) {
      const res = expectStatus(await post(leader(MEMBERS[i]), `/campaigns/${ID}/vote/ballots`, ballot(i), `ballot-${MEMBERS[i]}`), 201);
      receipts.set(MEMBERS[i], res.body.receipt as string);
    }

    // The server writes ahead (ADR 0010): what it acknowledged sits in the log the kill leaves behind.
    expect(existsSync(join(tmp.path, 't.db-wal'))).toBe(true);
    await temporal.kill();
    try {
      const health = await send('GET', '/api/v1/health');
      expect(health).toMatchObject({ status: 503, body: { status: 'unavailable', db: 'up', temporal: 'down' } });
      const refused = await post(leader(MEMBERS[5]), `/campaigns/${ID}/vote/ballots`, ballot(5), `ballot-${MEMBERS[5]}`);
      expect({ status: refused.status, body: refused.body }).toMatchObject({
        status: 503,
        body: { statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/Temporal.*unavailable/) },
      });
    } finally {
      await temporal.start();
    }
    // The worker rides out the outage (it reconnects by itself).
    expect(worker.running).toBe(true);
    await eventually(async () => expect((await send('GET', '/api/v1/health')).status).toBe(200), 30_000, 250);
    // A ballot retried with its key after the outage is one ballot; an earlier one keeps its receipt.
    for (let i = 5; i < MEMBERS.length; i++) {
      const res = expectStatus(await postUntilAnswered(leader(MEMBERS[i]), `/campaigns/${ID}/vote/ballots`, ballot(i), `ballot-${MEMBERS[i]}`), 201);
      receipts.set(MEMBERS[i], res.body.receipt as string);
    }
    const again = expectStatus(await post(leader(MEMBERS[0]), `/campaigns/${ID}/vote/ballots`, ballot(0), `ballot-${MEMBERS[0]}`), 201);
    expect(again.body.receipt).toBe(receipts.get(MEMBERS[0]));
    expect(new Set(receipts.values()).size).toBe(10);

    const closed = expectStatus(await post(HEAD, `/campaigns/${ID}/vote/close`, {}, 'vote-close'), 201);
    const selected = (list: { unitCode: string; selected: boolean }[]) => list.filter((t) => t.selected).map((t) => t.unitCode).sort();
    expect(selected(closed.body.ministryFlag as never)).toEqual([...MINISTRY].sort());
    expect(selected(closed.body.governmentFlag as never)).toEqual(['THADS-HN']);
    const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM ballot_box WHERE campaign_id = $1', [ID]);
    expect(n).toBe(10);
    for (const u of MEMBERS) expectedTrail[u] = VOTED;
    expectedCampaign = { ...expectedCampaign, VOTE_OPENED: 1, BALLOT_CAST: 10, VOTE_CLOSED: 1 };
    await expectConsistent('after Temporal was killed');
  });

  step('(d) Postgres down for our database: 503 with a clear message, the activity retries, then everything continues', async () => {
    const review = { decision: 'APPROVE', reason: 'Hồ sơ đầy đủ, đủ điều kiện' };
    // Freeze the worker so that the next review is accepted by the API and Temporal but recorded
    // only once the database is gone.
    worker.pause();
    let inFlight: Promise<Answer>;
    try {
      inFlight = post('vutdkt', `/nominations/${nid('STP-HCM')}/review`, review, 'review-STP-HCM');
      await eventually(async () => {
        const rows = await db.dataSource.query("SELECT 1 FROM idempotency_record WHERE key = 'vutdkt:review-STP-HCM'");
        expect(rows).toHaveLength(1);
      }, 10_000, 50);
      await new Promise((r) => setTimeout(r, 300));
      await dbSwitch.down();
    } finally {
      worker.resume();
    }
    let refused: Answer;
    try {
      const health = await send('GET', '/api/v1/health/ready');
      expect(health).toMatchObject({ status: 503, body: { status: 'unavailable', db: 'down' } });
      refused = await post('vutdkt', `/nominations/${nid('STP-HN')}/review`, review, 'review-STP-HN');
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/database is unavailable/) });
      const read = await get('vutdkt', `/nominations/${nid('STP-HN')}`);
      expect(read.status).toBe(503);
      // The worker is alive and its recordDecision activity keeps failing and retrying.
      await eventually(async () => {
        const described = await temporalClient.workflow.getHandle(`nomination:${nid('STP-HCM')}`).describe();
        const pending = described.raw.pendingActivities ?? [];
        expect(pending.map((p) => p.activityType?.name)).toContain('recordDecision');
        expect(Math.max(...pending.map((p) => p.attempt ?? 0))).toBeGreaterThanOrEqual(2);
        expect(JSON.stringify(pending.map((p) => p.lastFailure?.message))).toMatch(/not currently accepting connections|terminat/);
      }, 20_000, 250);
      expect(worker.running).toBe(true);
      expect(api.running).toBe(true);
    } finally {
      await dbSwitch.up();
    }
    // The review that was in flight completes; the refused one, retried with its key, decides once.
    const done = expectStatus(await inFlight, 201);
    expect(done.body).toMatchObject({ id: nid('STP-HCM'), stage: 'COUNCIL_DECISION' });
    expectStatus(await postUntilAnswered('vutdkt', `/nominations/${nid('STP-HN')}/review`, review, 'review-STP-HN'), 201);
    await eventually(async () => expect((await send('GET', '/api/v1/health/ready')).status).toBe(200), 30_000, 250);
    for (const u of ['STP-HN', 'STP-HCM']) expectedTrail[u] = [...VOTED, 'REVIEW_APPROVED'];
    await expectConsistent('after Postgres was down');
  });

  step('50 concurrent identical approvals (25 with one Idempotency-Key, 25 without) decide once', async () => {
    const unit = 'THADS-HCM';
    const path = `/nominations/${nid(unit)}/review`;
    const review = { decision: 'APPROVE', reason: 'Đạt, đủ điều kiện' };
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => post('vutdkt', path, review, i % 2 === 0 ? 'approve-once' : undefined)));
    const keyed = answers.filter((_, i) => i % 2 === 0);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.map((a) => a.status).filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const [{ n }] = await db.dataSource.query("SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND action = 'REVIEW_APPROVED'", [nid(unit)]);
    // One decision (one audit event, one answer that decided); the rest are replays or refusals.
    const answered = answers.map((a, i) => `${i % 2 === 0 ? 'keyed' : 'no key'} ${a.status}${a.replayed ? ' replayed' : ''}`);
    expect({ approvals: n, deciding: answers.filter((a) => a.status === 201 && !a.replayed).length, answered }).toEqual({ approvals: 1, deciding: 1, answered });
    // Every keyed answer that is a 201 carries the first body; a later replay returns exactly it.
    const first = keyed.find((a) => !a.replayed && a.status !== 409) ?? keyed.find((a) => a.replayed);
    const replay = await post('vutdkt', path, review, 'approve-once');
    expect(replay.replayed).toBe(true);
    if (first) {
      expect({ status: replay.status, body: replay.body }).toEqual({ status: first.status, body: first.body });
      for (const a of keyed.filter((k) => k.status === 201)) expect(a.body).toEqual(replay.body);
    }
    expect(replay.status === 201 ? replay.body.stage : 'COUNCIL_DECISION').toBe('COUNCIL_DECISION');
    expectedTrail[unit] = [...VOTED, 'REVIEW_APPROVED'];
    await expectConsistent('after 50 concurrent approvals');
  });

  step('finishes the cluster to the Government decision', async () => {
    expectStatus(await post('vutdkt', `/nominations/${nid('THADS-HN')}/review`, { decision: 'RETURN', reason: 'Thiếu biên bản bình xét của cụm' }), 201);
    expectStatus(await post(officer('THADS-HN'), `/nominations/${nid('THADS-HN')}/amendment`, { achievementReport: 'Báo cáo đã bổ sung biên bản', note: 'Bổ sung biên bản họp cụm' }), 201);
    expectStatus(await post('vutdkt', `/nominations/${nid('THADS-HN')}/review`, { decision: 'APPROVE', reason: 'Hồ sơ đầy đủ' }), 201);

    const opened = expectStatus(await post('chutich', '/council-sessions', { year: YEAR, nominationIds: MINISTRY.map(nid) }, 'council-open'), 201);
    const sessionId = opened.body.id as string;
    await Promise.all(
      COUNCIL.map(async (voter) => {
        for (const u of MINISTRY) expectStatus(await post(voter, `/council-sessions/${sessionId}/votes`, { nominationId: nid(u), title: 'MINISTRY_FLAG', approve: true }), 201);
        expectStatus(await post(voter, `/council-sessions/${sessionId}/votes`, { nominationId: nid('THADS-HN'), title: 'GOVERNMENT_FLAG', approve: true }), 201);
      }),
    );
    expectStatus(await post('chutich', `/council-sessions/${sessionId}/close`, { membersPresent: 9 }, 'council-close'), 201);
    await eventually(async () => expect((await get('vutdkt', `/nominations/${nid('THADS-HN')}`)).body.stage).toBe('GOVERNMENT_DECISION'), 30_000, 250);

    expectStatus(await post('vutdkt', `/nominations/${nid('THADS-HN')}/consultation`, { opinion: 'AGREE', reference: '1234/UBND-NC' }), 201);
    expectStatus(await post('vutdkt', '/government-submissions', { year: YEAR, nominationIds: [nid('THADS-HN')] }, 'gov-submit'), 201);
    const decided = expectStatus(
      await post('vutdkt', `/nominations/${nid('THADS-HN')}/government-decision`, { decision: 'AWARDED', decisionNumber: '245/QĐ-TTg', decisionDate: '2023-03-20' }, 'gov-decision'),
      201,
    );
    expect(decided.body).toMatchObject({ stage: 'AWARDED', titles: { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'AWARDED' } });

    for (const u of ['STP-HN', 'STP-HCM', 'THADS-HCM']) expectedTrail[u] = [...VOTED, 'REVIEW_APPROVED', 'COUNCIL_DECIDED'];
    expectedTrail['THADS-HN'] = TRAIL_AWARDED_AFTER_AMENDMENT_WITH_CONSULTATION;
    await expectConsistent('at the end');
    const stages: { unit_code: string; stage: string }[] = await db.dataSource.query('SELECT unit_code, stage FROM nomination WHERE campaign_id = $1', [ID]);
    expect(Object.fromEntries(stages.map((s) => [s.unit_code, s.stage]))).toEqual(
      Object.fromEntries(MEMBERS.map((u) => [u, MINISTRY.includes(u) ? 'AWARDED' : 'NOT_SELECTED'])),
    );
    expect(NOT_SELECTED.every((u) => expectedTrail[u] === VOTED)).toBe(true);
    // The operators' reconciliation (audit trail against the workflow histories) finds no
    // difference: it exits 1 on any, which runCommand turns into a failure.
    await runCommand(process.execPath, ['--require', './infra/runtime/register-paths.cjs', join(ROOT, 'dist/apps/worker/src/cli.js'), 'reconcile'], {
      env: { ...process.env, ...env },
      timeoutMs: 120_000,
    });
  });
});
