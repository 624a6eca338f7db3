/**
 * A whole real cluster of the fixtures (Khu vực thi đua các thành phố trực thuộc Trung ương,
 * 2022) driven over HTTP from the campaign's launch to the Government's decision, against the
 * real Temporal dev server and Postgres. It reproduces the proposals the sources report for the
 * member units (Ministry flag: STP-HN, STP-HCM, THADS-HN, THADS-HCM; Government flag: THADS-HN).
 */
import { SA_CLUSTER, SA_STAGE } from '@tdkt/contracts';
import { eventually } from '../support/eventually';
import { expectStatus, startStack, type Stack } from '../support/stack';
import { TRAIL_AWARDED_AFTER_AMENDMENT_WITH_CONSULTATION } from '../support/trails';

jest.setTimeout(300_000);

const YEAR = 2022;
const CLUSTER = 'KV-TP-TW';
const ID = `${YEAR}:${CLUSTER}`;
const MEMBERS = ['STP-HN', 'STP-HCM', 'STP-HP', 'STP-DN', 'STP-CT', 'THADS-HN', 'THADS-HCM', 'THADS-HP', 'THADS-DN', 'THADS-CT'];
const MINISTRY = ['STP-HN', 'STP-HCM', 'THADS-HN', 'THADS-HCM'];
const GOVERNMENT = ['THADS-HN'];
const HEAD = 'cumtruong.stp-hn';
const officer = (u: string) => `canbo.${u.toLowerCase()}`;
const leader = (u: string) => `thutruong.${u.toLowerCase()}`;
const nid = (u: string) => `${ID}:${u}`;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const post = (username: string, path: string, body: object, headers: Record<string, string> = {}) => stack.post(username, path, body, headers);
const get = (username: string, path: string) => stack.get(username, path);

describe(`cluster ${CLUSTER} ${YEAR}, from campaign to Government decision`, () => {
  it('launches the campaign: one nomination per member in SELF_ASSESSMENT', async () => {
    const res = await post('admin', '/api/v1/campaigns', {
      clusterCode: CLUSTER,
      clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương',
      year: YEAR,
      memberUnitCodes: MEMBERS,
      headUnitCode: 'STP-HN',
      deputyUnitCode: 'STP-HCM',
      registrationDeadline: new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString(),
    });
    expectStatus(res, 201);
    expect(res.body.id).toBe(ID);
    const again = await post('admin', '/api/v1/campaigns', {
      clusterCode: CLUSTER,
      clusterName: 'x',
      year: YEAR,
      memberUnitCodes: MEMBERS,
      headUnitCode: 'STP-HN',
      registrationDeadline: new Date(Date.now() + 1000).toISOString(),
    });
    expectStatus(again, 409);
    const list = await get('vutdkt', `/api/v1/nominations?year=${YEAR}&clusterCode=${CLUSTER}&pageSize=50`);
    expectStatus(list, 200);
    expect(list.body.total).toBe(10);
    expect(list.body.items.every((n: { stage: string }) => n.stage === 'SELF_ASSESSMENT')).toBe(true);
    // Paged by 4: the same nominations in the same order, the total on every page, an empty page after the last.
    const pages = await Promise.all([1, 2, 3, 4].map((p) => get('vutdkt', `/api/v1/nominations?year=${YEAR}&clusterCode=${CLUSTER}&pageSize=4&page=${p}`)));
    expect(pages.map((p) => p.body.items.length)).toEqual([4, 4, 2, 0]);
    expect(pages.map((p) => p.body.total)).toEqual([10, 10, 10, 10]);
    const ids = (items: { id: string }[]) => items.map((n) => n.id);
    expect(pages.flatMap((p) => ids(p.body.items))).toEqual(ids(list.body.items));
  });

  it('rejects bad input with 400 naming the field, and another unit with 403', async () => {
    const bad = await post(officer('STP-HN'), `/api/v1/campaigns/${ID}/registrations`, { unitCode: 'STP-HN', targetTitles: ['GOLD_MEDAL'] });
    expectStatus(bad, 400);
    expect(JSON.stringify(bad.body.message)).toContain('targetTitles');
    const other = await post(officer('STP-HN'), `/api/v1/campaigns/${ID}/registrations`, { unitCode: 'STP-HP', targetTitles: ['MINISTRY_FLAG'] });
    expectStatus(other, 403);
    const early = await post(officer('STP-HN'), `/api/v1/nominations/${nid('STP-HN')}/self-assessment`, { score: 95, achievementReport: 'Báo cáo' });
    expectStatus(early, 409);
  });

  it('registers every member (đăng ký thi đua); registration then closes by itself', async () => {
    for (const unit of MEMBERS) {
      const titles = MINISTRY.includes(unit) ? ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] : ['MINISTRY_FLAG'];
      const res = await post(officer(unit), `/api/v1/campaigns/${ID}/registrations`, { unitCode: unit, targetTitles: titles });
      expectStatus(res, 201);
    }
    const twice = await post(officer('STP-HN'), `/api/v1/campaigns/${ID}/registrations`, { unitCode: 'STP-HN', targetTitles: ['MINISTRY_FLAG'] });
    expectStatus(twice, 409);
    // The emulation covenant (ký giao ước thi đua), signed by each unit's leader.
    for (const unit of MEMBERS) {
      const signed = await post(leader(unit), `/api/v1/campaigns/${ID}/covenant`, { unitCode: unit });
      expectStatus(signed, 201);
      expect(signed.body.covenantSignedAt).toEqual(expect.any(String));
    }
    expectStatus(await post(leader('STP-HN'), `/api/v1/campaigns/${ID}/covenant`, { unitCode: 'STP-HN' }), 409);
    expectStatus(await post(leader('STP-HN'), `/api/v1/campaigns/${ID}/covenant`, { unitCode: 'STP-HP' }), 403);
    await eventually(async () => {
      const c = await get(HEAD, `/api/v1/campaigns/${ID}`);
      expect(c.body.phase).toBe('SELF_ASSESSMENT');
      expect(c.body.members).toHaveLength(10);
      expect(c.body.members.every((m: { registeredAt: string | null }) => m.registeredAt)).toBe(true);
    });
  });

  it('takes each unit’s self-assessment (tự đánh giá) with Vietnamese text intact', async () => {
    const report = (u: string) => `Báo cáo thành tích năm ${YEAR} của ${u}: hoàn thành xuất sắc nhiệm vụ thi hành án dân sự, công tác tư pháp`;
    await eventually(async () => {
      const res = await post(officer('STP-HN'), `/api/v1/nominations/${nid('STP-HN')}/self-assessment`, { score: 98, achievementReport: report('STP-HN'), criteria: [{ code: 'TC1', name: 'Hoàn thành chỉ tiêu', score: 50 }] });
      expectStatus(res, 201);
    });
    for (const unit of MEMBERS.slice(1)) {
      const res = await post(officer(unit), `/api/v1/nominations/${nid(unit)}/self-assessment`, { score: 90, achievementReport: report(unit) });
      expectStatus(res, 201);
      expect(res.body.stage).toBe('CLUSTER_VOTE');
    }
    const n = await get(officer('STP-HN'), `/api/v1/nominations/${nid('STP-HN')}`);
    expect(n.body.selfAssessment.achievementReport).toBe(report('STP-HN'));
    const notMine = await get(officer('STP-HN'), `/api/v1/nominations/${nid('STP-HCM')}`);
    expect([403, 404]).toContain(notMine.status);
  });

  it('holds the secret ballot (bỏ phiếu kín) and reproduces the reported proposals', async () => {
    await eventually(async () => {
      const c = await get(HEAD, `/api/v1/campaigns/${ID}`);
      expect(c.body.members.every((m: { selfAssessedAt: string | null }) => m.selfAssessedAt)).toBe(true);
    });
    expectStatus(await post(officer('STP-HN'), `/api/v1/campaigns/${ID}/vote/open`, { ministryFlagSeats: 4, governmentFlagSeats: 1 }), 403);
    expectStatus(await post(HEAD, `/api/v1/campaigns/${ID}/vote/open`, { ministryFlagSeats: 4, governmentFlagSeats: 1 }), 201);

    const receipts: string[] = [];
    for (const [i, unit] of MEMBERS.entries()) {
      // Eight units choose the reported four; two choose differently.
      const ministryFlag = i < 8 ? MINISTRY : ['STP-HP', 'THADS-HP', 'STP-HN'];
      const governmentFlag = i < 7 ? GOVERNMENT : [];
      const res = await post(leader(unit), `/api/v1/campaigns/${ID}/vote/ballots`, { unitCode: unit, ministryFlag, governmentFlag });
      expectStatus(res, 201);
      expect(typeof res.body.receipt).toBe('string');
      receipts.push(res.body.receipt);
    }
    expect(new Set(receipts).size).toBe(10);
    const second = await post(leader('STP-HN'), `/api/v1/campaigns/${ID}/vote/ballots`, { unitCode: 'STP-HN', ministryFlag: MINISTRY, governmentFlag: [] });
    expectStatus(second, 409);

    // Who voted is visible; what they chose is not.
    const vote = await get(officer('STP-CT'), `/api/v1/campaigns/${ID}/vote`);
    expectStatus(vote, 200);
    expect(vote.body.votedUnits).toHaveLength(10);
    expect(JSON.stringify(vote.body)).not.toContain(receipts[0]);

    const closed = await post(HEAD, `/api/v1/campaigns/${ID}/vote/close`, {});
    expectStatus(closed, 201);
    const selected = (list: { unitCode: string; selected: boolean }[]) => list.filter((t) => t.selected).map((t) => t.unitCode).sort();
    expect(selected(closed.body.ministryFlag)).toEqual([...MINISTRY].sort());
    expect(selected(closed.body.governmentFlag)).toEqual(GOVERNMENT);

    await eventually(async () => {
      const list = await get('vutdkt', `/api/v1/nominations?year=${YEAR}&clusterCode=${CLUSTER}&stage=DEPARTMENT_REVIEW`);
      expect(list.body.items.map((n: { unitCode: string }) => n.unitCode).sort()).toEqual([...MINISTRY].sort());
    });
    await eventually(async () => {
      const list = await get('vutdkt', `/api/v1/nominations?year=${YEAR}&clusterCode=${CLUSTER}&stage=NOT_SELECTED`);
      expect(list.body.total).toBe(6);
    });
  });

  it('records next year’s head and deputy (luân phiên cụm trưởng), as the fixtures report', async () => {
    const tasks = await get(HEAD, '/api/v1/me/tasks');
    expect(tasks.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'ELECT_NEXT_YEAR_LEADERSHIP', subjectId: ID })]));
    expectStatus(await post(HEAD, `/api/v1/campaigns/${ID}/leadership`, { headUnitCode: 'STP-HCM', deputyUnitCode: 'NOT-A-MEMBER' }), 400);
    const elected = await post(HEAD, `/api/v1/campaigns/${ID}/leadership`, { headUnitCode: 'STP-HCM', deputyUnitCode: 'THADS-HCM' });
    expectStatus(elected, 201);
    expect(elected.body).toMatchObject({ campaignId: ID, year: YEAR + 1, headUnitCode: 'STP-HCM', deputyUnitCode: 'THADS-HCM', recordedBy: HEAD });
    expectStatus(await post(HEAD, `/api/v1/campaigns/${ID}/leadership`, { headUnitCode: 'STP-HCM', deputyUnitCode: 'THADS-HCM' }), 409);
    expect((await get(officer('STP-CT'), `/api/v1/campaigns/${ID}`)).body.nextYear).toMatchObject({ headUnitCode: 'STP-HCM', deputyUnitCode: 'THADS-HCM' });
  });

  it('reviews the dossiers (Vụ TĐKT): a return for amendment, then approval', async () => {
    expectStatus(await post('vutdkt', `/api/v1/nominations/${nid('THADS-HN')}/review`, { decision: 'RETURN' }), 400);
    const returned = await post('vutdkt', `/api/v1/nominations/${nid('THADS-HN')}/review`, { decision: 'RETURN', reason: 'Thiếu biên bản bình xét của cụm' });
    expectStatus(returned, 201);
    expect(returned.body.stage).toBe('AMENDMENT');
    expectStatus(await post('vutdkt', `/api/v1/nominations/${nid('THADS-HN')}/review`, { decision: 'APPROVE', reason: 'Đạt' }), 409);
    const amended = await post(officer('THADS-HN'), `/api/v1/nominations/${nid('THADS-HN')}/amendment`, { achievementReport: 'Báo cáo đã bổ sung biên bản', note: 'Bổ sung biên bản họp cụm' });
    expectStatus(amended, 201);
    expect(amended.body.stage).toBe('DEPARTMENT_REVIEW');
    for (const unit of MINISTRY) {
      const key = `review-${unit}`;
      const res = await post('vutdkt', `/api/v1/nominations/${nid(unit)}/review`, { decision: 'APPROVE', reason: 'Hồ sơ đầy đủ, đủ điều kiện' }, { 'Idempotency-Key': key });
      expectStatus(res, 201);
      expect(res.body.stage).toBe('COUNCIL_DECISION');
      // The same request again (a client retry) returns the first result and changes nothing.
      const retry = await post('vutdkt', `/api/v1/nominations/${nid(unit)}/review`, { decision: 'APPROVE', reason: 'Hồ sơ đầy đủ, đủ điều kiện' }, { 'Idempotency-Key': key });
      expectStatus(retry, 201);
      expect(retry.body).toEqual(res.body);
    }
  });

  it('holds the council sitting (Hội đồng TĐKT) and sends the Government flag on', async () => {
    const opened = await post('chutich', '/api/v1/council-sessions', { year: YEAR, nominationIds: MINISTRY.map(nid) });
    expectStatus(opened, 201);
    const sessionId = opened.body.id as string;
    const voters = ['chutich', ...Array.from({ length: 8 }, (_, i) => `hoidong${i + 1}`)];
    for (const voter of voters) {
      for (const unit of MINISTRY) {
        expectStatus(await post(voter, `/api/v1/council-sessions/${sessionId}/votes`, { nominationId: nid(unit), title: 'MINISTRY_FLAG', approve: true }), 201);
      }
      expectStatus(await post(voter, `/api/v1/council-sessions/${sessionId}/votes`, { nominationId: nid('THADS-HN'), title: 'GOVERNMENT_FLAG', approve: voter !== 'hoidong8' }), 201);
    }
    expectStatus(await post('hoidong1', `/api/v1/council-sessions/${sessionId}/votes`, { nominationId: nid('STP-HN'), title: 'MINISTRY_FLAG', approve: true }), 409);
    expectStatus(await post('hoidong1', `/api/v1/council-sessions/${sessionId}/close`, { membersPresent: 9 }), 403);
    const closed = await post('chutich', `/api/v1/council-sessions/${sessionId}/close`, { membersPresent: 9 });
    expectStatus(closed, 201);

    await eventually(async () => {
      const n = await get('vutdkt', `/api/v1/nominations/${nid('THADS-HN')}`);
      expect(n.body.stage).toBe('GOVERNMENT_DECISION');
      expect(n.body.titles).toEqual({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'APPROVED' });
    });
    await eventually(async () => {
      const list = await get('vutdkt', `/api/v1/nominations?year=${YEAR}&clusterCode=${CLUSTER}&stage=AWARDED`);
      expect(list.body.items.map((n: { unitCode: string }) => n.unitCode).sort()).toEqual(['STP-HCM', 'STP-HN', 'THADS-HCM']);
    });
  });

  it('submits the Government flag within the quota, after the consultation (hiệp y)', async () => {
    const quota = await get('vutdkt', `/api/v1/government-submissions/quota?year=${YEAR}`);
    expectStatus(quota, 200);
    // 4 units lead the cluster: 20 % rounds down to 0, at least 1 per cluster.
    expect(quota.body).toMatchObject({ leadingUnits: 4, clusters: 1, quota: 1, submitted: 0 });
    expectStatus(await post('vutdkt', `/api/v1/nominations/${nid('THADS-HN')}/government-decision`, { decision: 'AWARDED', decisionNumber: '245/QĐ-TTg', decisionDate: '2023-03-20' }), 409);
    // A Cục THADS needs the provincial consultation under the default rule set (version 2).
    const early = await post('vutdkt', '/api/v1/government-submissions', { year: YEAR, nominationIds: [nid('THADS-HN')] });
    expectStatus(early, 409);
    expect(early.body.message).toContain('hiệp y');
    expectStatus(await post('vutdkt', `/api/v1/nominations/${nid('THADS-HN')}/consultation`, { opinion: 'AGREE', reference: '1234/UBND-NC' }), 201);
    const submitted = await post('vutdkt', '/api/v1/government-submissions', { year: YEAR, nominationIds: [nid('THADS-HN')] });
    expectStatus(submitted, 201);
    expect(submitted.body).toMatchObject({ batchId: `${YEAR}-G1`, quota: { quota: 1, submitted: 1 } });
    expectStatus(await post('vutdkt', '/api/v1/government-submissions', { year: YEAR, nominationIds: [nid('THADS-HN')] }), 409);
  });

  it('records the Government decision (Quyết định của Thủ tướng Chính phủ)', async () => {
    const res = await post('vutdkt', `/api/v1/nominations/${nid('THADS-HN')}/government-decision`, { decision: 'AWARDED', decisionNumber: '245/QĐ-TTg', decisionDate: '2023-03-20' });
    expectStatus(res, 201);
    expect(res.body.stage).toBe('AWARDED');
    expect(res.body.titles).toEqual({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'AWARDED' });
    expectStatus(await post('vutdkt', `/api/v1/nominations/${nid('THADS-HN')}/government-decision`, { decision: 'AWARDED', decisionNumber: '245/QĐ-TTg', decisionDate: '2023-03-20' }), 409);
  });

  it('shows auditors the whole history, chained, and a sound chain', async () => {
    const res = await get('kiemtra', `/api/v1/nominations/${nid('THADS-HN')}/history`);
    expectStatus(res, 200);
    const items = res.body.items as { seq: number; action: string; actor: string; hash: string; prevHash: string; reason: string | null }[];
    expect(items.map((e) => e.action)).toEqual(TRAIL_AWARDED_AFTER_AMENDMENT_WITH_CONSULTATION);
    expect(items.find((e) => e.action === 'REVIEW_RETURNED')).toMatchObject({ actor: 'vutdkt', reason: 'Thiếu biên bản bình xét của cụm' });
    expect(items.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
    const verify = await get('kiemtra', '/api/v1/audit/verify');
    expectStatus(verify, 200);
    expect(verify.body.ok).toBe(true);
    expect(verify.body.checked).toBeGreaterThan(60);
    expectStatus(await get(officer('STP-CT'), '/api/v1/audit/verify'), 403);
  });

  it('publishes the council minutes (biên bản) with the tally per nomination', async () => {
    const res = await get('kiemtra', `/api/v1/council-sessions/${YEAR}-1/minutes`);
    expectStatus(res, 200);
    expect(res.headers['content-type']).toMatch(/text\/html; charset=utf-8/);
    expect(res.text).toContain('BIÊN BẢN');
    expect(res.text).toContain('Cục Thi hành án dân sự TP Hà Nội');
    expect(res.text).toContain('9/9 thành viên Hội đồng có mặt');
    // No member's name next to a vote: the council votes by secret ballot.
    expect(res.text).not.toContain('hoidong8');
    expectStatus(await get(officer('STP-HN'), `/api/v1/council-sessions/${YEAR}-1/minutes`), 403);
  });

  it('revokes an award later (thu hồi), once, in the same audit chain', async () => {
    const body = { title: 'GOVERNMENT_FLAG', reason: 'Phát hiện kê khai thành tích không trung thực', decisionNumber: '9/QĐ-TTg', decisionDate: '2025-01-10' };
    expectStatus(await post(officer('THADS-HN'), `/api/v1/nominations/${nid('THADS-HN')}/revocations`, body), 403);
    expectStatus(await post('vutdkt', `/api/v1/nominations/${nid('STP-HP')}/revocations`, body), 409);
    const revoked = await post('vutdkt', `/api/v1/nominations/${nid('THADS-HN')}/revocations`, body);
    expectStatus(revoked, 201);
    expect(revoked.body.titles).toEqual({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REVOKED' });
    expectStatus(await post('vutdkt', `/api/v1/nominations/${nid('THADS-HN')}/revocations`, body), 409);
    const n = await get('kiemtra', `/api/v1/nominations/${nid('THADS-HN')}`);
    expect(n.body.revocations).toEqual([expect.objectContaining({ title: 'GOVERNMENT_FLAG', decisionNumber: '9/QĐ-TTg', by: 'vutdkt' })]);
    const history = await get('kiemtra', `/api/v1/nominations/${nid('THADS-HN')}/history`);
    expect(history.body.items.at(-1)).toMatchObject({ action: 'AWARD_REVOKED', actor: 'vutdkt', reason: body.reason });
    expect((await get('kiemtra', '/api/v1/audit/verify')).body.ok).toBe(true);
    // The unit's award registry (hồ sơ thành tích) shows both flags, the Government's revoked.
    const registry = await get(officer('THADS-HN'), `/api/v1/registry?unitCode=THADS-HN&year=${YEAR}`);
    expect(registry.status).toBe(200);
    expect(registry.body.items.map((a: { title: string; decisionNumber: string; revoked: { reason: string } | null }) => [a.title, a.decisionNumber, a.revoked?.reason ?? null])).toEqual([
      ['GOVERNMENT_FLAG', '245/QĐ-TTg', `${body.reason} (9/QĐ-TTg)`],
      ['MINISTRY_FLAG', `Hội đồng TĐKT phiên ${YEAR}-1`, null],
    ]);
  });

  it('imports older awards from a spreadsheet over HTTP: all rows or none', async () => {
    const csv = (rows: string[]) => Buffer.from(`\uFEFFMã đơn vị,Danh hiệu,Năm,Số quyết định,Ngày quyết định,Cơ quan ban hành\n${rows.join('\n')}`, 'utf8');
    const bad = await stack.http
      .post('/api/v1/registry/imports')
      .set('Authorization', `Bearer ${await stack.token('vutdkt')}`)
      .attach('file', csv(['STP-DN,Cờ thi đua ngành Tư pháp,2019,11/QĐ-BTP,10/01/2020,Bộ trưởng Bộ Tư pháp', 'NO-UNIT,Cờ thi đua ngành Tư pháp,2019,12/QĐ-BTP,10/01/2020,Bộ trưởng Bộ Tư pháp']), 'khen-thuong.csv');
    expectStatus(bad, 400);
    expect(bad.body.message).toEqual(['dòng 3, unitCode: không có đơn vị mã "NO-UNIT"']);
    expect((await get('vutdkt', '/api/v1/registry?unitCode=STP-DN')).body.total).toBe(0);
    const good = await stack.http
      .post('/api/v1/registry/imports')
      .set('Authorization', `Bearer ${await stack.token('vutdkt')}`)
      .attach('file', csv(['STP-DN,Cờ thi đua ngành Tư pháp,2019,11/QĐ-BTP,10/01/2020,Bộ trưởng Bộ Tư pháp']), 'khen-thuong.csv');
    expectStatus(good, 201);
    expect(good.body).toMatchObject({ rows: 1, imported: 1 });
    expect((await get('canbo.stp-dn', '/api/v1/registry?unitCode=STP-DN')).body.items[0]).toMatchObject({ titleName: 'Cờ thi đua ngành Tư pháp', year: 2019, source: 'IMPORT' });
    expectStatus(await stack.http.post('/api/v1/registry/imports').set('Authorization', `Bearer ${await stack.token(officer('STP-DN'))}`).attach('file', csv([]), 'x.csv'), 403);
  });

  it('lets Temporal find the nominations by cluster and stage (search attributes)', async () => {
    await eventually(async () => {
      const found: string[] = [];
      for await (const wf of stack.env.client.workflow.list({ query: `${SA_CLUSTER.name} = '${CLUSTER}' AND ${SA_STAGE.name} = 'AWARDED'` })) {
        found.push(wf.workflowId);
      }
      expect(found.sort()).toEqual(MINISTRY.map((u) => `nomination:${nid(u)}`).sort());
    }, 30_000, 500);
  });
});

describe('the API at its edges', () => {
  it('answers health, serves its OpenAPI document, and needs a token elsewhere', async () => {
    const health = await stack.http.get('/api/v1/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', db: 'up', temporal: 'up' });
    const docs = await stack.http.get('/api/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/campaigns', '/api/v1/nominations/{id}/review', '/api/v1/council-sessions']));
    const anonymous = await stack.http.get('/api/v1/nominations');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    const forged = await stack.http.get('/api/v1/nominations').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.x');
    expect(forged.status).toBe(401);
    const badLogin = await stack.http.post('/api/v1/auth/login').send({ username: 'admin', password: 'wrong-password' });
    expect(badLogin.status).toBe(401);
  });

  it('turns malformed input into 400 and unknown ids into 404, never 500', async () => {
    const token = await stack.token('vutdkt');
    const malformed = await stack.http
      .post(`/api/v1/nominations/${nid('STP-HN')}/review`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"decision": "APPROVE",');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const extra = await post('vutdkt', `/api/v1/nominations/${nid('STP-HN')}/review`, { decision: 'APPROVE', reason: 'x', stage: 'AWARDED' });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body.message)).toContain('stage');
    expect((await get('vutdkt', '/api/v1/nominations/2022:KV-TP-TW:NOPE')).status).toBe(404);
    expect((await post('vutdkt', '/api/v1/nominations/2022:KV-TP-TW:NOPE/review', { decision: 'APPROVE', reason: 'x' })).status).toBe(404);
    expect((await get('vutdkt', '/api/v1/nominations?pageSize=100000')).status).toBe(400);
    expect((await get('vutdkt', '/api/v1/campaigns/1999:NOPE')).status).toBe(404);
    const badCampaign = await post('admin', '/api/v1/campaigns', {
      clusterCode: 'KV-X',
      clusterName: 'Cụm thử',
      year: 2040,
      memberUnitCodes: ['STP-HN', 'NO-SUCH-UNIT'],
      headUnitCode: 'STP-HN',
      registrationDeadline: '2040-12-31T00:00:00Z',
    });
    expect(badCampaign.status).toBe(400);
    expect(badCampaign.body.message).toContain('NO-SUCH-UNIT');
  });

  it('refuses the NUL character, which Postgres cannot store, with a 400 naming the field, before any workflow starts', async () => {
    const campaign = {
      clusterCode: 'KV-NUL',
      clusterName: 'Cụm thử\u0000 ký tự NUL',
      year: 2041,
      memberUnitCodes: ['STP-HN', 'STP-HCM'],
      headUnitCode: 'STP-HN',
      registrationDeadline: '2041-12-31T00:00:00Z',
    };
    const refused = await post('admin', '/api/v1/campaigns', campaign);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toEqual(['clusterName must not contain the NUL character (U+0000)']);
    // Accepted, it would have started a campaign whose every write fails: none exists.
    expect((await get('admin', '/api/v1/campaigns/2041:KV-NUL')).status).toBe(404);
    const nested = await post('vutdkt', `/api/v1/nominations/${nid('STP-HN')}/review`, { decision: 'RETURN', reason: 'Thiếu\u0000 biên bản' });
    expect(nested.status).toBe(400);
    expect(nested.body.message).toEqual(['reason must not contain the NUL character (U+0000)']);
    expect((await get('vutdkt', `/api/v1/nominations/${encodeURIComponent(`${ID}:STP\u0000HN`)}`)).status).toBe(400);
    expect((await get('vutdkt', `/api/v1/nominations?year=2022&unitCode=${encodeURIComponent('STP\u0000HN')}`)).status).toBe(400);
    // The same campaign without it starts.
    expect([201, 202]).toContain((await post('admin', '/api/v1/campaigns', { ...campaign, clusterName: 'Cụm thử ký tự' })).status);
  });

  it('refuses an Idempotency-Key reused for a different request (422)', async () => {
    const first = await post('vutdkt', `/api/v1/nominations/${nid('STP-HN')}/review`, { decision: 'APPROVE', reason: 'a' }, { 'Idempotency-Key': 'reuse-1' });
    expect(first.status).toBe(409); // STP-HN is already past the review
    const replay = await post('vutdkt', `/api/v1/nominations/${nid('STP-HN')}/review`, { decision: 'APPROVE', reason: 'a' }, { 'Idempotency-Key': 'reuse-1' });
    expect(replay.status).toBe(409);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const other = await post('vutdkt', `/api/v1/nominations/${nid('STP-HN')}/review`, { decision: 'REJECT', reason: 'b' }, { 'Idempotency-Key': 'reuse-1' });
    expect(other.status).toBe(422);
  });

  it('creates units and users with Vietnamese names intact (admin only)', async () => {
    const unit = await post('admin', '/api/v1/units', { code: 'CC-THADS-HOANKIEM', name: 'Chi cục Thi hành án dân sự quận Hoàn Kiếm', kind: 'CHI_CUC_THADS', parentCode: 'THADS-HN' });
    expect(unit.status).toBe(201);
    expect((await post('admin', '/api/v1/units', { code: 'CC-THADS-HOANKIEM', name: 'x', kind: 'CHI_CUC_THADS' })).status).toBe(409);
    expect((await post('vutdkt', '/api/v1/units', { code: 'X1', name: 'x', kind: 'OTHER' })).status).toBe(403);
    const units = await get('canbo.stp-hn', '/api/v1/units');
    expect(units.body.find((u: { code: string }) => u.code === 'CC-THADS-HOANKIEM').name).toBe('Chi cục Thi hành án dân sự quận Hoàn Kiếm');
    const user = await post('admin', '/api/v1/users', { username: 'canbo.hoankiem', password: 'Mật-khẩu-2026', fullName: 'Nguyễn Thị Hằng', roles: ['UNIT_OFFICER'], unitCode: 'CC-THADS-HOANKIEM' });
    expect(user.status).toBe(201);
    const login = await stack.http.post('/api/v1/auth/login').send({ username: 'canbo.hoankiem', password: 'Mật-khẩu-2026' });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ username: 'canbo.hoankiem', fullName: 'Nguyễn Thị Hằng', unitCode: 'CC-THADS-HOANKIEM' });
    expect((await post('admin', '/api/v1/users', { username: 'x.y', password: 'short', fullName: 'A', roles: ['NOT_A_ROLE'] })).status).toBe(400);
  });

  it('lists each role’s waiting work (me/tasks)', async () => {
    const chair = await get('chutich', '/api/v1/me/tasks');
    expect(chair.status).toBe(200);
    expect(Array.isArray(chair.body.items)).toBe(true);
    const reviewer = await get('vutdkt', '/api/v1/me/tasks');
    // Every nomination of the cluster is final now: nothing waits on the Department.
    expect(reviewer.body.items.filter((t: { subjectId: string }) => t.subjectId.startsWith(ID))).toEqual([]);
  });
});
