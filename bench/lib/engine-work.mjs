// The engine's work per nomination (cost 4 of docs/performance.md): the history events that the
// Temporal server wrote for the run's workflows, by kind, divided by the run's N; the same for the
// floor's workflows. The server's CPU goes mostly into writing and dispatching these events, so the
// two breakdowns side by side show what tdkt-flow asks of the engine on top of the floor.
// Histories are read after the run (not timed); above `maxPerType` workflows of one type a sample
// of that many is read and scaled to the type's count. History bytes come from the visibility
// listing (each workflow's history size), for every workflow. A history is read in pages of 100
// events, as one large council sitting's exceeds gRPC's 4 MB message in one response.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pool } from './util.mjs';

/** Kinds of history events, named after their attributes field (`workflowTaskCompletedEventAttributes` → workflowTaskCompleted). */
const GROUPS = {
  workflowTasks: ['workflowTaskCompleted'],
  activities: ['activityTaskScheduled'],
  updates: ['workflowExecutionUpdateAccepted'],
  signalsReceived: ['workflowExecutionSignaled'],
  signalsSent: ['signalExternalWorkflowExecutionInitiated'],
  childWorkflows: ['startChildWorkflowExecutionInitiated'],
  timers: ['timerStarted'],
  searchAttributeUpserts: ['upsertWorkflowSearchAttributes'],
};

function eventKind(event) {
  for (const [key, value] of Object.entries(event)) {
    if (value && key.endsWith('EventAttributes')) return key.slice(0, -'EventAttributes'.length);
  }
  return 'unknown';
}

/**
 * opts: { root, temporalAddress, namespace, n, groups: [{ name, types: [workflowType], idPattern: RegExp, n (nominations; default opts.n) }],
 *         maxPerType (default 400), log }
 * → { [group name]: { workflows, sampled, perNomination: { events, historyKiB, workflowTasks, …, byKind }, largestHistory: { workflowId, mib } } }
 */
export async function engineWork(opts) {
  const require = createRequire(path.join(opts.root, 'package.json'));
  const { Client, Connection } = require('@temporalio/client');
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const client = new Client({ connection, namespace: opts.namespace });
  const maxPerType = opts.maxPerType ?? 400;
  const out = {};
  try {
    for (const group of opts.groups) {
      const byKind = {};
      let workflows = 0;
      let sampled = 0;
      let bytes = 0;
      let largest;
      for (const type of group.types) {
        const ids = [];
        for await (const wf of client.workflow.list({ query: `WorkflowType = '${type}'` })) {
          if (!group.idPattern.test(wf.workflowId)) continue;
          ids.push({ workflowId: wf.workflowId, runId: wf.runId });
          bytes += wf.historySize ?? 0;
          if ((wf.historySize ?? 0) > (largest?.bytes ?? 0)) largest = { workflowId: wf.workflowId, bytes: wf.historySize };
        }
        workflows += ids.length;
        const sample = ids.length > maxPerType ? ids.filter((_, i) => i % Math.ceil(ids.length / maxPerType) === 0) : ids;
        sampled += sample.length;
        const counts = {};
        await pool(sample, 8, async ({ workflowId, runId }) => {
          let nextPageToken;
          do {
            const page = await connection.workflowService.getWorkflowExecutionHistory({
              namespace: opts.namespace,
              execution: { workflowId, runId },
              maximumPageSize: 100,
              nextPageToken,
            });
            for (const event of page.history?.events ?? []) {
              const kind = eventKind(event);
              counts[kind] = (counts[kind] ?? 0) + 1;
            }
            nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
          } while (nextPageToken);
        });
        const scale = sample.length ? ids.length / sample.length : 0;
        for (const [kind, count] of Object.entries(counts)) byKind[kind] = (byKind[kind] ?? 0) + count * scale;
      }
      const n = group.n ?? opts.n;
      const per = (count) => Math.round((count / n) * 100) / 100;
      const perNomination = {
        events: per(Object.values(byKind).reduce((a, b) => a + b, 0)),
        historyKiB: per(bytes / 1024),
      };
      for (const [name, kinds] of Object.entries(GROUPS)) perNomination[name] = per(kinds.reduce((a, k) => a + (byKind[k] ?? 0), 0));
      perNomination.byKind = Object.fromEntries(
        Object.entries(byKind)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => [k, per(v)]),
      );
      const largestHistory = largest && { workflowId: largest.workflowId, mib: Math.round((largest.bytes / 2 ** 20) * 100) / 100 };
      out[group.name] = { n, workflows, sampled, perNomination, largestHistory };
      opts.log(
        `engine work (${group.name}): ${perNomination.events} history events and ${perNomination.historyKiB} KiB per nomination over ${workflows} workflows; largest history ${largestHistory?.mib} MiB (${largestHistory?.workflowId})`,
      );
    }
  } finally {
    await connection.close();
  }
  return out;
}
