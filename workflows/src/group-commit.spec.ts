/**
 * Group commit of a busy workflow's decisions (patch `batched-decision-writes`): decisions taken
 * while a write is in flight go out together as one recordDecisions activity, one transaction.
 * Every caller still gets its own result only once its decision is stored, in order, in the chain.
 */
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { campaignStateQuery, registerUpdate, type TdktActivities } from '@tdkt/contracts';
import { campaignId } from '@tdkt/domain';
import { AuditEventEntity, CampaignEntity, verifyAuditChain } from '@tdkt/persistence';
import { actor } from '../../test/support/actors';
import { keepHistory } from '../../test/support/histories';
import { startCampaign, startWorkflowHarness, type WorkflowHarness } from '../../test/support/workflow-harness';

jest.setTimeout(120_000);

const YEAR = 2036;
const CLUSTER = 'CUM-GC';
const MEMBERS = Array.from({ length: 10 }, (_, i) => `GC-${String(i + 1).padStart(2, '0')}`);
const id = campaignId(YEAR, CLUSTER);

/** What each write activity carried: the event ids, per activity execution, for the campaign. */
const writes: { activity: string; eventIds: string[] }[] = [];
const slow = () => new Promise((r) => setTimeout(r, 150));

let h: WorkflowHarness;

beforeAll(async () => {
  h = await startWorkflowHarness({
    wrapActivities: (a): TdktActivities => ({
      ...a,
      // A slower database: writes overlap with the decisions that keep arriving.
      recordDecision: async (input) => {
        writes.push({ activity: 'recordDecision', eventIds: [input.event.eventId] });
        await slow();
        return a.recordDecision(input);
      },
      recordDecisions: async (input) => {
        writes.push({ activity: 'recordDecisions', eventIds: input.decisions.map((d) => d.event.eventId) });
        await slow();
        return a.recordDecisions(input);
      },
    }),
  });
});

afterAll(async () => {
  await h?.stop();
});

it('the nominations are visible with the campaign; ten registrations at once: fewer writes than decisions, every one stored in order and answered after its write', async () => {
  const campaign = await startCampaign(h, { year: YEAR, cluster: CLUSTER, members: MEMBERS, head: MEMBERS[0], deadlineInDays: 30 });
  // The members' nominations land in the campaign's first write (patch initial-nomination-snapshots):
  // the moment the campaign is visible, so are its ten nominations.
  let firstSight: { campaigns: number; nominations: number } | undefined;
  while (!firstSight?.campaigns) {
    [firstSight] = await h.db.dataSource.query(
      'SELECT (SELECT count(*)::int FROM campaign WHERE id = $1) AS campaigns, (SELECT count(*)::int FROM nomination WHERE campaign_id = $1) AS nominations',
      [id],
    );
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(firstSight.nominations).toBe(MEMBERS.length);

  const views = await Promise.all(
    MEMBERS.map((u) =>
      campaign.executeUpdate(registerUpdate, { args: [{ unitCode: u, targetTitles: ['MINISTRY_FLAG'], actor: actor(`canbo.${u.toLowerCase()}`, 'UNIT_OFFICER', u) }] }),
    ),
  );
  views.forEach((v, i) => expect(v.members.find((m) => m.unitCode === MEMBERS[i])?.registeredAt).toBeTruthy());
  const events = await h.db.dataSource.getRepository(AuditEventEntity).find({ where: { subjectId: id, action: 'UNIT_REGISTERED' }, order: { seq: 'ASC' } });
  expect(events).toHaveLength(MEMBERS.length);
  // In the order the workflow took them: versions rise with seq.
  const versions = events.map((e) => Number(e.eventId.split('#')[1]));
  expect(versions).toEqual([...versions].sort((a, b) => a - b));
  expect(await verifyAuditChain(h.db.dataSource)).toMatchObject({ ok: true });

  // Fewer activities than decisions: some went out together.
  const campaignWrites = writes.filter((w) => w.eventIds.some((e) => e.startsWith(`campaign:${id}#`)));
  const decisions = campaignWrites.reduce((n, w) => n + w.eventIds.length, 0);
  expect(decisions).toBeGreaterThanOrEqual(MEMBERS.length + 1);
  expect(campaignWrites.length).toBeLessThan(decisions);
  expect(campaignWrites.some((w) => w.activity === 'recordDecisions' && w.eventIds.length > 1)).toBe(true);

  // The read model holds the newest snapshot: every member registered.
  const row = await h.db.dataSource.getRepository(CampaignEntity).findOneByOrFail({ id });
  expect(row.view.members.every((m) => m.registeredAt)).toBe(true);
  expect(row.version).toBe((await campaign.query(campaignStateQuery)).version);

  if (process.env.RECORD_HISTORIES === '1') {
    keepHistory(join(__dirname, '..', 'test', 'histories', 'campaign-group-commit.json'), historyToJSON(await campaign.fetchHistory()));
  }
  await campaign.terminate('test over');
});
