/**
 * The engine floor of `npm run bench`: the least a Temporal workflow can do per decision on this
 * stack. One workflow per nomination handles `updates` updates; each update awaits one activity
 * that does a single INSERT into Postgres, then the workflow completes. No validation, no read
 * model, no audit chain, no signals to other workflows: what tdkt-flow does on top of this is
 * what the ratio tdkt-flow / floor measures. The second workflow does the same with local activities. Bundled by @temporalio/worker straight from this
 * file (it compiles TypeScript with swc); deterministic, no I/O here.
 */
import { condition, defineUpdate, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';

export interface FloorActivities {
  insertStep(workflowId: string, step: number): Promise<void>;
}

/** One decision: returns how many the workflow has handled so far. */
export const stepUpdate = defineUpdate<number, [number]>('step');

const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const asActivityTask = proxyActivities<FloorActivities>(ACTIVITY_OPTIONS);
const asLocalActivity = proxyLocalActivities<FloorActivities>(ACTIVITY_OPTIONS);

async function handleSteps(updates: number, insertStep: FloorActivities['insertStep']): Promise<number> {
  let handled = 0;
  setHandler(stepUpdate, async (step) => {
    await insertStep(workflowInfo().workflowId, step);
    handled += 1;
    return handled;
  });
  await condition(() => handled >= updates);
  return handled;
}

/** The floor of issue 7: each update's INSERT is an activity task, scheduled on the server. */
export async function floorNominationWorkflow(updates: number): Promise<number> {
  return handleSteps(updates, asActivityTask.insertStep);
}

/**
 * The same with the INSERT in a local activity, run inside the update's workflow task, as
 * tdkt-flow writes its decisions (patch decisions-in-local-activities): its like-for-like floor.
 */
export async function floorNominationLocalWorkflow(updates: number): Promise<number> {
  return handleSteps(updates, asLocalActivity.insertStep);
}
