/**
 * Reconciliation of the audit trail with Temporal (`npm run audit:reconcile`): for each nomination
 * of the read model, the decisions its workflow took, read from the workflow history (the inputs of
 * its `recordDecision` and `recordDecisions` activities), against the nomination's events in
 * `audit_event`. Comments and attachments, recorded by the API and not by a workflow, are left out.
 *
 * A nomination started by its campaign with its creation already stored (patch
 * `nomination-created-with-campaign`) has its NOMINATION_CREATED in the campaign's history, in the
 * campaign's first write: the decisions of the parent's history that carry this nomination's event
 * ids count as the nomination's.
 *
 * A decision whose activity completed must be in the audit trail, with the same action, stages,
 * actor, reason and time; an audit event must come from a decision of the workflow; the audit
 * trail must be in the workflow's order. A decision still being written (activity scheduled, not
 * yet completed, workflow running) is reported as pending, not as a difference.
 */
import { Client, Connection, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload, type PayloadCodec, type PayloadConverter } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import type { DecisionEvent, RecordDecisionInput, RecordDecisionsInput } from '@tdkt/contracts';
import { API_RECORDED_ACTIONS, createDataSource } from '@tdkt/persistence';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

/** One decision of a workflow as its history shows it. */
export interface HistoryDecision {
  event: DecisionEvent;
  /** completed: the activity returned; pending: scheduled, no result yet; failed: failed, timed out or cancelled. */
  status: 'completed' | 'pending' | 'failed';
}

/** An audit_event row, as far as reconciliation looks at it. */
export interface AuditRow {
  seq: number;
  eventId: string;
  at: string;
  actor: string;
  action: string;
  subjectId: string;
  fromStage: string | null;
  toStage: string | null;
  reason: string | null;
}

export interface NominationReconciliation {
  nominationId: string;
  workflowId: string;
  /** Decisions found in the workflow history. */
  decisions: number;
  /** Events of the nomination in audit_event. */
  auditEvents: number;
  /** What disagrees; empty when the two agree. */
  differences: string[];
  /** Decisions still being written (not a difference). */
  pending: string[];
}

export interface ReconcileReport {
  checked: number;
  withDifferences: number;
  nominations: NominationReconciliation[];
}

const CLOSED_ATTRIBUTES = [
  'workflowExecutionCompletedEventAttributes',
  'workflowExecutionFailedEventAttributes',
  'workflowExecutionTimedOutEventAttributes',
  'workflowExecutionTerminatedEventAttributes',
  'workflowExecutionCanceledEventAttributes',
  'workflowExecutionContinuedAsNewEventAttributes',
] as const;

const key = (id: unknown): string => String(id ?? '');

export interface DecodeOptions {
  payloadConverter?: PayloadConverter;
  /** The codecs the workers use (e.g. encryption), applied in reverse to decode. */
  payloadCodecs?: PayloadCodec[];
}

async function decodePayload(payload: Payload, options: DecodeOptions): Promise<unknown> {
  let payloads = [payload];
  for (const codec of [...(options.payloadCodecs ?? [])].reverse()) payloads = await codec.decode(payloads);
  return (options.payloadConverter ?? defaultPayloadConverter).fromPayload(payloads[0]);
}

/** The recordDecision(s) inputs of a workflow history, with what became of each activity. */
export async function decisionsFromHistory(
  history: History,
  options: DecodeOptions = {},
): Promise<{ decisions: HistoryDecision[]; closed: boolean; parentWorkflowId?: string }> {
  const events: HistoryEvent[] = history.events ?? [];
  const outcome = new Map<string, HistoryDecision['status']>();
  for (const e of events) {
    if (e.activityTaskCompletedEventAttributes) outcome.set(key(e.activityTaskCompletedEventAttributes.scheduledEventId), 'completed');
    for (const failed of [e.activityTaskFailedEventAttributes, e.activityTaskTimedOutEventAttributes, e.activityTaskCanceledEventAttributes]) {
      if (failed) outcome.set(key(failed.scheduledEventId), 'failed');
    }
  }
  const decisions: HistoryDecision[] = [];
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    const activity = scheduled?.activityType?.name;
    if (!scheduled || (activity !== 'recordDecision' && activity !== 'recordDecisions')) continue;
    const payload = scheduled.input?.payloads?.[0];
    if (!payload) continue;
    const status = outcome.get(key(e.eventId)) ?? 'pending';
    const decoded = await decodePayload(payload, options);
    // A batch (group commit) carries several decisions, landed together or not at all.
    const inputs = activity === 'recordDecisions' ? (decoded as RecordDecisionsInput).decisions : [decoded as RecordDecisionInput];
    for (const input of inputs) decisions.push({ event: input.event, status });
  }
  const closed = events.some((e) => CLOSED_ATTRIBUTES.some((a) => e[a]));
  const parentWorkflowId = events[0]?.workflowExecutionStartedEventAttributes?.parentWorkflowExecution?.workflowId ?? undefined;
  return { decisions, closed, ...(parentWorkflowId ? { parentWorkflowId } : {}) };
}

/** The version part of an event id (`<workflowId>#<version>`). */
function version(eventId: string): number {
  return Number(eventId.slice(eventId.lastIndexOf('#') + 1));
}

function describe(e: Pick<DecisionEvent, 'eventId' | 'action' | 'fromStage' | 'toStage'>): string {
  return `${e.eventId} ${e.action}${e.fromStage || e.toStage ? ` (${e.fromStage ?? '-'} → ${e.toStage ?? '-'})` : ''}`;
}

/** Compares one nomination's decisions (from its workflow history) with its audit events. Pure. */
export function compareTrail(
  nominationId: string,
  workflowId: string,
  found: { decisions: HistoryDecision[]; closed: boolean },
  audit: AuditRow[],
): NominationReconciliation {
  const differences: string[] = [];
  const pending: string[] = [];
  const byId = new Map(audit.map((a) => [a.eventId, a]));
  const fromHistory = new Map<string, HistoryDecision>();
  for (const d of found.decisions) fromHistory.set(d.event.eventId, d);

  for (const d of fromHistory.values()) {
    const e = d.event;
    const row = byId.get(e.eventId);
    if (!row) {
      if (d.status === 'completed') differences.push(`missing in audit_event: ${describe(e)} (recorded by the workflow)`);
      else if (d.status === 'failed') differences.push(`never recorded: ${describe(e)} (its recordDecision activity failed)`);
      else if (found.closed) differences.push(`never recorded: ${describe(e)} (the workflow closed before its recordDecision activity completed)`);
      else pending.push(`${describe(e)} is being recorded`);
      continue;
    }
    const fields: [string, unknown, unknown][] = [
      ['action', e.action, row.action],
      ['subjectId', e.subjectId, row.subjectId],
      ['fromStage', e.fromStage, row.fromStage],
      ['toStage', e.toStage, row.toStage],
      ['actor', e.actor, row.actor],
      ['reason', e.reason, row.reason],
      ['at', new Date(e.at).toISOString(), row.at],
    ];
    for (const [field, expected, actual] of fields) {
      if ((expected ?? null) !== (actual ?? null)) differences.push(`differs: ${e.eventId} ${field}: workflow ${JSON.stringify(expected)}, audit_event ${JSON.stringify(actual)}`);
    }
  }
  for (const row of audit) {
    if (!fromHistory.has(row.eventId)) differences.push(`not in the workflow history: audit_event seq ${row.seq}, ${describe({ ...row, action: row.action as DecisionEvent['action'] })}`);
  }
  // One workflow writes its decisions in order: the audit trail must list them by growing version.
  const versions = audit.filter((a) => a.eventId.startsWith(`${workflowId}#`)).map((a) => version(a.eventId));
  for (let i = 1; i < versions.length; i++) {
    if (versions[i] <= versions[i - 1]) {
      differences.push(`out of order in audit_event: version ${versions[i]} comes after version ${versions[i - 1]}`);
      break;
    }
  }
  return { nominationId, workflowId, decisions: fromHistory.size, auditEvents: audit.length, differences, pending };
}

export async function auditRowsOf(dataSource: DataSource, nominationId: string, workflowId: string): Promise<AuditRow[]> {
  const rows: { seq: string; event_id: string; at: Date; actor: string; action: string; subject_id: string; from_stage: string | null; to_stage: string | null; reason: string | null }[] =
    await dataSource.query(
      `SELECT seq, event_id, at, actor, action, subject_id, from_stage, to_stage, reason FROM audit_event
        WHERE ((subject_type = 'NOMINATION' AND subject_id = $1) OR left(event_id, char_length($2)) = $2)
          AND action <> ALL($3::text[])
        ORDER BY seq`,
      [nominationId, `${workflowId}#`, [...API_RECORDED_ACTIONS]],
    );
  return rows.map((r) => ({
    seq: Number(r.seq),
    eventId: r.event_id,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    subjectId: r.subject_id,
    fromStage: r.from_stage,
    toStage: r.to_stage,
    reason: r.reason,
  }));
}

export interface ReconcileOptions extends DecodeOptions {
  client: Client;
  dataSource: DataSource;
  /** Only these nominations (default: every row of the nomination table). */
  nominationIds?: string[];
  onProgress?: (checked: number, total: number) => void;
}

/** Reconciles every nomination (or the given ones). */
export async function reconcileNominations(o: ReconcileOptions): Promise<ReconcileReport> {
  const ids: string[] = o.nominationIds?.length
    ? o.nominationIds
    : ((await o.dataSource.query('SELECT id FROM nomination ORDER BY id')) as { id: string }[]).map((r) => r.id);
  const nominations: NominationReconciliation[] = [];
  // The parent (campaign) of the nomination before: ids sort by campaign, so one is kept at a time.
  let parent: { workflowId: string; decisions: HistoryDecision[] } | undefined;
  const parentDecisions = async (workflowId: string): Promise<HistoryDecision[]> => {
    if (parent?.workflowId !== workflowId) {
      const decisions = await o.client.workflow
        .getHandle(workflowId)
        .fetchHistory()
        .then((h) => decisionsFromHistory(h, o).then((d) => d.decisions))
        .catch((err: unknown) => {
          if (err instanceof WorkflowNotFoundError || /not found/i.test(err instanceof Error ? err.message : '')) return [];
          throw err;
        });
      parent = { workflowId, decisions };
    }
    return parent.decisions;
  };
  for (const [i, id] of ids.entries()) {
    const workflowId = `nomination:${id}`;
    const audit = await auditRowsOf(o.dataSource, id, workflowId);
    let found: { decisions: HistoryDecision[]; closed: boolean; parentWorkflowId?: string };
    try {
      found = await decisionsFromHistory(await o.client.workflow.getHandle(workflowId).fetchHistory(), o);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) && !/not found/i.test(err instanceof Error ? err.message : '')) throw err;
      nominations.push({
        nominationId: id,
        workflowId,
        decisions: 0,
        auditEvents: audit.length,
        differences: [`workflow ${workflowId} not found in Temporal (namespace ${o.client.options.namespace})`],
        pending: [],
      });
      o.onProgress?.(i + 1, ids.length);
      continue;
    }
    if (found.parentWorkflowId) {
      const own = (await parentDecisions(found.parentWorkflowId)).filter((d) => d.event.eventId.startsWith(`${workflowId}#`));
      found = { ...found, decisions: [...own, ...found.decisions] };
    }
    nominations.push(compareTrail(id, workflowId, found, audit));
    o.onProgress?.(i + 1, ids.length);
  }
  return { checked: nominations.length, withDifferences: nominations.filter((n) => n.differences.length).length, nominations };
}

/** The text the CLI prints: one block per nomination that disagrees, then a summary line. */
export function formatReport(report: ReconcileReport): string {
  const lines: string[] = [];
  for (const n of report.nominations) {
    if (n.differences.length) {
      lines.push(`${n.nominationId} (${n.workflowId}): ${n.differences.length} difference(s)`);
      for (const d of n.differences) lines.push(`  - ${d}`);
    }
    for (const p of n.pending) lines.push(`${n.nominationId}: pending: ${p}`);
  }
  lines.push(
    report.withDifferences
      ? `reconcile: ${report.withDifferences} of ${report.checked} nominations differ from their workflow history`
      : `reconcile: ${report.checked} nominations checked, audit trail and workflow histories agree`,
  );
  return lines.join('\n');
}

/**
 * `cli reconcile [nominationId...]`: connects to DATABASE_URL and TEMPORAL_ADDRESS (namespace
 * TEMPORAL_NAMESPACE), prints the report, returns the exit code (1 when anything differs).
 */
export async function reconcileCommand(args: string[], env: NodeJS.ProcessEnv = process.env, out: (line: string) => void = console.log): Promise<number> {
  const address = env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
  const connection = await Connection.connect({ address, connectTimeout: '10 seconds' }).catch((err: unknown) => {
    throw new Error(`cannot reach Temporal at TEMPORAL_ADDRESS=${address}: ${err instanceof Error ? err.message : String(err)}`);
  });
  const dataSource = await createDataSource(env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/tdkt_flow')
    .initialize()
    .catch(async (err: unknown) => {
      await connection.close();
      throw new Error(`cannot connect to the database at DATABASE_URL: ${err instanceof Error ? err.message : String(err)}`);
    });
  try {
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE || 'default' });
    const report = await reconcileNominations({ client, dataSource, nominationIds: args });
    out(formatReport(report));
    return report.withDifferences ? 1 : 0;
  } finally {
    await connection.close();
    await dataSource.destroy();
  }
}
