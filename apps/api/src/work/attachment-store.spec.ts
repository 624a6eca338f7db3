import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AttachmentStore, sha256Hex } from './attachment-store';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'tdkt-store-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Every file under the store, relative to it. */
function files(dir = root, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

describe('AttachmentStore', () => {
  it('stores bytes under their SHA-256 and reads them back', async () => {
    const store = new AttachmentStore(root);
    const bytes = Buffer.from('%PDF-1.4 Báo cáo thành tích', 'utf8');
    const sha = await store.put(bytes);
    expect(sha).toBe(sha256Hex(bytes));
    expect(files()).toEqual([`${sha.slice(0, 2)}/${sha}`]);
    expect((await store.read(sha))?.equals(bytes)).toBe(true);
    expect(await store.read('0'.repeat(64))).toBeNull();
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/not a SHA-256/);
  });

  it('stores the same content once, leaves no temporary file, and repairs a file altered on disk', async () => {
    const store = new AttachmentStore(root);
    const bytes = Buffer.from('%PDF-1.4 Biên bản họp cụm', 'utf8');
    const [a, b] = await Promise.all([store.put(bytes), store.put(bytes)]);
    expect(a).toBe(b);
    expect(files()).toEqual([`${a.slice(0, 2)}/${a}`]);
    writeFileSync(store.pathOf(a), 'altered');
    expect(await store.put(bytes)).toBe(a);
    expect(readFileSync(store.pathOf(a)).equals(bytes)).toBe(true);
    expect(files()).toEqual([`${a.slice(0, 2)}/${a}`]);
  });
});
