/**
 * The award registry over HTTP, on the real API and a real Postgres (no workflow is needed, so
 * Temporal is left unreachable): the import of a real-looking spreadsheet refused with every
 * error's row, column and message in the 400 and then accepted corrected, the Idempotency-Key of
 * an upload covering the file, a unit's succession (dates, unknown units, cycles), a renamed unit's
 * lookup, the revocation of an imported award (roles, audit chain) and the OpenAPI answers.
 */
import { buildOpenApi } from '../../apps/api/src/app';
import { REGISTRY_WORKBOOK_BAD_ROWS, registryWorkbook } from '../fixtures/registry-workbook';
import { startApiApp, type ApiApp } from '../support/api-app';
import { expectStatus } from '../support/stack';

jest.setTimeout(120_000);

let api: ApiApp;
beforeAll(async () => {
  api = await startApiApp();
});
afterAll(async () => {
  await api?.stop();
});

const bearer = async (username: string) => `Bearer ${await api.token(username)}`;
async function upload(username: string, file: Buffer, name: string, key?: string) {
  let req = api.http.post('/api/v1/registry/imports').set('Authorization', await bearer(username));
  if (key) req = req.set('Idempotency-Key', key);
  return req.attach('file', file, name);
}
const get = async (username: string, path: string) => api.http.get(path).set('Authorization', await bearer(username));
const post = async (username: string, path: string, body: object) => api.http.post(path).set('Authorization', await bearer(username)).send(body);

describe('the award registry over HTTP', () => {
  it('refuses the spreadsheet with bad rows whole: a 400 with each row, column and message', async () => {
    const res = await upload('vutdkt', await registryWorkbook(), 'danh-sach-khen-thuong.xlsx');
    expectStatus(res, 400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', outcome: 'INVALID', headerRow: 4, rowsRead: 14, blankRowsSkipped: 2, rows: 12, imported: 0 });
    expect(res.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual(REGISTRY_WORKBOOK_BAD_ROWS);
    expect(res.body.errors[0]).toEqual({ row: 9, column: 'E', header: 'Năm', field: 'year', message: expect.stringMatching(/^năm "2099" không hợp lệ \(1945–\d{4}\)$/) });
    expect(res.body.errors[3]).toEqual({ row: 13, column: 'B', header: 'Mã đơn vị', field: 'unitCode', message: 'không có đơn vị mã "STP-XYZ"' });
    expect(res.body.message).toHaveLength(REGISTRY_WORKBOOK_BAD_ROWS.length);
    expect(res.body.message[3]).toBe('dòng 13, unitCode: không có đơn vị mã "STP-XYZ"');
    expect((await get('vutdkt', '/api/v1/registry')).body.total).toBe(0);
  });

  it('keeps the error shape of every other endpoint: statusCode, error and message only', async () => {
    const res = await post('admin', '/api/v1/units', { code: 'x y' });
    expectStatus(res, 400);
    expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
    const missing = await api.http.post('/api/v1/registry/imports').set('Authorization', await bearer('vutdkt')).send({});
    expectStatus(missing, 400);
    expect(missing.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'file: attach the spreadsheet (XLSX or CSV) as the multipart field "file"' });
    expectStatus(await upload('vutdkt', Buffer.from('not a zip'), 'x.xlsx'), 400);
    expectStatus(await upload('vutdkt', Buffer.from([0x4d, 0xe3, 0x20, 0x76]), 'latin1.csv'), 400);
    expectStatus(await upload('vutdkt', Buffer.from('a'), 'x.pdf'), 400);
    const tooLarge = await upload('vutdkt', Buffer.alloc(5 * 1024 * 1024 + 1, 0x41), 'big.csv');
    expectStatus(tooLarge, 413);
    expect(tooLarge.body.message).toBe('file: larger than the limit of 5 MiB');
    expectStatus(await upload('canbo.stp-hn', await registryWorkbook({ corrected: true }), 'x.xlsx'), 403);
  });

  it('an Idempotency-Key covers the file: the same file replays (a refusal with its rows), another file is a 422', async () => {
    // One file sent twice: ExcelJS stamps each workbook it writes with the time, so two
    // generations a second apart are two different files (and rightly a 422).
    const file = await registryWorkbook();
    const first = await upload('vutdkt', file, 'bad.xlsx', 'registry-import-1');
    expectStatus(first, 400);
    const replay = await upload('vutdkt', file, 'bad.xlsx', 'registry-import-1');
    expectStatus(replay, 400);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.errors).toEqual(first.body.errors);
    expect(replay.body.message).toEqual(first.body.message);
    // The corrected file under the same key must not get the first file's answer.
    const other = await upload('vutdkt', await registryWorkbook({ corrected: true }), 'bad.xlsx', 'registry-import-1');
    expectStatus(other, 422);
    expect((await get('vutdkt', '/api/v1/registry')).body.total).toBe(0);
  });

  it('imports the corrected spreadsheet with its counts, once under one Idempotency-Key', async () => {
    const file = await registryWorkbook({ corrected: true });
    const res = await upload('vutdkt', file, 'danh-sach-khen-thuong.xlsx', 'registry-import-2');
    expectStatus(res, 201);
    expect(res.body).toMatchObject({ outcome: 'IMPORTED', headerRow: 4, rowsRead: 14, blankRowsSkipped: 2, rows: 12, imported: 12, errors: [] });
    const again = await upload('vutdkt', file, 'danh-sach-khen-thuong.xlsx', 'registry-import-2');
    expectStatus(again, 201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(res.body);
    expect((await get('canbo.stp-hn', '/api/v1/registry')).body.total).toBe(12);
    // Without the key the same file is refused per row: every award is there already.
    const repeat = await upload('vutdkt', file, 'danh-sach-khen-thuong.xlsx');
    expectStatus(repeat, 400);
    expect(repeat.body.errors).toHaveLength(12);
  });

  it('looks awards up by unit, title (code or name), year and decision number; an unknown title is a 400', async () => {
    const byName = await get('kiemtra', `/api/v1/registry?title=${encodeURIComponent('bằng khen của bộ trưởng bộ tư pháp')}`);
    expectStatus(byName, 200);
    expect(byName.body.items.map((a: { unitCode: string; title: string }) => [a.unitCode, a.title])).toEqual([['STP-HCM', 'MINISTER_CERTIFICATE']]);
    const byNumber = await get('kiemtra', `/api/v1/registry?decisionNumber=${encodeURIComponent('187/qđ-ttg')}&year=2020`);
    expect(byNumber.body.items.map((a: { unitCode: string }) => a.unitCode)).toEqual(['STP-HP', 'THADS-HN']);
    const unknown = await get('kiemtra', `/api/v1/registry?title=${encodeURIComponent('Cờ thi dua')}`);
    expectStatus(unknown, 400);
    expect(unknown.body.message).toMatch(/^title: /);
    expectStatus(await get('kiemtra', '/api/v1/registry?year=1800'), 400);
  });

  it('records a succession: real dates only, 404 for an unknown unit, 409 for a cycle', async () => {
    expectStatus(await post('admin', '/api/v1/units', { code: 'THADS-HN-2025', name: 'Thi hành án dân sự TP Hà Nội', kind: 'CUC_THADS' }), 201);
    const impossible = await post('admin', '/api/v1/units/THADS-HN/succession', { successorCode: 'THADS-HN-2025', reason: 'RENAMED', effectiveDate: '2025-02-30' });
    expectStatus(impossible, 400);
    expect(impossible.body.message).toEqual(['effectiveDate must be a real date YYYY-MM-DD']);
    expectStatus(await post('admin', '/api/v1/units/NO-SUCH/succession', { successorCode: 'THADS-HN-2025', reason: 'RENAMED', effectiveDate: '2025-07-01' }), 404);
    expectStatus(await post('admin', '/api/v1/units/THADS-HN/succession', { successorCode: 'NO-SUCH', reason: 'RENAMED', effectiveDate: '2025-07-01' }), 404);
    const ok = await post('admin', '/api/v1/units/THADS-HN/succession', { successorCode: 'THADS-HN-2025', reason: 'RENAMED', effectiveDate: '2025-07-01' });
    expectStatus(ok, 201);
    expect(ok.body).toEqual({ oldCode: 'THADS-HN', successorCode: 'THADS-HN-2025', reason: 'RENAMED', effectiveDate: '2025-07-01' });
    const cycle = await post('admin', '/api/v1/units/THADS-HN-2025/succession', { successorCode: 'THADS-HN', reason: 'RENAMED', effectiveDate: '2025-08-01' });
    expectStatus(cycle, 409);
    expect(cycle.body.message).toMatch(/cycle/);
    expectStatus(await post('admin', '/api/v1/units/THADS-HN/succession', { successorCode: 'STP-HN', reason: 'MERGED', effectiveDate: '2025-07-01' }), 409);
    expectStatus(await post('vutdkt', '/api/v1/units/STP-HN/succession', { successorCode: 'STP-HCM', reason: 'MERGED', effectiveDate: '2025-07-01' }), 403);
    // The renamed unit's award, under its code and name today, by the new code and by the old one.
    for (const code of ['THADS-HN-2025', 'THADS-HN']) {
      const found = await get('kiemtra', `/api/v1/registry?unitCode=${code}`);
      expect(found.body.items).toEqual([
        expect.objectContaining({
          unitCode: 'THADS-HN-2025',
          unitName: 'Thi hành án dân sự TP Hà Nội',
          awardedAs: { unitCode: 'THADS-HN', unitName: 'Cục Thi hành án dân sự TP Hà Nội' },
          title: 'GOVERNMENT_FLAG',
          decisionNumber: '187/QĐ-TTg',
        }),
      ]);
    }
  });

  it('revokes an imported award with its reason (DEPARTMENT_REVIEWER or ADMIN), once, in the audit chain', async () => {
    const [award] = (await get('kiemtra', '/api/v1/registry?unitCode=THADS-DN')).body.items;
    const path = `/api/v1/registry/awards/${award.id}/revocation`;
    const body = { reason: 'Kê khai thành tích không trung thực', decisionNumber: '40/QĐ-BTP', decisionDate: '2026-03-10' };
    expectStatus(await post('canbo.thads-dn', path, body), 403);
    expectStatus(await post('kiemtra', path, body), 403);
    expectStatus(await post('vutdkt', path, { ...body, decisionDate: '2026-02-30' }), 400);
    expectStatus(await post('vutdkt', path, { ...body, reason: '' }), 400);
    expectStatus(await post('vutdkt', '/api/v1/registry/awards/abc/revocation', body), 400);
    expectStatus(await post('vutdkt', '/api/v1/registry/awards/99999999999999999999/revocation', body), 400);
    expectStatus(await post('vutdkt', '/api/v1/registry/awards/999999/revocation', body), 404);
    const revoked = await post('vutdkt', path, body);
    expectStatus(revoked, 201);
    expect(revoked.body).toMatchObject({ id: award.id, unitCode: 'THADS-DN', revoked: { reason: `${body.reason} (40/QĐ-BTP)`, by: 'vutdkt', decisionNumber: '40/QĐ-BTP', decisionDate: '2026-03-10' } });
    expectStatus(await post('admin', path, body), 409);
    const shown = (await get('canbo.thads-dn', '/api/v1/registry?unitCode=THADS-DN')).body.items[0];
    expect(shown.revoked).toMatchObject({ reason: `${body.reason} (40/QĐ-BTP)` });
    const events = await get('kiemtra', '/api/v1/audit/events?subjectType=AWARD&action=AWARD_REVOKED');
    expectStatus(events, 200);
    expect(events.body.items).toEqual([expect.objectContaining({ subjectId: String(award.id), actor: 'vutdkt', role: 'DEPARTMENT_REVIEWER', reason: body.reason })]);
    expect((await get('kiemtra', '/api/v1/audit/verify')).body.ok).toBe(true);
  });

  it('describes the answers of the registry routes in the OpenAPI document', () => {
    const doc = buildOpenApi(api.app);
    const schema = (path: string, method: string, status: string) =>
      (doc.paths[path] as Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>)[method].responses[status]?.content?.['application/json']?.schema?.$ref;
    expect(schema('/api/v1/registry', 'get', '200')).toBe('#/components/schemas/AwardPage');
    expect(schema('/api/v1/registry/imports', 'post', '201')).toBe('#/components/schemas/ImportReport');
    expect(schema('/api/v1/registry/imports', 'post', '400')).toBe('#/components/schemas/ImportRefusal');
    expect(schema('/api/v1/registry/imports', 'post', '409')).toBe('#/components/schemas/ImportRefusal');
    expect(schema('/api/v1/registry/awards/{id}/revocation', 'post', '201')).toBe('#/components/schemas/AwardItem');
    expect(schema('/api/v1/units/{code}/succession', 'post', '201')).toBe('#/components/schemas/SuccessionItem');
    const award = doc.components!.schemas!.AwardItem as { properties: Record<string, { nullable?: boolean }> };
    expect(award.properties.revoked.nullable).toBe(true);
  });
});
