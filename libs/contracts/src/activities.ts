/** The activities the workflows call: the only place where workflows touch the outside world. */
import type { RecordDecisionInput, RecordDecisionResult } from './events';
import type { NominationView } from './views';

export interface TdktActivities {
  /** Append the audit event and apply the read-model snapshot(s) in one transaction; idempotent by event id. */
  recordDecision(input: RecordDecisionInput): Promise<RecordDecisionResult>;
  /** Several decisions of one workflow, in order, in one transaction (group commit); a result per decision. */
  recordDecisions(input: RecordDecisionsInput): Promise<RecordDecisionResult[]>;
  /** The nomination as the read model holds it (for decisions taken after its workflow ended). */
  readNomination(id: string): Promise<NominationView | null>;
  /** Opens the sealed ballots of a vote round into the ballot box; returns their choices, sorted (no voter, no receipt). */
  openBallotBox(input: OpenBallotBoxInput): Promise<OpenBallotBoxResult>;
}

export interface RecordDecisionsInput {
  decisions: RecordDecisionInput[];
}

export interface OpenBallotBoxInput {
  campaignId: string;
  round: number;
  /** The round's sealed ballots, sorted (not in the order of the voters). */
  sealed: string[];
}

export interface OpenBallotBoxResult {
  ballots: { ministryFlag: string[]; governmentFlag: string[] }[];
  /** Sealed ballots that could not be opened (wrong key or damaged): counted as invalid. */
  unreadable: number;
}
