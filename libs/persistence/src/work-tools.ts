/**
 * Events the API itself adds to a nomination's audit chain (a comment, an attachment): not
 * decisions of a workflow, so no stage changes (fromStage = toStage). They are appended inside
 * the caller's transaction, so an attachment's metadata row and the event that records its
 * SHA-256 commit together or not at all.
 */
import type { EntityManager } from 'typeorm';
import type { DecisionEvent } from '@tdkt/contracts';
import { appendAuditEvents, hashAuditEvent, type AppendedEvent } from './audit-chain';

/**
 * The audit actions the API records itself, not decisions of a workflow: no workflow history
 * holds them, so the reconciliation of the audit trail with Temporal (apps/worker reconcile.ts)
 * must leave them out.
 */
export const API_RECORDED_ACTIONS: readonly DecisionEvent['action'][] = ['COMMENT_ADDED', 'ATTACHMENT_ADDED'];

/** Appends one event at the head of the chain, in the given transaction. Idempotent by eventId. */
export async function appendAuditEvent(tx: EntityManager, event: DecisionEvent): Promise<AppendedEvent> {
  if (!tx.queryRunner?.isTransactionActive) throw new Error('appendAuditEvent needs a transaction (dataSource.transaction(tx => ...))');
  const [appended] = await appendAuditEvents(tx, [event]);
  return appended;
}

/** An audit_event row as stored, for checking one event's own link of the chain. */
export interface StoredAuditEvent {
  seq: number;
  eventId: string;
  at: Date;
  actor: string;
  role: string | null;
  actorUnitCode: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  fromStage: string | null;
  toStage: string | null;
  reason: string | null;
  requestId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** True when the event's hash still matches its fields and its previous hash (the event was not changed). */
export function auditEventIntact(e: StoredAuditEvent): boolean {
  const { prevHash, hash, ...rest } = e;
  return hashAuditEvent(prevHash, { ...rest, at: new Date(rest.at).toISOString() }) === hash;
}
