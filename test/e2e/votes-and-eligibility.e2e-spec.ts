/**
 * Abstentions, conflicts of interest and a prior-title rule over HTTP, against the real Temporal
 * dev server and Postgres: a campaign under the `prior-titles` rule set (the Government flag needs
 * last year's Ministry flag in the award registry, found under the unit's former code), a cluster
 * vote with an abstention on a seat, then a council sitting where members declare conflicts of
 * interest and abstain, and its minutes.
 */
import { eventually } from '../support/eventually';
import { expectStatus, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

// Next year's campaign, so that last year's award (this year) is one the registry import accepts.
const YEAR = new Date().getFullYear() + 1;
const CLUSTER = 'KV-TP-TW';
const ID = `${YEAR}:${CLUSTER}`;
const MEMBERS = ['STP-HN', 'STP-HCM', 'STP-HP'];
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

const post = (username: string, path: string, body: object) => stack.post(username, path, body);
const get = (username: string, path: string) => stack.get(username, path);

let sessionId = '';

describe('votes with abstentions and conflicts of interest; a prior title from the award registry', () => {
  it('finds last year’s Ministry flag of STP-HN recorded under its former code', async () => {
    expectStatus(await post('admin', '/api/v1/units', { code: 'STP-HN-CU', name: 'Sở Tư pháp Hà Nội (mã cũ)', kind: 'SO_TU_PHAP' }), 201);
    const csv = Buffer.from(
      // Dated 1 January of the award's year: a decision date may not be in the future.
      `\uFEFFMã đơn vị,Danh hiệu,Năm,Số quyết định,Ngày quyết định,Cơ quan ban hành\nSTP-HN-CU,Cờ thi đua ngành Tư pháp,${YEAR - 1},45/QĐ-BTP,01/01/${YEAR - 1},Bộ trưởng Bộ Tư pháp`,
      'utf8',
    );
    const imported = await stack.http.post('/api/v1/registry/imports').set('Authorization', `Bearer ${await stack.token('vutdkt')}`).attach('file', csv, 'khen-thuong.csv');
    expectStatus(imported, 201);
    expectStatus(await post('admin', '/api/v1/units/STP-HN-CU/succession', { successorCode: 'STP-HN', reason: 'RENAMED', effectiveDate: `${YEAR - 1}-07-01` }), 201);
    const registry = await get('vutdkt', `/api/v1/registry?unitCode=STP-HN&year=${YEAR - 1}`);
    // Shown under the unit's code today, with the code it was awarded under.
    expect(registry.body.items).toEqual([expect.objectContaining({ unitCode: 'STP-HN', awardedAs: expect.objectContaining({ unitCode: 'STP-HN-CU' }), title: 'MINISTRY_FLAG', decisionNumber: '45/QĐ-BTP' })]);
  });

  it('runs the campaign under the prior-titles rule set up to the vote', async () => {
    const started = await post('admin', '/api/v1/campaigns', {
      clusterCode: CLUSTER,
      clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương',
      year: YEAR,
      memberUnitCodes: MEMBERS,
      headUnitCode: 'STP-HN',
      registrationDeadline: new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString(),
      ruleSet: 'prior-titles',
    });
    expectStatus(started, 201);
    for (const unit of MEMBERS) {
      expectStatus(await post(officer(unit), `/api/v1/campaigns/${ID}/registrations`, { unitCode: unit, targetTitles: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] }), 201);
    }
    expect((await get(HEAD, `/api/v1/campaigns/${ID}`)).body.ruleSet).toEqual({ id: 'prior-titles', version: 1 });
    for (const unit of MEMBERS) {
      await eventually(async () => expectStatus(await post(officer(unit), `/api/v1/nominations/${nid(unit)}/self-assessment`, { score: 95, achievementReport: `Báo cáo thành tích năm ${YEAR}` }), 201));
    }
    await eventually(async () => expect((await get(HEAD, `/api/v1/campaigns/${ID}`)).body.members.every((m: { selfAssessedAt: string | null }) => m.selfAssessedAt)).toBe(true));
    expectStatus(await post(HEAD, `/api/v1/campaigns/${ID}/vote/open`, { ministryFlagSeats: 2, governmentFlagSeats: 2 }), 201);
  });

  it('takes an abstention on the Government flag and reports STP-HCM ineligible for it, naming the missing award', async () => {
    const ballot = (unit: string, body: object) => post(leader(unit), `/api/v1/campaigns/${ID}/vote/ballots`, { unitCode: unit, ...body });
    const bad = await ballot('STP-HP', { ministryFlag: ['STP-HN'], governmentFlag: ['STP-HN'], abstain: ['GOVERNMENT_FLAG'] });
    expectStatus(bad, 400);
    expect(JSON.stringify(bad.body.message)).toContain('GOVERNMENT_FLAG: the ballot abstains on this title but also chooses units');
    expectStatus(await ballot('STP-HP', { ministryFlag: [], governmentFlag: [], abstain: ['GOLD_MEDAL'] }), 400);
    for (const unit of ['STP-HN', 'STP-HCM']) expectStatus(await ballot(unit, { ministryFlag: ['STP-HN', 'STP-HCM'], governmentFlag: ['STP-HN', 'STP-HCM'] }), 201);
    const abstained = await ballot('STP-HP', { ministryFlag: ['STP-HN', 'STP-HCM'], governmentFlag: [], abstain: ['GOVERNMENT_FLAG'] });
    expectStatus(abstained, 201);

    const closed = await post(HEAD, `/api/v1/campaigns/${ID}/vote/close`, {});
    expectStatus(closed, 201);
    // Once the box is opened, the voter's receipt shows its abstention was counted.
    expect((await get(leader('STP-HP'), `/api/v1/campaigns/${ID}/vote/receipts/${abstained.body.receipt}`)).body.choices).toEqual({
      ministryFlag: ['STP-HN', 'STP-HCM'],
      governmentFlag: [],
      abstain: ['GOVERNMENT_FLAG'],
    });
    const pick = (list: { unitCode: string; votes: number; selected: boolean }[]) => list.map((t) => [t.unitCode, t.votes, t.selected]);
    expect(pick(closed.body.ministryFlag)).toEqual([['STP-HCM', 3, true], ['STP-HN', 3, true], ['STP-HP', 0, false]]);
    // 2 of 3 ballots each (the abstention stays in the base under this rule set); STP-HCM lacks the prior title.
    expect(pick(closed.body.governmentFlag)).toEqual([['STP-HCM', 2, false], ['STP-HN', 2, true], ['STP-HP', 0, false]]);
    expect(closed.body.abstentions).toEqual({ MINISTRY_FLAG: 0, GOVERNMENT_FLAG: 1 });
    expect(closed.body.thresholdBase).toEqual({ MINISTRY_FLAG: 3, GOVERNMENT_FLAG: 3 });
    const missing = `GOVERNMENT_FLAG needs 1 × MINISTRY_FLAG (Cờ thi đua ngành Tư pháp) awarded for ${YEAR - 1}; the award registry holds 0`;
    expect(closed.body.ineligible).toEqual(
      expect.arrayContaining([{ unitCode: 'STP-HCM', title: 'GOVERNMENT_FLAG', reason: missing }]),
    );
    expect(closed.body.ineligible.map((i: { unitCode: string }) => i.unitCode)).not.toContain('STP-HN');
    expect(closed.body.problems).toContain(`GOVERNMENT_FLAG: STP-HCM is not eligible and cannot be proposed: ${missing}`);
    const vote = await get(officer('STP-HP'), `/api/v1/campaigns/${ID}/vote`);
    expect(vote.body.result.abstentions).toEqual({ MINISTRY_FLAG: 0, GOVERNMENT_FLAG: 1 });

    await eventually(async () => {
      const hcm = await get(officer('STP-HCM'), `/api/v1/nominations/${nid('STP-HCM')}`);
      expect(hcm.body).toMatchObject({ stage: 'DEPARTMENT_REVIEW', titles: { MINISTRY_FLAG: 'PROPOSED' }, clusterVote: { ineligible: { GOVERNMENT_FLAG: missing } } });
      expect(hcm.body.titles.GOVERNMENT_FLAG).toBeUndefined();
    });
    await eventually(async () =>
      expect((await get(officer('STP-HN'), `/api/v1/nominations/${nid('STP-HN')}`)).body.titles).toEqual({ MINISTRY_FLAG: 'PROPOSED', GOVERNMENT_FLAG: 'PROPOSED' }),
    );
    for (const unit of ['STP-HN', 'STP-HCM']) {
      const reviewed = await post('vutdkt', `/api/v1/nominations/${nid(unit)}/review`, { decision: 'APPROVE', reason: 'Hồ sơ đầy đủ' });
      expectStatus(reviewed, 201);
      expect(reviewed.body.stage).toBe('COUNCIL_DECISION');
    }
  });

  it('leaves a member with a declared conflict of interest out of that nomination, refusing the member’s vote with 409', async () => {
    const opened = await post('chutich', '/api/v1/council-sessions', { year: YEAR, nominationIds: [nid('STP-HN'), nid('STP-HCM')] });
    expectStatus(opened, 201);
    sessionId = opened.body.id;
    const path = (p: string) => `/api/v1/council-sessions/${sessionId}/${p}`;
    const vote = (who: string, unit: string, title: string, body: object) => post(who, path('votes'), { nominationId: nid(unit), title, ...body });

    expectStatus(await post('hoidong1', path('conflicts'), { nominationId: nid('STP-HN'), reason: '' }), 400);
    expectStatus(await post('canbo.stp-hn', path('conflicts'), { nominationId: nid('STP-HN'), reason: 'x' }), 403);
    expectStatus(await post('hoidong1', '/api/v1/council-sessions/1999-9/conflicts', { nominationId: nid('STP-HN'), reason: 'x' }), 404);
    const declared = await post('hoidong1', path('conflicts'), { nominationId: nid('STP-HN'), reason: 'Nguyên Giám đốc Sở Tư pháp Hà Nội' });
    expectStatus(declared, 201);
    expect(declared.body).toEqual({ nominationId: nid('STP-HN'), member: 'hoidong1', conflicts: 1 });
    expectStatus(await post('hoidong1', path('conflicts'), { nominationId: nid('STP-HN'), reason: 'lần nữa' }), 409);
    // The member's task list no longer asks for a vote on that nomination, but still on the others.
    const tasks = await stack.get('hoidong1', '/api/v1/me/tasks?action=COUNCIL_VOTE');
    expect(tasks.status).toBe(200);
    const units = (tasks.body.items as { unitCode: string }[]).map((t) => t.unitCode);
    expect(units).not.toContain('STP-HN');
    expect(units).toContain('STP-HCM');
    const refused = await vote('hoidong1', 'STP-HN', 'MINISTRY_FLAG', { approve: true });
    expectStatus(refused, 409);
    expect(refused.body.message).toContain('conflict of interest');
    // The same declaration through the votes route: conflict: true with its reason.
    expectStatus(await vote('hoidong2', 'STP-HCM', 'MINISTRY_FLAG', { conflict: true }), 400);
    expectStatus(await vote('hoidong2', 'STP-HCM', 'MINISTRY_FLAG', { conflict: true, reason: 'Có người thân công tác tại đơn vị' }), 201);
    expectStatus(await vote('hoidong2', 'STP-HCM', 'MINISTRY_FLAG', { approve: true }), 409);
    expectStatus(await vote('hoidong3', 'STP-HN', 'MINISTRY_FLAG', {}), 400);

    const voters = ['chutich', 'hoidong2', 'hoidong3', 'hoidong4', 'hoidong5', 'hoidong6', 'hoidong7', 'hoidong8'];
    for (const [i, who] of voters.entries()) {
      // STP-HN, Ministry flag: 6 for, 1 abstains, 1 against (hoidong1 is out): 6 of 9 − 1 = 75 %.
      expectStatus(await vote(who, 'STP-HN', 'MINISTRY_FLAG', i < 6 ? { approve: true } : i === 6 ? { abstain: true } : { approve: false }), 201);
      // STP-HN, Government flag: 6 for, 2 abstain: 75 %.
      expectStatus(await vote(who, 'STP-HN', 'GOVERNMENT_FLAG', i < 6 ? { approve: true } : { abstain: true }), 201);
    }
    // STP-HCM, Ministry flag (hoidong2 is out, hoidong1 votes): 5 for, 2 abstain: 5 of 8 = 62.5 %.
    for (const [i, who] of ['chutich', 'hoidong1', 'hoidong3', 'hoidong4', 'hoidong5', 'hoidong6', 'hoidong7'].entries()) {
      expectStatus(await vote(who, 'STP-HCM', 'MINISTRY_FLAG', i < 5 ? { approve: true } : { abstain: true }), 201);
    }
    const closed = await post('chutich', path('close'), { membersPresent: 9 });
    expectStatus(closed, 201);
    expect(closed.body.items.map((i: { approved: unknown }) => i.approved)).toEqual([{ MINISTRY_FLAG: true, GOVERNMENT_FLAG: true }, { MINISTRY_FLAG: false }]);
    expect(closed.body.items[0].outcome.MINISTRY_FLAG).toMatchObject({ approve: 6, reject: 1, abstain: 1, conflicts: 1, base: 8, required: 6 });

    await eventually(async () => {
      expect((await get('vutdkt', `/api/v1/nominations/${nid('STP-HN')}`)).body).toMatchObject({ stage: 'GOVERNMENT_DECISION', titles: { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'APPROVED' } });
      expect((await get('vutdkt', `/api/v1/nominations/${nid('STP-HCM')}`)).body.stage).toBe('NOT_AWARDED');
    });
  });

  it('shows approvals, rejections, abstentions, the declared conflicts with their reasons and the base in the minutes', async () => {
    const res = await get('kiemtra', `/api/v1/council-sessions/${sessionId}/minutes`);
    expectStatus(res, 200);
    const html = res.text;
    expect(html).toContain('<th>Không biểu quyết</th><th>Xung đột lợi ích</th><th>Cơ sở tính tỷ lệ</th>');
    // STP-HN, Ministry flag: 6 for, 1 against, 1 abstention, 1 conflict; base 9 present − 1 conflict,
    // and the member with the conflict is out of the nomination's quorum too (8 of 8).
    const leftOut = 'túc số xét danh hiệu: 8/8 thành viên (1 có xung đột lợi ích không tính vào số thành viên)';
    expect(html).toContain(
      `<td>Cờ thi đua ngành Tư pháp</td><td class="n">6</td><td class="n">1</td><td class="n">1</td><td class="n">1</td><td><b>8</b> (9 thành viên có mặt − 1 có xung đột lợi ích); cần ít nhất 6 phiếu đồng ý; ${leftOut}</td><td class="n">75.0 %</td><td>Thông qua</td>`,
    );
    expect(html).toContain(
      `<td class="n">5</td><td class="n">0</td><td class="n">2</td><td class="n">1</td><td><b>8</b> (9 thành viên có mặt − 1 có xung đột lợi ích); cần ít nhất 6 phiếu đồng ý; ${leftOut}</td><td class="n">62.5 %</td><td>Không thông qua</td>`,
    );
    expect(html).toContain('hoidong1 (lý do: Nguyên Giám đốc Sở Tư pháp Hà Nội)');
    expect(html).toContain('hoidong2 (lý do: Có người thân công tác tại đơn vị)');
    expect(html).toContain('phiếu không biểu quyết được tính là có mặt, không đồng ý');
    expect(html).toContain('từ 70 % thành viên có mặt');
    // Who voted how is never shown: no other member's name appears.
    expect(html).not.toContain('hoidong7');
  });
});
