import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The award registry (hồ sơ thành tích): every title a unit received, decided in tdkt-flow or
 * imported from older records; and unit aliases, so a unit renamed or merged in the 2025 reform
 * keeps its history under its new code and is still found under the old one.
 */
export class AwardRegistry1764200000000 implements MigrationInterface {
  name = 'AwardRegistry1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE award (
        id bigserial PRIMARY KEY,
        -- No foreign key: recording a decision must never fail on the registry.
        unit_code text NOT NULL,
        title text NOT NULL,
        year int NOT NULL,
        decision_number text NOT NULL,
        decision_date date,
        issuing_body text NOT NULL,
        source text NOT NULL,
        nomination_id text,
        import_batch text,
        revoked_at timestamptz,
        revoked_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (unit_code, title, year)
      )`);
    await q.query(`CREATE INDEX award_lookup ON award (title, year)`);
    await q.query(`CREATE INDEX award_decision ON award (decision_number)`);
    await q.query(`
      CREATE TABLE unit_alias (
        old_code text PRIMARY KEY,
        new_code text NOT NULL REFERENCES unit(code),
        reason text NOT NULL,
        effective_date date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS unit_alias`);
    await q.query(`DROP TABLE IF EXISTS award`);
  }
}
