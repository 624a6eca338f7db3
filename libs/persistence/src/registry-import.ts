/**
 * Import of older awards into the registry from a spreadsheet (XLSX or CSV) with Vietnamese
 * headers. Every row is checked first; any error (reported with its row number) and nothing is
 * imported: the file goes in whole or not at all, in one transaction.
 *
 * Headers (any order, accents and case ignored): Mã đơn vị · Danh hiệu · Năm · Số quyết định ·
 * Ngày quyết định · Cơ quan ban hành.
 */
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import { currentUnitCode, TITLE_NAMES } from './registry';

export interface ImportError {
  /** Spreadsheet row number (the header is row 1). */
  row: number;
  field: string;
  message: string;
}

export interface ImportResult {
  batch: string;
  rows: number;
  imported: number;
  errors: ImportError[];
}

type Field = 'unitCode' | 'title' | 'year' | 'decisionNumber' | 'decisionDate' | 'issuingBody';

const HEADERS: Record<string, Field> = {
  'ma don vi': 'unitCode',
  'don vi': 'unitCode',
  'danh hieu': 'title',
  'hinh thuc khen thuong': 'title',
  nam: 'year',
  'so quyet dinh': 'decisionNumber',
  'ngay quyet dinh': 'decisionDate',
  'co quan ban hanh': 'issuingBody',
  'cap quyet dinh': 'issuingBody',
};
const LABELS: Record<Field, string> = {
  unitCode: 'Mã đơn vị',
  title: 'Danh hiệu',
  year: 'Năm',
  decisionNumber: 'Số quyết định',
  decisionDate: 'Ngày quyết định',
  issuingBody: 'Cơ quan ban hành',
};

/** "Số  Quyết định" → "so quyet dinh" (accents, đ and case ignored). */
export function headerKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A CSV file (UTF-8, BOM or not, comma or semicolon) as rows of cells. */
export function parseCsv(text: string): string[][] {
  const input = text.replace(/^\uFEFF/, '');
  const firstLine = input.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
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
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  }
  return String(value);
}

/** The first worksheet of an XLSX file as rows of cells. */
export async function parseXlsx(data: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (r, n) => {
    const values = (r.values as ExcelJS.CellValue[]).slice(1).map(cellText);
    rows[n - 1] = values;
  });
  return Array.from(rows, (r) => r ?? []);
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
  /** Progress: rows checked (then rows written) out of the total. */
  onProgress?: (phase: 'check' | 'write', done: number, total: number) => void;
  /** The latest year accepted (default: this year). */
  maxYear?: number;
}

export async function importAwards(dataSource: DataSource, table: string[][], options: ImportOptions): Promise<ImportResult> {
  const [header, ...body] = table;
  const errors: ImportError[] = [];
  const columns = new Map<Field, number>();
  (header ?? []).forEach((h, i) => {
    const field = HEADERS[headerKey(h)];
    if (field && !columns.has(field)) columns.set(field, i);
  });
  for (const field of Object.keys(LABELS) as Field[]) {
    if (!columns.has(field)) errors.push({ row: 1, field, message: `thiếu cột "${LABELS[field]}"` });
  }
  if (errors.length) return { batch: options.batch, rows: body.length, imported: 0, errors };

  const maxYear = options.maxYear ?? new Date().getUTCFullYear();
  const titleCodes = new Map(Object.entries(TITLE_NAMES).map(([code, name]) => [headerKey(name), code]));
  const seen = new Map<string, number>();
  const valid: { unitCode: string; title: string; year: number; decisionNumber: string; decisionDate: string; issuingBody: string }[] = [];
  for (const [i, cells] of body.entries()) {
    const row = i + 2;
    const get = (f: Field) => (cells[columns.get(f)!] ?? '').toString().normalize('NFC').trim();
    const rowErrors: ImportError[] = [];
    const fail = (field: Field, message: string) => rowErrors.push({ row, field, message });
    const given = get('unitCode');
    let unitCode = given;
    if (!given) fail('unitCode', 'thiếu mã đơn vị');
    else {
      unitCode = await currentUnitCode(dataSource, given);
      const [unit] = await dataSource.query('SELECT code FROM unit WHERE code = $1', [unitCode]);
      if (!unit) fail('unitCode', `không có đơn vị mã "${given}"`);
    }
    const rawTitle = get('title');
    const title = titleCodes.get(headerKey(rawTitle)) ?? rawTitle;
    if (!rawTitle) fail('title', 'thiếu danh hiệu');
    const yearText = get('year');
    const year = Number(yearText);
    const yearValid = /^\d{4}$/.test(yearText) && year >= 1945 && year <= maxYear;
    if (!yearValid) fail('year', `năm "${yearText}" không hợp lệ (1945–${maxYear})`);
    const decisionNumber = get('decisionNumber');
    if (!decisionNumber) fail('decisionNumber', 'thiếu số quyết định');
    const decisionDate = parseVietnameseDate(get('decisionDate'));
    if (!decisionDate) fail('decisionDate', `ngày quyết định "${get('decisionDate')}" không hợp lệ (dd/mm/yyyy)`);
    else if (yearValid && Number(decisionDate.slice(0, 4)) < year) fail('decisionDate', `quyết định ngày ${decisionDate} trước năm được khen ${year}`);
    const issuingBody = get('issuingBody');
    if (!issuingBody) fail('issuingBody', 'thiếu cơ quan ban hành');
    if (!rowErrors.length) {
      const key = `${unitCode}|${title}|${year}`;
      const first = seen.get(key);
      const [existing] = await dataSource.query('SELECT decision_number FROM award WHERE unit_code = $1 AND title = $2 AND year = $3', [unitCode, title, year]);
      if (first) fail('decisionNumber', `trùng với dòng ${first}: đơn vị đã có danh hiệu này năm ${year}`);
      else if (existing) fail('decisionNumber', `đơn vị đã có danh hiệu này năm ${year} (quyết định ${existing.decision_number})`);
      else seen.set(key, row);
    }
    if (rowErrors.length) errors.push(...rowErrors);
    else valid.push({ unitCode, title, year, decisionNumber, decisionDate: decisionDate!, issuingBody });
    options.onProgress?.('check', i + 1, body.length);
  }
  if (errors.length) return { batch: options.batch, rows: body.length, imported: 0, errors };

  await dataSource.transaction(async (tx) => {
    for (const [i, a] of valid.entries()) {
      await tx.query(
        `INSERT INTO award (unit_code, title, year, decision_number, decision_date, issuing_body, source, import_batch)
         VALUES ($1,$2,$3,$4,$5,$6,'IMPORT',$7)`,
        [a.unitCode, a.title, a.year, a.decisionNumber, a.decisionDate, a.issuingBody, options.batch],
      );
      options.onProgress?.('write', i + 1, valid.length);
    }
  });
  return { batch: options.batch, rows: body.length, imported: valid.length, errors: [] };
}
