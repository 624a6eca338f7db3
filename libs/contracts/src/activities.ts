/** The activities the workflows call: the only place where workflows touch the outside world. */
import type { RecordDecisionInput, RecordDecisionResult } from './events';

export interface TdktActivities {
  /** Append the audit event and apply the read-model snapshot(s) in one transaction; idempotent by event id. */
  recordDecision(input: RecordDecisionInput): Promise<RecordDecisionResult>;
}
