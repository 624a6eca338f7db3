/**
 * The award registry (hồ sơ thành tích đơn vị): every title a unit received, by year, with the
 * decision's number, date and issuing body. Awards decided in tdkt-flow are entered by the
 * recordDecision activity, in the same transaction as the decision; older ones are imported from a
 * spreadsheet (registry-import.ts). An award is stored under the code of the unit that received it.
 *
 * Units renamed or merged (2025 reform) keep their history: unit_alias points an old code to the
 * unit that carries on (its successor), and lookups follow it (see UnitGraph.lookupCodes):
 *   - by a unit's current code: its own awards and those of every unit renamed or merged into it;
 *   - by an old code: that unit's own awards (and those of its own predecessors) plus the awards of
 *     the units it became, but never those of another unit merged into the same successor.
 * Each award is shown under the current code and name of the unit it belongs to today, with the
 * code and name it was awarded under (`awardedAs`).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { DecisionEvent, NominationView } from '@tdkt/contracts';
import { TITLE_NAMES_VI, toVietnamDate, type Actor, type Title } from '@tdkt/domain';
import { appendAuditEvents } from './audit-chain';

type Queryable = Pick<EntityManager, 'query'>;

/**
 * The titles the registry knows (danh mục danh hiệu, hình thức khen thưởng): the two flags
 * tdkt-flow decides and the other forms a unit's record holds. A spreadsheet's title must be one
 * of these, by code or by its Vietnamese name (or a listed variant); anything else is refused, so a
 * typo never enters the registry where it would silently not count for the prior-title rules.
 */
export const REGISTRY_TITLES: Record<string, { name: string; variants?: string[] }> = {
  MINISTRY_FLAG: { name: TITLE_NAMES_VI.MINISTRY_FLAG, variants: ['Cờ thi đua của Bộ Tư pháp', 'Cờ thi đua Bộ Tư pháp'] },
  GOVERNMENT_FLAG: { name: TITLE_NAMES_VI.GOVERNMENT_FLAG, variants: ['Cờ thi đua Chính phủ'] },
  MINISTER_CERTIFICATE: { name: 'Bằng khen của Bộ trưởng Bộ Tư pháp', variants: ['Bằng khen của Bộ trưởng', 'Bằng khen Bộ Tư pháp'] },
  PRIME_MINISTER_CERTIFICATE: { name: 'Bằng khen của Thủ tướng Chính phủ', variants: ['Bằng khen Thủ tướng Chính phủ'] },
  EXCELLENT_LABOUR_COLLECTIVE: { name: 'Tập thể lao động xuất sắc' },
  ADVANCED_LABOUR_COLLECTIVE: { name: 'Tập thể lao động tiên tiến' },
  LABOUR_ORDER_THIRD: { name: 'Huân chương Lao động hạng Ba' },
  LABOUR_ORDER_SECOND: { name: 'Huân chương Lao động hạng Nhì' },
  LABOUR_ORDER_FIRST: { name: 'Huân chương Lao động hạng Nhất' },
};

/** The Vietnamese name of every title code of the registry. */
export const TITLE_NAMES: Record<string, string> = Object.fromEntries(Object.entries(REGISTRY_TITLES).map(([code, t]) => [code, t.name]));

/** Text compared as people write it: Unicode NFC, case and runs of whitespace ignored. */
export function textKey(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();
}

const TITLE_BY_KEY = new Map<string, string>(
  Object.entries(REGISTRY_TITLES).flatMap(([code, t]) => [code, t.name, ...(t.variants ?? [])].map((text) => [textKey(text), code] as [string, string])),
);

/** The registry's code of a title written as its code or its Vietnamese name; null when unknown. */
export function titleCode(text: string): string | null {
  return TITLE_BY_KEY.get(textKey(text)) ?? null;
}

/**
 * A decision number as compared: "187/QĐ-TTg", "187/qđ-ttg" and "187 / QĐ-TTg" are one number.
 * DECISION_KEY_SQL is the same in SQL (indexed by migration 1764600000000).
 */
export function decisionKey(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, '').replace(/đ/g, 'Đ').toUpperCase();
}
export const DECISION_KEY_SQL = (column: string) => `upper(translate(regexp_replace(normalize(${column}, NFC), '\\s+', '', 'g'), 'đ', 'Đ'))`;

/**
 * One lock for the registry's writers that check before they write (imports, successions), so
 * two of them never both pass their checks and then collide (pg_advisory_xact_lock, released at
 * commit). The audit chain's lock, when also taken, is always taken first.
 */
export const REGISTRY_LOCK = 0x7464_6b72; // "tdkr"

export interface AwardRevocation {
  at: string;
  reason: string;
  by: string | null;
  decisionNumber: string | null;
  decisionDate: string | null;
}

export interface AwardRow {
  id: number;
  /** The unit's code today (after any rename or merger). */
  unitCode: string;
  /** The unit's name today. */
  unitName: string;
  /** The unit as it was when it received the award (its code and name then). */
  awardedAs: { unitCode: string; unitName: string };
  title: string;
  titleName: string;
  year: number;
  decisionNumber: string;
  decisionDate: string | null;
  issuingBody: string;
  source: 'TDKT_FLOW' | 'IMPORT';
  nominationId: string | null;
  revoked: AwardRevocation | null;
}

/** Keeps the registry in step with a nomination's snapshot: awarded titles in, revocations marked. */
export async function syncAwardsOf(tx: EntityManager, v: NominationView): Promise<void> {
  for (const [title, status] of Object.entries(v.titles) as [Title, string][]) {
    if (status === 'AWARDED') {
      const government = title === 'GOVERNMENT_FLAG';
      const decisionNumber = government ? v.governmentDecision?.decisionNumber : v.council ? `Hội đồng TĐKT phiên ${v.council.sessionId}` : undefined;
      if (!decisionNumber) continue;
      await tx.query(
        `INSERT INTO award (unit_code, title, year, decision_number, decision_date, issuing_body, source, nomination_id)
         VALUES ($1,$2,$3,$4,$5,$6,'TDKT_FLOW',$7) ON CONFLICT (unit_code, title, year) DO NOTHING`,
        [
          v.unitCode,
          title,
          v.year,
          decisionNumber,
          government ? v.governmentDecision!.decisionDate : toVietnamDate(new Date(v.updatedAt)),
          government ? 'Thủ tướng Chính phủ' : 'Bộ trưởng Bộ Tư pháp',
          v.id,
        ],
      );
    } else if (status === 'REVOKED') {
      const revocation = [...(v.revocations ?? [])].reverse().find((r) => r.title === title);
      await tx.query(
        `UPDATE award SET revoked_at = $4, revoked_reason = $5, revoked_by = $6, revocation_decision_number = $7, revocation_decision_date = $8
          WHERE unit_code = $1 AND title = $2 AND year = $3 AND revoked_at IS NULL`,
        [
          v.unitCode,
          title,
          v.year,
          revocation?.at ?? v.updatedAt,
          revocation ? `${revocation.reason} (${revocation.decisionNumber})` : 'thu hồi',
          revocation?.by ?? null,
          revocation?.decisionNumber ?? null,
          revocation?.decisionDate ?? null,
        ],
      );
    }
  }
}

/** A unit that carries on another one (unit_alias). */
export interface Succession {
  oldCode: string;
  newCode: string;
  reason: 'RENAMED' | 'MERGED';
  effectiveDate: string;
}

/** The units and their successions, read once (both tables are small), for lookups and checks. */
export class UnitGraph {
  private readonly predecessors = new Map<string, Succession[]>();
  private readonly byName = new Map<string, string[]>();

  constructor(
    readonly units: Map<string, string>,
    readonly successors: Map<string, Succession>,
  ) {
    for (const s of successors.values()) this.predecessors.set(s.newCode, [...(this.predecessors.get(s.newCode) ?? []), s]);
    for (const [code, name] of units) this.byName.set(textKey(name), [...(this.byName.get(textKey(name)) ?? []), code]);
  }

  static async load(tx: Queryable): Promise<UnitGraph> {
    const units: { code: string; name: string }[] = await tx.query('SELECT code, name FROM unit');
    const aliases: { old_code: string; new_code: string; reason: Succession['reason']; effective_date: string }[] = await tx.query(
      "SELECT old_code, new_code, reason, to_char(effective_date, 'YYYY-MM-DD') AS effective_date FROM unit_alias",
    );
    return new UnitGraph(
      new Map(units.map((u) => [u.code, u.name])),
      new Map(aliases.map((a) => [a.old_code, { oldCode: a.old_code, newCode: a.new_code, reason: a.reason, effectiveDate: a.effective_date }])),
    );
  }

  /** Whether the code is a unit's (current or former). */
  has(code: string): boolean {
    return this.units.has(code) || this.successors.has(code);
  }

  /** A unit written by its code (any case) or by its exact name; an ambiguous name gives every match. */
  resolve(text: string): string[] {
    const code = text.trim().toUpperCase();
    if (this.has(code)) return [code];
    return this.byName.get(textKey(text)) ?? [];
  }

  nameOf(code: string): string {
    return this.units.get(code) ?? code;
  }

  /** The codes from this one to the unit that carries it on today (itself first, today's last). */
  pathToCurrent(code: string): string[] {
    const path = [code];
    for (let s = this.successors.get(code); s && !path.includes(s.newCode); s = this.successors.get(s.newCode)) path.push(s.newCode);
    return path;
  }

  /** The code of the unit that carries this one on today. */
  currentOf(code: string): string {
    return this.pathToCurrent(code).at(-1)!;
  }

  /** This code and every code renamed or merged into it, at any depth. */
  history(code: string, only?: Succession['reason']): string[] {
    const out = [code];
    for (let i = 0; i < out.length; i++) {
      for (const p of this.predecessors.get(out[i]) ?? []) if ((!only || p.reason === only) && !out.includes(p.oldCode)) out.push(p.oldCode);
    }
    return out;
  }

  /**
   * The codes a lookup by this code covers: the unit's own history (everything renamed or merged
   * into it) and the units it became, but not the other units merged into those.
   */
  lookupCodes(code: string): string[] {
    return [...new Set([...this.history(code), ...this.pathToCurrent(code)])];
  }

  /**
   * The codes of the same unit under another name: linked by renames only, in either direction.
   * A merger joins two units, each with its own record, so awards across it are not duplicates.
   */
  sameUnit(code: string): string[] {
    const seen = [code];
    for (let s = this.successors.get(code); s?.reason === 'RENAMED' && !seen.includes(s.newCode); s = this.successors.get(s.newCode)) seen.push(s.newCode);
    return this.history(seen.at(-1)!, 'RENAMED');
  }

  /** A key equal for every code of the same unit (see sameUnit). */
  unitKey(code: string): string {
    return [...this.sameUnit(code)].sort()[0];
  }
}

export interface AwardQuery {
  unitCode?: string;
  /** A title code or its Vietnamese name. */
  title?: string;
  year?: number;
  decisionNumber?: string;
  page?: number;
  pageSize?: number;
}

function awardRow(r: Record<string, unknown>, graph: UnitGraph): AwardRow {
  const code = r.unit_code as string;
  const current = graph.currentOf(code);
  return {
    id: Number(r.id),
    unitCode: current,
    unitName: graph.nameOf(current),
    awardedAs: { unitCode: code, unitName: graph.nameOf(code) },
    title: r.title as string,
    titleName: TITLE_NAMES[r.title as string] ?? (r.title as string),
    year: r.year as number,
    decisionNumber: r.decision_number as string,
    decisionDate: (r.decision_day as string | null) ?? null,
    issuingBody: r.issuing_body as string,
    source: r.source as AwardRow['source'],
    nominationId: (r.nomination_id as string) ?? null,
    revoked: r.revoked_at
      ? {
          at: new Date(r.revoked_at as Date).toISOString(),
          reason: r.revoked_reason as string,
          by: (r.revoked_by as string | null) ?? null,
          decisionNumber: (r.revocation_decision_number as string | null) ?? null,
          decisionDate: (r.revocation_day as string | null) ?? null,
        }
      : null,
  };
}

const AWARD_COLUMNS = `a.*, to_char(a.decision_date, 'YYYY-MM-DD') AS decision_day, to_char(a.revocation_decision_date, 'YYYY-MM-DD') AS revocation_day`;

export async function findAwards(tx: Queryable, q: AwardQuery): Promise<{ items: AwardRow[]; total: number }> {
  const graph = await UnitGraph.load(tx);
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.unitCode) {
    params.push(graph.lookupCodes(q.unitCode));
    where.push(`a.unit_code = ANY($${params.length})`);
  }
  if (q.title) {
    params.push(titleCode(q.title) ?? q.title);
    where.push(`a.title = $${params.length}`);
  }
  if (q.year) {
    params.push(q.year);
    where.push(`a.year = $${params.length}`);
  }
  if (q.decisionNumber) {
    params.push(decisionKey(q.decisionNumber));
    where.push(`${DECISION_KEY_SQL('a.decision_number')} = $${params.length}`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [{ total }] = await tx.query(`SELECT count(*)::int AS total FROM award a ${clause}`, params);
  const pageSize = q.pageSize ?? 50;
  params.push(pageSize, ((q.page ?? 1) - 1) * pageSize);
  const rows = await tx.query(
    `SELECT ${AWARD_COLUMNS} FROM award a ${clause} ORDER BY a.year DESC, a.unit_code, a.title, a.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { total, items: rows.map((r: Record<string, unknown>) => awardRow(r, graph)) };
}

/** One award by its id, as a lookup shows it; null when there is none. */
export async function findAward(tx: Queryable, id: number): Promise<AwardRow | null> {
  const [row] = await tx.query(`SELECT ${AWARD_COLUMNS} FROM award a WHERE a.id = $1`, [id]);
  return row ? awardRow(row, await UnitGraph.load(tx)) : null;
}

/**
 * Awards (not revoked) of the given titles and years, per unit code asked for, found as a lookup
 * by that code finds them (UnitGraph.lookupCodes: a current code covers every unit renamed or
 * merged into it). Read by the campaign workflow (through an activity) for the rule set's
 * prior-title requirements; each award comes under the code it was recorded with.
 */
export async function findPriorAwards(
  tx: Queryable,
  q: { unitCodes: string[]; titles: string[]; fromYear: number; toYear: number },
): Promise<Record<string, { unitCode: string; title: string; year: number; decisionNumber: string }[]>> {
  const graph = await UnitGraph.load(tx);
  const out: Record<string, { unitCode: string; title: string; year: number; decisionNumber: string }[]> = {};
  for (const unit of [...new Set(q.unitCodes)]) {
    const rows: { unit_code: string; title: string; year: number; decision_number: string }[] = await tx.query(
      `SELECT unit_code, title, year, decision_number FROM award
        WHERE unit_code = ANY($1) AND title = ANY($2) AND year BETWEEN $3 AND $4 AND revoked_at IS NULL
        ORDER BY year, title, unit_code`,
      [graph.lookupCodes(unit), q.titles, q.fromYear, q.toYear],
    );
    out[unit] = rows.map((r) => ({ unitCode: r.unit_code, title: r.title, year: r.year, decisionNumber: r.decision_number }));
  }
  return out;
}

export interface RevokeAwardInput {
  reason: string;
  decisionNumber: string;
  decisionDate: string;
  requestId?: string | null;
}

export type RevokeAwardResult =
  | { outcome: 'REVOKED'; award: AwardRow; seq: number }
  | { outcome: 'NOT_FOUND'; message: string }
  | { outcome: 'CONFLICT'; message: string }
  | { outcome: 'INVALID'; field: string; message: string };

/**
 * Revokes an imported award (thu hồi khen thưởng): the reason and the revoking decision are kept
 * on the award, which stays in the registry shown as revoked and no longer counts for prior-title
 * rules, and an AWARD_REVOKED event (subject AWARD) goes into the audit chain in the same
 * transaction. An award decided in tdkt-flow is revoked through its nomination instead
 * (POST /nominations/:id/revocations), so that the nomination and its workflow say the same.
 */
export async function revokeAward(dataSource: DataSource, id: number, input: RevokeAwardInput, actor: Actor & { role: string | null }): Promise<RevokeAwardResult> {
  return dataSource.transaction(async (tx) => {
    // The award's row first, the chain's lock last (appendAuditEvents below), as in every writer
    // of the chain: whoever holds the lock never waits for a row.
    const [row] = await tx.query(`SELECT ${AWARD_COLUMNS} FROM award a WHERE a.id = $1 FOR UPDATE`, [id]);
    if (!row) return { outcome: 'NOT_FOUND', message: `award ${id} not found` };
    if (row.revoked_at) return { outcome: 'CONFLICT', message: `award ${id} was already revoked on ${new Date(row.revoked_at).toISOString()}: ${row.revoked_reason}` };
    if (row.source === 'TDKT_FLOW') {
      return { outcome: 'CONFLICT', message: `award ${id} was decided in tdkt-flow: revoke it through its nomination (POST /nominations/${row.nomination_id}/revocations)` };
    }
    if (row.decision_day && input.decisionDate < row.decision_day) {
      return { outcome: 'INVALID', field: 'decisionDate', message: `decisionDate ${input.decisionDate} is before the award's decision of ${row.decision_day}` };
    }
    const at = new Date().toISOString();
    const reason = `${input.reason} (${input.decisionNumber})`;
    await tx.query(
      `UPDATE award SET revoked_at = $2, revoked_reason = $3, revoked_by = $4, revocation_decision_number = $5, revocation_decision_date = $6 WHERE id = $1`,
      [id, at, reason, actor.username, input.decisionNumber, input.decisionDate],
    );
    const event: DecisionEvent = {
      eventId: `award:${id}#revoked`,
      at,
      actor: actor.username,
      role: actor.role,
      actorUnitCode: actor.unitCode ?? null,
      action: 'AWARD_REVOKED',
      subjectType: 'AWARD',
      subjectId: String(id),
      fromStage: null,
      toStage: null,
      reason: input.reason,
      requestId: input.requestId ?? null,
      data: {
        awardId: id,
        unitCode: row.unit_code,
        title: row.title,
        year: row.year,
        awardDecisionNumber: row.decision_number,
        source: row.source,
        decisionNumber: input.decisionNumber,
        decisionDate: input.decisionDate,
      },
    };
    const [appended] = await appendAuditEvents(tx, [event]);
    const [updated] = await tx.query(`SELECT ${AWARD_COLUMNS} FROM award a WHERE a.id = $1`, [id]);
    return { outcome: 'REVOKED', award: awardRow(updated, await UnitGraph.load(tx)), seq: appended.seq };
  });
}

export type SuccessionResult = { outcome: 'RECORDED'; succession: Succession } | { outcome: 'NOT_FOUND' | 'CONFLICT' | 'INVALID'; message: string };

/**
 * Records that a unit was renamed or merged into another (its successor). Refused: an unknown
 * unit or successor, the unit itself, a unit that already has a successor, and a succession that
 * would lead back to the unit (A → B after B → A: a cycle would make "today's unit" undefined).
 */
export async function recordSuccession(dataSource: DataSource, s: Succession): Promise<SuccessionResult> {
  return dataSource.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_LOCK]);
    const graph = await UnitGraph.load(tx);
    if (!graph.units.has(s.oldCode)) return { outcome: 'NOT_FOUND', message: `unit ${s.oldCode} not found` };
    if (!graph.units.has(s.newCode)) return { outcome: 'NOT_FOUND', message: `successorCode: unit ${s.newCode} not found` };
    if (s.oldCode === s.newCode) return { outcome: 'INVALID', message: 'successorCode must be another unit' };
    const existing = graph.successors.get(s.oldCode);
    if (existing) return { outcome: 'CONFLICT', message: `unit ${s.oldCode} already has a successor: ${existing.newCode} (${existing.reason}, ${existing.effectiveDate})` };
    const path = graph.pathToCurrent(s.newCode);
    if (path.includes(s.oldCode)) {
      return { outcome: 'CONFLICT', message: `successorCode: ${s.newCode} already carries on as ${path.join(' → ')}; ${s.oldCode} → ${s.newCode} would be a cycle` };
    }
    await tx.query('INSERT INTO unit_alias (old_code, new_code, reason, effective_date) VALUES ($1,$2,$3,$4)', [s.oldCode, s.newCode, s.reason, s.effectiveDate]);
    return { outcome: 'RECORDED', succession: s };
  });
}
