/**
 * Group commit of a busy workflow's decisions (patch `batched-decision-writes`): decisions taken
 * while a write is in flight go out together as one recordDecisions activity, one transaction.
 * Every caller still gets its own result only once its decision is stored, in order, in the chain.
 */
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { In } from 'typeorm';
import { campaignStateQuery, nominationStateQuery, registerUpdate, SA_KIND, SA_STAGE, SA_UNIT, type TdktActivities } from '@tdkt/contracts';
import { campaignId, nominationId } from '@tdkt/domain';
import { AuditEventEntity, CampaignEntity, verifyAuditChain } from '@tdkt/persistence';
import { actor } from '../../test/support/actors';
import { eventually } from '../../test/support/eventually';
import { keepHistory } from '../../test/support/histories';
import { nominationHandle, startCampaign, startWorkflowHarness, type WorkflowHarness } from '../../test/support/workflow-harness';

jest.setTimeout(120_000);

const YEAR = 2036;
const CLUSTER = 'CUM-GC';
const MEMBERS = Array.from({ length: 10 }, (_, i) => `GC-${String(i + 1).padStart(2, '0')}`);
const id = campaignId(YEAR, CLUSTER);

/** What each write activity carried: the event ids and, per event, its snapshots (`kind:id@version`). */
const writes: { activity: string; eventIds: string[]; snapshots: string[][] }[] = [];
const snapshotsOf = (d: { projections: { kind: string; view: { id: string; version: number } }[] }) => d.projections.map((p) => `${p.kind}:${p.view.id}@${p.view.version}`);
const slow = () => new Promise((r) => setTimeout(r, 150));

let h: WorkflowHarness;

beforeAll(async () => {
  h = await startWorkflowHarness({
    wrapActivities: (a): TdktActivities => ({
      ...a,
      // A slower database: writes overlap with the decisions that keep arriving.
      recordDecision: async (input) => {
        writes.push({ activity: 'recordDecision', eventIds: [input.event.eventId], snapshots: [snapshotsOf(input)] });
        await slow();
        return a.recordDecision(input);
      },
      recordDecisions: async (input) => {
        writes.push({ activity: 'recordDecisions', eventIds: input.decisions.map((d) => d.event.eventId), snapshots: input.decisions.map(snapshotsOf) });
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
  // A batch carries the campaign's snapshot once, the newest, with its last decision (patch
  // batch-newest-snapshots-only): not once per registration.
  const registrationBatches = campaignWrites.filter((w) => w.activity === 'recordDecisions' && w.eventIds.every((e) => e.startsWith(`campaign:${id}#`)));
  expect(registrationBatches.length).toBeGreaterThan(0);
  for (const w of registrationBatches) {
    const last = Number(w.eventIds.at(-1)!.split('#')[1]);
    expect(w.snapshots.flat()).toEqual([`campaign:${id}@${last}`]);
    expect(w.snapshots.at(-1)).toEqual([`campaign:${id}@${last}`]);
  }

  // The read model holds the newest snapshot: every member registered. The registration's close,
  // decided after the last registration was answered, may still be on its way.
  await eventually(async () => {
    const row = await h.db.dataSource.getRepository(CampaignEntity).findOneByOrFail({ id });
    expect(row.view.members.every((m) => m.registeredAt)).toBe(true);
    expect(row.version).toBe((await campaign.query(campaignStateQuery)).version);
  }, 10_000, 50);

  if (process.env.RECORD_HISTORIES === '1') {
    keepHistory(join(__dirname, '..', 'test', 'histories', 'campaign-group-commit.json'), historyToJSON(await campaign.fetchHistory()));
    keepHistory(join(__dirname, '..', 'test', 'histories', 'campaign-group-commit-newest-snapshots.json'), historyToJSON(await campaign.fetchHistory()));
  }
  await campaign.terminate('test over');
});

it("the campaign's first write holds each member's NOMINATION_CREATED; the nominations start with their search attributes and write nothing until their first decision", async () => {
  const cluster = 'CUM-GC-2';
  const members = MEMBERS.map((u) => `${u}-B`);
  const cid = campaignId(YEAR, cluster);
  const campaign = await startCampaign(h, { year: YEAR, cluster, members, head: members[0], deadlineInDays: 30 });
  const nids = members.map((u) => nominationId(YEAR, cluster, u));
  // The nominations are in the read model at version 1, created when the campaign started.
  let rows: { id: string; version: number; view: { createdAt: string } }[] = [];
  while (rows.length < members.length) {
    rows = await h.db.dataSource.query('SELECT id, version, view FROM nomination WHERE campaign_id = $1', [cid]);
    await new Promise((r) => setTimeout(r, 5));
  }
  const started = await campaign.query(campaignStateQuery);
  expect(rows.map((r) => r.version)).toEqual(members.map(() => 1));
  expect(new Set(rows.map((r) => r.view.createdAt))).toEqual(new Set([started.startedAt]));

  // One write, the campaign's first, carried all eleven decisions; no nomination wrote its own.
  const first = writes.find((w) => w.eventIds.includes(`campaign:${cid}#1`));
  expect(first?.eventIds).toEqual([`campaign:${cid}#1`, ...nids.map((n) => `nomination:${n}#1`)]);
  for (const n of nids) expect(writes.filter((w) => w.eventIds.some((e) => e.startsWith(`nomination:${n}#`)))).toEqual([first]);

  // The audit trail of each nomination starts with its NOMINATION_CREATED, once, in a valid chain.
  const created = await h.db.dataSource
    .getRepository(AuditEventEntity)
    .find({ where: { action: 'NOMINATION_CREATED', subjectId: In(nids) } });
  expect(created.map((e) => e.subjectId).sort()).toEqual([...nids].sort());
  expect(created.every((e) => e.subjectType === 'NOMINATION' && e.actor === 'system' && e.fromStage === 'SELF_ASSESSMENT')).toBe(true);
  expect(await verifyAuditChain(h.db.dataSource)).toMatchObject({ ok: true });

  // Each nomination is found by its search attributes, set at its start: its history has no
  // activity and no update of them (the SDK's own updates of TemporalChangeVersion, one per patch
  // marker, are not ours); its own view is at version 1 too.
  const nomination = nominationHandle(h, YEAR, cluster, members[3]);
  await eventually(async () => expect((await nomination.query(nominationStateQuery)).version).toBe(1));
  const described = await nomination.describe();
  expect(described.typedSearchAttributes.get(SA_KIND)).toBe('nomination');
  expect(described.typedSearchAttributes.get(SA_UNIT)).toBe(members[3]);
  expect(described.typedSearchAttributes.get(SA_STAGE)).toBe('SELF_ASSESSMENT');
  const events = (await nomination.fetchHistory()).events ?? [];
  expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
  const upserted = events.flatMap((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}));
  expect(upserted.filter((k) => k.startsWith('Tdkt'))).toEqual([]);

  if (process.env.RECORD_HISTORIES === '1') {
    keepHistory(
      join(__dirname, '..', 'test', 'histories', 'campaign-records-nomination-creation.json'),
      historyToJSON(await campaign.fetchHistory()),
    );
  }
  await campaign.terminate('test over');
});
