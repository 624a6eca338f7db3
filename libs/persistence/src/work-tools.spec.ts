/** The work tools' tables and the API's own audit events, against a real Postgres database. */
import type { DecisionEvent } from '@tdkt/contracts';
import { appendAuditEvent, auditEventIntact, createTestDatabase, recordDecision, seedOrganisation, verifyAuditChain, type StoredAuditEvent, type TestDatabase } from './index';

jest.setTimeout(60_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('tdkt_worktools');
  await seedOrganisation(db.dataSource, { adminUsername: 'admin', adminPassword: 'Admin@unit-123', demoPassword: 'Demo@unit-123' });
});
afterAll(async () => {
  await db?.drop();
});

const SUBJECT = '2030:KV-TP-TW:STP-HN';

function event(eventId: string, action: DecisionEvent['action'], reason: string, data: Record<string, unknown> = {}): DecisionEvent {
  return {
    eventId,
    at: new Date().toISOString(),
    actor: 'vutdkt',
    role: 'DEPARTMENT_REVIEWER',
    actorUnitCode: null,
    action,
    subjectType: 'NOMINATION',
    subjectId: SUBJECT,
    fromStage: 'DEPARTMENT_REVIEW',
    toStage: 'DEPARTMENT_REVIEW',
    reason,
    requestId: null,
    data,
  };
}

async function storedEvent(eventId: string): Promise<StoredAuditEvent> {
  const [r] = await db.dataSource.query(
    `SELECT seq, event_id, at, actor, role, actor_unit_code, action, subject_type, subject_id, from_stage, to_stage, reason, request_id, data, prev_hash, hash
       FROM audit_event WHERE event_id = $1`,
    [eventId],
  );
  return {
    seq: Number(r.seq),
    eventId: r.event_id,
    at: r.at,
    actor: r.actor,
    role: r.role,
    actorUnitCode: r.actor_unit_code,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    fromStage: r.from_stage,
    toStage: r.to_stage,
    reason: r.reason,
    requestId: r.request_id,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

describe('appendAuditEvent', () => {
  it('appends a chained event inside the caller’s transaction, Vietnamese intact, once per event id', async () => {
    const text = 'Đề nghị bổ sung báo cáo thành tích năm 2025';
    const first = await db.dataSource.transaction((tx) => appendAuditEvent(tx, event('comment:1', 'COMMENT_ADDED', text, { commentId: '1' })));
    expect(first.written).toBe(true);
    const again = await db.dataSource.transaction((tx) => appendAuditEvent(tx, event('comment:1', 'COMMENT_ADDED', text, { commentId: '1' })));
    expect(again).toEqual({ ...first, written: false });
    const stored = await storedEvent('comment:1');
    expect(stored).toMatchObject({ reason: text, fromStage: 'DEPARTMENT_REVIEW', toStage: 'DEPARTMENT_REVIEW', hash: first.hash });
    expect(auditEventIntact(stored)).toBe(true);
    expect(auditEventIntact({ ...stored, data: { commentId: '2' } })).toBe(false);
    expect(auditEventIntact({ ...stored, reason: 'Đề nghị bổ sung' })).toBe(false);
    expect(await verifyAuditChain(db.dataSource)).toMatchObject({ ok: true });
  });

  it('refuses to run outside a transaction', async () => {
    await expect(appendAuditEvent(db.dataSource.manager, event('comment:x', 'COMMENT_ADDED', 'x'))).rejects.toThrow(/needs a transaction/);
  });

  it('rolls back with the transaction: no event without the row written with it', async () => {
    await expect(
      db.dataSource.transaction(async (tx) => {
        await appendAuditEvent(tx, event('attachment:rolled-back', 'ATTACHMENT_ADDED', 'a.pdf'));
        await tx.query('SELECT 1/0');
      }),
    ).rejects.toThrow();
    expect(await db.dataSource.query("SELECT 1 FROM audit_event WHERE event_id = 'attachment:rolled-back'")).toEqual([]);
  });

  it('shares the chain’s lock with recordDecision: racing writers leave a chain that verifies', async () => {
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      writes.push(db.dataSource.transaction((tx) => appendAuditEvent(tx, event(`comment:race-${i}`, 'COMMENT_ADDED', `Ý kiến ${i}`))));
      writes.push(recordDecision(db.dataSource, { event: { ...event(`nomination:${SUBJECT}#${100 + i}`, 'REVIEW_OVERDUE', 'quá hạn'), actor: 'system' }, projections: [] }));
    }
    await Promise.all(writes);
    const seqs: { seq: string }[] = await db.dataSource.query('SELECT seq FROM audit_event ORDER BY seq');
    expect(seqs.map((r) => Number(r.seq))).toEqual(seqs.map((_, i) => i + 1));
    expect(await verifyAuditChain(db.dataSource)).toMatchObject({ ok: true, checked: seqs.length });
  });
});

describe('migration 1764300000000 (work tools)', () => {
  it('keeps one assignment per task key, with a known priority and a holder that exists', async () => {
    const insert = (key: string, assignee: string | null, priority = 'NORMAL') =>
      db.dataSource.query(
        `INSERT INTO task_assignment (task_key, action, subject_type, subject_id, assignee, assigned_at, priority, updated_by)
         VALUES ($1, 'REVIEW', 'NOMINATION', $2, $3::text, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END, $4, 'vutdkt')`,
        [key, SUBJECT, assignee, priority],
      );
    await insert('REVIEW|a', 'vutdkt');
    await expect(insert('REVIEW|a', 'vutdkt2')).rejects.toThrow(/duplicate key/);
    await expect(insert('REVIEW|b', null, 'SOON')).rejects.toThrow(/check constraint/);
    await expect(insert('REVIEW|c', 'nobody.here')).rejects.toThrow(/foreign key/);
  });

  it('a conditional claim has exactly one winner among concurrent claimants', async () => {
    const claim = (username: string) =>
      db.dataSource.query(
        `INSERT INTO task_assignment (task_key, action, subject_type, subject_id, assignee, assigned_by, assigned_at, updated_by)
         VALUES ('REVIEW|race', 'REVIEW', 'NOMINATION', $1, $2, $2, now(), $2)
         ON CONFLICT (task_key) DO UPDATE SET assignee = EXCLUDED.assignee, assigned_at = now() WHERE task_assignment.assignee IS NULL
         RETURNING assignee`,
        [SUBJECT, username],
      ) as Promise<{ assignee: string }[]>;
    const results = await Promise.all(['vutdkt', 'vutdkt2', 'vutdkt', 'vutdkt2'].map(claim));
    const winners = results.filter((r) => r.length === 1);
    expect(winners).toHaveLength(1);
    const [{ assignee }] = await db.dataSource.query("SELECT assignee FROM task_assignment WHERE task_key = 'REVIEW|race'");
    expect(assignee).toBe(winners[0][0].assignee);
  });
});
