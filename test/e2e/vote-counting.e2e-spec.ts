/**
 * How votes are counted under a rule set other than the default, over HTTP against the real
 * Temporal dev server and Postgres: the rule sets can be read (GET /rule-sets), a campaign picks
 * `strict` at its start, its cluster vote refuses a vote for one's own unit in the first round and
 * in the run-off (400), leaves abstentions out of each title's quorum and base and shows it, a
 * council sitting cannot mix rule sets that count differently, and the strict council counts
 * abstentions as absent and a member with a conflict of interest as present, as its minutes show.
 */
import { eventually } from '../support/eventually';
import { expectStatus, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

const YEAR = 2038;
const CLUSTER = 'KV-TP-TW';
const ID = `${YEAR}:${CLUSTER}`;
/** A = STP-HN (the head), B = STP-HCM, C = STP-HP, D = STP-DN, E = STP-CT, F = THADS-HN. */
const MEMBERS = ['STP-HN', 'STP-HCM', 'STP-HP', 'STP-DN', 'STP-CT', 'THADS-HN'];
const HEAD = 'cumtruong.stp-hn';
const officer = (u: string) => `canbo.${u.toLowerCase()}`;
const leader = (u: string) => `thutruong.${u.toLowerCase()}`;
const nid = (u: string, id = ID) => `${id}:${u}`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const post = (username: string, path: string, body: object) => stack.post(username, path, body);
const get = (username: string, path: string) => stack.get(username, path);
const ballot = (unit: string, body: object) => post(leader(unit), `/api/v1/campaigns/${ID}/vote/ballots`, { unitCode: unit, ministryFlag: [], governmentFlag: [], ...body });

/** Starts a campaign, registers every member for the titles and files their self-assessments. */
async function campaignUpToTheVote(id: string, body: object, members: string[], head: string, titles: string[]) {
  expectStatus(await post('vutdkt', '/api/v1/campaigns', { registrationDeadline: new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString(), ...body }), 201);
  for (const unit of members) expectStatus(await post(officer(unit), `/api/v1/campaigns/${id}/registrations`, { unitCode: unit, targetTitles: titles }), 201);
  for (const unit of members) {
    await eventually(async () =>
      expectStatus(await post(officer(unit), `/api/v1/nominations/${nid(unit, id)}/self-assessment`, { score: 92, achievementReport: `Báo cáo thành tích năm ${YEAR}` }), 201),
    );
  }
  await eventually(async () => expect((await get(head, `/api/v1/campaigns/${id}`)).body.members.every((m: { selfAssessedAt: string | null }) => m.selfAssessedAt)).toBe(true));
}

describe('rule sets', () => {
  it('lists every rule set and version with how it counts, and reads one by id and version', async () => {
    const list = await get(officer('STP-HN'), '/api/v1/rule-sets');
    expectStatus(list, 200);
    const ids = list.body.items.map((r: { id: string; version: number }) => `${r.id}@${r.version}`);
    expect(ids).toEqual(['default@1', 'default@2', 'prior-titles@1', 'state-audit@1', 'strict@1']);
    expect(list.body.total).toBe(5);
    expect(list.body.items.find((r: { id: string; version: number }) => r.id === 'default' && r.version === 1).newest).toBe(false);

    const strict = await get('chutich', '/api/v1/rule-sets/strict');
    expectStatus(strict, 200);
    expect(strict.body).toMatchObject({
      id: 'strict',
      version: 1,
      newest: true,
      clusterVote: { allowSelfVote: false, abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT' },
      counting: {
        clusterVote: { allowSelfVote: false, base: 'BALLOTS_CAST', abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT' },
        council: { base: 'PRESENT', abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT', conflicts: 'COUNT_AS_PRESENT_NOT_APPROVING', conflictsInQuorum: 'COUNT_AS_PRESENT' },
      },
    });
    // A version written before the settings existed: its counting resolves to the defaults.
    const v1 = await get('kiemtra', '/api/v1/rule-sets/default?version=1');
    expectStatus(v1, 200);
    expect(v1.body).toMatchObject({ version: 1, newest: false, counting: { council: { conflicts: 'EXCLUDE_FROM_BASE', conflictsInQuorum: 'LEAVE_OUT', abstentionsInQuorum: 'COUNT_AS_PRESENT' } } });
    expectStatus(await get('kiemtra', '/api/v1/rule-sets/no-such-rule-set'), 404);
    expectStatus(await get('kiemtra', '/api/v1/rule-sets/default?version=9'), 404);
    expectStatus(await get('kiemtra', '/api/v1/rule-sets/default?version=abc'), 400);
    expectStatus(await stack.http.get('/api/v1/rule-sets'), 401);
  });
});

describe('a cluster vote under the strict rule set', () => {
  it('starts a campaign on strict, pinned to its version', async () => {
    await campaignUpToTheVote(
      ID,
      { clusterCode: CLUSTER, clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương', year: YEAR, memberUnitCodes: MEMBERS, headUnitCode: 'STP-HN', ruleSet: 'strict' },
      MEMBERS,
      HEAD,
      ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'],
    );
    expect((await get(HEAD, `/api/v1/campaigns/${ID}`)).body.ruleSet).toEqual({ id: 'strict', version: 1 });
    expectStatus(await post(HEAD, `/api/v1/campaigns/${ID}/vote/open`, { ministryFlagSeats: 2, governmentFlagSeats: 1 }), 201);
    const open = await get(leader('STP-HCM'), `/api/v1/campaigns/${ID}/vote`);
    expect(open.body.counting).toEqual({ allowSelfVote: false, base: 'BALLOTS_CAST', abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT' });
  });

  it('refuses a vote for one’s own unit with 400, and leaves abstentions out of each title’s base and quorum', async () => {
    const self = await ballot('STP-HN', { ministryFlag: ['STP-HN', 'STP-HCM'] });
    expectStatus(self, 400);
    expect(JSON.stringify(self.body.message)).toContain('MINISTRY_FLAG: STP-HN may not vote for itself under this rule set');
    // Ministry flag: STP-HN 4, STP-HCM and STP-HP 3 each; THADS-HN abstains, so the base is 5 and
    // both reach more than half: they tie for the last seat. Government flag: 3 abstentions leave
    // 3 of 6 units voting on it, short of the 2/3 quorum.
    const ballots: [string, object][] = [
      ['STP-HN', { ministryFlag: ['STP-HCM', 'STP-HP'], abstain: ['GOVERNMENT_FLAG'] }],
      ['STP-HCM', { ministryFlag: ['STP-HN', 'STP-HP'], abstain: ['GOVERNMENT_FLAG'] }],
      ['STP-HP', { ministryFlag: ['STP-HN', 'STP-HCM'], governmentFlag: ['STP-HN'] }],
      ['STP-DN', { ministryFlag: ['STP-HN', 'STP-HCM'], governmentFlag: ['STP-HN'] }],
      ['STP-CT', { ministryFlag: ['STP-HN', 'STP-HP'], governmentFlag: ['STP-HN'] }],
      ['THADS-HN', { abstain: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] }],
    ];
    for (const [unit, body] of ballots) expectStatus(await ballot(unit, body), 201);
    const first = await post(HEAD, `/api/v1/campaigns/${ID}/vote/close`, {});
    expectStatus(first, 201);
    expect(first.body).toMatchObject({
      status: 'OPEN',
      round: 2,
      runoff: { title: 'MINISTRY_FLAG', units: ['STP-HCM', 'STP-HP'], seats: 1 },
      abstentions: { MINISTRY_FLAG: 1, GOVERNMENT_FLAG: 3 },
      thresholdBase: { MINISTRY_FLAG: 5, GOVERNMENT_FLAG: 3 },
      quorumMet: { MINISTRY_FLAG: true, GOVERNMENT_FLAG: false },
      counting: { base: 'BALLOTS_CAST', abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT' },
    });
    expect(first.body.problems).toContain(
      'GOVERNMENT_FLAG: quorum not reached on this title: 3 of 6 member units voted on it (3 abstained, counted as not voting), at least 2/3 needed; nobody is selected for it',
    );
  });

  it('refuses a vote for one’s own unit in the run-off too, with 400', async () => {
    for (const unit of ['STP-HCM', 'STP-HP']) {
      const self = await ballot(unit, { ministryFlag: [unit] });
      expectStatus(self, 400);
      expect(JSON.stringify(self.body.message)).toContain(`MINISTRY_FLAG: ${unit} may not vote for itself under this rule set`);
    }
    // Nothing was cast by the refused ballots: both units still vote in this round.
    expect((await get(HEAD, `/api/v1/campaigns/${ID}/vote`)).body).toMatchObject({ round: 2, ballotsCast: 0 });
    const runoff: [string, object][] = [
      ['STP-HN', { ministryFlag: ['STP-HCM'] }],
      ['STP-HCM', { ministryFlag: ['STP-HP'] }],
      ['STP-HP', { ministryFlag: ['STP-HCM'] }],
      ['STP-DN', { ministryFlag: ['STP-HCM'] }],
      ['STP-CT', { abstain: ['MINISTRY_FLAG'] }],
      ['THADS-HN', { abstain: ['MINISTRY_FLAG'] }],
    ];
    for (const [unit, body] of runoff) expectStatus(await ballot(unit, body), 201);
    // 4 of 6 vote on the run-off (quorum met); STP-HCM has 3 of 4.
    const closed = await post(HEAD, `/api/v1/campaigns/${ID}/vote/close`, {});
    expectStatus(closed, 201);
    const pick = (list: { unitCode: string; votes: number; selected: boolean }[]) => list.filter((t) => t.selected).map((t) => t.unitCode);
    expect(closed.body.status).toBe('CLOSED');
    expect(pick(closed.body.ministryFlag)).toEqual(['STP-HN', 'STP-HCM']);
    expect(pick(closed.body.governmentFlag)).toEqual([]);
    const vote = await get(officer('STP-HP'), `/api/v1/campaigns/${ID}/vote`);
    expect(vote.body.result).toMatchObject({ quorumMet: { MINISTRY_FLAG: true, GOVERNMENT_FLAG: false }, abstentions: { MINISTRY_FLAG: 1, GOVERNMENT_FLAG: 3 }, thresholdBase: { MINISTRY_FLAG: 5 } });
    expect(vote.body.result.counting).toMatchObject({ abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT' });

    for (const unit of ['STP-HN', 'STP-HCM']) {
      await eventually(async () => expect((await get('vutdkt', `/api/v1/nominations/${nid(unit)}`)).body.stage).toBe('DEPARTMENT_REVIEW'));
      expectStatus(await post('vutdkt', `/api/v1/nominations/${nid(unit)}/review`, { decision: 'APPROVE', reason: 'Hồ sơ đầy đủ' }), 201);
    }
    await eventually(async () => expect((await get('vutdkt', `/api/v1/nominations/${nid('STP-HP')}`)).body.stage).toBe('NOT_SELECTED'));
  });
});

describe('a council sitting under the strict rule set', () => {
  let sessionId = '';

  it('refuses an agenda mixing rule sets that count the council’s votes differently', async () => {
    // A small campaign on the default rule set, up to the council.
    const other = `${YEAR}:KV-MNBG-PB`;
    await campaignUpToTheVote(
      other,
      { clusterCode: 'KV-MNBG-PB', clusterName: 'Khu vực thi đua miền núi biên giới phía Bắc', year: YEAR, memberUnitCodes: ['STP-LCA', 'STP-SL'], headUnitCode: 'STP-LCA' },
      ['STP-LCA', 'STP-SL'],
      'cumtruong.stp-lca',
      ['MINISTRY_FLAG'],
    );
    expectStatus(await post('cumtruong.stp-lca', `/api/v1/campaigns/${other}/vote/open`, { ministryFlagSeats: 1, governmentFlagSeats: 0 }), 201);
    for (const unit of ['STP-LCA', 'STP-SL']) {
      expectStatus(await post(leader(unit), `/api/v1/campaigns/${other}/vote/ballots`, { unitCode: unit, ministryFlag: ['STP-LCA'], governmentFlag: [] }), 201);
    }
    expectStatus(await post('cumtruong.stp-lca', `/api/v1/campaigns/${other}/vote/close`, {}), 201);
    await eventually(async () => expect((await get('vutdkt', `/api/v1/nominations/${nid('STP-LCA', other)}`)).body.stage).toBe('DEPARTMENT_REVIEW'));
    expectStatus(await post('vutdkt', `/api/v1/nominations/${nid('STP-LCA', other)}/review`, { decision: 'APPROVE', reason: 'Hồ sơ đầy đủ' }), 201);

    const mixed = await post('chutich', '/api/v1/council-sessions', { year: YEAR, nominationIds: [nid('STP-HN'), nid('STP-LCA', other)] });
    expectStatus(mixed, 400);
    expect(JSON.stringify(mixed.body.message)).toContain(`${nid('STP-LCA', other)} (default v2) are under rule sets whose council counts votes differently from strict v1`);
  });

  it('counts abstentions as absent and a member with a conflict as present, not approving', async () => {
    const opened = await post('chutich', '/api/v1/council-sessions', { year: YEAR, nominationIds: [nid('STP-HN'), nid('STP-HCM')] });
    expectStatus(opened, 201);
    sessionId = opened.body.id;
    expect(opened.body.ruleSet).toEqual({ id: 'strict', version: 1 });
    const path = (p: string) => `/api/v1/council-sessions/${sessionId}/${p}`;
    const vote = (who: string, unit: string, body: object) => post(who, path('votes'), { nominationId: nid(unit), title: 'MINISTRY_FLAG', ...body });

    expectStatus(await post('hoidong1', path('conflicts'), { nominationId: nid('STP-HN'), reason: 'Nguyên Phó Giám đốc Sở Tư pháp Hà Nội' }), 201);
    expectStatus(await vote('hoidong1', 'STP-HN', { approve: true }), 409);
    // STP-HN: 5 for, 1 against, 2 abstain, hoidong1 in conflict (present, not approving).
    for (const who of ['chutich', 'hoidong2', 'hoidong3', 'hoidong4', 'hoidong5']) expectStatus(await vote(who, 'STP-HN', { approve: true }), 201);
    expectStatus(await vote('hoidong6', 'STP-HN', { approve: false }), 201);
    for (const who of ['hoidong7', 'hoidong8']) expectStatus(await vote(who, 'STP-HN', { abstain: true }), 201);
    // STP-HCM: 5 for, 4 abstain.
    for (const who of ['chutich', 'hoidong1', 'hoidong2', 'hoidong3', 'hoidong4']) expectStatus(await vote(who, 'STP-HCM', { approve: true }), 201);
    for (const who of ['hoidong5', 'hoidong6', 'hoidong7', 'hoidong8']) expectStatus(await vote(who, 'STP-HCM', { abstain: true }), 201);

    const closed = await post('chutich', path('close'), { membersPresent: 9 });
    expectStatus(closed, 201);
    // STP-HN: 7 of 9 count for the quorum; base 9 − 2 abstentions = 7 (the conflict stays in): 5 of 7 ≥ 70 %.
    expect(closed.body.items[0].outcome.MINISTRY_FLAG).toEqual({
      approved: true,
      quorumMet: true,
      approve: 5,
      reject: 1,
      abstain: 2,
      conflicts: 1,
      present: 7,
      members: 9,
      excludedFromQuorum: { abstentions: 2, conflicts: 0 },
      baseKind: 'PRESENT',
      base: 7,
      excludedFromBase: { abstentions: 2, conflicts: 0 },
      required: 5,
    });
    // STP-HCM: 4 abstentions leave 5 of 9 for the quorum, short of 2/3, although all who voted approve.
    expect(closed.body.items[1].outcome.MINISTRY_FLAG).toMatchObject({ approved: false, quorumMet: false, present: 5, members: 9, base: 5, required: 4 });
    await eventually(async () => {
      expect((await get('vutdkt', `/api/v1/nominations/${nid('STP-HN')}`)).body).toMatchObject({ stage: 'AWARDED', titles: { MINISTRY_FLAG: 'AWARDED' } });
      expect((await get('vutdkt', `/api/v1/nominations/${nid('STP-HCM')}`)).body.stage).toBe('NOT_AWARDED');
    });
  });

  it('shows the abstentions, the conflicts, the base and each title’s quorum in the minutes', async () => {
    const res = await get('kiemtra', `/api/v1/council-sessions/${sessionId}/minutes`);
    expectStatus(res, 200);
    const html = res.text;
    expect(html).toContain(
      '<td class="n">5</td><td class="n">1</td><td class="n">2</td><td class="n">1</td><td><b>7</b> (9 thành viên có mặt − 2 không biểu quyết); cần ít nhất 5 phiếu đồng ý; túc số xét danh hiệu: 7/9 thành viên (2 không biểu quyết tính là vắng mặt)</td><td class="n">71.4 %</td><td>Thông qua</td>',
    );
    expect(html).toContain(
      '<td class="n">5</td><td class="n">0</td><td class="n">4</td><td class="n">0</td><td><b>5</b> (9 thành viên có mặt − 4 không biểu quyết); cần ít nhất 4 phiếu đồng ý; túc số xét danh hiệu: 5/9 thành viên (4 không biểu quyết tính là vắng mặt); không đủ số thành viên để xét hồ sơ này</td><td class="n">100.0 %</td><td>Không thông qua</td>',
    );
    expect(html).toContain('phiếu không biểu quyết không tính vào cơ sở tính tỷ lệ và không tính vào túc số');
    expect(html).toContain('thành viên có xung đột lợi ích không biểu quyết, được tính là có mặt, không đồng ý');
    expect(html).toContain('Bộ quy tắc áp dụng: strict, phiên bản 1');
    expect(html).toContain('hoidong1 (lý do: Nguyên Phó Giám đốc Sở Tư pháp Hà Nội)');
  });
});
