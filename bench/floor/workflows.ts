/**
 * The engine floor of `npm run bench`: the least a Temporal workflow can do per decision on this
 * stack. One workflow per nomination handles `updates` updates; each update awaits one activity
 * that does a single INSERT into Postgres, then the workflow completes. No validation, no read
 * model, no audit chain, no signals to other workflows: what tdkt-flow does on top of this is
 * what the ratio tdkt-flow / floor measures. Bundled by @temporalio/worker straight from this
 * file (it compiles TypeScript with swc); deterministic, no I/O here.
 */
import { condition, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';

export interface FloorActivities {
  insertStep(workflowId: string, step: number): Promise<void>;
}

/** One decision: returns how many the workflow has handled so far. */
export const stepUpdate = defineUpdate<number, [number]>('step');

const { insertStep } = proxyActivities<FloorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function floorNominationWorkflow(updates: number): Promise<number> {
  let handled = 0;
  setHandler(stepUpdate, async (step) => {
    await insertStep(workflowInfo().workflowId, step);
    handled += 1;
    return handled;
  });
  await condition(() => handled >= updates);
  return handled;
}
