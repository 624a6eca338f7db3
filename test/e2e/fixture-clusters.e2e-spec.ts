/**
 * Each of the three real clusters of the fixtures, over HTTP against the real stack: members
 * register (with the Chi cục THADS their Cục proposes), assess themselves, and vote by secret
 * ballot; the proposals must be exactly those the sources report (`reportedOutcome`). Voters then
 * check their receipts against the published ballot box.
 */
import { SEED_CLUSTERS, type SeedCluster } from '@tdkt/persistence';
import { eventually } from '../support/eventually';
import { expectStatus, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const post = (username: string, path: string, body: object, headers: Record<string, string> = {}) => stack.post(username, path, body, headers);
const get = (username: string, path: string) => stack.get(username, path);
const slug = (unit: string) => unit.toLowerCase();

/** What the sources report, and who leads the vote. */
function expectations(c: SeedCluster) {
  const government = c.reportedOutcome?.governmentFlagProposed ?? [];
  // Where the sources name only the Government flag, its units were also the Ministry flag's (Gov ⊆ Ministry).
  const ministry = c.reportedOutcome?.ministryFlagProposed ?? government;
  const head = c.head ?? c.nextYear!.head!;
  return { ministry, government, head };
}

describe.each(SEED_CLUSTERS.map((c) => [c.code, c] as const))('fixture cluster %s', (code, cluster) => {
  const { ministry, government, head } = expectations(cluster);
  const id = `${cluster.year}:${code}`;
  const members = cluster.members.map((m) => m.code);
  const proposedSubUnits = (cluster.subUnits ?? []).filter((s) => ministry.includes(s.code));

  it('reproduces the reported proposals from the ballots of its members', async () => {
    expectStatus(
      await post('admin', '/api/v1/campaigns', {
        clusterCode: code,
        clusterName: cluster.name,
        year: cluster.year,
        memberUnitCodes: members,
        headUnitCode: head,
        registrationDeadline: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(),
      }),
      201,
    );
    // Registration (đăng ký thi đua): each member, with the sub-units it proposes.
    for (const unit of members) {
      const titles = government.includes(unit) ? ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] : ['MINISTRY_FLAG'];
      const subUnits = proposedSubUnits.filter((s) => s.parent === unit).map((s) => ({ unitCode: s.code, targetTitles: ['MINISTRY_FLAG'] }));
      const res = await post(`canbo.${slug(unit)}`, `/api/v1/campaigns/${id}/registrations`, { unitCode: unit, targetTitles: titles, ...(subUnits.length ? { subUnits } : {}) });
      expectStatus(res, 201);
    }
    // Self-assessment (tự đánh giá): a sub-unit's is filed by its member's officer.
    const officerOf = (unit: string) => `canbo.${slug(proposedSubUnits.find((s) => s.code === unit)?.parent ?? unit)}`;
    for (const unit of [...members, ...proposedSubUnits.map((s) => s.code)]) {
      await eventually(async () => {
        const res = await post(officerOf(unit), `/api/v1/nominations/${id}:${unit}/self-assessment`, { score: 90, achievementReport: `Báo cáo thành tích năm ${cluster.year}` });
        expectStatus(res, 201);
      });
    }
    await eventually(async () => {
      const c = await get(`cumtruong.${slug(head)}`, `/api/v1/campaigns/${id}`);
      expect([...c.body.members, ...c.body.subUnits].every((m: { selfAssessedAt: string | null }) => m.selfAssessedAt)).toBe(true);
    });

    // The secret ballot (bỏ phiếu kín): most members choose the reported units, two differ.
    const opened = await post(`cumtruong.${slug(head)}`, `/api/v1/campaigns/${id}/vote/open`, { ministryFlagSeats: ministry.length, governmentFlagSeats: government.length });
    expectStatus(opened, 201);
    const others = members.filter((m) => !ministry.includes(m));
    const receipts: string[] = [];
    for (const [i, unit] of members.entries()) {
      const dissent = i >= members.length - 2;
      const ministryFlag = dissent ? [...ministry.slice(1), others[i % others.length]] : ministry;
      const governmentFlag = dissent ? [] : government;
      const res = await post(`thutruong.${slug(unit)}`, `/api/v1/campaigns/${id}/vote/ballots`, { unitCode: unit, ministryFlag, governmentFlag }, { 'Idempotency-Key': `ballot-${unit}` });
      expectStatus(res, 201);
      receipts.push(res.body.receipt);
      if (i === 0) {
        // A client retry with the same key: the same receipt, still one ballot.
        const retry = await post(`thutruong.${slug(unit)}`, `/api/v1/campaigns/${id}/vote/ballots`, { unitCode: unit, ministryFlag, governmentFlag }, { 'Idempotency-Key': `ballot-${unit}` });
        expectStatus(retry, 201);
        expect(retry.body).toEqual(res.body);
      }
    }
    const closed = await post(`cumtruong.${slug(head)}`, `/api/v1/campaigns/${id}/vote/close`, {});
    expectStatus(closed, 201);
    const selected = (list: { unitCode: string; selected: boolean }[]) => list.filter((t) => t.selected).map((t) => t.unitCode).sort();
    expect(selected(closed.body.ministryFlag)).toEqual([...ministry].sort());
    expect(selected(closed.body.governmentFlag)).toEqual([...government].sort());

    // Each proposed unit's dossier is with the Department; the others are not selected.
    const list = await get('vutdkt', `/api/v1/nominations?year=${cluster.year}&clusterCode=${code}&pageSize=50`);
    const stageOf = Object.fromEntries(list.body.items.map((n: { unitCode: string; stage: string }) => [n.unitCode, n.stage]));
    for (const unit of ministry) expect(stageOf[unit]).toBe('DEPARTMENT_REVIEW');
    for (const unit of others) expect(stageOf[unit]).toBe('NOT_SELECTED');

    // Voters check their receipts against the published ballot box, which names no voter.
    const check = await get(`thutruong.${slug(members[0])}`, `/api/v1/campaigns/${id}/vote/receipts/${receipts[0]}`);
    expectStatus(check, 200);
    expect(check.body).toMatchObject({ counted: true, round: 1, choices: { ministryFlag: ministry, governmentFlag: government } });
    expectStatus(await get(`thutruong.${slug(members[0])}`, `/api/v1/campaigns/${id}/vote/receipts/not-a-receipt`), 404);
    const box = await get('kiemtra', `/api/v1/campaigns/${id}/vote/ballot-box`);
    expectStatus(box, 200);
    expect(box.body.items).toHaveLength(members.length);
    expect(JSON.stringify(box.body)).not.toMatch(/thutruong|voter/i);
    // Nothing kept links the voter to the receipt: no stored response, no audit event.
    const stored = await stack.db.dataSource.query("SELECT count(*)::int AS n FROM idempotency_record WHERE path LIKE '%/vote/ballots'");
    expect(stored[0].n).toBe(0);
    const audit = JSON.stringify(await stack.db.dataSource.query("SELECT * FROM audit_event WHERE action = 'BALLOT_CAST'"));
    for (const r of receipts) expect(audit).not.toContain(r);
  });
});

describe('a sub-unit’s dossier', () => {
  it('is seen and withdrawn by its member unit, not by other units', async () => {
    const cluster = SEED_CLUSTERS.find((c) => c.code === 'KV-TP-TW')!;
    const sub = cluster.subUnits![0];
    const nid = `${cluster.year}:${cluster.code}:${sub.code}`;
    const own = await get(`canbo.${slug(sub.parent)}`, `/api/v1/nominations/${nid}`);
    expectStatus(own, 200);
    expect(own.body).toMatchObject({ unitCode: sub.code, parentUnitCode: sub.parent, stage: 'DEPARTMENT_REVIEW' });
    expect([403, 404]).toContain((await get('canbo.stp-hcm', `/api/v1/nominations/${nid}`)).status);
    expectStatus(await post('canbo.stp-hcm', `/api/v1/nominations/${nid}/withdrawal`, { reason: 'Rút' }), 403);
    expectStatus(await post(`canbo.${slug(sub.parent)}`, `/api/v1/nominations/${nid}/withdrawal`, {}), 400);
    const withdrawn = await post(`canbo.${slug(sub.parent)}`, `/api/v1/nominations/${nid}/withdrawal`, { reason: 'Chi cục xin rút hồ sơ' });
    expectStatus(withdrawn, 201);
    expect(withdrawn.body).toMatchObject({ stage: 'WITHDRAWN', withdrawal: { reason: 'Chi cục xin rút hồ sơ' } });
    expectStatus(await post(`canbo.${slug(sub.parent)}`, `/api/v1/nominations/${nid}/withdrawal`, { reason: 'Lần nữa' }), 409);
  });
});
