/** Activities: all of the workflows' I/O. Each is idempotent, so Temporal may retry it freely. */
import type { DataSource } from 'typeorm';
import type { FindPriorAwardsInput, OpenBallotBoxInput, RecordDecisionInput, RecordDecisionsInput, TdktActivities } from '@tdkt/contracts';
import { loadBallotKey, openBallotBox, readNominationView, recordDecision, recordDecisions } from '@tdkt/persistence';
import { findPriorAwards } from '@tdkt/persistence';
import type { ConnectionGate } from './connection-gate';
import type { WorkerMetrics } from './metrics';

/**
 * The activities; with `metrics`, each execution and failure is counted; with `gate`, at most its
 * size of them (shared by the process's workers) use the database at once.
 */
export function createActivities(dataSource: DataSource, metrics?: WorkerMetrics, gate?: ConnectionGate): TdktActivities {
  // The key that opens sealed ballots (BALLOT_KEY), held by the worker and the API only.
  const ballotKey = loadBallotKey();
  // Links in reminders point here (the API, or the web app once it exists).
  const notifications = { appUrl: process.env.APP_URL || 'http://localhost:3000/api/v1' };
  const gated = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (gate ? (...args: A) => gate.run(() => fn(...args)) : fn);
  const activities: TdktActivities = {
    // Each result carries its event: a local activity's marker holds no input (RecordDecisionResult.event).
    recordDecision: gated(async (input: RecordDecisionInput) => ({ ...(await recordDecision(dataSource, input, notifications)), event: input.event })),
    recordDecisions: gated(async (input: RecordDecisionsInput) =>
      (await recordDecisions(dataSource, input.decisions, notifications)).map((result, i) => ({ ...result, event: input.decisions[i].event })),
    ),
    readNomination: gated((id: string) => readNominationView(dataSource, id)),
    openBallotBox: gated((input: OpenBallotBoxInput) => openBallotBox(dataSource, ballotKey, input)),
    findPriorAwards: gated((input: FindPriorAwardsInput) => findPriorAwards(dataSource, input)),
  };
  if (!metrics) return activities;
  return {
    recordDecision: metrics.instrument('recordDecision', async (input) => {
      const result = await activities.recordDecision(input);
      metrics.decisionsRecorded.inc({ written: String(result.written) });
      return result;
    }),
    recordDecisions: metrics.instrument('recordDecisions', async (input) => {
      const results = await activities.recordDecisions(input);
      for (const result of results) metrics.decisionsRecorded.inc({ written: String(result.written) });
      return results;
    }),
    readNomination: metrics.instrument('readNomination', activities.readNomination),
    openBallotBox: metrics.instrument('openBallotBox', activities.openBallotBox),
    findPriorAwards: metrics.instrument('findPriorAwards', activities.findPriorAwards),
  };
}
