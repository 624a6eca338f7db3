/**
 * The award registry (hồ sơ thành tích đơn vị): every title a unit received, by year, with the
 * decision's number, date and issuing body. Awards decided in tdkt-flow are entered by the
 * recordDecision activity, in the same transaction as the decision; older ones are imported from a
 * spreadsheet (registry-import.ts). Units renamed or merged keep their history: an alias points
 * an old code to the new one, and lookups by either code find it.
 */
import type { EntityManager } from 'typeorm';
import type { NominationView } from '@tdkt/contracts';
import { toVietnamDate, type Title } from '@tdkt/domain';

/** Vietnamese names of the titles tdkt-flow decides (other titles are kept as written). */
export const TITLE_NAMES: Record<Title, string> = {
  MINISTRY_FLAG: 'Cờ thi đua ngành Tư pháp',
  GOVERNMENT_FLAG: 'Cờ thi đua của Chính phủ',
};

export interface AwardRow {
  id: number;
  unitCode: string;
  unitName: string;
  title: string;
  titleName: string;
  year: number;
  decisionNumber: string;
  decisionDate: string | null;
  issuingBody: string;
  source: 'TDKT_FLOW' | 'IMPORT';
  nominationId: string | null;
  revoked: { at: string; reason: string } | null;
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
        'UPDATE award SET revoked_at = $4, revoked_reason = $5 WHERE unit_code = $1 AND title = $2 AND year = $3 AND revoked_at IS NULL',
        [v.unitCode, title, v.year, revocation?.at ?? v.updatedAt, revocation ? `${revocation.reason} (${revocation.decisionNumber})` : 'thu hồi'],
      );
    }
  }
}

/** The current code of a unit: itself, or where a rename or merger took it (followed to the end). */
export async function currentUnitCode(tx: Pick<EntityManager, 'query'>, code: string): Promise<string> {
  let current = code;
  for (let i = 0; i < 10; i++) {
    const [alias] = await tx.query('SELECT new_code FROM unit_alias WHERE old_code = $1', [current]);
    if (!alias) return current;
    current = alias.new_code;
  }
  return current;
}

/** Every code a unit has had (its own and those that were renamed or merged into it). */
export async function codesOf(tx: Pick<EntityManager, 'query'>, code: string): Promise<string[]> {
  const rows: { code: string }[] = await tx.query(
    `WITH RECURSIVE history(code) AS (SELECT $1::text UNION SELECT a.old_code FROM unit_alias a JOIN history h ON a.new_code = h.code)
     SELECT code FROM history`,
    [code],
  );
  return rows.map((r) => r.code);
}

export interface AwardQuery {
  unitCode?: string;
  title?: string;
  year?: number;
  decisionNumber?: string;
  page?: number;
  pageSize?: number;
}

export async function findAwards(tx: Pick<EntityManager, 'query'>, q: AwardQuery): Promise<{ items: AwardRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.unitCode) {
    // A unit found under any of its codes, old or new.
    const codes = await codesOf(tx, await currentUnitCode(tx, q.unitCode));
    params.push(codes);
    where.push(`a.unit_code = ANY($${params.length})`);
  }
  if (q.title) {
    const code = (Object.entries(TITLE_NAMES).find(([, name]) => name === q.title)?.[0] ?? q.title) as string;
    params.push(code);
    where.push(`a.title = $${params.length}`);
  }
  if (q.year) {
    params.push(q.year);
    where.push(`a.year = $${params.length}`);
  }
  if (q.decisionNumber) {
    params.push(q.decisionNumber);
    where.push(`a.decision_number = $${params.length}`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [{ total }] = await tx.query(`SELECT count(*)::int AS total FROM award a ${clause}`, params);
  const pageSize = q.pageSize ?? 50;
  params.push(pageSize, ((q.page ?? 1) - 1) * pageSize);
  const rows = await tx.query(
    `SELECT a.*, to_char(a.decision_date, 'YYYY-MM-DD') AS decision_day, COALESCE(u.name, a.unit_code) AS unit_name FROM award a LEFT JOIN unit u ON u.code = a.unit_code ${clause}
      ORDER BY a.year DESC, a.unit_code, a.title LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return {
    total,
    items: rows.map(
      (r: Record<string, unknown>): AwardRow => ({
        id: Number(r.id),
        unitCode: r.unit_code as string,
        unitName: r.unit_name as string,
        title: r.title as string,
        titleName: TITLE_NAMES[r.title as Title] ?? (r.title as string),
        year: r.year as number,
        decisionNumber: r.decision_number as string,
        decisionDate: (r.decision_day as string | null) ?? null,
        issuingBody: r.issuing_body as string,
        source: r.source as AwardRow['source'],
        nominationId: (r.nomination_id as string) ?? null,
        revoked: r.revoked_at ? { at: (r.revoked_at as Date).toISOString(), reason: r.revoked_reason as string } : null,
      }),
    ),
  };
}

/**
 * Awards (not revoked) of the given titles and years, per unit code asked for: each unit is found
 * under its current code and every former code (renamed or merged units keep their history).
 * Read by the campaign workflow (through an activity) for the rule set's prior-title requirements.
 */
export async function findPriorAwards(
  tx: Pick<EntityManager, 'query'>,
  q: { unitCodes: string[]; titles: string[]; fromYear: number; toYear: number },
): Promise<Record<string, { unitCode: string; title: string; year: number; decisionNumber: string }[]>> {
  const out: Record<string, { unitCode: string; title: string; year: number; decisionNumber: string }[]> = {};
  for (const unit of [...new Set(q.unitCodes)]) {
    const codes = await codesOf(tx, await currentUnitCode(tx, unit));
    const rows: { unit_code: string; title: string; year: number; decision_number: string }[] = await tx.query(
      `SELECT unit_code, title, year, decision_number FROM award
        WHERE unit_code = ANY($1) AND title = ANY($2) AND year BETWEEN $3 AND $4 AND revoked_at IS NULL
        ORDER BY year, title, unit_code`,
      [codes, q.titles, q.fromYear, q.toYear],
    );
    out[unit] = rows.map((r) => ({ unitCode: r.unit_code, title: r.title, year: r.year, decisionNumber: r.decision_number }));
  }
  return out;
}
