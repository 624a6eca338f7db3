import ExcelJS from 'exceljs';
import { cleanFileName, contentDisposition, detectFileType, zipEntryNames } from './file-types';
import { formatBytes } from './dossier';

/** A ZIP archive (stored, no compression) with these entries, written by hand. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const OFFICE = { '[Content_Types].xml': '<Types/>', '_rels/.rels': '<Relationships/>' };

describe('detectFileType', () => {
  it('recognises PDF, PNG and JPEG by their magic bytes', () => {
    expect(detectFileType(Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1'))?.kind).toBe('PDF');
    expect(detectFileType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))?.kind).toBe('PNG');
    expect(detectFileType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]))?.kind).toBe('JPEG');
  });

  it('tells a Word document from a workbook by the entries of the ZIP, and a plain ZIP from both', async () => {
    expect(detectFileType(zip({ ...OFFICE, 'word/document.xml': '<w:document/>' }))?.kind).toBe('DOCX');
    expect(detectFileType(zip({ ...OFFICE, 'xl/workbook.xml': '<workbook/>' }))?.kind).toBe('XLSX');
    expect(detectFileType(zip({ 'word/document.xml': '<w:document/>' }))).toBeNull();
    expect(detectFileType(zip({ 'ảnh/hồ sơ.txt': 'Hồ sơ' }))).toBeNull();
    // A real workbook, as exceljs writes it (deflated).
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Khen thưởng').addRow(['Mã đơn vị', 'Danh hiệu']);
    expect(detectFileType(Buffer.from(await workbook.xlsx.writeBuffer()))?.kind).toBe('XLSX');
  });

  it('recognises nothing else: text, an executable, a truncated ZIP, an empty file', () => {
    expect(detectFileType(Buffer.from('Đây không phải là tệp PDF', 'utf8'))).toBeNull();
    expect(detectFileType(Buffer.from(' %PDF-1.4', 'latin1'))).toBeNull();
    expect(detectFileType(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]))).toBeNull();
    const docx = zip({ ...OFFICE, 'word/document.xml': '<w:document/>' });
    expect(detectFileType(docx.subarray(0, docx.length - 30))).toBeNull();
    expect(zipEntryNames(Buffer.alloc(0))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
  });
});

describe('file names', () => {
  it('keeps a Vietnamese name, drops directories and control characters', () => {
    expect(cleanFileName('Báo cáo thành tích năm 2025.pdf')).toBe('Báo cáo thành tích năm 2025.pdf');
    // NFD (as macOS sends it) becomes NFC.
    expect(cleanFileName('Ba\u0301o ca\u0301o.pdf')).toBe('Báo cáo.pdf');
    expect(cleanFileName('C:\\Users\\canbo\\..\\Biên bản.docx')).toBe('Biên bản.docx');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\n"c".png')).toBe('abc.png');
    expect(cleanFileName('..')).toBeNull();
    expect(cleanFileName('')).toBeNull();
    const long = cleanFileName(`${'Đ'.repeat(300)}.xlsx`)!;
    expect(long).toHaveLength(255);
    expect(long.endsWith('.xlsx')).toBe(true);
  });

  it('sends an ASCII fallback and the exact UTF-8 name in Content-Disposition', () => {
    const header = contentDisposition('Đề nghị "khen thưởng"; 100%.pdf');
    expect(header).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
    expect(header).toContain('filename="De nghi _khen thuong__ 100_.pdf"');
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(header)![1])).toBe('Đề nghị "khen thưởng"; 100%.pdf');
  });
});

describe('the size limit in messages', () => {
  it('names whole and tenth MiB limits in MiB, others in bytes', () => {
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MiB');
    expect(formatBytes(1024 * 1024)).toBe('1 MiB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MiB');
    expect(formatBytes(1024 * 1024 + 1)).toBe('1048577 bytes');
    expect(formatBytes(4096)).toBe('4096 bytes');
  });
});
