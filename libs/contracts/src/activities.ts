/** The activities the workflows call: the only place where workflows touch the outside world. */
import type { RecordDecisionInput, RecordDecisionResult } from './events';
import type { NominationView } from './views';
import type { Title } from '../../domain/src/model';

export interface TdktActivities {
  /** Append the audit event and apply the read-model snapshot(s) in one transaction; idempotent by event id. */
  recordDecision(input: RecordDecisionInput): Promise<RecordDecisionResult>;
  /** Several decisions of one workflow, in order, in one transaction (group commit); a result per decision. */
  recordDecisions(input: RecordDecisionsInput): Promise<RecordDecisionResult[]>;
  /** The nomination as the read model holds it (for decisions taken after its workflow ended). */
  readNomination(id: string): Promise<NominationView | null>;
  /** Opens the sealed ballots of a vote round into the ballot box; returns their choices, sorted (no voter, no receipt). */
  openBallotBox(input: OpenBallotBoxInput): Promise<OpenBallotBoxResult>;
  /**
   * Awards of the registry (not revoked) of the given titles and years, per unit code asked for,
   * including awards recorded under the unit's former codes (renamed or merged units).
   */
  findPriorAwards(input: FindPriorAwardsInput): Promise<Record<string, PriorAwardRecord[]>>;
}

export interface FindPriorAwardsInput {
  unitCodes: string[];
  titles: string[];
  fromYear: number;
  toYear: number;
}

/** One award found in the registry (hồ sơ thành tích), under the code it was recorded with. */
export interface PriorAwardRecord {
  unitCode: string;
  title: string;
  year: number;
  decisionNumber: string;
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
  /** `abstain`: the titles the ballot abstains on, present only when there are some. */
  ballots: { ministryFlag: string[]; governmentFlag: string[]; abstain?: Title[] }[];
  /** Sealed ballots that could not be opened (wrong key or damaged): counted as invalid. */
  unreadable: number;
}
