import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The officers' work tools: who holds a task of the task list (claim, assign, hand over) and its
 * plan (due date, follow-up date, priority); and the files attached to a nomination's dossier.
 * Comments need no table of their own: each is an event of the audit chain (COMMENT_ADDED).
 */
export class WorkTools1764300000000 implements MigrationInterface {
  name = 'WorkTools1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per task key (e.g. REVIEW|2026:KV-TP-TW:STP-HN|STP-HN): the primary key is what
    // makes a claim race have exactly one winner (INSERT ... ON CONFLICT ... WHERE assignee IS NULL).
    await q.query(`
      CREATE TABLE task_assignment (
        task_key text PRIMARY KEY CHECK (char_length(task_key) BETWEEN 1 AND 300),
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        unit_code text,
        assignee text REFERENCES app_user(username),
        assigned_by text REFERENCES app_user(username),
        assigned_at timestamptz,
        handover_note text,
        due_date date,
        follow_up_date date,
        priority text NOT NULL DEFAULT 'NORMAL' CHECK (priority IN ('LOW', 'NORMAL', 'HIGH', 'URGENT')),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((assignee IS NULL) = (assigned_at IS NULL))
      )`);
    await q.query(`CREATE INDEX task_assignment_assignee ON task_assignment (assignee) WHERE assignee IS NOT NULL`);
    await q.query(`CREATE INDEX task_assignment_subject ON task_assignment (subject_id)`);
    // The bytes live in the content-addressed store (ATTACHMENT_DIR); the row and the audit event
    // that records the file's SHA-256 are written in one transaction.
    await q.query(`
      CREATE TABLE nomination_attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        nomination_id text NOT NULL REFERENCES nomination(id),
        file_name text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
        content_type text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('PDF', 'DOCX', 'XLSX', 'JPEG', 'PNG')),
        size_bytes bigint NOT NULL CHECK (size_bytes > 0),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        uploaded_by text NOT NULL REFERENCES app_user(username),
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        -- No foreign key to audit_event: the chain's own guards (append-only triggers, a TRUNCATE
        -- refused as such) must stay the first thing a change of audit_event meets.
        audit_event_id text NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX nomination_attachment_nomination ON nomination_attachment (nomination_id, uploaded_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS nomination_attachment`);
    await q.query(`DROP TABLE IF EXISTS task_assignment`);
  }
}
