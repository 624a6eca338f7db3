/**
 * What the workflow tests share: the time-skipping test server, a throwaway Postgres database,
 * a worker with the real activities, and helpers to start campaigns and reach nominations.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { CampaignInput } from '@tdkt/contracts';
import type { QueryDefinition } from '@temporalio/common';
import { campaignId, campaignWorkflowId, nominationId, nominationWorkflowId } from '@tdkt/domain';
import { createTestDatabase, type TestDatabase } from '@tdkt/persistence';
import { createWorker, type CreateWorkerOptions } from '../../apps/worker/src/worker';
import type { campaignWorkflow, nominationWorkflow } from '../../workflows/src/index';
import { actor } from './actors';
import { createTimeSkippingEnv, workflowBundle } from './temporal';

export const DAY = 24 * 3600 * 1000;

export interface WorkflowHarness {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startWorkflowHarness(options: { wrapActivities?: CreateWorkerOptions['wrapActivities'] } = {}): Promise<WorkflowHarness> {
  const taskQueue = `wf-test-${randomUUID()}`;
  const [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase('tdkt_wf')]);
  const worker: Worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    dataSource: db.dataSource,
    workflowBundle: await workflowBundle(),
    wrapActivities: options.wrapActivities,
  });
  const running = worker.run();
  return {
    env,
    db,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      await db.drop();
    },
  };
}

export interface CampaignOptions {
  year: number;
  cluster: string;
  members: string[];
  head: string;
  deadlineInDays?: number;
  /** An absolute registration deadline (ISO), instead of deadlineInDays. */
  registrationDeadline?: string;
  selfAssessmentDeadline?: string;
  reminderTime?: string;
  ruleSet?: CampaignInput['ruleSet'];
  subUnits?: CampaignInput['subUnits'];
  unitKinds?: CampaignInput['unitKinds'];
}

export async function startCampaign(h: WorkflowHarness, o: CampaignOptions): Promise<WorkflowHandle<typeof campaignWorkflow>> {
  const id = campaignId(o.year, o.cluster);
  const now = await h.env.currentTimeMs();
  const input: CampaignInput = {
    id,
    year: o.year,
    clusterCode: o.cluster,
    clusterName: 'Cụm thi đua thử nghiệm',
    memberUnitCodes: o.members,
    headUnitCode: o.head,
    deputyUnitCode: o.members.find((m) => m !== o.head) ?? null,
    registrationDeadline: o.registrationDeadline ?? new Date(Number(now) + (o.deadlineInDays ?? 10) * DAY).toISOString(),
    ...(o.selfAssessmentDeadline ? { selfAssessmentDeadline: o.selfAssessmentDeadline } : {}),
    ...(o.reminderTime ? { reminderTime: o.reminderTime } : {}),
    ruleSet: o.ruleSet ?? { id: 'default', version: 1 },
    startedBy: actor('admin', 'ADMIN'),
    ...(o.subUnits ? { subUnits: o.subUnits } : {}),
    ...(o.unitKinds ? { unitKinds: o.unitKinds } : {}),
  };
  return h.env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', { workflowId: campaignWorkflowId(id), taskQueue: h.taskQueue, args: [input] });
}

export function nominationHandle(h: WorkflowHarness, year: number, cluster: string, unit: string): WorkflowHandle<typeof nominationWorkflow> {
  return h.env.client.workflow.getHandle<typeof nominationWorkflow>(nominationWorkflowId(nominationId(year, cluster, unit)));
}

/** The rejection type of a refused update (what the API turns into 409/403/400). */
export async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return (err.cause as { type?: string }).type ?? 'untyped';
    throw err;
  }
  throw new Error('the update was accepted but should have been refused');
}

/**
 * The final state of a workflow that has ended, read by query once its status is COMPLETED.
 * (Awaiting `result()` would unlock the test server's time skipping, which then races every
 * other running workflow to its run timeout.)
 */
export async function ended<T>(handle: WorkflowHandle, query: QueryDefinition<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await handle.describe();
    if (status.name === 'COMPLETED') return handle.query(query);
    if (status.name !== 'RUNNING' || Date.now() > deadline) throw new Error(`workflow ${handle.workflowId} is ${status.name}, not COMPLETED`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
