import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: organisation, read model, secret-ballot tables, the audit chain (append-only:
 * triggers refuse UPDATE, DELETE and TRUNCATE, and the application role loses those privileges)
 * and the idempotency records of the API.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE unit (
        code text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        parent_code text REFERENCES unit(code),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        full_name text NOT NULL,
        roles text[] NOT NULL,
        unit_code text REFERENCES unit(code),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE campaign (
        id text PRIMARY KEY,
        year int NOT NULL,
        cluster_code text NOT NULL,
        cluster_name text NOT NULL,
        head_unit_code text NOT NULL,
        deputy_unit_code text,
        member_unit_codes text[] NOT NULL,
        phase text NOT NULL,
        registration_deadline timestamptz NOT NULL,
        view jsonb NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX campaign_year_cluster ON campaign (year, cluster_code)`);
    await q.query(`CREATE INDEX campaign_members ON campaign USING gin (member_unit_codes)`);
    await q.query(`
      CREATE TABLE nomination (
        id text PRIMARY KEY,
        campaign_id text NOT NULL,
        year int NOT NULL,
        cluster_code text NOT NULL,
        unit_code text NOT NULL,
        stage text NOT NULL,
        titles jsonb NOT NULL,
        view jsonb NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX nomination_year_cluster_stage ON nomination (year, cluster_code, stage)`);
    await q.query(`CREATE INDEX nomination_unit ON nomination (unit_code, year)`);
    await q.query(`CREATE INDEX nomination_stage ON nomination (stage)`);
    await q.query(`
      CREATE TABLE council_session (
        id text PRIMARY KEY,
        year int NOT NULL,
        status text NOT NULL,
        view jsonb NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE ballot_cast (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id text NOT NULL,
        round int NOT NULL,
        voter_unit_code text NOT NULL,
        UNIQUE (campaign_id, round, voter_unit_code)
      )`);
    await q.query(`
      CREATE TABLE ballot_box (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id text NOT NULL,
        round int NOT NULL,
        receipt_hash text NOT NULL UNIQUE,
        choices jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX ballot_box_campaign ON ballot_box (campaign_id, round)`);
    await q.query(`
      CREATE TABLE audit_event (
        seq bigint PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        role text,
        actor_unit_code text,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        from_stage text,
        to_stage text,
        reason text,
        request_id text,
        data jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_event_subject ON audit_event (subject_id, seq)`);
    await q.query(`CREATE INDEX audit_event_actor ON audit_event (actor, at)`);
    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC`);
    await q.query(`
      CREATE TABLE idempotency_record (
        key text PRIMARY KEY,
        method text NOT NULL,
        path text NOT NULL,
        body_hash text NOT NULL,
        state text NOT NULL,
        response_status int,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['idempotency_record', 'audit_event', 'ballot_box', 'ballot_cast', 'council_session', 'nomination', 'campaign', 'app_user', 'unit']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS audit_event_append_only()`);
  }
}
