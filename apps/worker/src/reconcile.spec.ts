/** Reading a workflow's decisions from its history, batched writes (group commit) included. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { decisionsFromHistory } from './reconcile';

const histories = join(__dirname, '..', '..', '..', 'workflows', 'test', 'histories');
const load = (file: string) => historyFromJSON(JSON.parse(readFileSync(join(histories, file), 'utf8')));

describe('decisionsFromHistory', () => {
  it('reads every decision of a recordDecisions batch, in order, once each', async () => {
    const { decisions, closed } = await decisionsFromHistory(load('campaign-group-commit.json'));
    const ids = decisions.map((d) => d.event.eventId);
    // The campaign's start and its ten registrations, versions 1..11, each exactly once.
    expect(ids.slice(0, 11)).toEqual(Array.from({ length: 11 }, (_, i) => `campaign:2036:CUM-GC#${i + 1}`));
    expect(new Set(ids).size).toBe(ids.length);
    expect(decisions.filter((d) => d.event.action === 'UNIT_REGISTERED')).toHaveLength(10);
    expect(decisions.every((d) => d.status === 'completed')).toBe(true);
    expect(closed).toBe(false);
  });

  it("reads the writes of local activities from their markers' results, as the activity tasks' inputs before", async () => {
    const local = await decisionsFromHistory(load('campaign-group-commit-local-writes.json'));
    const before = await decisionsFromHistory(load('campaign-group-commit.json'));
    const ids = local.decisions.map((d) => d.event.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(local.decisions.every((d) => d.status === 'completed')).toBe(true);
    // The campaign's first write holds its members' creation (patch nomination-created-with-campaign).
    expect(ids.filter((id) => id.startsWith('nomination:'))).toEqual(Array.from({ length: 10 }, (_, i) => `nomination:2036:CUM-GC:GC-${String(i + 1).padStart(2, '0')}#1`));
    // The campaign's own decisions: the same, in the same order, as the same test recorded with
    // activity tasks (the ten registrations arrive at once, so whose comes first varies).
    type Found = { event: { eventId: string; action: string; actor: string; fromStage: string | null; toStage: string | null } }[];
    const own = (d: Found) => d.filter((x) => x.event.eventId.startsWith('campaign:')).map((x) => `${x.event.eventId} ${x.event.action} ${x.event.fromStage}->${x.event.toStage}`);
    const actors = (d: Found) => d.filter((x) => x.event.eventId.startsWith('campaign:')).map((x) => x.event.actor).sort();
    expect(own(local.decisions).slice(0, 11)).toEqual(Array.from({ length: 11 }, (_, i) => expect.stringMatching(new RegExp(`^campaign:2036:CUM-GC#${i + 1} `))));
    expect(own(local.decisions)).toEqual(own(before.decisions));
    expect(actors(local.decisions)).toEqual(actors(before.decisions));
  });

  it('reads the one-by-one writes of a history recorded before the batches', async () => {
    const { decisions } = await decisionsFromHistory(load('nomination-awarded.json'));
    const versions = decisions.map((d) => Number(d.event.eventId.split('#')[1]));
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });
});
