/**
 * The audit chain: each event's hash is SHA-256 over the previous hash and the canonical JSON of
 * the event's fields, so changing, removing or reordering any event breaks every link after it.
 */
import { createHash, hash as oneShotHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client, types as pgTypes, type ClientConfig } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { DecisionEvent } from '@tdkt/contracts';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level (by UTF-16 code units, as `<` compares them): the
 * same value always gives the same text. Built with plain loops, no intermediate arrays: the
 * audit verifier calls it for every event's `data`.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    // A hole of a sparse array gives nothing between its commas, an undefined element null.
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (i in value ? canonicalJson(value[i]) : '');
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** The fields of an event that its hash covers: the decision event and its place in the chain. */
export type ChainedFields = Omit<DecisionEvent, 'action' | 'subjectType'> & {
  seq: number;
  action: string;
  subjectType: string;
};

export function hashAuditEvent(prevHash: string, fields: ChainedFields): string {
  return chainHash(prevHash, canonicalJson(fields));
}

/**
 * SHA-256 over the previous hash, a newline and the event's canonical JSON (as UTF-8). Node's
 * one-shot `crypto.hash` gives the same digest as a Hash object, in half the time for inputs this
 * small: the verifier's hottest call.
 */
export function chainHash(prevHash: string, canonical: string): string {
  if (typeof oneShotHash === 'function') return oneShotHash('sha256', `${prevHash}\n${canonical}`, 'hex');
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** One lock for the chain: events get consecutive seq numbers in commit order. */
export const AUDIT_CHAIN_LOCK = 0x7464_6b74; // "tdkt"

export interface AppendedEvent {
  seq: number;
  hash: string;
  prevHash: string;
  /** false when an event with this id was there already (nothing written). */
  written: boolean;
}

/** The events of these ids already in the chain (written: false), by event id. */
export async function storedAuditEvents(tx: EntityManager, eventIds: string[]): Promise<Map<string, AppendedEvent>> {
  const stored: { event_id: string; seq: string; hash: string; prev_hash: string }[] = await tx.query(
    'SELECT event_id, seq, hash, prev_hash FROM audit_event WHERE event_id = ANY($1::text[])',
    [eventIds],
  );
  return new Map(stored.map((r) => [r.event_id, { seq: Number(r.seq), hash: r.hash, prevHash: r.prev_hash, written: false }]));
}

/**
 * Appends events at the head of the chain, in order, in the caller's transaction: the chain's
 * lock, one read of its head, one INSERT of all the new events. Idempotent by event id: an event
 * already stored is returned as it is (written: false). The only writer of audit_event, for the
 * worker's decisions (recordDecisions) and for what the API records itself (comments, attachments).
 *
 * The lock is held until the transaction ends, so callers append last: everything else the
 * transaction writes comes before, while other transactions may hold the lock. Whoever holds it
 * then only appends and commits, and never waits for a row another transaction holds while that
 * one waits for the lock (no deadlock), and the chain's writers are serialized only for that.
 * Under it: the events already stored, the head, then one INSERT of the new events (their fields
 * are prepared before the lock; their hashes need the head).
 */
export async function appendAuditEvents(tx: EntityManager, events: DecisionEvent[]): Promise<AppendedEvent[]> {
  const prepared = events.map(chainedFieldsOf);
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
  const existing = await storedAuditEvents(tx, events.map((e) => e.eventId));
  if (events.every((e) => existing.has(e.eventId))) return events.map((e) => existing.get(e.eventId)!);

  const last: { seq: string; hash: string }[] = await tx.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
  let seq = last.length ? Number(last[0].seq) : 0;
  let prevHash = last.length ? last[0].hash : GENESIS_HASH;
  const results: AppendedEvent[] = [];
  const rows: (ChainedFields & { prevHash: string; hash: string })[] = [];
  for (const fields of prepared) {
    const found = existing.get(fields.eventId);
    if (found) {
      results.push(found);
      continue;
    }
    seq += 1;
    const chained = { ...fields, seq };
    const hash = hashAuditEvent(prevHash, chained);
    rows.push({ ...chained, prevHash, hash });
    results.push({ seq, hash, prevHash, written: true });
    prevHash = hash;
  }
  for (let i = 0; i < rows.length; i += INSERT_ROWS) await insertEvents(tx, rows.slice(i, i + INSERT_ROWS));
  return results;
}

/** An event's hashed fields without its place in the chain (seq). */
function chainedFieldsOf(event: DecisionEvent): Omit<ChainedFields, 'seq'> {
  return {
    eventId: event.eventId,
    at: new Date(event.at).toISOString(),
    actor: event.actor,
    role: event.role,
    actorUnitCode: event.actorUnitCode,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    fromStage: event.fromStage,
    toStage: event.toStage,
    reason: event.reason,
    requestId: event.requestId,
    data: event.data ?? {},
  };
}

/** An audit_event row as pg reads it back: its columns under their names (seq as text, at as a Date). */
export interface AuditEventColumns {
  seq: string;
  event_id: string;
  at: Date;
  actor: string;
  role: string | null;
  actor_unit_code: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  from_stage: string | null;
  to_stage: string | null;
  reason: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** Rows per INSERT: a council sitting's batch can hold hundreds of events; its JSON stays a few MB. */
const INSERT_ROWS = 1000;

/**
 * One INSERT for many events: their hashed fields with their links, as one JSON array that
 * Postgres turns into rows (jsonb_to_recordset, its keys as the quoted names), in the array's order.
 */
async function insertEvents(tx: EntityManager, rows: (ChainedFields & { prevHash: string; hash: string })[]): Promise<void> {
  await tx.query(
    `INSERT INTO audit_event (seq, event_id, at, actor, role, actor_unit_code, action, subject_type, subject_id,
                              from_stage, to_stage, reason, request_id, data, prev_hash, hash, recorded_at)
     SELECT seq, "eventId", at, actor, role, "actorUnitCode", action, "subjectType", "subjectId",
            "fromStage", "toStage", reason, "requestId", data, "prevHash", hash, now()
     FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, "eventId" text, at timestamptz, actor text, role text,
          "actorUnitCode" text, action text, "subjectType" text, "subjectId" text, "fromStage" text, "toStage" text,
          reason text, "requestId" text, data jsonb, "prevHash" text, hash text)`,
    [JSON.stringify(rows)],
  );
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first event whose link does not hold (changed, inserted or missing before it). */
  firstBadSeq?: number;
  /** Why that link is broken. */
  problem?: string;
}

/** An audit row as the verifier reads it: the columns in the order of VERIFY_COLUMNS. */
export type AuditRowArray = [
  seq: string,
  eventId: string,
  /** ISO 8601 in UTC, as the event was hashed ("2026-12-01T22:30:08.123Z"). */
  at: string,
  actor: string,
  role: string | null,
  actorUnitCode: string | null,
  action: string,
  subjectType: string,
  subjectId: string,
  fromStage: string | null,
  toStage: string | null,
  reason: string | null,
  requestId: string | null,
  data: Record<string, unknown>,
  prevHash: string,
  hash: string,
];

const VERIFY_COLUMNS = `seq, event_id, at, actor, role, actor_unit_code, action, subject_type, subject_id, from_stage, to_stage,
                        reason, request_id, data, prev_hash, hash`;

const str = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));

/**
 * The text `canonicalJson` gives for a stored event's chained fields, built straight from the row
 * with the keys already in order: the verifier's hot loop, about twice as fast as sorting the keys
 * of each event (the audit tests check that both give the same text).
 */
export function canonicalRowJson(r: AuditRowArray): string {
  return (
    `{"action":${str(r[6])},"actor":${str(r[3])},"actorUnitCode":${str(r[5])},"at":${str(r[2])},` +
    `"data":${canonicalJson(r[13])},"eventId":${str(r[1])},"fromStage":${str(r[9])},"reason":${str(r[11])},` +
    `"requestId":${str(r[12])},"role":${str(r[4])},"seq":${Number(r[0])},"subjectId":${str(r[8])},` +
    `"subjectType":${str(r[7])},"toStage":${str(r[10])}}`
  );
}

/** The chained fields of a stored event, as recordDecision hashed them. */
export function chainedFieldsOfRow(r: AuditRowArray): ChainedFields {
  return {
    seq: Number(r[0]),
    eventId: r[1],
    at: r[2],
    actor: r[3],
    role: r[4] as ChainedFields['role'],
    actorUnitCode: r[5],
    action: r[6],
    subjectType: r[7],
    subjectId: r[8],
    fromStage: r[9] as ChainedFields['fromStage'],
    toStage: r[10] as ChainedFields['toStage'],
    reason: r[11],
    requestId: r[12],
    data: r[13],
  };
}

/** What one verifier (the main thread or a worker thread) found over a range of seq numbers. */
export interface RangeCheck {
  from: number;
  /** Events of the range whose links held, in order from `from`. */
  checked: number;
  /** The stored prev_hash of the range's first event (its link to the range before it). */
  firstPrevHash: string | null;
  /** The hash of the last event that held. */
  lastHash: string | null;
  /** The first broken link inside the range. */
  bad?: { seq: number; problem: string };
}

/** Below this many events the chain is checked on the calling thread: threads cost more than they save. */
const PARALLEL_FROM_EVENTS = 100_000;

/** The worker threads' script: this module's compiled sibling (under ts-jest the source is .ts and cannot run in a thread). */
const WORKER_SCRIPT = path.join(__dirname, 'audit-verify.worker.js');

export interface VerifyOptions {
  /** Events per query (default 5,000). */
  batchSize?: number;
  /** Called after each batch with the events checked so far. */
  onProgress?: (checked: number) => void;
  /**
   * Worker threads that check ranges of the chain at once (default: the machine's cores, at most
   * 4, for chains of 100,000 events or more; 1 checks on the calling thread).
   */
  threads?: number;
  /** Chains shorter than this are checked on the calling thread (default 100,000). */
  parallelFromEvents?: number;
}

/**
 * Recomputes the whole chain in seq order and names the first broken link: a changed event, an
 * event missing, or one whose prev_hash does not point at the event before it.
 *
 * A long chain is split into contiguous ranges checked by worker threads, each on its own
 * connection. A range checks every link inside it; the links between ranges (each range's first
 * prev_hash against the hash of the range before it) are checked here, in order, so the answer is
 * the same as a single pass: the first broken link and the events before it. Events appended while
 * the ranges are checked are then checked on this thread.
 */
export async function verifyAuditChain(dataSource: DataSource, options: VerifyOptions = {}): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 5_000;
  const client = new Client(clientConfig(dataSource));
  await client.connect();
  try {
    await useUtcSession(client);
    const [{ max }] = (await client.query<{ max: string | null }>('SELECT max(seq) AS max FROM audit_event')).rows;
    const lastSeq = max === null ? 0 : Number(max);
    const threads = Math.max(1, Math.floor(options.threads ?? Math.min(availableParallelism(), 4)));
    const parallel = threads > 1 && lastSeq >= (options.parallelFromEvents ?? PARALLEL_FROM_EVENTS) && existsSync(WORKER_SCRIPT);
    let checks: RangeCheck[];
    if (parallel) {
      const size = Math.ceil(lastSeq / threads);
      const ranges = Array.from({ length: threads }, (_, i) => ({ from: 1 + i * size, to: Math.min(lastSeq, (i + 1) * size) })).filter(
        (r) => r.from <= r.to,
      );
      const progress = ranges.map(() => 0);
      checks = await Promise.all(
        ranges.map((r, i) =>
          checkRangeInThread(dataSource, r.from, r.to, batchSize, (n) => {
            progress[i] = n;
            options.onProgress?.(progress.reduce((a, b) => a + b, 0));
          }),
        ),
      );
    } else {
      checks = [await checkAuditRange(client, 1, lastSeq, { batchSize, onProgress: options.onProgress })];
    }
    const joined = joinRanges(checks, GENESIS_HASH);
    if (!joined.ok) return joined.result;
    // Events appended meanwhile: from the head read at the start, open-ended.
    const tail = await checkAuditRange(client, lastSeq + 1, Infinity, {
      batchSize,
      onProgress: options.onProgress && ((n) => options.onProgress!(joined.checked + n)),
    });
    const all = joinRanges([...checks, tail], GENESIS_HASH);
    return all.ok ? { ok: true, checked: all.checked } : all.result;
  } finally {
    await client.end();
  }
}

/** The ranges' results in order, with the links between them: the first broken link, or the total. */
function joinRanges(checks: RangeCheck[], genesis: string): { ok: true; checked: number } | { ok: false; result: VerifyResult } {
  let checked = 0;
  let prevHash = genesis;
  for (const c of checks) {
    if (c.checked === 0 && !c.bad) continue; // an empty tail
    if (c.firstPrevHash !== null && c.firstPrevHash !== prevHash) {
      return { ok: false, result: { ok: false, checked, firstBadSeq: c.from, problem: 'prev_hash does not match the previous event' } };
    }
    if (c.bad) return { ok: false, result: { ok: false, checked: checked + c.checked, firstBadSeq: c.bad.seq, problem: c.bad.problem } };
    checked += c.checked;
    prevHash = c.lastHash ?? prevHash;
  }
  return { ok: true, checked };
}

/**
 * A timestamptz as Postgres sends it to a session in UTC with the ISO DateStyle
 * ("2026-12-01 22:30:08.123+00", the fraction trimmed or absent), as the ISO instant JavaScript
 * gives for it ("2026-12-01T22:30:08.123Z": milliseconds, truncated like a Date's). null for any
 * other shape. Five times cheaper than parsing a Date and printing it again, per event.
 */
export function isoOfUtcTimestamp(text: string): string | null {
  const n = text.length;
  if (n < 22 || n > 29 || text.charCodeAt(10) !== 32 || !text.endsWith('+00')) return null;
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$/.test(text)) return null;
  const fraction = n === 22 ? '' : text.slice(20, n - 3);
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${`${fraction}000`.slice(0, 3)}Z`;
}

const TIMESTAMPTZ_OID = 1184;
/** The verifier's row parsers: pg's own, except `at` straight to its ISO text (see isoOfUtcTimestamp). */
const VERIFY_TYPES = {
  getTypeParser(oid: number, format?: string): (text: string) => unknown {
    const parse = pgTypes.getTypeParser(oid, format as 'text') as (text: string) => unknown;
    if (oid !== TIMESTAMPTZ_OID) return parse;
    return (text: string) => isoOfUtcTimestamp(text) ?? (parse(text) as Date).toISOString();
  },
};

/** Makes the session's timestamps arrive in the shape isoOfUtcTimestamp reads (any other still parses, slower). */
export async function useUtcSession(client: Pick<Client, 'query'>): Promise<void> {
  await client.query("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO'");
}

/**
 * The chained fields' canonical text around `data`, built by Postgres: the keys in canonicalJson's
 * order, each string through `to_json` (the same escapes as JSON.stringify for any text Postgres
 * can store), `at` in UTC with milliseconds, truncated as a Date's. Six columns a row instead of sixteen:
 * pg parses a third of the fields, and the verifier only joins three strings before hashing. A row
 * whose text does not give its stored hash is checked again from its columns (canonicalRowJson)
 * before it is called changed, so a difference in escaping could cost time, never a false answer.
 */
const json = (column: string): string => `coalesce(to_json(${column})::text, 'null')`;
const CANONICAL_HEAD_SQL =
  `'{"action":' || ${json('action')} || ',"actor":' || ${json('actor')} || ',"actorUnitCode":' || ${json('actor_unit_code')} || ` +
  `',"at":"' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '","data":'`;
const CANONICAL_TAIL_SQL =
  `',"eventId":' || ${json('event_id')} || ',"fromStage":' || ${json('from_stage')} || ',"reason":' || ${json('reason')} || ` +
  `',"requestId":' || ${json('request_id')} || ',"role":' || ${json('role')} || ',"seq":' || seq::text || ` +
  `',"subjectId":' || ${json('subject_id')} || ',"subjectType":' || ${json('subject_type')} || ',"toStage":' || ${json('to_stage')} || '}'`;

/** A row of the verifier's range query: seq, the text before and after `data`, data, prev_hash, hash. */
export type CanonicalRow = [seq: string, head: string, data: Record<string, unknown>, tail: string, prevHash: string, hash: string];

/** The verifier's columns of a row for the text Postgres builds (exported for the tests that hold it to canonicalRowJson). */
export const CANONICAL_ROW_COLUMNS = `seq, ${CANONICAL_HEAD_SQL} AS head, data, ${CANONICAL_TAIL_SQL} AS tail, prev_hash, hash`;

const RANGE_SQL = `SELECT ${CANONICAL_ROW_COLUMNS}
                     FROM audit_event WHERE seq >= $1 AND seq <= $2 ORDER BY seq`;
const OPEN_SQL = `SELECT ${CANONICAL_ROW_COLUMNS}
                    FROM audit_event WHERE seq >= $1 ORDER BY seq LIMIT $2`;
const ROW_SQL = `SELECT ${VERIFY_COLUMNS} FROM audit_event WHERE seq = $1`;

/**
 * Checks the events from seq `from` to `to` (Infinity: to the end) on one connection: every seq
 * present in order, each prev_hash equal to the hash of the event before it (the range's first one
 * is returned for the caller to link), each hash recomputed from the event's fields. The next batch
 * is asked for before the current one is hashed, so Postgres reads while this thread hashes.
 */
export async function checkAuditRange(
  client: Pick<Client, 'query'>,
  from: number,
  to: number,
  options: { batchSize?: number; onProgress?: (checked: number) => void } = {},
): Promise<RangeCheck> {
  const batchSize = options.batchSize ?? 5_000;
  const bounded = Number.isFinite(to);
  const fetch = (start: number): Promise<{ rows: CanonicalRow[] }> =>
    client.query({
      text: bounded ? RANGE_SQL : OPEN_SQL,
      values: bounded ? [start, Math.min(to, start + batchSize - 1)] : [start, batchSize],
      rowMode: 'array',
    }) as unknown as Promise<{ rows: CanonicalRow[] }>;
  /** The hash of a row whose text from Postgres did not give its stored hash, recomputed from its columns. */
  const hashFromColumns = async (seq: number): Promise<string> => {
    const { rows } = (await client.query({ text: ROW_SQL, values: [seq], rowMode: 'array', types: VERIFY_TYPES })) as unknown as {
      rows: AuditRowArray[];
    };
    return chainHash(rows[0][14], canonicalRowJson(rows[0]));
  };
  const result: RangeCheck = { from, checked: 0, firstPrevHash: null, lastHash: null };
  let expectedSeq = from;
  let prevHash: string | null = null;
  let pending = from <= to ? fetch(from) : null;
  while (pending) {
    const { rows } = await pending;
    pending = null;
    if (rows.length === 0) {
      // A bounded range ends at an event that exists: an empty batch before it is a gap.
      if (bounded && expectedSeq <= to) result.bad = { seq: expectedSeq, problem: `event ${expectedSeq} is missing` };
      break;
    }
    const next = Number(rows[rows.length - 1][0]) + 1;
    if (next <= to) pending = fetch(next);
    for (const row of rows) {
      const seq = Number(row[0]);
      if (seq !== expectedSeq) {
        result.bad = { seq: expectedSeq, problem: `event ${expectedSeq} is missing` };
        break;
      }
      if (prevHash === null) result.firstPrevHash = row[4];
      else if (row[4] !== prevHash) {
        result.bad = { seq, problem: 'prev_hash does not match the previous event' };
        break;
      }
      let hash = chainHash(row[4], row[1] + canonicalJson(row[2]) + row[3]);
      if (hash !== row[5]) hash = await hashFromColumns(seq);
      if (hash !== row[5]) {
        result.bad = { seq, problem: 'the event was changed after it was recorded' };
        break;
      }
      prevHash = hash;
      result.lastHash = hash;
      expectedSeq += 1;
      result.checked += 1;
    }
    if (result.bad) {
      await pending?.catch(() => undefined); // let the query in flight finish before the connection is reused
      break;
    }
    options.onProgress?.(result.checked);
  }
  return result;
}

/** The message a worker thread posts: its progress, then its result (or its failure). */
export type RangeWorkerMessage = { progress: number } | { result: RangeCheck } | { error: string };

/** What a worker thread is given: where to connect and which range to check. */
export interface RangeWorkerData {
  connection: ClientConfig;
  from: number;
  to: number;
  batchSize: number;
}

function checkRangeInThread(
  dataSource: DataSource,
  from: number,
  to: number,
  batchSize: number,
  onProgress: (n: number) => void,
): Promise<RangeCheck> {
  const workerData: RangeWorkerData = { connection: clientConfig(dataSource), from, to, batchSize };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SCRIPT, { workerData });
    let settled = false;
    worker.on('message', (m: RangeWorkerMessage) => {
      if ('progress' in m) onProgress(m.progress);
      else if ('result' in m) {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(new Error(`audit verification of events ${from}-${to} failed: ${m.error}`));
      }
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`audit verification of events ${from}-${to}: its thread exited with ${code}`));
    });
  });
}

/** The pg connection settings of a TypeORM data source, for a connection of the verifier's own. */
function clientConfig(dataSource: DataSource): ClientConfig {
  const o = dataSource.options as {
    url?: string;
    host?: string;
    port?: number;
    username?: string;
    password?: string;
    database?: string;
    ssl?: unknown;
  };
  const config: ClientConfig = {
    connectionString: o.url,
    host: o.host,
    port: o.port,
    user: o.username,
    database: o.database,
    connectionTimeoutMillis: 5_000,
  };
  if (typeof o.password === 'string') config.password = o.password;
  if (o.ssl !== undefined) config.ssl = o.ssl as ClientConfig['ssl'];
  for (const key of Object.keys(config) as (keyof ClientConfig)[]) if (config[key] === undefined) delete config[key];
  return config;
}
