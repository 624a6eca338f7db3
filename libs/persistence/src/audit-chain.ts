/**
 * The audit chain: each event's hash is SHA-256 over the previous hash and the canonical JSON of
 * the event's fields, so changing, removing or reordering any event breaks every link after it.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DecisionEvent } from '@tdkt/contracts';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The fields of an event that its hash covers: the decision event and its place in the chain. */
export type ChainedFields = Omit<DecisionEvent, 'action' | 'subjectType'> & {
  seq: number;
  action: string;
  subjectType: string;
};

export function hashAuditEvent(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first event whose link does not hold (changed, inserted or missing before it). */
  firstBadSeq?: number;
  /** Why that link is broken. */
  problem?: string;
}

interface AuditRow {
  seq: string;
  event_id: string;
  at: Date;
  actor: string;
  role: string | null;
  actor_unit_code: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  from_stage: string | null;
  to_stage: string | null;
  reason: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** Recomputes the whole chain in seq order, in batches, and names the first broken link. */
export async function verifyAuditChain(
  dataSource: DataSource,
  options: { batchSize?: number; onProgress?: (checked: number) => void } = {},
): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 5_000;
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows: AuditRow[] = await dataSource.query(
      `SELECT seq, event_id, at, actor, role, actor_unit_code, action, subject_type, subject_id, from_stage, to_stage,
              reason, request_id, data, prev_hash, hash
         FROM audit_event WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [expectedSeq, batchSize],
    );
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      const seq = Number(row.seq);
      const bad = (problem: string): VerifyResult => ({ ok: false, checked, firstBadSeq: seq, problem });
      if (seq !== expectedSeq) return { ok: false, checked, firstBadSeq: expectedSeq, problem: `event ${expectedSeq} is missing` };
      if (row.prev_hash !== prevHash) return bad('prev_hash does not match the previous event');
      const hash = hashAuditEvent(prevHash, {
        seq,
        eventId: row.event_id,
        at: row.at.toISOString(),
        actor: row.actor,
        role: row.role,
        actorUnitCode: row.actor_unit_code,
        action: row.action,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        fromStage: row.from_stage,
        toStage: row.to_stage,
        reason: row.reason,
        requestId: row.request_id,
        data: row.data,
      });
      if (hash !== row.hash) return bad('the event was changed after it was recorded');
      prevHash = hash;
      expectedSeq += 1;
      checked += 1;
    }
    options.onProgress?.(checked);
  }
}
