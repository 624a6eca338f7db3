import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A unit's users by index (issue 7): each reminder looks up the officers of its unit, which was a
 * scan of every user, once per late unit in a sweep.
 */
export class UserUnitIndex1764700000000 implements MigrationInterface {
  name = 'UserUnitIndex1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX app_user_unit ON app_user (unit_code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX app_user_unit`);
  }
}
