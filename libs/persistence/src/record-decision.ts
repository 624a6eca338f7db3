/**
 * The only writer of the read model and the audit chain (called by the worker's activity).
 * One transaction: apply the snapshots, write the reminders and a secret ballot, then append the
 * audit events (next seq, chained hash). Idempotent by event id: a retried activity finds its
 * events and writes nothing.
 * Snapshots only move forward (version guard), so an old write can never overwrite a newer one.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { projectionKey, type NominationView, type Projection, type RecordDecisionInput, type RecordDecisionResult } from '@tdkt/contracts';
import { appendAuditEvents, storedAuditEvents } from './audit-chain';
import { insertNotifications, type NotificationOptions } from './notifications';
import { syncAwardsOf } from './registry';

export async function recordDecision(dataSource: DataSource, input: RecordDecisionInput, options: NotificationOptions = { appUrl: 'http://localhost:3000/api/v1' }): Promise<RecordDecisionResult> {
  const [result] = await recordDecisions(dataSource, [input], options);
  return result;
}

/**
 * Several decisions of one workflow in one transaction (group commit): one chain lock, one read
 * of the chain's head, one commit. Events are appended in the given order; of the snapshots of
 * one object only the newest is applied (the version guard would skip the older ones anyway).
 * Idempotent per event: a retried batch finds its events and writes nothing twice.
 *
 * The snapshots, notifications and ballots are written first and the events appended last, so
 * the chain's lock is held only for the append and the commit (see appendAuditEvents): while one
 * batch appends, the others do the rest of their work. Snapshots are applied in the order of
 * their key, so that two batches touching the same rows lock them in the same order. A batch
 * retried while its first attempt still runs finds the events under the lock (written: false);
 * what it wrote before is the same rows again, which the version guard and ON CONFLICT keep once.
 */
export async function recordDecisions(
  dataSource: DataSource,
  inputs: RecordDecisionInput[],
  options: NotificationOptions = { appUrl: 'http://localhost:3000/api/v1' },
): Promise<RecordDecisionResult[]> {
  if (inputs.length === 0) return [];
  return dataSource.transaction(async (tx) => {
    const stored = await storedAuditEvents(tx, inputs.map((i) => i.event.eventId));
    const fresh = inputs.filter((i) => !stored.has(i.event.eventId));
    for (const projection of newestProjections(fresh)) await applyProjection(tx, projection);
    const reminders = fresh.map(({ event, notifications }) => ({ eventId: event.eventId, at: new Date(event.at).toISOString(), requests: notifications ?? [] }));
    await insertNotifications(tx, reminders, options);
    for (const input of fresh) if (input.ballot) await storeBallot(tx, input.ballot);
    const appended = await appendAuditEvents(tx, inputs.map((i) => i.event));
    return appended.map(({ seq, hash, written }) => ({ seq, hash, written }));
  });
}

/** Of the snapshots of each object in a batch, the one with the highest version, in the order of their keys. */
function newestProjections(inputs: RecordDecisionInput[]): Projection[] {
  const newest = new Map<string, Projection>();
  for (const p of inputs.flatMap((i) => i.projections)) {
    const key = projectionKey(p);
    const seen = newest.get(key);
    if (!seen || seen.view.version < p.view.version) newest.set(key, p);
  }
  return [...newest.keys()].sort().map((key) => newest.get(key)!);
}

/** A secret ballot: two tables with nothing in common but the campaign and round, who voted and what was chosen. */
async function storeBallot(tx: EntityManager, b: NonNullable<RecordDecisionInput['ballot']>): Promise<void> {
  await tx.query('INSERT INTO ballot_cast (campaign_id, round, voter_unit_code) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING', [b.campaignId, b.round, b.voterUnitCode]);
  if (b.receiptHash && b.choices) {
    await tx.query('INSERT INTO ballot_box (campaign_id, round, receipt_hash, choices) VALUES ($1,$2,$3,$4) ON CONFLICT (receipt_hash) DO NOTHING', [
      b.campaignId,
      b.round,
      b.receiptHash,
      JSON.stringify(b.choices),
    ]);
  }
}

async function applyProjection(tx: EntityManager, p: Projection): Promise<void> {
  if (p.kind === 'campaign') {
    const v = p.view;
    await tx.query(
      `INSERT INTO campaign (id, year, cluster_code, cluster_name, head_unit_code, deputy_unit_code, member_unit_codes, phase,
                             registration_deadline, view, version, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
       ON CONFLICT (id) DO UPDATE SET phase = EXCLUDED.phase, head_unit_code = EXCLUDED.head_unit_code,
         deputy_unit_code = EXCLUDED.deputy_unit_code, registration_deadline = EXCLUDED.registration_deadline,
         view = EXCLUDED.view, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE campaign.version < EXCLUDED.version`,
      [
        v.id,
        v.year,
        v.clusterCode,
        v.clusterName,
        v.headUnitCode,
        v.deputyUnitCode,
        v.members.map((m) => m.unitCode),
        v.phase,
        v.registrationDeadline,
        JSON.stringify(v),
        v.version,
        v.updatedAt,
      ],
    );
  } else if (p.kind === 'nomination') {
    const v = p.view;
    await tx.query(
      `INSERT INTO nomination (id, campaign_id, year, cluster_code, unit_code, stage, titles, view, version, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
       ON CONFLICT (id) DO UPDATE SET stage = EXCLUDED.stage, titles = EXCLUDED.titles, view = EXCLUDED.view,
         version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE nomination.version < EXCLUDED.version`,
      [v.id, v.campaignId, v.year, v.clusterCode, v.unitCode, v.stage, JSON.stringify(v.titles), JSON.stringify(v), v.version, v.updatedAt],
    );
    await syncAwardsOf(tx, v);
  } else {
    const v = p.view;
    await tx.query(
      `INSERT INTO council_session (id, year, status, view, version, updated_at)
       VALUES ($1,$2,$3,$4,$5, now())
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, view = EXCLUDED.view, version = EXCLUDED.version,
         updated_at = EXCLUDED.updated_at
       WHERE council_session.version < EXCLUDED.version`,
      [v.id, v.year, v.status, JSON.stringify(v), v.version],
    );
  }
}

/** The read model's snapshot of a nomination, or null. */
export async function readNominationView(dataSource: DataSource, id: string): Promise<NominationView | null> {
  const rows: { view: NominationView }[] = await dataSource.query('SELECT view FROM nomination WHERE id = $1', [id]);
  return rows[0]?.view ?? null;
}
