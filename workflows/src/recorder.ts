/**
 * Every decision a workflow takes goes through here: the state is changed at once (so the next
 * update's validator already sees it), then the audit event and read-model snapshot are written
 * by an activity. Writes of one workflow land in order, and each carries the workflow's version
 * number, so a retried activity writes nothing twice.
 *
 * Group commit (patch `batched-decision-writes`): while one write is in flight, the decisions
 * taken meanwhile wait together and go out as one recordDecisions activity, one transaction,
 * when it lands. A busy workflow (a council sitting taking hundreds of votes, a campaign taking
 * its members' ballots) then needs one activity per burst instead of one per decision; a quiet
 * one writes each decision at once as before. Each caller still resolves only once its own
 * decision is stored. Workflows started before the patch keep one activity per decision.
 */
import { condition, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { projectionKey, type DecisionEvent, type NotificationRequest, type Projection, type RecordDecisionInput, type RecordDecisionResult, type SecretBallotRecord, type TdktActivities } from '../../libs/contracts/src/index';

/** Decisions per recordDecisions activity at most, to keep its input well under Temporal's payload limit. */
const MAX_BATCH = 50;

const { recordDecision, recordDecisions } = proxyActivities<TdktActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The workflow clock. Inside the workflow sandbox the TypeScript SDK replaces Date with Temporal's
 * deterministic clock (the start time of the current workflow task, the same value on replay);
 * the SDK has no other call for "now". Workflow code reads the time only through this function.
 */
export function workflowNow(): string {
  return new Date().toISOString();
}

export type EventFields = Omit<DecisionEvent, 'eventId' | 'at' | 'subjectType' | 'subjectId' | 'data' | 'requestId' | 'reason' | 'fromStage' | 'toStage' | 'role' | 'actorUnitCode'> &
  Partial<Pick<DecisionEvent, 'data' | 'requestId' | 'reason' | 'fromStage' | 'toStage' | 'role' | 'actorUnitCode'>>;

/** Whose decision it is: the subject of the event, and the workflow that owns its versions. */
interface Subject {
  type: DecisionEvent['subjectType'];
  id: string;
  workflowId: string;
}

interface PendingWrite {
  input: RecordDecisionInput;
  resolve: (result: RecordDecisionResult) => void;
  reject: (err: unknown) => void;
}

export class DecisionRecorder {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly batched: boolean;
  private readonly pending: PendingWrite[] = [];
  private inFlight = false;
  private held = false;

  constructor(
    private readonly subjectType: DecisionEvent['subjectType'],
    private readonly subjectId: string,
  ) {
    this.batched = patched('batched-decision-writes');
  }

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
    return this.write(this.decision({ type: this.subjectType, id: this.subjectId, workflowId: workflowInfo().workflowId }, version, at, fields, projections, ballot, notifications));
  }

  /**
   * Writes a decision of another workflow's subject in this workflow's write: the campaign records
   * its members' NOMINATION_CREATED together with its own CAMPAIGN_STARTED, before it starts
   * them. The event id is the one that workflow would have given it (`<workflowId>#<version>`).
   */
  recordFor(subject: Subject, version: number, at: string, fields: EventFields, projections: Projection[]): Promise<RecordDecisionResult> {
    return this.write(this.decision(subject, version, at, fields, projections));
  }

  private decision(
    subject: Subject,
    version: number,
    at: string,
    fields: EventFields,
    projections: Projection[],
    ballot?: SecretBallotRecord,
    notifications?: NotificationRequest[],
  ): RecordDecisionInput {
    const event: DecisionEvent = {
      eventId: `${subject.workflowId}#${version}`,
      at,
      subjectType: subject.type,
      subjectId: subject.id,
      role: null,
      actorUnitCode: null,
      fromStage: null,
      toStage: null,
      reason: null,
      requestId: null,
      data: {},
      ...fields,
    };
    return { event, projections, ballot, ...(notifications?.length ? { notifications } : {}) };
  }

  private write(input: RecordDecisionInput): Promise<RecordDecisionResult> {
    if (this.batched) {
      return new Promise<RecordDecisionResult>((resolve, reject) => {
        this.pending.push({ input, resolve, reject });
        this.flush();
      });
    }
    const write = this.chain.then(() => recordDecision(input));
    this.chain = write.catch(() => undefined);
    return write;
  }

  /**
   * Records the decisions `decideAll` takes (synchronously) as one write: none goes out alone
   * ahead of the others, as the first decision does when no write is in flight. Group commit only.
   */
  together<T>(decideAll: () => T): T {
    if (!this.batched) return decideAll();
    this.held = true;
    try {
      return decideAll();
    } finally {
      this.held = false;
      this.flush();
    }
  }

  /** Sends what waits, as one activity, unless a write is in flight (it sends the rest when it lands). */
  private flush(): void {
    if (this.held || this.inFlight || this.pending.length === 0) return;
    const batch = this.pending.splice(0, MAX_BATCH);
    this.inFlight = true;
    const write =
      batch.length === 1
        ? recordDecision(batch[0].input).then((r) => [r])
        : recordDecisions({ decisions: patched('batch-newest-snapshots-only') ? newestSnapshotsOnly(batch.map((w) => w.input)) : batch.map((w) => w.input) });
    void write
      .then(
        (results) => batch.forEach((w, i) => w.resolve(results[i])),
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      )
      .finally(() => {
        this.inFlight = false;
        this.flush();
      });
  }

  /** Resolves once every write started so far has landed. */
  settled(): Promise<unknown> {
    if (this.batched) return condition(() => !this.inFlight && this.pending.length === 0);
    return this.chain;
  }
}

/**
 * Patch `batch-newest-snapshots-only`: of the snapshots of one object in a batch, only the newest
 * goes out (with the last decision that carries it); the activity applied only that one anyway.
 * A council sitting's snapshot holds every item and who voted on it, so a batch of votes
 * carried it once per vote: the sitting's history grew with votes × agenda (11 MiB for 50
 * nominations and 603 votes), near Temporal's limits as the agenda grows.
 */
function newestSnapshotsOnly(inputs: RecordDecisionInput[]): RecordDecisionInput[] {
  const lastCarrier = new Map<string, number>();
  inputs.forEach((input, i) => input.projections.forEach((p) => lastCarrier.set(projectionKey(p), i)));
  return inputs.map((input, i) => ({ ...input, projections: input.projections.filter((p) => lastCarrier.get(projectionKey(p)) === i) }));
}

/** A deep copy, so a recorded snapshot is not changed by later decisions. */
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
