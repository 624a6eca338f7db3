/** Activities: all of the workflows' I/O. Each is idempotent, so Temporal may retry it freely. */
import type { DataSource } from 'typeorm';
import type { TdktActivities } from '@tdkt/contracts';
import { loadBallotKey, openBallotBox, readNominationView, recordDecision, recordDecisions } from '@tdkt/persistence';
import { findPriorAwards } from '@tdkt/persistence';
import type { WorkerMetrics } from './metrics';

/** The activities; with `metrics`, each execution and failure is counted. */
export function createActivities(dataSource: DataSource, metrics?: WorkerMetrics): TdktActivities {
  // The key that opens sealed ballots (BALLOT_KEY), held by the worker and the API only.
  const ballotKey = loadBallotKey();
  // Links in reminders point here (the API, or the web app once it exists).
  const notifications = { appUrl: process.env.APP_URL || 'http://localhost:3000/api/v1' };
  const activities: TdktActivities = {
    recordDecision: (input) => recordDecision(dataSource, input, notifications),
    recordDecisions: (input) => recordDecisions(dataSource, input.decisions, notifications),
    readNomination: (id) => readNominationView(dataSource, id),
    openBallotBox: (input) => openBallotBox(dataSource, ballotKey, input),
    findPriorAwards: (input) => findPriorAwards(dataSource, input),
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
