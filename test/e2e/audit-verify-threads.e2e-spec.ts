/**
 * The audit chain verified by worker threads (the compiled dist/, as `npm run audit:verify`, the
 * API's GET /audit/verify and the bench run it): the ranges and the links between them must give
 * exactly the answer of one pass on one thread, for a sound chain and for every kind of tampering,
 * wherever it falls against the ranges' boundaries.
 */
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createTestDatabase, GENESIS_HASH, hashAuditEvent, type ChainedFields, type TestDatabase } from '@tdkt/persistence';
import { buildDist, ROOT } from '../support/processes';

jest.setTimeout(180_000);

type Verify = (
  ds: DataSource,
  o?: { threads?: number; parallelFromEvents?: number; batchSize?: number; onProgress?: (n: number) => void },
) => Promise<unknown>;
const EVENTS = 3_000;
let db: TestDatabase;
let verify: Verify;

/** The chained fields of the test's event `seq`, as appendEvents hashes them. */
function fieldsOf(seq: number): ChainedFields {
  return {
    seq,
    eventId: `verify-test#${seq}`,
    at: new Date(Date.UTC(2026, 11, 1) + seq * 1000).toISOString(),
    actor: 'vutdkt',
    role: 'DEPARTMENT_REVIEWER',
    actorUnitCode: null,
    action: seq % 2 ? 'REVIEW_APPROVED' : 'COMMENT_ADDED',
    subjectType: 'NOMINATION',
    subjectId: `2026:KV-TP-TW:STP-HN`,
    fromStage: null,
    toStage: null,
    reason: `Ý kiến thẩm định số ${seq}: hồ sơ đầy đủ`,
    requestId: null,
    data: { n: seq, ghiChú: 'Cờ thi đua ngành Tư pháp' },
  };
}

/** Appends `count` chained events the way the writer hashes them (one multi-row INSERT per 1,000). */
async function appendEvents(ds: DataSource, count: number): Promise<void> {
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count;) {
    const cols: unknown[][] = Array.from({ length: 16 }, () => []);
    for (const end = Math.min(count, seq + 999); seq <= end; seq++) {
      const fields = fieldsOf(seq);
      const hash = hashAuditEvent(prevHash, fields);
      const row: unknown[] = [
        seq,
        fields.eventId,
        fields.at,
        fields.actor,
        fields.role,
        null,
        fields.action,
        fields.subjectType,
        fields.subjectId,
      ];
      row.push(null, null, fields.reason, null, JSON.stringify(fields.data), prevHash, hash);
      row.forEach((v, c) => cols[c].push(v));
      prevHash = hash;
    }
    await ds.query(
      `INSERT INTO audit_event (seq, event_id, at, actor, role, actor_unit_code, action, subject_type, subject_id,
                                from_stage, to_stage, reason, request_id, data, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                            $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::text[], $16::text[])`,
      cols,
    );
  }
}

/** Runs the statements with the append-only trigger off: what a superuser could do behind the chain's back. */
async function tamper(ds: DataSource, ...statements: string[]): Promise<void> {
  await ds.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete');
  try {
    for (const sql of statements) await ds.query(sql);
  } finally {
    await ds.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete');
  }
}

/** The answer of one pass, and of 2, 3 and 4 threads: all must be the same. */
async function verifyEveryWay(ds: DataSource): Promise<unknown> {
  const single = await verify(ds, { threads: 1, batchSize: 250 });
  for (const threads of [2, 3, 4]) {
    await expect(verify(ds, { threads, parallelFromEvents: 0, batchSize: 250 })).resolves.toEqual(single);
  }
  return single;
}

beforeAll(async () => {
  await buildDist();
  // The compiled module: its worker threads run dist/libs/persistence/src/audit-verify.worker.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  verify = require(path.join(ROOT, 'dist', 'libs', 'persistence', 'src', 'audit-chain.js')).verifyAuditChain;
});

beforeEach(async () => {
  db = await createTestDatabase('tdkt_verify');
  await appendEvents(db.dataSource, EVENTS);
});

afterEach(async () => {
  await db?.drop();
});

describe('verifyAuditChain on worker threads', () => {
  it('checks every event of a sound chain, with progress up to the total', async () => {
    const progress: number[] = [];
    await expect(
      verify(db.dataSource, { threads: 3, parallelFromEvents: 0, batchSize: 100, onProgress: (n) => progress.push(n) }),
    ).resolves.toEqual({
      ok: true,
      checked: EVENTS,
    });
    expect(progress.at(-1)).toBe(EVENTS);
    expect(progress.length).toBeGreaterThan(3);
    await expect(verifyEveryWay(db.dataSource)).resolves.toEqual({ ok: true, checked: EVENTS });
  });

  it('names a changed event at the first seq of a range the same as one pass', async () => {
    // 3 threads over 3,000 events: ranges 1-1000, 1001-2000, 2001-3000.
    await tamper(db.dataSource, "UPDATE audit_event SET reason = 'Không đủ điều kiện' WHERE seq = 1001");
    await expect(verifyEveryWay(db.dataSource)).resolves.toEqual({
      ok: false,
      checked: 1000,
      firstBadSeq: 1001,
      problem: 'the event was changed after it was recorded',
    });
  });

  it('reports the earliest of several tampered events, whichever thread finds it', async () => {
    await tamper(
      db.dataSource,
      `UPDATE audit_event SET data = '{"n": 2999}' WHERE seq = 2999`,
      "UPDATE audit_event SET actor = 'kiemtra' WHERE seq = 1777",
      "UPDATE audit_event SET at = at + interval '1 second' WHERE seq = 1000",
    );
    await expect(verifyEveryWay(db.dataSource)).resolves.toEqual({
      ok: false,
      checked: 999,
      firstBadSeq: 1000,
      problem: 'the event was changed after it was recorded',
    });
  });

  it('finds a removed event, at the end of a range and at the head of the chain', async () => {
    await tamper(db.dataSource, 'DELETE FROM audit_event WHERE seq = 1000');
    await expect(verifyEveryWay(db.dataSource)).resolves.toEqual({
      ok: false,
      checked: 999,
      firstBadSeq: 1000,
      problem: 'event 1000 is missing',
    });
    await tamper(db.dataSource, 'DELETE FROM audit_event WHERE seq < 1000');
    await expect(verifyEveryWay(db.dataSource)).resolves.toEqual({ ok: false, checked: 0, firstBadSeq: 1, problem: 'event 1 is missing' });
  });

  it('finds an event rewritten with a fresh hash by the link from the event after it, across a range boundary', async () => {
    // The forger recomputes event 2000's own hash, but cannot change what event 2001 points at.
    const [row] = await db.dataSource.query('SELECT prev_hash FROM audit_event WHERE seq = 2000');
    const forged = hashAuditEvent(row.prev_hash, { ...fieldsOf(2000), reason: 'Ý kiến đã sửa' });
    await tamper(db.dataSource, `UPDATE audit_event SET reason = 'Ý kiến đã sửa', hash = '${forged}' WHERE seq = 2000`);
    await expect(verifyEveryWay(db.dataSource)).resolves.toEqual({
      ok: false,
      checked: 2000,
      firstBadSeq: 2001,
      problem: 'prev_hash does not match the previous event',
    });
  });

  it('checks from its columns an event whose text Postgres renders otherwise, before calling it changed', async () => {
    // The verifier hashes the text Postgres builds around `data`; for a year past 9999 it writes
    // "10000-", where JavaScript (and so the writer's hash) writes "+010000-". Such an event, sound
    // in the chain, must still verify, and the same event changed must still be found.
    const [row] = await db.dataSource.query('SELECT prev_hash FROM audit_event WHERE seq = $1', [EVENTS]);
    const hashed = hashAuditEvent(row.prev_hash, { ...fieldsOf(EVENTS), at: '+010000-01-01T00:00:00.000Z' });
    await tamper(db.dataSource, `UPDATE audit_event SET at = '10000-01-01T00:00:00Z', hash = '${hashed}' WHERE seq = ${EVENTS}`);
    await expect(verifyEveryWay(db.dataSource)).resolves.toEqual({ ok: true, checked: EVENTS });
    await tamper(db.dataSource, `UPDATE audit_event SET actor = 'kiemtra' WHERE seq = ${EVENTS}`);
    await expect(verifyEveryWay(db.dataSource)).resolves.toEqual({
      ok: false,
      checked: EVENTS - 1,
      firstBadSeq: EVENTS,
      problem: 'the event was changed after it was recorded',
    });
  });
});
