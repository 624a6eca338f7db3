/**
 * The file types a dossier may attach, recognised by their content (magic bytes, and for the
 * Office formats the entries of the ZIP container), never by the name or declared type alone.
 */
import type { AttachmentKind } from '@tdkt/persistence';
import type { AttachmentTypeName } from '../config';

export interface FileType {
  kind: AttachmentKind;
  /** The ATTACHMENT_TYPES name. */
  name: AttachmentTypeName;
  mime: string;
  extensions: string[];
  label: string;
}

export const FILE_TYPES: readonly FileType[] = [
  { kind: 'PDF', name: 'pdf', mime: 'application/pdf', extensions: ['.pdf'], label: 'PDF' },
  { kind: 'DOCX', name: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'], label: 'Word (DOCX)' },
  { kind: 'XLSX', name: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'], label: 'Excel (XLSX)' },
  { kind: 'JPEG', name: 'jpeg', mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'], label: 'JPEG' },
  { kind: 'PNG', name: 'png', mime: 'image/png', extensions: ['.png'], label: 'PNG' },
];

/** What clients send when they do not know the type (curl -F for a .docx, some browsers). */
export const UNDECLARED_TYPES = ['application/octet-stream', 'binary/octet-stream', ''];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type the bytes are, or null when they are none of the known types. */
export function detectFileType(bytes: Buffer): FileType | null {
  const byKind = (kind: AttachmentKind) => FILE_TYPES.find((t) => t.kind === kind)!;
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return byKind('PDF');
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return byKind('PNG');
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return byKind('JPEG');
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) {
    const names = zipEntryNames(bytes);
    if (!names || !names.has('[Content_Types].xml')) return null;
    if (names.has('word/document.xml')) return byKind('DOCX');
    if (names.has('xl/workbook.xml')) return byKind('XLSX');
  }
  return null;
}

/** The names in a ZIP file's central directory, or null when it is not a readable ZIP. */
export function zipEntryNames(bytes: Buffer): Set<string> | null {
  // End of central directory: 22 bytes plus a comment of up to 65535 bytes, at the end.
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = bytes.readUInt16LE(eocd + 10);
  let offset = bytes.readUInt32LE(eocd + 16);
  const names = new Set<string>();
  for (let n = 0; n < count; n++) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== 0x02014b50) return null;
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    if (offset + 46 + nameLength > bytes.length) return null;
    names.add(bytes.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** The extension of a file name, lower-cased with its dot ('' when none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot).toLowerCase() : '';
}

/**
 * A file name safe to keep and to send back: no directories, no control characters, NFC,
 * at most 255 characters (the extension kept). Null when nothing is left.
 */
export function cleanFileName(raw: string): string | null {
  const base = raw.split(/[\\/]/).pop() ?? '';
  let name = base.normalize('NFC').replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (name.length > 255) {
    const ext = extensionOf(name);
    name = name.slice(0, 255 - ext.length) + ext;
  }
  return name && name !== '.' && name !== '..' ? name : null;
}

/** `Content-Disposition: attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
    .replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
