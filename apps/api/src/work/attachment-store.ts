/**
 * The project's own store of attachment bytes: a directory (ATTACHMENT_DIR), one file per
 * content, named by its SHA-256 (`ab/abcdef…`). A file is written atomically: to a temporary
 * file in the same directory tree, flushed, then renamed into place, so a reader never sees a
 * half-written file and a crash leaves at most a stray temporary file. The same content uploaded
 * twice is stored once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const SHA256 = /^[0-9a-f]{64}$/;

export class AttachmentStore {
  constructor(readonly root: string) {}

  /** Where the content with this SHA-256 lives. */
  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Stores the bytes (unless the same content is already there, intact); returns their SHA-256. */
  async put(bytes: Buffer): Promise<string> {
    const sha256 = sha256Hex(bytes);
    const target = this.pathOf(sha256);
    const present = await readFile(target).catch(() => null);
    if (present && sha256Hex(present) === sha256) return sha256;
    // Absent, or altered on disk: (re)write it from the bytes we were given.
    await mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(path.dirname(target), `.${sha256}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o640);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    // Make the rename itself durable (best effort: not every filesystem lets a directory be synced).
    const dir = await open(path.dirname(target), 'r').catch(() => null);
    if (dir) await dir.sync().catch(() => undefined).finally(() => dir.close());
    return sha256;
  }

  /** The stored bytes of this content, or null when the file is missing. */
  async read(sha256: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
