/**
 * Operations on the whole real stack (Temporal dev server, Postgres, worker, API): readiness,
 * Prometheus metrics of requests and workflow updates, the workflow id in the logs of an update,
 * and the reconciliation of the audit trail with the workflow histories (`npm run audit:reconcile`).
 */
import { Writable } from 'node:stream';
import type { DecisionEvent } from '@tdkt/contracts';
import { createTestDatabase, recordDecision, type TestDatabase } from '@tdkt/persistence';
import { reconcileCommand, reconcileNominations } from '../../apps/worker/src/reconcile';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(180_000);

const YEAR = 2036;
const CLUSTER = 'KV-TP-TW';
const CAMPAIGN = `${YEAR}:${CLUSTER}`;
const HN = `${CAMPAIGN}:STP-HN`;
const HCM = `${CAMPAIGN}:STP-HCM`;

let stack: Stack;
const logChunks: string[] = [];
let otherDb: TestDatabase | undefined;

beforeAll(async () => {
  const logDestination = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      logChunks.push(chunk.toString());
      done();
    },
  });
  stack = await startStack({ env: { LOG_LEVEL: 'info' }, app: { logDestination } });
});
afterAll(async () => {
  await otherDb?.drop();
  await stack?.stop();
});

async function post(username: string, path: string, body: object, requestId?: string) {
  let req = stack.http.post(path).set('Authorization', `Bearer ${await stack.token(username)}`);
  if (requestId) req = req.set('x-request-id', requestId);
  return req.send(body);
}

describe('operations', () => {
  it('drives a small campaign: started, both units registered, one self-assessment', async () => {
    const started = await post('admin', '/api/v1/campaigns', {
      clusterCode: CLUSTER,
      clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương',
      year: YEAR,
      memberUnitCodes: ['STP-HN', 'STP-HCM'],
      headUnitCode: 'STP-HN',
      registrationDeadline: new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString(),
    });
    expect(started.status).toBe(201);
    expect((await post('canbo.stp-hn', `/api/v1/campaigns/${CAMPAIGN}/registrations`, { unitCode: 'STP-HN', targetTitles: ['MINISTRY_FLAG'] }, 'req-register-hn')).status).toBe(201);
    expect((await post('canbo.stp-hn', `/api/v1/campaigns/${CAMPAIGN}/registrations`, { unitCode: 'STP-HN', targetTitles: ['MINISTRY_FLAG'] })).status).toBe(409);
    expect((await post('canbo.stp-hcm', `/api/v1/campaigns/${CAMPAIGN}/registrations`, { unitCode: 'STP-HCM', targetTitles: ['MINISTRY_FLAG'] })).status).toBe(201);
    await eventually(async () => {
      const res = await post('canbo.stp-hn', `/api/v1/nominations/${HN}/self-assessment`, { score: 95, achievementReport: 'Hoàn thành xuất sắc nhiệm vụ công tác tư pháp' });
      expect(res.status).toBe(201);
    });
  });

  it('readiness is 200 when the database and Temporal answer', async () => {
    const res = await stack.http.get('/api/v1/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', db: 'up', temporal: 'up' });
  });

  it('metrics count requests by route pattern and workflow updates by name and outcome', async () => {
    const res = await stack.http.get('/api/v1/metrics');
    expect(res.status).toBe(200);
    const text = res.text;
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/campaigns\/:id\/registrations",status_code="201"\} 2/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/campaigns\/:id\/registrations",status_code="409"\} 1/);
    expect(text).toMatch(/tdkt_workflow_updates_total\{update="register",outcome="accepted"\} 2/);
    expect(text).toMatch(/tdkt_workflow_updates_total\{update="register",outcome="rejected"\} 1/);
    expect(text).toMatch(/tdkt_workflow_updates_total\{update="submitSelfAssessment",outcome="accepted"\} 1/);
    expect(text).toMatch(/tdkt_workflow_starts_total\{workflow_type="campaignWorkflow",outcome="accepted"\} 1/);
    expect(text).not.toContain(CAMPAIGN);
  });

  it('logs each workflow update with its workflow id and the request id, never its arguments', () => {
    const lines = logChunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const update = lines.find((l) => l.update === 'register' && (l.req as { id?: string } | undefined)?.id === 'req-register-hn');
    expect(update).toMatchObject({ workflowId: `campaign:${CAMPAIGN}`, outcome: 'accepted', context: 'workflow' });
    expect(JSON.stringify(update)).not.toContain('MINISTRY_FLAG');
  });

  it('reconcile: the audit trail and the workflow histories agree', async () => {
    // A comment is recorded by the API, not by the workflow: it is no difference.
    const comment = await post('canbo.stp-hn', `/api/v1/nominations/${HN}/comments`, { text: 'Đơn vị đã bổ sung minh chứng' });
    expect(comment.status).toBe(201);
    const report = await reconcileNominations({ client: stack.env.client, dataSource: stack.db.dataSource });
    expect(report.checked).toBe(2);
    expect(report.nominations.flatMap((n) => n.differences)).toEqual([]);
    const hn = report.nominations.find((n) => n.nominationId === HN)!;
    expect(hn.decisions).toBeGreaterThanOrEqual(3);
    expect(hn.auditEvents).toBe(hn.decisions);
    // The CLI command (npm run audit:reconcile) on the same servers: exit code 0.
    const out: string[] = [];
    const env = { DATABASE_URL: stack.db.url, TEMPORAL_ADDRESS: stack.env.address, TEMPORAL_NAMESPACE: stack.env.namespace ?? 'default' };
    expect(await reconcileCommand([], env, (l) => out.push(l))).toBe(0);
    expect(out.join('\n')).toContain('2 nominations checked, audit trail and workflow histories agree');
  });

  it('reconcile: an audit event no workflow decided is reported, and the command exits 1', async () => {
    const fake: DecisionEvent = {
      eventId: `nomination:${HCM}#999`,
      at: new Date().toISOString(),
      actor: 'vutdkt',
      role: 'DEPARTMENT_REVIEWER',
      actorUnitCode: null,
      action: 'REVIEW_APPROVED',
      subjectType: 'NOMINATION',
      subjectId: HCM,
      fromStage: 'DEPARTMENT_REVIEW',
      toStage: 'COUNCIL_DECISION',
      reason: 'Hồ sơ đầy đủ',
      requestId: null,
      data: {},
    };
    await recordDecision(stack.db.dataSource, { event: fake, projections: [] });
    const report = await reconcileNominations({ client: stack.env.client, dataSource: stack.db.dataSource });
    expect(report.withDifferences).toBe(1);
    const hcm = report.nominations.find((n) => n.nominationId === HCM)!;
    expect(hcm.differences).toEqual([expect.stringMatching(new RegExp(`^not in the workflow history: audit_event seq \\d+, nomination:${HCM}#999 REVIEW_APPROVED`))]);
    const out: string[] = [];
    const env = { DATABASE_URL: stack.db.url, TEMPORAL_ADDRESS: stack.env.address, TEMPORAL_NAMESPACE: stack.env.namespace ?? 'default' };
    expect(await reconcileCommand([HCM], env, (l) => out.push(l))).toBe(1);
    expect(out.join('\n')).toContain(`${HCM} (nomination:${HCM}): 1 difference(s)`);
  });

  it('reconcile: against a database that lost events, each missing or altered one is reported', async () => {
    otherDb = await createTestDatabase('tdkt_reconcile');
    const [row] = await stack.db.dataSource.query('SELECT * FROM nomination WHERE id = $1', [HN]);
    await otherDb.dataSource.query(
      `INSERT INTO nomination (id, campaign_id, year, cluster_code, unit_code, stage, titles, view, version, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [row.id, row.campaign_id, row.year, row.cluster_code, row.unit_code, row.stage, row.titles, row.view, row.version, row.updated_at],
    );
    const original: { event_id: string; at: Date; actor: string; action: string; from_stage: string | null; to_stage: string | null }[] = await stack.db.dataSource.query(
      "SELECT event_id, at, actor, action, from_stage, to_stage FROM audit_event WHERE subject_type = 'NOMINATION' AND subject_id = $1 AND action <> 'COMMENT_ADDED' ORDER BY seq",
      [HN],
    );
    expect(original.length).toBeGreaterThanOrEqual(3);
    // Only the first event survives, and with another outcome.
    const first = original[0];
    await recordDecision(otherDb.dataSource, {
      event: {
        eventId: first.event_id,
        at: new Date(first.at).toISOString(),
        actor: first.actor,
        role: null,
        actorUnitCode: null,
        action: first.action as DecisionEvent['action'],
        subjectType: 'NOMINATION',
        subjectId: HN,
        fromStage: first.from_stage,
        toStage: 'AWARDED',
        reason: null,
        requestId: null,
        data: {},
      },
      projections: [],
    });
    const report = await reconcileNominations({ client: stack.env.client, dataSource: otherDb.dataSource });
    expect(report.checked).toBe(1);
    const differences = report.nominations[0].differences;
    expect(differences).toContain(`differs: ${first.event_id} toStage: workflow ${JSON.stringify(first.to_stage)}, audit_event "AWARDED"`);
    for (const missing of original.slice(1)) {
      expect(differences).toContainEqual(expect.stringMatching(new RegExp(`^missing in audit_event: ${missing.event_id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${missing.action}`)));
    }
    expect(differences).toHaveLength(original.length);
  });
});
