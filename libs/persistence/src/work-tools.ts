/**
 * Events the API itself adds to a nomination's audit chain (a comment, an attachment): not
 * decisions of a workflow, so no stage changes (fromStage = toStage). They are appended inside
 * the caller's transaction, so an attachment's metadata row and the event that records its
 * SHA-256 commit together or not at all.
 */
import type { EntityManager } from 'typeorm';
import type { DecisionEvent } from '@tdkt/contracts';
import { GENESIS_HASH, hashAuditEvent } from './audit-chain';

/**
 * The audit actions the API records itself, not decisions of a workflow: no workflow history
 * holds them, so the reconciliation of the audit trail with Temporal (apps/worker reconcile.ts)
 * must leave them out.
 */
export const API_RECORDED_ACTIONS: readonly DecisionEvent['action'][] = ['COMMENT_ADDED', 'ATTACHMENT_ADDED'];

/**
 * The chain's lock: the same advisory lock as recordDecision (record-decision.ts), so events of
 * the API and of the worker get consecutive seq numbers in commit order. persistence.spec.ts
 * checks that both writers, racing, leave a chain that verifies.
 */
export const AUDIT_CHAIN_LOCK_KEY = 0x7464_6b74; // "tdkt"

export interface AppendedEvent {
  seq: number;
  hash: string;
  prevHash: string;
  /** false when an event with this id was there already (nothing written). */
  written: boolean;
}

/** Appends one event at the head of the chain, in the given transaction. Idempotent by eventId. */
export async function appendAuditEvent(tx: EntityManager, event: DecisionEvent): Promise<AppendedEvent> {
  if (!tx.queryRunner?.isTransactionActive) throw new Error('appendAuditEvent needs a transaction (dataSource.transaction(tx => ...))');
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_KEY]);
  const existing: { seq: string; hash: string; prev_hash: string }[] = await tx.query('SELECT seq, hash, prev_hash FROM audit_event WHERE event_id = $1', [event.eventId]);
  if (existing.length) return { seq: Number(existing[0].seq), hash: existing[0].hash, prevHash: existing[0].prev_hash, written: false };
  const last: { seq: string; hash: string }[] = await tx.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
  const seq = last.length ? Number(last[0].seq) + 1 : 1;
  const prevHash = last.length ? last[0].hash : GENESIS_HASH;
  const at = new Date(event.at).toISOString();
  const fields = {
    seq,
    eventId: event.eventId,
    at,
    actor: event.actor,
    role: event.role,
    actorUnitCode: event.actorUnitCode,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    fromStage: event.fromStage,
    toStage: event.toStage,
    reason: event.reason,
    requestId: event.requestId,
    data: event.data ?? {},
  };
  const hash = hashAuditEvent(prevHash, fields);
  await tx.query(
    `INSERT INTO audit_event (seq, event_id, at, actor, role, actor_unit_code, action, subject_type, subject_id,
                              from_stage, to_stage, reason, request_id, data, prev_hash, hash, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16, now())`,
    [
      seq,
      fields.eventId,
      at,
      fields.actor,
      fields.role,
      fields.actorUnitCode,
      fields.action,
      fields.subjectType,
      fields.subjectId,
      fields.fromStage,
      fields.toStage,
      fields.reason,
      fields.requestId,
      JSON.stringify(fields.data),
      prevHash,
      hash,
    ],
  );
  return { seq, hash, prevHash, written: true };
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
