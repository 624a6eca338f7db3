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

  it('reads the one-by-one writes of a history recorded before the batches', async () => {
    const { decisions } = await decisionsFromHistory(load('nomination-awarded.json'));
    const versions = decisions.map((d) => Number(d.event.eventId.split('#')[1]));
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });
});
