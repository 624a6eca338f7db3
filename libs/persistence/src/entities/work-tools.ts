/**
 * The tables of the officers' work tools (migration 1764300000000): task assignments and plans,
 * and the files attached to a nomination's dossier.
 */
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const TASK_PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const ATTACHMENT_KINDS = ['PDF', 'DOCX', 'XLSX', 'JPEG', 'PNG'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** Who holds a task of the task list, and its plan. One row per task key. */
@Entity('task_assignment')
export class TaskAssignmentEntity {
  @PrimaryColumn('text', { name: 'task_key' }) taskKey!: string;
  @Column('text') action!: string;
  @Column('text', { name: 'subject_type' }) subjectType!: string;
  @Column('text', { name: 'subject_id' }) subjectId!: string;
  @Column('text', { name: 'unit_code', nullable: true }) unitCode!: string | null;
  @Column('text', { nullable: true }) assignee!: string | null;
  @Column('text', { name: 'assigned_by', nullable: true }) assignedBy!: string | null;
  @Column('timestamptz', { name: 'assigned_at', nullable: true }) assignedAt!: Date | null;
  @Column('text', { name: 'handover_note', nullable: true }) handoverNote!: string | null;
  /** A calendar date (YYYY-MM-DD), kept as text by the driver. */
  @Column('date', { name: 'due_date', nullable: true }) dueDate!: string | null;
  @Column('date', { name: 'follow_up_date', nullable: true }) followUpDate!: string | null;
  @Column('text') priority!: TaskPriority;
  @Column('text', { name: 'updated_by' }) updatedBy!: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** A file attached to a nomination's dossier; the bytes are in the content-addressed store. */
@Entity('nomination_attachment')
export class NominationAttachmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { name: 'nomination_id' }) nominationId!: string;
  @Column('text', { name: 'file_name' }) fileName!: string;
  @Column('text', { name: 'content_type' }) contentType!: string;
  @Column('text') kind!: AttachmentKind;
  @Column('bigint', { name: 'size_bytes', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) sizeBytes!: number;
  @Column('char', { length: 64 }) sha256!: string;
  @Column('text', { name: 'uploaded_by' }) uploadedBy!: string;
  @Column('timestamptz', { name: 'uploaded_at' }) uploadedAt!: Date;
  @Column('text', { name: 'audit_event_id' }) auditEventId!: string;
}
