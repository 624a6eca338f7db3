/** The award registry against a real Postgres database: import, lookup, renamed units, tdkt-flow awards. */
import ExcelJS from 'exceljs';
import type { NominationView } from '@tdkt/contracts';
import { createTestDatabase, findAwards, importAwards, parseCsv, parseVietnameseDate, parseXlsx, recordDecision, seedOrganisation, type TestDatabase } from './index';

jest.setTimeout(60_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('tdkt_registry');
  await seedOrganisation(db.dataSource, { adminUsername: 'admin', adminPassword: 'Admin@test-1', demoPassword: 'Demo@test-1' });
});
afterAll(async () => {
  await db?.drop();
});

const HEADER = 'Mã đơn vị;Danh hiệu;Năm;Số quyết định;Ngày quyết định;Cơ quan ban hành';

describe('importing older awards (nhập hồ sơ thành tích)', () => {
  it('reports every bad row with its number and imports nothing', async () => {
    const csv = [
      `\uFEFF${HEADER}`,
      'STP-HN;Cờ thi đua ngành Tư pháp;2019;1234/QĐ-BTP;15/01/2020;Bộ trưởng Bộ Tư pháp',
      'STP-HN;Cờ thi đua ngành Tư pháp;2099;1235/QĐ-BTP;15/01/2020;Bộ trưởng Bộ Tư pháp', // wrong year
      'STP-XYZ;Bằng khen của Bộ trưởng;2019;1236/QĐ-BTP;15/01/2020;Bộ trưởng Bộ Tư pháp', // unknown unit
      'STP-HN;Cờ thi đua ngành Tư pháp;2019;1237/QĐ-BTP;16/01/2020;Bộ trưởng Bộ Tư pháp', // duplicate of row 2
      'STP-HCM;Cờ thi đua của Chính phủ;2019;99/QĐ-TTg;31/02/2020;Thủ tướng Chính phủ', // no such date
    ].join('\r\n');
    const progress: number[] = [];
    const result = await importAwards(db.dataSource, parseCsv(csv), { batch: 'bad', onProgress: (_phase, done) => progress.push(done), maxYear: 2026 });
    expect(result.imported).toBe(0);
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'year'],
      [4, 'unitCode'],
      [5, 'decisionNumber'],
      [6, 'decisionDate'],
    ]);
    expect(result.errors[2].message).toBe('trùng với dòng 2: đơn vị đã có danh hiệu này năm 2019');
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect((await findAwards(db.dataSource, {})).total).toBe(0);
  });

  it('names a missing column', async () => {
    const result = await importAwards(db.dataSource, parseCsv('Mã đơn vị,Năm\nSTP-HN,2019'), { batch: 'x' });
    expect(result.errors.map((e) => e.message)).toContain('thiếu cột "Danh hiệu"');
  });

  it('imports a good XLSX file with Vietnamese headers, the flags recognised by name', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Khen thưởng');
    sheet.addRow(['Mã đơn vị', 'Danh hiệu', 'Năm', 'Số quyết định', 'Ngày quyết định', 'Cơ quan ban hành']);
    sheet.addRow(['THADS-HN', 'Cờ thi đua của Chính phủ', 2020, '187/QĐ-TTg', new Date(Date.UTC(2021, 1, 3)), 'Thủ tướng Chính phủ']);
    sheet.addRow(['STP-HN', 'Bằng khen của Bộ trưởng Bộ Tư pháp', 2021, '2001/QĐ-BTP', '20/12/2021', 'Bộ trưởng Bộ Tư pháp']);
    const table = await parseXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    const result = await importAwards(db.dataSource, table, { batch: 'good', maxYear: 2026 });
    expect(result).toMatchObject({ rows: 2, imported: 2, errors: [] });
    const found = await findAwards(db.dataSource, { unitCode: 'THADS-HN' });
    expect(found.items).toEqual([
      expect.objectContaining({ title: 'GOVERNMENT_FLAG', titleName: 'Cờ thi đua của Chính phủ', year: 2020, decisionNumber: '187/QĐ-TTg', decisionDate: '2021-02-03', source: 'IMPORT', revoked: null }),
    ]);
    expect((await findAwards(db.dataSource, { title: 'Bằng khen của Bộ trưởng Bộ Tư pháp' })).items[0].unitName).toBe('Sở Tư pháp TP Hà Nội');
    expect((await findAwards(db.dataSource, { decisionNumber: '187/QĐ-TTg' })).total).toBe(1);
  });

  it('refuses an award the unit already has for that year, importing nothing of the file', async () => {
    const csv = `${HEADER}\nSTP-HCM;Cờ thi đua ngành Tư pháp;2018;1/QĐ-BTP;10/01/2019;Bộ trưởng Bộ Tư pháp\nTHADS-HN;Cờ thi đua của Chính phủ;2020;188/QĐ-TTg;03/02/2021;Thủ tướng Chính phủ`;
    const result = await importAwards(db.dataSource, parseCsv(csv), { batch: 'dup', maxYear: 2026 });
    expect(result.errors).toEqual([{ row: 3, field: 'decisionNumber', message: 'đơn vị đã có danh hiệu này năm 2020 (quyết định 187/QĐ-TTg)' }]);
    expect((await findAwards(db.dataSource, { unitCode: 'STP-HCM' })).total).toBe(0);
  });
});

describe('a unit renamed or merged (2025 reform)', () => {
  it('keeps its history under the new unit and is still found under the old code', async () => {
    await db.dataSource.query("INSERT INTO unit (code, name, kind) VALUES ('THADS-HN-2025', 'Thi hành án dân sự TP Hà Nội', 'CUC_THADS')");
    await db.dataSource.query("INSERT INTO unit_alias (old_code, new_code, reason, effective_date) VALUES ('THADS-HN', 'THADS-HN-2025', 'RENAMED', '2025-07-01')");
    expect((await findAwards(db.dataSource, { unitCode: 'THADS-HN-2025' })).items.map((a) => a.decisionNumber)).toEqual(['187/QĐ-TTg']);
    expect((await findAwards(db.dataSource, { unitCode: 'THADS-HN' })).items.map((a) => a.decisionNumber)).toEqual(['187/QĐ-TTg']);
    // A new import under the old code lands on the unit that carries on.
    const result = await importAwards(db.dataSource, parseCsv(`${HEADER}\nTHADS-HN;Cờ thi đua ngành Tư pháp;2025;77/QĐ-BTP;05/01/2026;Bộ trưởng Bộ Tư pháp`), { batch: 'alias', maxYear: 2026 });
    expect(result.imported).toBe(1);
    const [row] = await db.dataSource.query("SELECT unit_code FROM award WHERE decision_number = '77/QĐ-BTP'");
    expect(row.unit_code).toBe('THADS-HN-2025');
  });
});

describe('awards decided in tdkt-flow', () => {
  it('enter the registry by themselves, and a revocation shows with its reason', async () => {
    const base = {
      id: '2023:KV-TP-TW:STP-HP',
      campaignId: '2023:KV-TP-TW',
      year: 2023,
      clusterCode: 'KV-TP-TW',
      unitCode: 'STP-HP',
      parentUnitCode: null,
      ruleSet: { id: 'default', version: 2 },
      registrationClosed: true,
      selfAssessment: null,
      clusterVote: null,
      review: null,
      amendments: [],
      reviewDue: null,
      withdrawal: null,
      consultation: null,
      governmentSubmission: null,
      createdAt: '2023-01-01T00:00:00.000Z',
    };
    const awarded: NominationView = {
      ...base,
      stage: 'AWARDED',
      titles: { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'AWARDED' },
      council: { sessionId: '2023-1', approved: { MINISTRY_FLAG: true, GOVERNMENT_FLAG: true } },
      governmentDecision: { decision: 'AWARDED', decisionNumber: '300/QĐ-TTg', decisionDate: '2024-03-01' },
      revocations: [],
      updatedAt: '2024-03-02T03:00:00.000Z',
      version: 9,
    };
    const event = (version: number, action: 'GOVERNMENT_DECISION_RECORDED' | 'AWARD_REVOKED') => ({
      eventId: `nomination:${base.id}#${version}`,
      at: '2024-03-02T03:00:00.000Z',
      actor: 'vutdkt',
      role: 'DEPARTMENT_REVIEWER',
      actorUnitCode: null,
      action,
      subjectType: 'NOMINATION' as const,
      subjectId: base.id,
      fromStage: 'GOVERNMENT_DECISION',
      toStage: 'AWARDED',
      reason: null,
      requestId: null,
      data: {},
    });
    await recordDecision(db.dataSource, { event: event(9, 'GOVERNMENT_DECISION_RECORDED'), projections: [{ kind: 'nomination', view: awarded }] });
    const found = await findAwards(db.dataSource, { unitCode: 'STP-HP', year: 2023 });
    expect(found.items.map((a) => [a.title, a.decisionNumber, a.issuingBody, a.source])).toEqual([
      ['GOVERNMENT_FLAG', '300/QĐ-TTg', 'Thủ tướng Chính phủ', 'TDKT_FLOW'],
      ['MINISTRY_FLAG', 'Hội đồng TĐKT phiên 2023-1', 'Bộ trưởng Bộ Tư pháp', 'TDKT_FLOW'],
    ]);
    const revoked: NominationView = {
      ...awarded,
      titles: { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REVOKED' },
      revocations: [{ title: 'GOVERNMENT_FLAG', reason: 'Kê khai không trung thực', decisionNumber: '5/QĐ-TTg', decisionDate: '2025-01-10', at: '2025-01-11T02:00:00.000Z', by: 'vutdkt' }],
      version: 10,
    };
    await recordDecision(db.dataSource, { event: event(10, 'AWARD_REVOKED'), projections: [{ kind: 'nomination', view: revoked }] });
    const after = await findAwards(db.dataSource, { unitCode: 'STP-HP', title: 'Cờ thi đua của Chính phủ' });
    expect(after.items[0].revoked).toEqual({ at: '2025-01-11T02:00:00.000Z', reason: 'Kê khai không trung thực (5/QĐ-TTg)' });
  });
});

describe('parsing', () => {
  it('reads quoted CSV cells and Vietnamese dates', () => {
    expect(parseCsv('a,b\n"x, ""y""",z\n\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'z'],
    ]);
    expect(parseVietnameseDate('3/2/2021')).toBe('2021-02-03');
    expect(parseVietnameseDate('2021-02-03')).toBe('2021-02-03');
    expect(parseVietnameseDate('29/02/2021')).toBeNull();
  });
});
