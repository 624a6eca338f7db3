/**
 * Every decision a workflow takes goes through here: the state is changed at once (so the next
 * update's validator already sees it), then the audit event and read-model snapshot are written
 * by the recordDecision activity. Writes of one workflow are chained so they land in order, and
 * each carries the workflow's version number, so a retried activity writes nothing twice.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DecisionEvent, NotificationRequest, Projection, RecordDecisionResult, SecretBallotRecord, TdktActivities } from '../../libs/contracts/src/index';

const { recordDecision } = proxyActivities<TdktActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The workflow clock: Temporal makes Date deterministic inside workflows (same value on replay). */
export function workflowNow(): string {
  return new Date(Date.now()).toISOString();
}

export type EventFields = Omit<DecisionEvent, 'eventId' | 'at' | 'subjectType' | 'subjectId' | 'data' | 'requestId' | 'reason' | 'fromStage' | 'toStage' | 'role' | 'actorUnitCode'> &
  Partial<Pick<DecisionEvent, 'data' | 'requestId' | 'reason' | 'fromStage' | 'toStage' | 'role' | 'actorUnitCode'>>;

export class DecisionRecorder {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly subjectType: DecisionEvent['subjectType'],
    private readonly subjectId: string,
  ) {}

  /**
   * Writes one decision. `projections` must be snapshots taken now (after the change), with the
   * version already bumped by the caller.
   */
  record(
    version: number,
    at: string,
    fields: EventFields,
    projections: Projection[],
    ballot?: SecretBallotRecord,
    notifications?: NotificationRequest[],
  ): Promise<RecordDecisionResult> {
    const event: DecisionEvent = {
      eventId: `${workflowInfo().workflowId}#${version}`,
      at,
      subjectType: this.subjectType,
      subjectId: this.subjectId,
      role: null,
      actorUnitCode: null,
      fromStage: null,
      toStage: null,
      reason: null,
      requestId: null,
      data: {},
      ...fields,
    };
    const write = this.chain.then(() => recordDecision({ event, projections, ballot, ...(notifications?.length ? { notifications } : {}) }));
    this.chain = write.catch(() => undefined);
    return write;
  }

  /** Resolves once every write started so far has landed. */
  settled(): Promise<unknown> {
    return this.chain;
  }
}

/** A deep copy, so a recorded snapshot is not changed by later decisions. */
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
