/** The award registry against a real Postgres database: import, lookup, renamed and merged units, revocation, tdkt-flow awards. */
import ExcelJS from 'exceljs';
import type { NominationView } from '@tdkt/contracts';
import { REGISTRY_WORKBOOK_BAD_ROWS, registryWorkbook } from '../../../test/fixtures/registry-workbook';
import {
  createTestDatabase,
  findAwards,
  findPriorAwards,
  importAwards,
  parseCsv,
  parseVietnameseDate,
  parseXlsx,
  recordDecision,
  recordSuccession,
  revokeAward,
  seedOrganisation,
  titleCode,
  verifyAuditChain,
  type ImportResult,
  type TestDatabase,
} from './index';

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
const FIXED = { maxYear: 2026, today: '2026-06-30' };
const csv = (...rows: string[]) => parseCsv([HEADER, ...rows].join('\n'));
const addUnit = (code: string, name: string) => db.dataSource.query("INSERT INTO unit (code, name, kind) VALUES ($1, $2, 'SO_TU_PHAP')", [code, name]);
const rowsAndFields = (errors: { row: number; field: string }[]) => errors.map((e) => [e.row, e.field]);

describe('importing older awards (nhập hồ sơ thành tích)', () => {
  it('reports every bad row with its number and imports nothing', async () => {
    const file = [
      `\uFEFF${HEADER}`,
      'STP-HN;Cờ thi đua ngành Tư pháp;2019;1234/QĐ-BTP;15/01/2020;Bộ trưởng Bộ Tư pháp',
      'STP-HN;Cờ thi đua ngành Tư pháp;2099;1235/QĐ-BTP;15/01/2020;Bộ trưởng Bộ Tư pháp', // wrong year
      'STP-XYZ;Bằng khen của Bộ trưởng;2019;1236/QĐ-BTP;15/01/2020;Bộ trưởng Bộ Tư pháp', // unknown unit
      'STP-HN;Cờ thi đua ngành Tư pháp;2019;1237/QĐ-BTP;16/01/2020;Bộ trưởng Bộ Tư pháp', // duplicate of row 2
      'STP-HCM;Cờ thi đua của Chính phủ;2019;99/QĐ-TTg;31/02/2020;Thủ tướng Chính phủ', // no such date
    ].join('\r\n');
    const progress: number[] = [];
    const result = await importAwards(db.dataSource, parseCsv(file), { batch: 'bad', onProgress: (_phase, done) => progress.push(done), ...FIXED });
    expect(result).toMatchObject({ outcome: 'INVALID', imported: 0, headerRow: 1, rows: 5 });
    expect(rowsAndFields(result.errors)).toEqual([
      [3, 'year'],
      [4, 'unitCode'],
      [5, 'decisionNumber'],
      [6, 'decisionDate'],
    ]);
    expect(result.errors[0]).toEqual({ row: 3, column: 'C', header: 'Năm', field: 'year', message: 'năm "2099" không hợp lệ (1945–2026)' });
    expect(result.errors[2].message).toBe('trùng với dòng 2: đơn vị đã có danh hiệu này năm 2019');
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect((await findAwards(db.dataSource, {})).total).toBe(0);
  });

  it('names a missing column', async () => {
    const result = await importAwards(db.dataSource, parseCsv('Mã đơn vị,Năm\nSTP-HN,2019'), { batch: 'x' });
    expect(result.outcome).toBe('INVALID');
    expect(result.errors.map((e) => e.message)).toContain('thiếu cột "Danh hiệu"');
  });

  it('finds the header below a title row and keeps row numbers right after blank lines (CSV)', async () => {
    const file = [
      'DANH SÁCH KHEN THƯỞNG;;;;;',
      ';;;;;',
      HEADER,
      '',
      'STP-CT;Cờ thi đua ngành Tư pháp;2099;1/QĐ-BTP;10/01/2020;Bộ trưởng Bộ Tư pháp',
      '   ',
      ';;;;;',
      'STP-CT;Cờ thi đua ngành Tư pháp;1944;2/QĐ-BTP;10/01/2020;Bộ trưởng Bộ Tư pháp',
      '',
    ].join('\n');
    const result = await importAwards(db.dataSource, parseCsv(file), { batch: 'blank', ...FIXED });
    expect(result).toMatchObject({ headerRow: 3, rowsRead: 5, blankRowsSkipped: 3, rows: 2 });
    expect(rowsAndFields(result.errors)).toEqual([
      [5, 'year'],
      [8, 'year'],
    ]);
  });

  it('reports a sheet without a header among its first rows', async () => {
    const result = await importAwards(db.dataSource, parseCsv('Danh sách\nSTP-HN,2019'), { batch: 'x' });
    expect(result.errors).toEqual([expect.objectContaining({ row: 1, field: 'header', message: expect.stringContaining('không tìm thấy dòng tiêu đề') })]);
  });

  it('accepts only titles of the registry, by code or by name (case, spaces and Unicode form ignored)', async () => {
    expect(titleCode('MINISTRY_FLAG')).toBe('MINISTRY_FLAG');
    expect(titleCode('  CỜ THI ĐUA   ngành tư pháp ')).toBe('MINISTRY_FLAG');
    expect(titleCode('Cờ thi đua của Chính phủ'.normalize('NFD'))).toBe('GOVERNMENT_FLAG');
    expect(titleCode('Cờ thi dua nganh Tu phap')).toBeNull();
    const result = await importAwards(
      db.dataSource,
      csv('STP-CT;Cờ thi đua ngành Tư phá;2019;3/QĐ-BTP;10/01/2020;Bộ trưởng Bộ Tư pháp', 'STP-CT;;2019;4/QĐ-BTP;10/01/2020;Bộ trưởng Bộ Tư pháp'),
      { batch: 'titles', ...FIXED },
    );
    expect(rowsAndFields(result.errors)).toEqual([
      [2, 'title'],
      [3, 'title'],
    ]);
    expect(result.errors[0].message).toMatch(/^danh hiệu "Cờ thi đua ngành Tư phá" không có trong danh mục/);
  });

  it('takes a control character in a CSV cell (NUL, which Postgres cannot store) as a space', async () => {
    const result = await importAwards(db.dataSource, csv('STP-HP;MINISTER_CERTIFICATE;2017;77/QĐ-BTP;20/12/2017;Bộ trưởng\u0000Bộ\u0007 Tư pháp'), { batch: 'nul', ...FIXED });
    expect(result).toMatchObject({ outcome: 'IMPORTED', imported: 1, errors: [] });
    const [award] = (await findAwards(db.dataSource, { decisionNumber: '77/QĐ-BTP' })).items;
    expect(award).toMatchObject({ unitCode: 'STP-HP', year: 2017, issuingBody: 'Bộ trưởng Bộ Tư pháp' });
  });

  it('imports a good XLSX file with Vietnamese headers, the titles recognised by name', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Khen thưởng');
    sheet.addRow(['Mã đơn vị', 'Danh hiệu', 'Năm', 'Số quyết định', 'Ngày quyết định', 'Cơ quan ban hành']);
    sheet.addRow(['THADS-HN', 'Cờ thi đua của Chính phủ', 2020, '187/QĐ-TTg', new Date(Date.UTC(2021, 1, 3)), 'Thủ tướng Chính phủ']);
    sheet.addRow(['STP-HN', 'Bằng khen của Bộ trưởng Bộ Tư pháp', 2021, '2001/QĐ-BTP', '20/12/2021', 'Bộ trưởng Bộ Tư pháp']);
    const table = await parseXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    const result = await importAwards(db.dataSource, table, { batch: 'good', ...FIXED });
    expect(result).toMatchObject({ outcome: 'IMPORTED', rows: 2, imported: 2, errors: [] });
    const found = await findAwards(db.dataSource, { unitCode: 'THADS-HN' });
    expect(found.items).toEqual([
      expect.objectContaining({ title: 'GOVERNMENT_FLAG', titleName: 'Cờ thi đua của Chính phủ', year: 2020, decisionNumber: '187/QĐ-TTg', decisionDate: '2021-02-03', source: 'IMPORT', revoked: null }),
    ]);
    const certificate = (await findAwards(db.dataSource, { title: 'Bằng khen của Bộ trưởng Bộ Tư pháp' })).items[0];
    expect(certificate).toMatchObject({ title: 'MINISTER_CERTIFICATE', unitName: 'Sở Tư pháp TP Hà Nội' });
    expect((await findAwards(db.dataSource, { decisionNumber: '187/QĐ-TTg' })).total).toBe(1);
    // A decision number found as people type it.
    expect((await findAwards(db.dataSource, { decisionNumber: ' 187 / qđ-ttg' })).total).toBe(1);
  });

  it('refuses an award the unit already has for that year, importing nothing of the file', async () => {
    const file = `${HEADER}\nSTP-HCM;Cờ thi đua ngành Tư pháp;2018;1/QĐ-BTP;10/01/2019;Bộ trưởng Bộ Tư pháp\nTHADS-HN;Cờ thi đua của Chính phủ;2020;188/QĐ-TTg;03/02/2021;Thủ tướng Chính phủ`;
    const result = await importAwards(db.dataSource, parseCsv(file), { batch: 'dup', ...FIXED });
    expect(result.errors).toEqual([{ row: 3, column: 'D', header: 'Số quyết định', field: 'decisionNumber', message: 'đơn vị đã có danh hiệu này năm 2020 (quyết định 187/QĐ-TTg)' }]);
    expect((await findAwards(db.dataSource, { unitCode: 'STP-HCM' })).total).toBe(0);
  });

  it('refuses a decision number used in the registry with another date, or twice for the same unit', async () => {
    const result = await importAwards(
      db.dataSource,
      csv(
        'STP-DN;Cờ thi đua của Chính phủ;2020;187/qđ-TTg;04/02/2021;Thủ tướng Chính phủ', // the registry's 187/QĐ-TTg is of 03/02/2021
        'STP-HP;Cờ thi đua của Chính phủ;2020;187/QĐ-TTg;03/02/2021;Thủ tướng Chính phủ', // the same decision for another unit: fine
        'STP-CT;Cờ thi đua ngành Tư pháp;2020;88/QĐ-BTP;10/01/2021;Bộ trưởng Bộ Tư pháp',
        'STP-CT;Bằng khen của Bộ trưởng Bộ Tư pháp;2020;88/QĐ-BTP;10/01/2021;Bộ trưởng Bộ Tư pháp', // row 4's decision again for STP-CT
        'THADS-HN;Bằng khen của Bộ trưởng Bộ Tư pháp;2020;187/QĐ-TTg;03/02/2021;Thủ tướng Chính phủ', // THADS-HN already holds 187/QĐ-TTg
        'STP-DN;Cờ thi đua của Chính phủ;2019;187/QĐ-TTg;03/02/2020;Thủ tướng Chính phủ', // another year's 187/QĐ-TTg: another decision
      ),
      { batch: 'decisions', ...FIXED },
    );
    expect(rowsAndFields(result.errors)).toEqual([
      [2, 'decisionNumber'],
      [5, 'decisionNumber'],
      [6, 'decisionNumber'],
    ]);
    expect(result.errors[0].message).toBe('số quyết định 187/qđ-TTg đã có trong hồ sơ với ngày 2021-02-03, Thủ tướng Chính phủ');
    expect(result.errors[1].message).toBe('trùng số quyết định 88/QĐ-BTP với dòng 4: quyết định đã ghi cho đơn vị này');
    expect(result.errors[2].message).toMatch(/^trùng số quyết định: hồ sơ đã có quyết định 187\/QĐ-TTg cho đơn vị này/);
  });
});

describe('a real-looking spreadsheet (test/fixtures/registry-workbook.ts)', () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createTestDatabase('tdkt_registry_xlsx');
    await seedOrganisation(fresh.dataSource, { adminUsername: 'admin', adminPassword: 'Admin@test-1', demoPassword: 'Demo@test-1' });
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it('is refused whole, each error at its row in the sheet; the corrected file imports', async () => {
    const bad = await importAwards(fresh.dataSource, await parseXlsx(await registryWorkbook()), { batch: 'fixture-bad', ...FIXED });
    expect(bad).toMatchObject({ outcome: 'INVALID', imported: 0, headerRow: 4, rowsRead: 14, blankRowsSkipped: 2, rows: 12 });
    expect(rowsAndFields(bad.errors)).toEqual(REGISTRY_WORKBOOK_BAD_ROWS);
    expect(bad.errors.map((e) => `${e.row}${e.column}: ${e.message}`)).toEqual([
      '9E: năm "2099" không hợp lệ (1945–2026)',
      '10E: năm "năm 2018" không hợp lệ (1945–2026)',
      '11E: năm "1944" không hợp lệ (1945–2026)',
      '13B: không có đơn vị mã "STP-XYZ"',
      '14F: trùng số quyết định 2001/QĐ-BTP với dòng 8: quyết định đã ghi cho đơn vị này',
      expect.stringMatching(/^15D: danh hiệu "Cờ thi dua nganh Tu phap" không có trong danh mục/),
      '16F: trùng số quyết định 187/QĐ-TTg với dòng 6, nhưng khác ngày hoặc cơ quan ban hành (2021-02-03, Thủ tướng Chính phủ)',
      '17F: trùng với dòng 5: đơn vị đã có danh hiệu này năm 2019',
    ]);
    expect(bad.errors[0].header).toBe('Năm');
    expect((await findAwards(fresh.dataSource, {})).total).toBe(0);

    const progress: string[] = [];
    const good = await importAwards(fresh.dataSource, await parseXlsx(await registryWorkbook({ corrected: true })), {
      batch: 'fixture-good',
      onProgress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`),
      ...FIXED,
    });
    expect(good).toMatchObject({ outcome: 'IMPORTED', imported: 12, rows: 12, rowsRead: 14, blankRowsSkipped: 2, errors: [] });
    expect(progress.at(11)).toBe('check 12/12');
    expect(progress.at(-1)).toBe('write 12/12');
    expect((await findAwards(fresh.dataSource, {})).total).toBe(12);
    expect((await findAwards(fresh.dataSource, { unitCode: 'STP-HCM', year: 2021 })).items.map((a) => [a.title, a.decisionNumber])).toEqual([
      ['MINISTER_CERTIFICATE', '2001/QĐ-BTP'],
      ['MINISTRY_FLAG', '2002/QĐ-BTP'],
    ]);
    // The same file again: every row is already there.
    const again = await importAwards(fresh.dataSource, await parseXlsx(await registryWorkbook({ corrected: true })), { batch: 'fixture-again', ...FIXED });
    expect(again.outcome).toBe('INVALID');
    expect(again.errors).toHaveLength(12);
  });

  it('lets one of two concurrent imports of the same rows in; the other is refused per row, not failed', async () => {
    const rows = csv('STP-CT;Cờ thi đua của Chính phủ;2015;10/QĐ-TTg;10/03/2016;Thủ tướng Chính phủ', 'STP-DN;Cờ thi đua của Chính phủ;2015;10/QĐ-TTg;10/03/2016;Thủ tướng Chính phủ');
    // The second import starts while the first has checked its rows and not yet written them.
    let second: Promise<ImportResult> | undefined;
    const first = await importAwards(fresh.dataSource, rows, {
      batch: 'race-1',
      ...FIXED,
      onProgress: async (phase, done, total) => {
        if (phase !== 'check' || done !== total || second) return;
        second = importAwards(fresh.dataSource, rows, { batch: 'race-2', ...FIXED });
        await new Promise((resolve) => setTimeout(resolve, 500));
      },
    });
    const other = await second!;
    expect([first.outcome, other.outcome]).toEqual(['IMPORTED', 'INVALID']);
    expect(rowsAndFields(other.errors)).toEqual([
      [2, 'decisionNumber'],
      [3, 'decisionNumber'],
    ]);
    expect((await findAwards(fresh.dataSource, { year: 2015 })).items.map((a) => a.unitCode)).toEqual(['STP-CT', 'STP-DN']);
  });

  it('answers CONFLICT with the row, and writes nothing, when an award decided meanwhile collides', async () => {
    const rows = csv('STP-CT;Cờ thi đua của Chính phủ;2014;11/QĐ-TTg;10/03/2015;Thủ tướng Chính phủ', 'STP-DN;Cờ thi đua của Chính phủ;2014;11/QĐ-TTg;10/03/2015;Thủ tướng Chính phủ');
    const result = await importAwards(fresh.dataSource, rows, {
      batch: 'collide',
      ...FIXED,
      // Between the first row's write and the second's, a tdkt-flow decision (which takes no registry lock) records STP-DN's flag.
      onProgress: async (phase, done) => {
        if (phase === 'write' && done === 1) {
          await fresh.dataSource.query(
            "INSERT INTO award (unit_code, title, year, decision_number, decision_date, issuing_body, source) VALUES ('STP-DN', 'GOVERNMENT_FLAG', 2014, '11/QĐ-TTg', '2015-03-10', 'Thủ tướng Chính phủ', 'TDKT_FLOW')",
          );
        }
      },
    });
    expect(result.outcome).toBe('CONFLICT');
    expect(rowsAndFields(result.errors)).toEqual([[3, 'decisionNumber']]);
    expect((await findAwards(fresh.dataSource, { year: 2014 })).items.map((a) => [a.unitCode, a.source])).toEqual([['STP-DN', 'TDKT_FLOW']]);
  });
});

describe('a unit renamed or merged (2025 reform)', () => {
  it('keeps its history under the new unit, shown under its name today, and is still found under the old code', async () => {
    await addUnit('THADS-HN-2025', 'Thi hành án dân sự TP Hà Nội');
    expect(await recordSuccession(db.dataSource, { oldCode: 'THADS-HN', newCode: 'THADS-HN-2025', reason: 'RENAMED', effectiveDate: '2025-07-01' })).toMatchObject({ outcome: 'RECORDED' });
    for (const code of ['THADS-HN-2025', 'THADS-HN']) {
      expect((await findAwards(db.dataSource, { unitCode: code })).items).toEqual([
        expect.objectContaining({
          decisionNumber: '187/QĐ-TTg',
          unitCode: 'THADS-HN-2025',
          unitName: 'Thi hành án dân sự TP Hà Nội',
          awardedAs: { unitCode: 'THADS-HN', unitName: 'Cục Thi hành án dân sự TP Hà Nội' },
        }),
      ]);
    }
    // A new import under the old code is the award of the unit as it was called then.
    const result = await importAwards(db.dataSource, csv('THADS-HN;Cờ thi đua ngành Tư pháp;2025;77/QĐ-BTP;05/01/2026;Bộ trưởng Bộ Tư pháp'), { batch: 'alias', ...FIXED });
    expect(result.imported).toBe(1);
    expect((await findAwards(db.dataSource, { unitCode: 'THADS-HN-2025', year: 2025 })).items[0]).toMatchObject({ unitCode: 'THADS-HN-2025', awardedAs: { unitCode: 'THADS-HN' } });
  });

  it('refuses, as a duplicate, an award already held under the unit’s former code', async () => {
    const result = await importAwards(db.dataSource, csv('THADS-HN-2025;Cờ thi đua của Chính phủ;2020;187/QĐ-TTg;03/02/2021;Thủ tướng Chính phủ'), { batch: 'renamed-dup', ...FIXED });
    expect(result.errors).toEqual([expect.objectContaining({ row: 2, field: 'decisionNumber', message: 'đơn vị đã có danh hiệu này năm 2020 (quyết định 187/QĐ-TTg, ghi dưới mã THADS-HN)' })]);
  });

  it('a merger: the successor shows every history, an old code only its own and the successor’s', async () => {
    await addUnit('STP-A', 'Sở Tư pháp tỉnh A');
    await addUnit('STP-B', 'Sở Tư pháp tỉnh B');
    await addUnit('STP-AB', 'Sở Tư pháp tỉnh AB');
    const imported = await importAwards(
      db.dataSource,
      csv(
        'STP-A;Cờ thi đua ngành Tư pháp;2023;21/QĐ-BTP;10/01/2024;Bộ trưởng Bộ Tư pháp',
        'STP-B;Cờ thi đua ngành Tư pháp;2023;21/QĐ-BTP;10/01/2024;Bộ trưởng Bộ Tư pháp',
        'STP-B;Bằng khen của Bộ trưởng Bộ Tư pháp;2022;22/QĐ-BTP;12/01/2023;Bộ trưởng Bộ Tư pháp',
      ),
      { batch: 'before-merger', ...FIXED },
    );
    expect(imported.outcome).toBe('IMPORTED');
    for (const oldCode of ['STP-A', 'STP-B']) {
      expect(await recordSuccession(db.dataSource, { oldCode, newCode: 'STP-AB', reason: 'MERGED', effectiveDate: '2025-07-01' })).toMatchObject({ outcome: 'RECORDED' });
    }
    // The merged unit's own award of 2023: not a duplicate of its predecessors' (distinct units then).
    const own = await importAwards(db.dataSource, csv('STP-AB;Cờ thi đua ngành Tư pháp;2023;21/QĐ-BTP;10/01/2024;Bộ trưởng Bộ Tư pháp'), { batch: 'after-merger', ...FIXED });
    expect(own.outcome).toBe('IMPORTED');
    const lookup = async (unitCode: string) => (await findAwards(db.dataSource, { unitCode })).items.map((a) => `${a.unitCode}<${a.awardedAs.unitCode} ${a.title} ${a.year}`);
    expect(await lookup('STP-AB')).toEqual([
      'STP-AB<STP-A MINISTRY_FLAG 2023',
      'STP-AB<STP-AB MINISTRY_FLAG 2023',
      'STP-AB<STP-B MINISTRY_FLAG 2023',
      'STP-AB<STP-B MINISTER_CERTIFICATE 2022',
    ]);
    expect(await lookup('STP-A')).toEqual(['STP-AB<STP-A MINISTRY_FLAG 2023', 'STP-AB<STP-AB MINISTRY_FLAG 2023']);
    expect(await lookup('STP-B')).toEqual(['STP-AB<STP-AB MINISTRY_FLAG 2023', 'STP-AB<STP-B MINISTRY_FLAG 2023', 'STP-AB<STP-B MINISTER_CERTIFICATE 2022']);
    // The prior-title rule of the successor reads every history; of an old code, its own line only.
    const prior = await findPriorAwards(db.dataSource, { unitCodes: ['STP-AB', 'STP-A'], titles: ['MINISTRY_FLAG'], fromYear: 2023, toYear: 2023 });
    expect(prior['STP-AB'].map((a) => a.unitCode)).toEqual(['STP-A', 'STP-AB', 'STP-B']);
    expect(prior['STP-A'].map((a) => a.unitCode)).toEqual(['STP-A', 'STP-AB']);
  });

  it('refuses an unknown unit (NOT_FOUND), a second successor and a cycle (CONFLICT)', async () => {
    expect(await recordSuccession(db.dataSource, { oldCode: 'NO-SUCH', newCode: 'STP-HN', reason: 'RENAMED', effectiveDate: '2025-07-01' })).toMatchObject({ outcome: 'NOT_FOUND' });
    expect(await recordSuccession(db.dataSource, { oldCode: 'STP-HN', newCode: 'NO-SUCH', reason: 'RENAMED', effectiveDate: '2025-07-01' })).toMatchObject({ outcome: 'NOT_FOUND' });
    expect(await recordSuccession(db.dataSource, { oldCode: 'STP-A', newCode: 'STP-HN', reason: 'RENAMED', effectiveDate: '2025-07-01' })).toMatchObject({ outcome: 'CONFLICT' });
    const cycle = await recordSuccession(db.dataSource, { oldCode: 'STP-AB', newCode: 'STP-A', reason: 'RENAMED', effectiveDate: '2025-08-01' });
    expect(cycle).toEqual({ outcome: 'CONFLICT', message: 'successorCode: STP-A already carries on as STP-A → STP-AB; STP-AB → STP-A would be a cycle' });
    expect(await recordSuccession(db.dataSource, { oldCode: 'THADS-HN-2025', newCode: 'THADS-HN', reason: 'RENAMED', effectiveDate: '2025-08-01' })).toMatchObject({ outcome: 'CONFLICT' });
  });
});

describe('revoking an imported award (thu hồi)', () => {
  const reviewer = { username: 'vutdkt', roles: ['DEPARTMENT_REVIEWER' as const], role: 'DEPARTMENT_REVIEWER' };

  it('shows it revoked with its reason, keeps it out of prior-title rules, and records it in the audit chain', async () => {
    const imported = await importAwards(
      db.dataSource,
      csv('STP-DN;Cờ thi đua ngành Tư pháp;2024;31/QĐ-BTP;10/01/2025;Bộ trưởng Bộ Tư pháp', 'STP-CT;Cờ thi đua ngành Tư pháp;2024;31/QĐ-BTP;10/01/2025;Bộ trưởng Bộ Tư pháp'),
      { batch: 'to-revoke', ...FIXED },
    );
    expect(imported.outcome).toBe('IMPORTED');
    const before = await findPriorAwards(db.dataSource, { unitCodes: ['STP-DN', 'STP-CT'], titles: ['MINISTRY_FLAG'], fromYear: 2024, toYear: 2024 });
    expect([before['STP-DN'].length, before['STP-CT'].length]).toEqual([1, 1]);
    const [award] = (await findAwards(db.dataSource, { unitCode: 'STP-DN', year: 2024 })).items;

    const revoked = await revokeAward(db.dataSource, award.id, { reason: 'Kê khai thành tích không trung thực', decisionNumber: '40/QĐ-BTP', decisionDate: '2026-03-10', requestId: 'req-1' }, reviewer);
    expect(revoked).toMatchObject({ outcome: 'REVOKED', award: { id: award.id, revoked: { reason: 'Kê khai thành tích không trung thực (40/QĐ-BTP)', by: 'vutdkt', decisionNumber: '40/QĐ-BTP', decisionDate: '2026-03-10' } } });
    expect((await findAwards(db.dataSource, { unitCode: 'STP-DN', year: 2024 })).items[0].revoked).toMatchObject({ reason: 'Kê khai thành tích không trung thực (40/QĐ-BTP)' });
    const after = await findPriorAwards(db.dataSource, { unitCodes: ['STP-DN', 'STP-CT'], titles: ['MINISTRY_FLAG'], fromYear: 2024, toYear: 2024 });
    expect([after['STP-DN'].length, after['STP-CT'].length]).toEqual([0, 1]);

    const [event] = await db.dataSource.query("SELECT action, subject_type, subject_id, actor, role, reason, request_id, data FROM audit_event WHERE event_id = $1", [`award:${award.id}#revoked`]);
    expect(event).toMatchObject({ action: 'AWARD_REVOKED', subject_type: 'AWARD', subject_id: String(award.id), actor: 'vutdkt', role: 'DEPARTMENT_REVIEWER', reason: 'Kê khai thành tích không trung thực', request_id: 'req-1' });
    expect(event.data).toMatchObject({ unitCode: 'STP-DN', title: 'MINISTRY_FLAG', year: 2024, decisionNumber: '40/QĐ-BTP' });
    expect((await verifyAuditChain(db.dataSource)).ok).toBe(true);

    // Once only; a revocation older than the award is a mistake.
    expect(await revokeAward(db.dataSource, award.id, { reason: 'lần hai', decisionNumber: '41/QĐ-BTP', decisionDate: '2026-03-11' }, reviewer)).toMatchObject({ outcome: 'CONFLICT' });
    const other = (await findAwards(db.dataSource, { unitCode: 'STP-CT', year: 2024 })).items[0];
    expect(await revokeAward(db.dataSource, other.id, { reason: 'x', decisionNumber: '1/QĐ-BTP', decisionDate: '2024-12-31' }, reviewer)).toMatchObject({ outcome: 'INVALID', field: 'decisionDate' });
    expect(await revokeAward(db.dataSource, 999_999, { reason: 'x', decisionNumber: '1/QĐ-BTP', decisionDate: '2026-01-01' }, reviewer)).toMatchObject({ outcome: 'NOT_FOUND' });
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
    // Revoked through its nomination, not the registry's own revocation.
    const viaRegistry = await revokeAward(db.dataSource, found.items[0].id, { reason: 'x', decisionNumber: '1/QĐ-TTg', decisionDate: '2025-01-10' }, { username: 'vutdkt', roles: ['DEPARTMENT_REVIEWER'], role: 'DEPARTMENT_REVIEWER' });
    expect(viaRegistry).toEqual({ outcome: 'CONFLICT', message: `award ${found.items[0].id} was decided in tdkt-flow: revoke it through its nomination (POST /nominations/${base.id}/revocations)` });
    const revoked: NominationView = {
      ...awarded,
      titles: { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REVOKED' },
      revocations: [{ title: 'GOVERNMENT_FLAG', reason: 'Kê khai không trung thực', decisionNumber: '5/QĐ-TTg', decisionDate: '2025-01-10', at: '2025-01-11T02:00:00.000Z', by: 'vutdkt' }],
      version: 10,
    };
    await recordDecision(db.dataSource, { event: event(10, 'AWARD_REVOKED'), projections: [{ kind: 'nomination', view: revoked }] });
    const after = await findAwards(db.dataSource, { unitCode: 'STP-HP', title: 'Cờ thi đua của Chính phủ' });
    expect(after.items[0].revoked).toEqual({ at: '2025-01-11T02:00:00.000Z', reason: 'Kê khai không trung thực (5/QĐ-TTg)', by: 'vutdkt', decisionNumber: '5/QĐ-TTg', decisionDate: '2025-01-10' });
    expect((await findPriorAwards(db.dataSource, { unitCodes: ['STP-HP'], titles: ['GOVERNMENT_FLAG', 'MINISTRY_FLAG'], fromYear: 2023, toYear: 2023 }))['STP-HP'].map((a) => a.title)).toEqual(['MINISTRY_FLAG']);
  });
});

describe('parsing', () => {
  it('reads quoted CSV cells and Vietnamese dates; keeps inner blank lines, drops trailing ones', () => {
    expect(parseCsv('a,b\n"x, ""y""",z\n\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'z'],
    ]);
    expect(parseCsv('a,b\n\n"multi\nline",c\n')).toEqual([['a', 'b'], [''], ['multi\nline', 'c']]);
    expect(parseVietnameseDate('3/2/2021')).toBe('2021-02-03');
    expect(parseVietnameseDate('2021-02-03')).toBe('2021-02-03');
    expect(parseVietnameseDate('29/02/2021')).toBeNull();
  });

  it('reads an XLSX sheet row by row, its blank and only-formatted rows empty', async () => {
    const table = await parseXlsx(await registryWorkbook());
    expect(table[3].slice(0, 3)).toEqual(['STT', 'Mã đơn vị', 'Tên đơn vị']);
    expect([table[2], table[6], table[11]]).toEqual([[], [], []]);
    expect(table).toHaveLength(18);
  });
});
