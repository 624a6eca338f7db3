/**
 * Recorded workflow histories for the replay test. A history is written once and never
 * overwritten: old ones must keep replaying against new code (RECORD_HISTORIES=1 adds new ones).
 */
import { writeFileSync } from 'node:fs';

export function keepHistory(file: string, json: string): void {
  try {
    writeFileSync(file, json, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
