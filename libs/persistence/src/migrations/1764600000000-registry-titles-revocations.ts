import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The award registry, second step: imported awards can be revoked (who revoked, by which
 * decision), decision numbers are looked up and compared as written by people ("187/qđ-ttg" is
 * "187/QĐ-TTg": an expression index on the same key as registry.ts DECISION_KEY_SQL), and titles
 * imported as free text before the registry had a closed list of titles get their code when the
 * text is one of the list's names (the list as it was at this migration, copied here so the
 * migration never changes). A text that is not on the list is left as it is.
 */
const TITLE_CODES: Record<string, string> = {
  'cờ thi đua ngành tư pháp': 'MINISTRY_FLAG',
  'cờ thi đua của bộ tư pháp': 'MINISTRY_FLAG',
  'cờ thi đua bộ tư pháp': 'MINISTRY_FLAG',
  'cờ thi đua của chính phủ': 'GOVERNMENT_FLAG',
  'cờ thi đua chính phủ': 'GOVERNMENT_FLAG',
  'bằng khen của bộ trưởng bộ tư pháp': 'MINISTER_CERTIFICATE',
  'bằng khen của bộ trưởng': 'MINISTER_CERTIFICATE',
  'bằng khen bộ tư pháp': 'MINISTER_CERTIFICATE',
  'bằng khen của thủ tướng chính phủ': 'PRIME_MINISTER_CERTIFICATE',
  'bằng khen thủ tướng chính phủ': 'PRIME_MINISTER_CERTIFICATE',
  'tập thể lao động xuất sắc': 'EXCELLENT_LABOUR_COLLECTIVE',
  'tập thể lao động tiên tiến': 'ADVANCED_LABOUR_COLLECTIVE',
  'huân chương lao động hạng ba': 'LABOUR_ORDER_THIRD',
  'huân chương lao động hạng nhì': 'LABOUR_ORDER_SECOND',
  'huân chương lao động hạng nhất': 'LABOUR_ORDER_FIRST',
};

export class RegistryTitlesRevocations1764600000000 implements MigrationInterface {
  name = 'RegistryTitlesRevocations1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE award
        ADD COLUMN revoked_by text,
        ADD COLUMN revocation_decision_number text,
        ADD COLUMN revocation_decision_date date`);
    await q.query(`CREATE INDEX award_decision_key ON award ((upper(translate(regexp_replace(normalize(decision_number, NFC), '\\s+', '', 'g'), 'đ', 'Đ'))))`);
    const titles: { title: string }[] = await q.query('SELECT DISTINCT title FROM award');
    for (const { title } of titles) {
      const code = TITLE_CODES[title.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim()];
      if (!code || code === title) continue;
      // Not where the unit already has that title for the year under its code (UNIQUE).
      await q.query(
        `UPDATE award a SET title = $2 WHERE a.title = $1
           AND NOT EXISTS (SELECT 1 FROM award b WHERE b.unit_code = a.unit_code AND b.title = $2 AND b.year = a.year)`,
        [title, code],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS award_decision_key');
    await q.query('ALTER TABLE award DROP COLUMN IF EXISTS revocation_decision_date, DROP COLUMN IF EXISTS revocation_decision_number, DROP COLUMN IF EXISTS revoked_by');
  }
}
