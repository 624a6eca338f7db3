/**
 * Import of older awards into the registry from a spreadsheet (XLSX or CSV) with Vietnamese
 * headers. The file goes in whole or not at all: in one transaction, under the registry's lock,
 * every row is checked and, only when none has an error, every row is written. Errors are
 * reported per row with the row's number in the spreadsheet (as Excel shows it) and its column.
 *
 * The header row is found among the first rows (a title such as "DANH SÁCH KHEN THƯỞNG" may stand
 * above it). Headers, in any order, accents and case ignored: Mã đơn vị · Danh hiệu · Năm ·
 * Số quyết định · Ngày quyết định · Cơ quan ban hành. Blank rows are skipped (and counted).
 *
 * A row is refused when: the unit is unknown (a code, old or current, or a unit's exact name);
 * the title is not one of REGISTRY_TITLES; the year is not a number between 1945 and this year;
 * the decision date is not a real date, is in the future or before the award's year; the unit
 * already has the title for the year (in the file or the registry, under any code the same unit
 * had: renames count, mergers join distinct units); or the decision number repeats: the same
 * decision listed twice for the unit, or used elsewhere with another date or issuing body.
 */
import ExcelJS from 'exceljs';
import type { DataSource, EntityManager } from 'typeorm';
import { toVietnamDate } from '@tdkt/domain';
import { decisionKey, DECISION_KEY_SQL, REGISTRY_LOCK, REGISTRY_TITLES, textKey, titleCode, UnitGraph } from './registry';

export type Field = 'unitCode' | 'title' | 'year' | 'decisionNumber' | 'decisionDate' | 'issuingBody';

export interface ImportError {
  /** The row's number in the spreadsheet (1 is the first row of the sheet or file). */
  row: number;
  /** The column's letter (A, B, …), or null when the error is about a column that is missing. */
  column: string | null;
  /** The column's header as written in the file (or the expected one when it is missing). */
  header: string | null;
  field: Field | 'header';
  message: string;
}

export interface ImportResult {
  batch: string;
  /** IMPORTED: every row written. INVALID: rows with errors, nothing written. CONFLICT: a row collided with an award written meanwhile, nothing written. */
  outcome: 'IMPORTED' | 'INVALID' | 'CONFLICT';
  /** Where the header was found (null when it was not). */
  headerRow: number | null;
  /** Rows under the header, blank ones included. */
  rowsRead: number;
  /** Blank rows skipped. */
  blankRowsSkipped: number;
  /** Rows checked (those that are not blank). */
  rows: number;
  imported: number;
  errors: ImportError[];
}

const HEADERS: Record<string, Field> = {
  'ma don vi': 'unitCode',
  'don vi': 'unitCode',
  'danh hieu': 'title',
  'danh hieu thi dua': 'title',
  'hinh thuc khen thuong': 'title',
  'danh hieu / hinh thuc khen thuong': 'title',
  nam: 'year',
  'nam khen thuong': 'year',
  'nam duoc khen': 'year',
  'so quyet dinh': 'decisionNumber',
  'so qd': 'decisionNumber',
  'ngay quyet dinh': 'decisionDate',
  'ngay qd': 'decisionDate',
  'co quan ban hanh': 'issuingBody',
  'cap quyet dinh': 'issuingBody',
  'cap khen thuong': 'issuingBody',
};
export const FIELD_LABELS: Record<Field, string> = {
  unitCode: 'Mã đơn vị',
  title: 'Danh hiệu',
  year: 'Năm',
  decisionNumber: 'Số quyết định',
  decisionDate: 'Ngày quyết định',
  issuingBody: 'Cơ quan ban hành',
};
const FIELDS = Object.keys(FIELD_LABELS) as Field[];

/** How many rows from the top may hold the header (titles, a date line, an empty line above it). */
export const HEADER_SEARCH_ROWS = 10;
/** The earliest year of an award (the first emulation awards of the Democratic Republic). */
export const MIN_YEAR = 1945;

/** "Số  Quyết định (*)" → "so quyet dinh": accents, đ, case, notes in brackets and * ignored. */
export function headerKey(text: string): string {
  return text
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[*:]/g, ' ')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A (0-based) column index as its spreadsheet letter: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** C0 controls and DEL: invisible in a sheet, and NUL cannot be stored (Postgres refuses it in text). Read as spaces. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

const isBlank = (cells: string[] | undefined) => !cells || cells.every((c) => (c ?? '').trim() === '');

function dropTrailingBlankRows(rows: string[][]): string[][] {
  let end = rows.length;
  while (end > 0 && isBlank(rows[end - 1])) end--;
  return rows.slice(0, end);
}

/**
 * A CSV file (UTF-8, BOM or not, comma or semicolon) as its records: record i is the file's row
 * i + 1, as a spreadsheet shows it (a quoted cell may span lines). Blank records are kept, so that
 * row numbers after them stay right; only trailing ones are dropped.
 */
export function parseCsv(text: string): string[][] {
  const input = text.replace(/^\uFEFF/, '');
  // The separator from the first lines (a title line above the header may have none).
  const head = input.split(/\r?\n/, HEADER_SEARCH_ROWS).join('\n');
  const sep = (head.match(/;/g)?.length ?? 0) > (head.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return dropTrailingBlankRows(rows);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return String(value.error);
    return '';
  }
  return String(value);
}

/**
 * The first worksheet of an XLSX file as rows of cells: entry i is the sheet's row i + 1. Rows
 * with no value (blank, or only formatted) are empty entries; trailing ones are dropped.
 */
export async function parseXlsx(data: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow((r, n) => {
    rows[n - 1] = (r.values as ExcelJS.CellValue[]).slice(1).map(cellText);
  });
  return dropTrailingBlankRows(Array.from(rows, (r) => r ?? []));
}

/** dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd → yyyy-mm-dd; null when not a real date. */
export function parseVietnameseDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (match) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

export interface ImportOptions {
  batch: string;
  /** Progress: rows checked (then rows written) out of the total; awaited when it returns a promise. */
  onProgress?: (phase: 'check' | 'write', done: number, total: number) => unknown;
  /** The latest year accepted (default: this year, in Vietnam). */
  maxYear?: number;
  /** Today, yyyy-mm-dd (default: today in Vietnam): no decision date after it. */
  today?: string;
}

interface Header {
  row: number;
  columns: Map<Field, number>;
  texts: string[];
}

/** The header: the first of the top rows that names every column, else the one naming most. */
function findHeader(table: string[][]): Header | null {
  let best: Header | null = null;
  for (let i = 0; i < Math.min(table.length, HEADER_SEARCH_ROWS); i++) {
    const columns = new Map<Field, number>();
    (table[i] ?? []).forEach((h, c) => {
      const key = headerKey(h ?? '');
      const field = HEADERS[key];
      // The first column naming a field, unless a later one names it exactly ("Mã đơn vị" after "Đơn vị").
      if (field && (!columns.has(field) || key === headerKey(FIELD_LABELS[field]))) columns.set(field, c);
    });
    if (columns.size === FIELDS.length) return { row: i + 1, columns, texts: table[i] };
    if (columns.size >= 2 && columns.size > (best?.columns.size ?? 0)) best = { row: i + 1, columns, texts: table[i] };
  }
  return best;
}

interface CheckedRow {
  row: number;
  unitCode: string;
  unitKey: string;
  title: string;
  year: number;
  decisionNumber: string;
  decisionKey: string;
  decisionDate: string;
  issuingBody: string;
}

interface RegistryAward {
  unit_code: string;
  title: string;
  year: number;
  decision_number: string;
  decision_day: string | null;
  issuing_body: string;
  revoked: boolean;
}

/** Thrown to roll the transaction back, carrying the result to return. */
class Rollback extends Error {
  constructor(readonly result: ImportResult) {
    super('import rolled back');
  }
}

export async function importAwards(dataSource: DataSource, table: string[][], options: ImportOptions): Promise<ImportResult> {
  try {
    return await dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_LOCK]);
      const result = await checkAndWrite(tx, table, options);
      // A conflict while writing: undo the rows already written.
      if (result.outcome === 'CONFLICT') throw new Rollback(result);
      return result;
    });
  } catch (err) {
    if (err instanceof Rollback) return err.result;
    throw err;
  }
}

async function checkAndWrite(tx: EntityManager, table: string[][], options: ImportOptions): Promise<ImportResult> {
  const result: ImportResult = { batch: options.batch, outcome: 'INVALID', headerRow: null, rowsRead: 0, blankRowsSkipped: 0, rows: 0, imported: 0, errors: [] };
  const header = findHeader(table);
  if (!header) {
    result.errors.push({
      row: 1,
      column: null,
      header: null,
      field: 'header',
      message: `không tìm thấy dòng tiêu đề (${FIELDS.map((f) => FIELD_LABELS[f]).join(', ')}) trong ${HEADER_SEARCH_ROWS} dòng đầu`,
    });
    return result;
  }
  result.headerRow = header.row;
  const body = table.slice(header.row).map((cells, i) => ({ row: header.row + 1 + i, cells }));
  const data = body.filter((r) => !isBlank(r.cells));
  Object.assign(result, { rowsRead: body.length, blankRowsSkipped: body.length - data.length, rows: data.length });
  for (const field of FIELDS) {
    if (!header.columns.has(field)) result.errors.push({ row: header.row, column: null, header: FIELD_LABELS[field], field, message: `thiếu cột "${FIELD_LABELS[field]}"` });
  }
  if (!result.errors.length && !data.length) {
    result.errors.push({ row: header.row, column: null, header: null, field: 'header', message: 'không có dòng dữ liệu nào dưới dòng tiêu đề' });
  }
  if (result.errors.length) return result;

  const graph = await UnitGraph.load(tx);
  const maxYear = options.maxYear ?? Number(toVietnamDate(new Date()).slice(0, 4));
  const today = options.today ?? toVietnamDate(new Date());
  const fail = (row: number, field: Field, message: string) => {
    const c = header.columns.get(field)!;
    result.errors.push({ row, column: columnLetter(c), header: (header.texts[c] ?? '').trim() || FIELD_LABELS[field], field, message });
  };

  // Each row on its own first.
  const checked: CheckedRow[] = [];
  for (const [i, { row, cells }] of data.entries()) {
    const get = (f: Field) => (cells[header.columns.get(f)!] ?? '').toString().normalize('NFC').replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
    const before = result.errors.length;
    const given = get('unitCode');
    const units = given ? graph.resolve(given) : [];
    if (!given) fail(row, 'unitCode', 'thiếu mã đơn vị');
    else if (!units.length) fail(row, 'unitCode', `không có đơn vị mã "${given}"`);
    else if (units.length > 1) fail(row, 'unitCode', `"${given}" là tên của nhiều đơn vị (${units.join(', ')}): ghi mã đơn vị`);
    const rawTitle = get('title');
    const title = rawTitle ? titleCode(rawTitle) : null;
    if (!rawTitle) fail(row, 'title', 'thiếu danh hiệu');
    else if (!title) fail(row, 'title', `danh hiệu "${rawTitle}" không có trong danh mục (${Object.values(REGISTRY_TITLES).map((t) => t.name).join('; ')})`);
    const yearText = get('year');
    const year = Number(yearText);
    const yearValid = /^\d{4}$/.test(yearText) && year >= MIN_YEAR && year <= maxYear;
    if (!yearValid) fail(row, 'year', `năm "${yearText}" không hợp lệ (${MIN_YEAR}–${maxYear})`);
    const decisionNumber = get('decisionNumber');
    if (!decisionNumber) fail(row, 'decisionNumber', 'thiếu số quyết định');
    else if (decisionNumber.length > 100) fail(row, 'decisionNumber', 'số quyết định dài quá 100 ký tự');
    const dateText = get('decisionDate');
    const decisionDate = parseVietnameseDate(dateText);
    if (!decisionDate) fail(row, 'decisionDate', `ngày quyết định "${dateText}" không hợp lệ (dd/mm/yyyy)`);
    else if (decisionDate > today) fail(row, 'decisionDate', `ngày quyết định ${decisionDate} ở tương lai`);
    else if (yearValid && Number(decisionDate.slice(0, 4)) < year) fail(row, 'decisionDate', `quyết định ngày ${decisionDate} trước năm được khen ${year}`);
    const issuingBody = get('issuingBody');
    if (!issuingBody) fail(row, 'issuingBody', 'thiếu cơ quan ban hành');
    if (result.errors.length === before) {
      checked.push({ row, unitCode: units[0], unitKey: graph.unitKey(units[0]), title: title!, year, decisionNumber, decisionKey: decisionKey(decisionNumber), decisionDate: decisionDate!, issuingBody });
    }
    await options.onProgress?.('check', i + 1, data.length);
  }

  // Then against each other and against the registry, read in this transaction, under the lock.
  const codes = [...new Set(checked.flatMap((r) => graph.sameUnit(r.unitCode)))];
  const held: RegistryAward[] = await tx.query(
    `SELECT unit_code, title, year, decision_number, to_char(decision_date, 'YYYY-MM-DD') AS decision_day, issuing_body, revoked_at IS NOT NULL AS revoked FROM award WHERE unit_code = ANY($1)`,
    [codes],
  );
  const sameDecision: RegistryAward[] = await tx.query(
    `SELECT unit_code, title, year, decision_number, to_char(decision_date, 'YYYY-MM-DD') AS decision_day, issuing_body, revoked_at IS NOT NULL AS revoked FROM award WHERE ${DECISION_KEY_SQL('decision_number')} = ANY($1)`,
    [[...new Set(checked.map((r) => r.decisionKey))]],
  );
  const awardKey = (unitKey: string, title: string, year: number) => `${unitKey}|${title}|${year}`;
  // One decision: its number in the year of its date (numbers start again every year).
  const decisionOf = (key: string, date: string | null) => `${key}|${(date ?? '').slice(0, 4)}`;
  const heldAwards = new Map(held.map((a) => [awardKey(graph.unitKey(a.unit_code), a.title, a.year), a]));
  const heldDecisions = new Map<string, RegistryAward[]>();
  for (const a of sameDecision) {
    const k = decisionOf(decisionKey(a.decision_number), a.decision_day);
    heldDecisions.set(k, [...(heldDecisions.get(k) ?? []), a]);
  }
  const seenAwards = new Map<string, CheckedRow>();
  const seenDecisions = new Map<string, CheckedRow[]>();
  const former = (code: string, row: CheckedRow) => (code !== row.unitCode ? `, ghi dưới mã ${code}` : '');
  const valid: CheckedRow[] = [];
  for (const r of checked) {
    const before = result.errors.length;
    const ak = awardKey(r.unitKey, r.title, r.year);
    const dk = decisionOf(r.decisionKey, r.decisionDate);
    const first = seenAwards.get(ak);
    const existing = heldAwards.get(ak);
    if (first) fail(r.row, 'decisionNumber', `trùng với dòng ${first.row}: đơn vị đã có danh hiệu này năm ${r.year}`);
    else if (existing) fail(r.row, 'decisionNumber', `đơn vị đã có danh hiệu này năm ${r.year} (quyết định ${existing.decision_number}${former(existing.unit_code, r)}${existing.revoked ? ', đã bị thu hồi' : ''})`);
    else {
      const inFile = seenDecisions.get(dk) ?? [];
      const inRegistry = heldDecisions.get(dk) ?? [];
      const sameUnitRow = inFile.find((o) => o.unitKey === r.unitKey);
      const sameUnitHeld = inRegistry.find((a) => graph.unitKey(a.unit_code) === r.unitKey);
      const otherRow = inFile.find((o) => o.decisionDate !== r.decisionDate || textKey(o.issuingBody) !== textKey(r.issuingBody));
      const otherHeld = inRegistry.find((a) => a.decision_day !== r.decisionDate || textKey(a.issuing_body) !== textKey(r.issuingBody));
      if (sameUnitRow) fail(r.row, 'decisionNumber', `trùng số quyết định ${r.decisionNumber} với dòng ${sameUnitRow.row}: quyết định đã ghi cho đơn vị này`);
      else if (sameUnitHeld) {
        fail(r.row, 'decisionNumber', `trùng số quyết định: hồ sơ đã có quyết định ${sameUnitHeld.decision_number} cho đơn vị này (${sameUnitHeld.title} năm ${sameUnitHeld.year}${former(sameUnitHeld.unit_code, r)})`);
      } else if (otherRow) {
        fail(r.row, 'decisionNumber', `trùng số quyết định ${r.decisionNumber} với dòng ${otherRow.row}, nhưng khác ngày hoặc cơ quan ban hành (${otherRow.decisionDate}, ${otherRow.issuingBody})`);
      } else if (otherHeld) {
        fail(r.row, 'decisionNumber', `số quyết định ${r.decisionNumber} đã có trong hồ sơ với ngày ${otherHeld.decision_day ?? '?'}, ${otherHeld.issuing_body}`);
      }
    }
    // Only a row without errors is what later rows are compared with (one bad row, one error).
    if (result.errors.length === before) {
      seenAwards.set(ak, r);
      seenDecisions.set(dk, [...(seenDecisions.get(dk) ?? []), r]);
      valid.push(r);
    }
  }
  if (result.errors.length) {
    result.errors.sort((a, b) => a.row - b.row || FIELDS.indexOf(a.field as Field) - FIELDS.indexOf(b.field as Field));
    return result;
  }

  for (const [i, a] of valid.entries()) {
    // Only a writer that does not take the registry's lock (an award decided in tdkt-flow, which
    // must never fail on the registry) can have written this award since the check.
    const inserted: unknown[] = await tx.query(
      `INSERT INTO award (unit_code, title, year, decision_number, decision_date, issuing_body, source, import_batch)
       VALUES ($1,$2,$3,$4,$5,$6,'IMPORT',$7) ON CONFLICT (unit_code, title, year) DO NOTHING RETURNING id`,
      [a.unitCode, a.title, a.year, a.decisionNumber, a.decisionDate, a.issuingBody, options.batch],
    );
    if (!inserted.length) {
      fail(a.row, 'decisionNumber', `đơn vị vừa được ghi danh hiệu này năm ${a.year} (một quyết định khác ghi cùng lúc): không nhập gì, hãy xem lại hồ sơ rồi nhập lại`);
      return { ...result, outcome: 'CONFLICT' };
    }
    await options.onProgress?.('write', i + 1, valid.length);
  }
  return { ...result, outcome: 'IMPORTED', imported: valid.length };
}
