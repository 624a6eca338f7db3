/**
 * Replays recorded histories against today's workflow code: a change that would break a running
 * workflow (non-determinism) fails here. New histories are recorded with
 * `RECORD_HISTORIES=1 npm test -- --selectProjects workflows`; keep the old ones, so workflows
 * started by an earlier release keep replaying (change code with patched() when they would not).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../test/support/temporal';

jest.setTimeout(120_000);

const dir = join(__dirname, '..', 'test', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file)).resolves.toBeUndefined();
  });
});
