/**
 * Auditors' search and export of the decision history, on the real API and a real Postgres. The
 * events are written by the real writer (recordDecision of @tdkt/persistence), as the worker does.
 */
import { Workbook } from 'exceljs';
import type { DecisionEvent } from '@tdkt/contracts';
import { recordDecision } from '@tdkt/persistence';
import { startApiApp, type ApiApp } from '../../../../test/support/api-app';
import { csvField, EXPORT_COLUMNS, parseBound } from './audit';

jest.setTimeout(60_000);

const REASON = 'Thiếu biên bản bình xét của cụm';
const NOMINATION = '2035:KV-TP-TW:STP-HN';
const OTHER = '2035:KV-TP-TW:STP-HCM';

let api: ApiApp;

function event(version: number, fields: Partial<DecisionEvent>): DecisionEvent {
  return {
    eventId: `nomination:${fields.subjectId ?? NOMINATION}#${version}`,
    at: '2035-03-01T08:00:00.000Z',
    actor: 'system',
    role: null,
    actorUnitCode: null,
    action: 'NOMINATION_CREATED',
    subjectType: 'NOMINATION',
    subjectId: NOMINATION,
    fromStage: null,
    toStage: 'SELF_ASSESSMENT',
    reason: null,
    requestId: null,
    data: {},
    ...fields,
  };
}

beforeAll(async () => {
  api = await startApiApp();
  const events: DecisionEvent[] = [
    event(1, {}),
    event(1, { subjectId: OTHER, eventId: `nomination:${OTHER}#1` }),
    event(2, { at: '2035-03-02T09:00:00.000Z', actor: 'canbo.stp-hn', role: 'UNIT_OFFICER', actorUnitCode: 'STP-HN', action: 'SELF_ASSESSMENT_SUBMITTED', fromStage: 'SELF_ASSESSMENT', toStage: 'CLUSTER_VOTE', requestId: 'req-1' }),
    event(3, { at: '2035-04-10T02:30:00.000Z', actor: 'vutdkt', role: 'DEPARTMENT_REVIEWER', action: 'REVIEW_RETURNED', fromStage: 'DEPARTMENT_REVIEW', toStage: 'AMENDMENT', reason: REASON }),
    event(4, { at: '2035-04-11T02:30:00.000Z', actor: 'canbo.stp-hn', role: 'UNIT_OFFICER', actorUnitCode: 'STP-HN', action: 'AMENDMENT_SUBMITTED', fromStage: 'AMENDMENT', toStage: 'DEPARTMENT_REVIEW', reason: '=HYPERLINK("http://x","bấm vào đây"), "trích dẫn"\nhai dòng' }),
  ];
  for (const e of events) await recordDecision(api.db.dataSource, { event: e, projections: [] });
});
afterAll(async () => {
  await api?.stop();
});

async function get(username: string, path: string) {
  return api.http.get(path).set('Authorization', `Bearer ${await api.token(username)}`);
}

/** A download as raw bytes (supertest would otherwise decode text and drop binary bodies). */
async function download(username: string, path: string) {
  const token = await api.token(username);
  return api.http
    .get(path)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

describe('GET /api/v1/audit/events', () => {
  it('lists every event oldest first, with the chain fields', async () => {
    const res = await get('kiemtra', '/api/v1/audit/events');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(5);
    expect(res.body.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(res.body.items[3]).toMatchObject({ actor: 'vutdkt', action: 'REVIEW_RETURNED', reason: REASON, subjectId: NOMINATION, fromStage: 'DEPARTMENT_REVIEW', toStage: 'AMENDMENT' });
    expect(res.body.items[3].prevHash).toBe(res.body.items[2].hash);
  });

  it.each([
    ['actor=vutdkt', [4]],
    ['action=SELF_ASSESSMENT_SUBMITTED', [3]],
    [`subjectId=${encodeURIComponent(OTHER)}`, [2]],
    ['unitCode=STP-HN', [1, 3, 4, 5]],
    ['unitCode=STP-HCM', [2]],
    ['from=2035-04-10', [4, 5]],
    ['to=2035-03-02', [1, 2, 3]],
    ['from=2035-03-02T09:00:00Z&to=2035-04-10T09:30:00%2B07:00', [3, 4]],
    ['from=2035-03-01T15:00:01%2B07:00&to=2035-03-02T08:59:59Z', []],
    ['subjectType=NOMINATION&actor=canbo.stp-hn&action=AMENDMENT_SUBMITTED', [5]],
    ['pageSize=2&page=2', [3, 4]],
  ])('filters by %s', async (query, seqs) => {
    const res = await get('admin', `/api/v1/audit/events?${query}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { seq: number }) => e.seq)).toEqual(seqs);
    if (!query.startsWith('pageSize')) expect(res.body.total).toBe(seqs.length);
  });

  it.each([
    ['from=yesterday', 'from must be an ISO 8601'],
    ['to=2035-02-30', 'to must be an ISO 8601'],
    ['from=2035-05-01&to=2035-04-01', 'to must not be before from'],
    ['action=DELETED', 'action must be one of'],
    ['unitCode=STP HN', 'unitCode must be a code'],
    ['actor=a%20b', 'actor must be a username'],
    ['page=0', 'page must not be less than 1'],
    ['pageSize=1000', 'pageSize must not be greater than 500'],
    ['color=red', 'property color should not exist'],
  ])('refuses %s with 400 naming the field', async (query, message) => {
    const res = await get('kiemtra', `/api/v1/audit/events?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Bad Request');
    expect(JSON.stringify(res.body.message)).toContain(message);
  });

  it('is for auditors and administrators only', async () => {
    for (const user of ['canbo.stp-hn', 'vutdkt', 'chutich']) expect((await get(user, '/api/v1/audit/events')).status).toBe(403);
    expect((await api.http.get('/api/v1/audit/events')).status).toBe(401);
  });
});

describe('GET /api/v1/audit/events/export', () => {
  it('CSV: UTF-8 with BOM, a header row, Vietnamese intact, quoting and formula protection', async () => {
    const res = await download('kiemtra', `/api/v1/audit/events/export?format=csv&subjectId=${encodeURIComponent(NOMINATION)}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-events-\d{8}T\d{6}\.csv"$/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    expect(lines[0]).toBe('seq,at,actor,role,actorUnitCode,action,subjectType,subjectId,fromStage,toStage,reason,requestId,hash,prevHash');
    expect(text).toContain(`,${REASON},`);
    expect(lines[3].split(',').slice(0, 3)).toEqual(['4', '2035-04-10T02:30:00.000Z', 'vutdkt']);
    // The amendment note: quoted (comma, quotes, newline) and defused (leading =).
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""bấm vào đây""), ""trích dẫn""\nhai dòng"`);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(lines.filter((l) => /^\d+,/.test(l))).toHaveLength(4);
  });

  it('XLSX: parsed back with exceljs, Vietnamese intact, one row per event', async () => {
    const res = await download('admin', '/api/v1/audit/events/export?format=xlsx&unitCode=STP-HN');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-events-\d{8}T\d{6}\.xlsx"$/);
    const workbook = new Workbook();
    await workbook.xlsx.load(res.body as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.worksheets[0];
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(5);
    const byColumn = (row: unknown[]) => Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, row[i]]));
    expect(byColumn(rows[3])).toMatchObject({ seq: 4, actor: 'vutdkt', action: 'REVIEW_RETURNED', reason: REASON, subjectId: NOMINATION, toStage: 'AMENDMENT' });
    // In XLSX a cell is a string, never a formula: the text comes back exactly as written.
    expect(byColumn(rows[4]).reason).toBe('=HYPERLINK("http://x","bấm vào đây"), "trích dẫn"\nhai dòng');
  });

  it('an empty result is a header-only file, and a bad format or filter is a clean 400', async () => {
    const empty = await get('kiemtra', '/api/v1/audit/events/export?actor=nobody');
    expect(empty.status).toBe(200);
    expect(empty.text).toBe(`\uFEFF${EXPORT_COLUMNS.join(',')}\r\n`);
    const badFormat = await get('kiemtra', '/api/v1/audit/events/export?format=pdf');
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.message).toEqual(['format must be csv or xlsx']);
    const badDate = await get('kiemtra', '/api/v1/audit/events/export?from=2035-13-01');
    expect(badDate.status).toBe(400);
    expect(JSON.stringify(badDate.body.message)).toContain('from must be an ISO 8601');
    expect((await get('canbo.stp-hn', '/api/v1/audit/events/export')).status).toBe(403);
  });
});

describe('helpers', () => {
  it('csvField quotes and defuses', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
    expect(csvField('Hồ sơ đầy đủ')).toBe('Hồ sơ đầy đủ');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-1+2')).toBe("'-1+2");
  });

  it('parseBound reads dates as UTC days and keeps offsets', () => {
    expect(parseBound('from', '2035-01-31')).toEqual({ at: new Date('2035-01-31T00:00:00Z'), exclusive: false });
    expect(parseBound('to', '2035-01-31')).toEqual({ at: new Date('2035-02-01T00:00:00Z'), exclusive: true });
    expect(parseBound('from', '2035-01-31T08:00:00+07:00').at.toISOString()).toBe('2035-01-31T01:00:00.000Z');
    expect(parseBound('from', '2035-01-31T08:00:00').at.toISOString()).toBe('2035-01-31T08:00:00.000Z');
  });
});
