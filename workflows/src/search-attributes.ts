/**
 * A workflow's search attributes (for finding it in Temporal's Web UI and visibility queries).
 * A starter that knows them passes them at start (`typedSearchAttributes`): the campaign does for
 * its nominations. Setting them again from inside would cost one more history event and one more
 * visibility write per workflow, so a workflow started with them leaves them as they are; one
 * started without them (by an older release) sets them itself, as before.
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributePair } from '@temporalio/common';

export function ensureSearchAttributes(pairs: SearchAttributePair[]): void {
  const current = workflowInfo().typedSearchAttributes;
  if (pairs.every((p) => current.get(p.key) !== undefined)) return;
  upsertSearchAttributes(pairs);
}
