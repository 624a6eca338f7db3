/**
 * Sealed ballots (phiếu kín niêm phong). The API seals each ballot (the voter's receipt hash and
 * choices) with AES-256-GCM before it reaches the workflow, so Temporal's history holds only the
 * voter and a ciphertext. The worker opens the ballot box when the vote closes: it decrypts the
 * round's ballots, stores them under their receipt hashes in an order unrelated to the voters,
 * and hands the workflow only the choices, sorted. Without the key nobody can link a voter to a
 * choice; the key is held by the API and the worker only (BALLOT_KEY).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { OpenBallotBoxInput, OpenBallotBoxResult } from '@tdkt/contracts';
import type { Title } from '@tdkt/domain';

export const DEMO_BALLOT_KEY = 'tdkt-flow-demo-ballot-key-change-me';

export interface SealedContent {
  receiptHash: string;
  ministryFlag: string[];
  governmentFlag: string[];
  /** Titles the ballot abstains on (absent: none). */
  abstain?: Title[];
}

/** The ballot key from BALLOT_KEY (at least 16 characters), or the demo key. */
export function loadBallotKey(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.BALLOT_KEY || DEMO_BALLOT_KEY;
  if (key.length < 16) throw new Error('BALLOT_KEY must be at least 16 characters');
  return key;
}

const aesKey = (secret: string) => createHash('sha256').update(`tdkt-ballot-seal:${secret}`).digest();

export function sealBallot(secret: string, content: SealedContent): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey(secret), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
  return `v1.${iv.toString('base64url')}.${data.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

export function unsealBallot(secret: string, sealed: string): SealedContent {
  const [version, iv, data, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !data || !tag) throw new Error('not a sealed ballot');
  const decipher = createDecipheriv('aes-256-gcm', aesKey(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')) as SealedContent;
}

/**
 * The receipt of a ballot sent with an Idempotency-Key: derived from the request's update id, so
 * a retry gets the same receipt back without the receipt ever being stored.
 */
export function derivedReceipt(secret: string, updateId: string): string {
  return createHmac('sha256', aesKey(secret)).update(`receipt:${updateId}`).digest().subarray(0, 24).toString('base64url');
}

/** Opens a round's sealed ballots into the ballot box (idempotent) and returns the choices, sorted. */
export async function openBallotBox(dataSource: DataSource, secret: string, input: OpenBallotBoxInput): Promise<OpenBallotBoxResult> {
  const opened: SealedContent[] = [];
  let unreadable = 0;
  for (const sealed of input.sealed) {
    try {
      opened.push(unsealBallot(secret, sealed));
    } catch {
      unreadable += 1;
    }
  }
  // Stored and returned in receipt-hash order: nothing of the order in which the voters voted.
  opened.sort((a, b) => (a.receiptHash < b.receiptHash ? -1 : 1));
  // Abstentions travel with the choices only when there are some: older ballots look as before.
  const abstainOf = (b: SealedContent) => (Array.isArray(b.abstain) && b.abstain.length ? { abstain: [...b.abstain].sort() } : {});
  await dataSource.transaction(async (tx) => {
    for (const b of opened) {
      await tx.query(
        'INSERT INTO ballot_box (campaign_id, round, receipt_hash, choices) VALUES ($1,$2,$3,$4) ON CONFLICT (receipt_hash) DO NOTHING',
        [input.campaignId, input.round, b.receiptHash, JSON.stringify({ ministryFlag: b.ministryFlag, governmentFlag: b.governmentFlag, ...abstainOf(b) })],
      );
    }
  });
  const ballots = opened
    .map((b) => ({ ministryFlag: [...b.ministryFlag].sort(), governmentFlag: [...b.governmentFlag].sort(), ...abstainOf(b) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { ballots, unreadable };
}
