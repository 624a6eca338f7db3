/** Against a real Postgres database, created and dropped by the test. */
import { types as pgTypes } from 'pg';
import type { DecisionEvent, NominationView, NotificationRequest } from '@tdkt/contracts';
import {
  canonicalJson,
  CANONICAL_ROW_COLUMNS,
  canonicalRowJson,
  chainedFieldsOfRow,
  createTestDatabase,
  hashPassword,
  isoOfUtcTimestamp,
  recordDecision,
  recordDecisions,
  seedOrganisation,
  updateReturning,
  verifyAuditChain,
  verifyPassword,
  type AuditRowArray,
  type TestDatabase,
} from './index';

jest.setTimeout(60_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('tdkt_persist');
});
afterAll(async () => {
  await db?.drop();
});

const NOMINATION_ID = '2022:KV-TP-TW:STP-HN';

function nominationView(version: number, stage: NominationView['stage']): NominationView {
  const at = new Date(Date.UTC(2022, 11, 1, 8, 0, version)).toISOString();
  return {
    id: NOMINATION_ID,
    campaignId: '2022:KV-TP-TW',
    year: 2022,
    clusterCode: 'KV-TP-TW',
    unitCode: 'STP-HN',
    parentUnitCode: null,
    stage,
    titles: { MINISTRY_FLAG: 'REGISTERED' },
    ruleSet: { id: 'default', version: 1 },
    registrationClosed: true,
    selfAssessment: null,
    clusterVote: null,
    review: null,
    amendments: [],
    council: null,
    governmentDecision: null,
    reviewDue: null,
    withdrawal: null,
    consultation: null,
    governmentSubmission: null,
    revocations: [],
    createdAt: at,
    updatedAt: at,
    version,
  };
}

function event(version: number, action: DecisionEvent['action'], reason: string | null = null): DecisionEvent {
  return {
    eventId: `nomination:${NOMINATION_ID}#${version}`,
    at: new Date(Date.UTC(2022, 11, 1, 8, 0, version)).toISOString(),
    actor: 'canbo.stp-hn',
    role: 'UNIT_OFFICER',
    actorUnitCode: 'STP-HN',
    action,
    subjectType: 'NOMINATION',
    subjectId: NOMINATION_ID,
    fromStage: null,
    toStage: null,
    reason,
    requestId: `req-${version}`,
    data: { note: 'Sở Tư pháp Thành phố Hà Nội', score: 98.5 },
  };
}

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps Vietnamese text as is', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 'Tư pháp', y: null }], c: true } })).toBe('{"a":{"c":true,"d":[1,{"y":null,"z":"Tư pháp"}]},"b":1}');
  });
});

/** canonicalJson as it was first written (entries, filter, sort, map, join): the loops must give the same text. */
function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return value === undefined ? 'null' : JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => referenceCanonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceCanonicalJson(v)}`).join(',')}}`;
}

describe('canonicalJson against its first form, on random values', () => {
  it('gives the same text for 5,000 random nested values (Vietnamese and awkward keys, undefined, holes, dates)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const words = ['a', 'B', 'z', 'ă', 'Đơn vị', 'khóa có dấu', '😀', '_', '10', '9', '', '"q"', 'a\nb'];
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.3) return [null, true, false, 0, -0.5, 1e21, 42, 'Sở Tư pháp', undefined][Math.floor(rnd() * 9)];
      if (r < 0.4) return new Date(Math.floor(rnd() * 4e12));
      if (r < 0.65) {
        const a: unknown[] = Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
        if (rnd() < 0.2) a[a.length + 1] = 'after a hole';
        return a;
      }
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 5) }, () => [words[Math.floor(rnd() * words.length)], value(depth + 1)]));
    };
    for (let i = 0; i < 5000; i++) {
      const v = value(0);
      expect(canonicalJson(v)).toBe(referenceCanonicalJson(v));
    }
  });
});

describe('isoOfUtcTimestamp (the verifier reads `at` as text)', () => {
  it('gives what a Date parsed by pg prints, for every fraction length; null for other shapes', () => {
    // The shapes Postgres prints: the fraction trimmed of its zeros, up to microseconds.
    const parse = pgTypes.getTypeParser(1184, 'text') as (t: string) => Date;
    const samples = ['2026-12-01 22:30:08+00', '2026-12-01 22:30:08.1+00', '2026-12-01 22:30:08.12+00', '2026-12-01 22:30:08.029+00', '2026-12-01 22:30:08.0291+00', '2026-12-01 22:30:08.99999+00', '2000-02-29 00:00:00.999999+00', '9999-12-31 23:59:59.5+00'];
    for (const t of samples) expect(isoOfUtcTimestamp(t)).toBe(parse(t).toISOString());
    for (const other of ['2026-12-01 22:30:08+07', '2026-12-01 22:30:08.123-05:30', '12026-12-01 22:30:08+00', 'infinity', '2026-12-01T22:30:08Z', '2026-12-01 22:30:08.1234567+00']) {
      expect(isoOfUtcTimestamp(other)).toBeNull();
    }
  });

  it('matches what Postgres sends a UTC session for stored instants', async () => {
    const instants = ['2026-12-01T22:30:08.000Z', '2026-12-01T22:30:08.020Z', '2026-12-01T22:30:08.029Z', '2027-02-11T10:00:00.999Z', '1999-12-31T23:59:59.001Z'];
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.query("SET TIME ZONE 'UTC'");
      const rows: { t: string }[] = await runner.query('SELECT (x::timestamptz)::text AS t FROM unnest($1::text[]) WITH ORDINALITY AS u(x, i) ORDER BY i', [instants]);
      expect(rows.map((r) => isoOfUtcTimestamp(r.t))).toEqual(instants);
    } finally {
      await runner.release();
    }
  });
});

describe('canonicalRowJson (the verifier\'s fast path)', () => {
  it('gives exactly the text of canonicalJson for stored rows, whatever their strings hold', () => {
    const awkward = ['Sở Tư pháp Hà Nội', 'dấu "ngoặc" \\ và \n xuống dòng', '\u0000\u001f\u007f', '😀 \ud800 lẻ', '', '</script>'];
    let n = 0;
    for (const text of awkward) {
      for (const nulls of [true, false]) {
        const row: AuditRowArray = [
          String(1000 + n++),
          `nomination:2025:CUM:${text}#3`,
          '2025-12-31T16:59:59.999Z',
          text,
          nulls ? null : 'UNIT_OFFICER',
          nulls ? null : 'STP-HN',
          'REVIEW_RETURNED',
          'NOMINATION',
          text,
          nulls ? null : 'DEPARTMENT_REVIEW',
          nulls ? null : 'AMENDMENT',
          nulls ? null : text,
          nulls ? null : text,
          { z: [1, 2.5, { b: text, a: null }], a: text, 'khóa có dấu': true, n: -0.001 },
          'a'.repeat(64),
          'b'.repeat(64),
        ];
        expect(canonicalRowJson(row)).toBe(canonicalJson(chainedFieldsOfRow(row)));
      }
    }
  });
});

describe('the canonical text Postgres builds for the verifier', () => {
  it('is exactly canonicalJson of the stored fields, for awkward strings and every character', async () => {
    const everyCharacter: string[] = [];
    for (let cp = 1; cp <= 0x2ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) everyCharacter.push(String.fromCodePoint(cp));
    const texts = ['Sở Tư pháp Hà Nội', 'dấu "ngoặc" \\ và \n xuống dòng\t', '\u001f\u007f\u2028', '😀', '', '</script>'];
    for (let i = 0; i < everyCharacter.length; i += 4096) texts.push(everyCharacter.slice(i, i + 4096).join(''));
    const rows = texts.flatMap((text, i) =>
      [true, false].map((nulls, j) => ({
        seq: 2 * i + j + 1,
        eventId: `nomination:2025:CUM:${text}#3`,
        at: new Date(Date.UTC(2025, 11, 31, 16, 59, 59, 999) - i * 86_400_123).toISOString(),
        actor: text,
        role: nulls ? null : 'UNIT_OFFICER',
        actorUnitCode: nulls ? null : 'STP-HN',
        action: 'REVIEW_RETURNED',
        subjectType: 'NOMINATION',
        subjectId: text,
        fromStage: nulls ? null : 'DEPARTMENT_REVIEW',
        toStage: nulls ? null : 'AMENDMENT',
        reason: nulls ? null : text,
        requestId: nulls ? null : text,
        data: { z: [1, 2.5, { b: text, a: null }], a: text, 'khóa có dấu': true, n: -0.001 },
      })),
    );
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.query('CREATE TEMP TABLE canonical_check (LIKE audit_event INCLUDING DEFAULTS)');
      await runner.query(
        `INSERT INTO canonical_check (seq, event_id, at, actor, role, actor_unit_code, action, subject_type, subject_id, from_stage, to_stage,
                                      reason, request_id, data, prev_hash, hash)
         SELECT r.seq, r."eventId", r.at, r.actor, r.role, r."actorUnitCode", r.action, r."subjectType", r."subjectId", r."fromStage",
                r."toStage", r.reason, r."requestId", r.data, '', ''
           FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, "eventId" text, at timestamptz, actor text, role text, "actorUnitCode" text,
                action text, "subjectType" text, "subjectId" text, "fromStage" text, "toStage" text, reason text, "requestId" text, data jsonb)`,
        [JSON.stringify(rows)],
      );
      // A session in another time zone and date style: the text must not depend on them.
      await runner.query("SET TIME ZONE 'Asia/Ho_Chi_Minh'; SET DateStyle = 'German'");
      const built: { head: string; data: unknown; tail: string }[] = await runner.query(
        `SELECT ${CANONICAL_ROW_COLUMNS} FROM canonical_check ORDER BY seq`,
      );
      expect(built).toHaveLength(rows.length);
      // Where a text differs, the place and a few characters around it (the texts are long).
      const differences = built.flatMap((r, i) => {
        const [got, want] = [r.head + canonicalJson(r.data) + r.tail, canonicalJson(rows[i])];
        let at = 0;
        while (at < got.length && got[at] === want[at]) at++;
        return got === want ? [] : [`row ${i}, character ${at}: ${JSON.stringify(got.slice(at - 30, at + 30))} instead of ${JSON.stringify(want.slice(at - 30, at + 30))}`];
      });
      expect(differences).toEqual([]);
    } finally {
      await runner.query('DROP TABLE IF EXISTS canonical_check; RESET TIME ZONE; RESET DateStyle');
      await runner.release();
    }
  });
});

describe('passwords', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const stored = await hashPassword('Mật khẩu@2024');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('Mật khẩu');
    await expect(verifyPassword('Mật khẩu@2024', stored)).resolves.toBe(true);
    await expect(verifyPassword('mật khẩu@2024', stored)).resolves.toBe(false);
    await expect(verifyPassword('x', 'garbage')).resolves.toBe(false);
  });
});

describe('recordDecision', () => {
  it('appends a chained event and the snapshot in one go, and a retry writes nothing twice', async () => {
    const first = await recordDecision(db.dataSource, {
      event: event(1, 'NOMINATION_CREATED'),
      projections: [{ kind: 'nomination', view: nominationView(1, 'SELF_ASSESSMENT') }],
    });
    expect(first).toMatchObject({ seq: 1, written: true });
    const retry = await recordDecision(db.dataSource, {
      event: event(1, 'NOMINATION_CREATED'),
      projections: [{ kind: 'nomination', view: nominationView(1, 'SELF_ASSESSMENT') }],
    });
    expect(retry).toEqual({ seq: 1, hash: first.hash, written: false });
    const [{ count }] = await db.dataSource.query('SELECT count(*)::int AS count FROM audit_event');
    expect(count).toBe(1);
  });

  it('never lets an older snapshot overwrite a newer one', async () => {
    await recordDecision(db.dataSource, {
      event: event(3, 'REVIEW_RETURNED', 'Thiếu biên bản'),
      projections: [{ kind: 'nomination', view: nominationView(3, 'AMENDMENT') }],
    });
    // Version 2 lands late (a slow retry): its event is kept, its snapshot is not applied.
    await recordDecision(db.dataSource, {
      event: event(2, 'SELF_ASSESSMENT_SUBMITTED'),
      projections: [{ kind: 'nomination', view: nominationView(2, 'CLUSTER_VOTE') }],
    });
    const [row] = await db.dataSource.query('SELECT stage, version, view FROM nomination WHERE id = $1', [NOMINATION_ID]);
    expect(row).toMatchObject({ stage: 'AMENDMENT', version: 3 });
    expect(row.view.stage).toBe('AMENDMENT');
  });

  it('gives 20 concurrent writers consecutive seq numbers and a sound chain', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      recordDecision(db.dataSource, { event: { ...event(100 + i, 'COUNCIL_VOTE_CAST'), eventId: `council-session:2022-1#${i}` }, projections: [] }),
    );
    const results = await Promise.all(writes);
    const seqs = results.map((r) => r.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(20);
    expect(seqs[19] - seqs[0]).toBe(19);
    await expect(verifyAuditChain(db.dataSource, { batchSize: 7 })).resolves.toEqual({ ok: true, checked: 23 });
  });

  it('keeps ballot choices apart from the voter', async () => {
    await recordDecision(db.dataSource, {
      event: { ...event(1, 'BALLOT_CAST'), eventId: 'campaign:2022:KV-TP-TW#5', subjectType: 'CAMPAIGN', subjectId: '2022:KV-TP-TW', data: {} },
      projections: [],
      ballot: {
        campaignId: '2022:KV-TP-TW',
        round: 1,
        voterUnitCode: 'STP-HN',
        receiptHash: 'a'.repeat(64),
        choices: { ministryFlag: ['STP-HCM'], governmentFlag: [] },
      },
    });
    const cast = await db.dataSource.query('SELECT * FROM ballot_cast');
    const box = await db.dataSource.query('SELECT * FROM ballot_box');
    expect(Object.keys(cast[0]).sort()).toEqual(['campaign_id', 'id', 'round', 'voter_unit_code']);
    expect(Object.keys(box[0]).sort()).toEqual(['campaign_id', 'choices', 'id', 'receipt_hash', 'round']);
    const [audit] = await db.dataSource.query("SELECT data FROM audit_event WHERE action = 'BALLOT_CAST'");
    expect(JSON.stringify(audit.data)).not.toContain('STP-HCM');
  });

  it('writes a batch in order in one transaction, applies only the newest snapshot, and a retried batch writes nothing twice', async () => {
    const batch = [20, 21, 22].map((v) => ({
      event: event(v, v === 22 ? 'REVIEW_APPROVED' : 'REMINDER_SENT'),
      projections: [{ kind: 'nomination' as const, view: nominationView(v, v === 22 ? 'COUNCIL_DECISION' : 'DEPARTMENT_REVIEW') }],
    }));
    const [before] = await db.dataSource.query('SELECT max(seq)::int AS seq FROM audit_event');
    const results = await recordDecisions(db.dataSource, batch);
    expect(results.map((r) => r.seq)).toEqual([before.seq + 1, before.seq + 2, before.seq + 3]);
    expect(results.every((r) => r.written)).toBe(true);
    const [row] = await db.dataSource.query('SELECT stage, version FROM nomination WHERE id = $1', [NOMINATION_ID]);
    expect(row).toEqual({ stage: 'COUNCIL_DECISION', version: 22 });
    // The same batch again (a retried activity), and one with an event already stored.
    expect(await recordDecisions(db.dataSource, batch)).toEqual(results.map((r) => ({ ...r, written: false })));
    const mixed = await recordDecisions(db.dataSource, [batch[2], { event: event(23, 'REMINDER_SENT'), projections: [] }]);
    expect(mixed).toEqual([{ ...results[2], written: false }, expect.objectContaining({ seq: before.seq + 4, written: true })]);
    await expect(verifyAuditChain(db.dataSource)).resolves.toMatchObject({ ok: true, checked: before.seq + 4 });
  });
});

describe('the audit table', () => {
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(db.dataSource.query("UPDATE audit_event SET reason = 'sửa' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(db.dataSource.query('DELETE FROM audit_event WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(db.dataSource.query('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
  });

  it('verify names the first event changed behind the triggers’ back', async () => {
    // A superuser can switch the trigger off: exactly the tampering the chain must reveal.
    await db.dataSource.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete');
    await db.dataSource.query("UPDATE audit_event SET reason = 'Đủ điều kiện' WHERE seq = 2");
    await db.dataSource.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete');
    const result = await verifyAuditChain(db.dataSource);
    expect(result).toMatchObject({ ok: false, checked: 1, firstBadSeq: 2 });
  });
});

describe('seedOrganisation', () => {
  it('creates the fixtures’ units and demo users once, with Vietnamese names intact', async () => {
    const options = { adminUsername: 'admin', adminPassword: 'Admin@test-1', demoPassword: 'Demo@test-1' };
    const first = await seedOrganisation(db.dataSource, options);
    const second = await seedOrganisation(db.dataSource, options);
    expect(second).toEqual(first);
    expect(first.units).toBe(10 + 4 + 14 + 11);
    const [unit] = await db.dataSource.query("SELECT name, kind FROM unit WHERE code = 'CC-THADS-PHUXUYEN'");
    expect(unit).toEqual({ name: 'Chi cục THADS huyện Phú Xuyên (TP Hà Nội)', kind: 'CHI_CUC_THADS' });
    const users: { username: string; roles: string[]; unit_code: string | null; password_hash: string }[] = await db.dataSource.query(
      'SELECT username, roles, unit_code, password_hash FROM app_user',
    );
    const byName = new Map(users.map((u) => [u.username, u]));
    expect(byName.get('canbo.stp-hn')).toMatchObject({ roles: ['UNIT_OFFICER'], unit_code: 'STP-HN' });
    expect(byName.get('cumtruong.stp-hn')).toMatchObject({ roles: ['CLUSTER_HEAD'], unit_code: 'STP-HN' });
    expect(byName.get('chutich')?.roles).toEqual(['COUNCIL_CHAIR', 'COUNCIL_MEMBER']);
    await expect(verifyPassword('Demo@test-1', byName.get('thutruong.thads-hcm')!.password_hash)).resolves.toBe(true);
    await expect(verifyPassword('Admin@test-1', byName.get('admin')!.password_hash)).resolves.toBe(true);
  });
});

describe('updateReturning', () => {
  it('gives the rows of an UPDATE … RETURNING (TypeORM answers [rows, count] for it)', async () => {
    const rows = await updateReturning<{ username: string }>(db.dataSource, "UPDATE app_user SET active = true WHERE username = 'admin' RETURNING username");
    expect(rows).toEqual([{ username: 'admin' }]);
    expect(await updateReturning(db.dataSource, "UPDATE app_user SET active = true WHERE username = 'nobody' RETURNING username")).toEqual([]);
  });
});

describe('reminders and concurrent writers (after the seed)', () => {
  const CAMPAIGN = '2022:CUM-THU';
  const reminder = (unitCode: string, escalate: boolean): NotificationRequest => ({
    kind: 'REGISTRATION',
    unitCode,
    campaignId: CAMPAIGN,
    deadline: '2022-03-15T10:00:00.000Z',
    sequence: 1,
    escalate,
    workingDaysLate: 2,
  });
  const reminderEvent = (n: number): DecisionEvent => ({
    ...event(n, 'REMINDER_SENT'),
    eventId: `campaign:${CAMPAIGN}#${n}`,
    subjectType: 'CAMPAIGN',
    subjectId: CAMPAIGN,
    actor: 'system',
    role: null,
    actorUnitCode: null,
  });
  /** Events after `seq` whose prev_hash is not the hash of the event before (the chain's start was tampered with above). */
  const brokenLinksAfter = async (seq: number): Promise<number> =>
    (
      await db.dataSource.query(
        'SELECT count(*)::int AS n FROM audit_event b LEFT JOIN audit_event a ON a.seq = b.seq - 1 WHERE b.seq > $1 AND (a.hash IS NULL OR a.hash <> b.prev_hash)',
        [seq],
      )
    )[0].n;
  const recipients = async (eventId: string): Promise<string[]> =>
    (await db.dataSource.query('SELECT username FROM notification WHERE event_id = $1 ORDER BY username', [eventId])).map((r: { username: string }) => r.username);

  beforeAll(async () => {
    await db.dataSource.query(
      `INSERT INTO campaign (id, year, cluster_code, cluster_name, head_unit_code, deputy_unit_code, member_unit_codes, phase, registration_deadline, view, version, updated_at)
       VALUES ($1, 2022, 'CUM-THU', 'Cụm thi đua thử', 'STP-HN', NULL, ARRAY['STP-HN'], 'REGISTRATION', '2022-03-15T10:00:00Z', '{}', 1, now())`,
      [CAMPAIGN],
    );
  });

  /** Reminders of a unit, an escalated one and a sub-unit's, with who should be told of each. */
  const recipientCases = async (): Promise<[NotificationRequest, string[]][]> => {
    const users: { username: string; roles: string[]; unit_code: string | null }[] = await db.dataSource.query(
      'SELECT username, roles, unit_code FROM app_user WHERE active',
    );
    const [sub]: { code: string; parent_code: string }[] = await db.dataSource.query('SELECT code, parent_code FROM unit WHERE parent_code IS NOT NULL ORDER BY code LIMIT 1');
    const officersOf = (...units: string[]) => users.filter((u) => u.roles.includes('UNIT_OFFICER') && units.includes(u.unit_code ?? '')).map((u) => u.username);
    const escalation = users
      .filter((u) => (u.roles.includes('CLUSTER_HEAD') && u.unit_code === 'STP-HN') || u.roles.includes('DEPARTMENT_REVIEWER'))
      .map((u) => u.username);
    const cases: [NotificationRequest, string[]][] = [
      [reminder('STP-HN', false), officersOf('STP-HN')],
      [reminder('STP-HN', true), [...officersOf('STP-HN'), ...escalation]],
      [reminder(sub.code, false), officersOf(sub.code, sub.parent_code)],
    ];
    return cases.map(([request, expected]) => [request, [...new Set(expected)].sort()]);
  };

  it("tell a unit's officers (a sub-unit's: its member unit's), and on escalation the cluster head and the Department", async () => {
    for (const [i, [request, expected]] of (await recipientCases()).entries()) {
      const [written] = await recordDecisions(db.dataSource, [{ event: reminderEvent(500 + i), projections: [], notifications: [request] }]);
      expect(written.written).toBe(true);
      expect(expected.length).toBeGreaterThan(0);
      expect(await recipients(`campaign:${CAMPAIGN}#${500 + i}`)).toEqual(expected);
    }
  });

  it("tells each reminder of one batch its own recipients, in its unit's name, and one person once per event", async () => {
    const cases = await recipientCases();
    const [, [escalated, escalatedTo], [subUnit, subUnitTo]] = cases;
    const batch = [
      ...cases.map(([request], i) => ({ event: reminderEvent(520 + i), projections: [], notifications: [request] })),
      // One event telling of two units: the Department's reviewers are told of both, in one row.
      { event: reminderEvent(530), projections: [], notifications: [escalated, { ...subUnit, escalate: true }] },
    ];
    const written = await recordDecisions(db.dataSource, batch);
    expect(written.map((w) => w.written)).toEqual([true, true, true, true]);
    for (const [i, [request, expected]] of cases.entries()) {
      const eventId = `campaign:${CAMPAIGN}#${520 + i}`;
      expect(await recipients(eventId)).toEqual(expected);
      const [{ name }] = await db.dataSource.query('SELECT name FROM unit WHERE code = $1', [request.unitCode]);
      const subjects: { subject: string }[] = await db.dataSource.query('SELECT DISTINCT subject FROM notification WHERE event_id = $1', [eventId]);
      expect(subjects).toEqual([{ subject: `[Nhắc việc lần 1] ${name} chậm đăng ký thi đua 2 ngày làm việc` }]);
      const [{ outbox }] = await db.dataSource.query('SELECT count(*)::int AS outbox FROM email_outbox WHERE event_id = $1', [eventId]);
      expect(outbox).toBe(expected.length);
    }
    expect(await recipients(`campaign:${CAMPAIGN}#530`)).toEqual([...new Set([...escalatedTo, ...subUnitTo])].sort());
  });

  it('lets batches that touch the same rows in opposite orders run at once: no deadlock, one consecutive chain', async () => {
    const other = '2022:KV-TP-TW:STP-HCM';
    const view = (id: string, version: number): NominationView => ({ ...nominationView(version, 'DEPARTMENT_REVIEW'), id, unitCode: id.split(':')[2] });
    const [before] = await db.dataSource.query('SELECT max(seq)::int AS seq FROM audit_event');
    const batches = Array.from({ length: 16 }, (_, i) => {
      const ids = i % 2 ? [NOMINATION_ID, other] : [other, NOMINATION_ID];
      return recordDecisions(db.dataSource, [
        {
          event: { ...event(600 + i, 'REVIEW_APPROVED'), eventId: `concurrent#${i}` },
          projections: ids.map((id) => ({ kind: 'nomination' as const, view: view(id, 600 + i) })),
          notifications: [reminder('STP-HN', false)],
        },
      ]);
    });
    const results = (await Promise.all(batches)).flat();
    expect(results.every((r) => r.written)).toBe(true);
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => before.seq + 1 + i));
    const rows = await db.dataSource.query('SELECT id, version FROM nomination WHERE id = ANY($1) ORDER BY id', [[NOMINATION_ID, other]]);
    expect(rows).toEqual([
      { id: other, version: 615 },
      { id: NOMINATION_ID, version: 615 },
    ]);
    await expect(brokenLinksAfter(before.seq)).resolves.toBe(0);
  });

  it('writes a batch and its reminders once when it is retried while its first attempt still runs', async () => {
    const batch = [{ event: reminderEvent(700), projections: [], notifications: [reminder('STP-HN', true)] }];
    const [first, second] = await Promise.all([recordDecisions(db.dataSource, batch), recordDecisions(db.dataSource, batch)]);
    expect([first[0].written, second[0].written].sort()).toEqual([false, true]);
    expect(first[0].seq).toBe(second[0].seq);
    const [{ events }] = await db.dataSource.query('SELECT count(*)::int AS events FROM audit_event WHERE event_id = $1', [batch[0].event.eventId]);
    const [{ outbox }] = await db.dataSource.query('SELECT count(*)::int AS outbox FROM email_outbox WHERE event_id = $1', [batch[0].event.eventId]);
    const told = await recipients(batch[0].event.eventId);
    expect(events).toBe(1);
    expect(told.length).toBeGreaterThan(1);
    expect(outbox).toBe(told.length);
    await expect(brokenLinksAfter(first[0].seq - 1)).resolves.toBe(0);
  });
});
