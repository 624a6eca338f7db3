import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for reads that grew with the number of nominations (issue 7):
 * - a campaign's nominations (the API waits for them after a start, a closed vote, and the
 *   campaign status counts them): was a scan of every nomination;
 * - the list of a year's nominations, ordered by id and paged: was a sort of the whole year.
 */
export class ReadIndexes1764500000000 implements MigrationInterface {
  name = 'ReadIndexes1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX nomination_campaign ON nomination (campaign_id, stage)`);
    await q.query(`CREATE INDEX nomination_year_id ON nomination (year, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX nomination_year_id`);
    await q.query(`DROP INDEX nomination_campaign`);
  }
}
