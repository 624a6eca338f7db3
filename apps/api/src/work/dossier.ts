/**
 * Comments on a nomination and attachments to its dossier. Both are kept in the nomination's
 * history as events of the append-only, SHA-256-chained audit trail (COMMENT_ADDED,
 * ATTACHMENT_ADDED; not a stage change, so fromStage = toStage). The bytes of an attachment live
 * in the content-addressed store (ATTACHMENT_DIR); its metadata row and the event recording its
 * name, size, type and SHA-256 are written in one transaction. A download recomputes the SHA-256
 * of the stored bytes and refuses (409) when it differs from the one the audit chain recorded.
 *
 * Who: comments, any signed-in user who can see the nomination (scope.ts) except auditors, who
 * read only; attachments, the officers and leader of the nomination's unit (or of its member unit,
 * for a sub-unit) and the Department's reviewers, while the nomination is not closed. Everyone
 * who can see the nomination can read both.
 */
import {
  BadRequestException,
  CanActivate,
  ConflictException,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DecisionAction } from '@tdkt/contracts';
import { isFinalStage, type Actor, type Role } from '@tdkt/domain';
import { appendAuditEvent, auditEventIntact, CampaignEntity, NominationEntity, type AttachmentKind, type AuditEventColumns, type StoredAuditEvent } from '@tdkt/persistence';
import type { AuthedRequest } from '../common/auth';
import { actingUnits, canSeeNomination, isStaff } from '../common/scope';
import { API_CONFIG, DATA_SOURCE } from '../common/tokens';
import { UploadReader } from '../common/upload';
import type { ApiConfig } from '../config';
import { AttachmentStore, sha256Hex } from './attachment-store';
import { cleanFileName, detectFileType, extensionOf, FILE_TYPES, UNDECLARED_TYPES } from './file-types';
import type { AttachmentItem, CommentItem } from './dto';

/** The roles that may comment (auditors read only), in the order the event names the role acted in. */
export const COMMENT_ROLES: Role[] = ['DEPARTMENT_REVIEWER', 'COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'CLUSTER_HEAD', 'UNIT_LEADER', 'UNIT_OFFICER', 'ADMIN'];
/** The roles that may attach files to a dossier. */
export const ATTACHMENT_ROLES: Role[] = ['DEPARTMENT_REVIEWER', 'UNIT_OFFICER', 'UNIT_LEADER'];

/** A file as multer gives it (memory storage). */
export interface UploadedAttachment {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

interface AttachmentRow {
  id: string;
  nomination_id: string;
  file_name: string;
  content_type: string;
  kind: AttachmentKind;
  size_bytes: string;
  sha256: string;
  uploaded_by: string;
  uploaded_at: Date;
  audit_event_id: string;
  audit_seq: string;
}

const MiB = 1024 * 1024;
/** 10485760 → "10 MiB", 1572864 → "1.5 MiB"; a size that is no whole tenth of a MiB in bytes. */
export const formatBytes = (n: number) => (n >= MiB && (n * 10) % MiB === 0 ? `${(n * 10) / MiB / 10} MiB` : `${n} bytes`);

@Injectable()
export class DossierService {
  private readonly logger = new Logger('attachments');
  private storeInstance?: AttachmentStore;

  /**
   * The app's shared database and configuration are providers of the root AppModule; this
   * module reaches them through the application's container (ModuleRef, not strict), so it
   * plugs into AppModule with a single import.
   */
  constructor(private readonly moduleRef: ModuleRef) {}

  get dataSource(): DataSource {
    return this.moduleRef.get<DataSource>(DATA_SOURCE, { strict: false });
  }

  get config(): ApiConfig {
    return this.moduleRef.get<ApiConfig>(API_CONFIG, { strict: false });
  }

  get store(): AttachmentStore {
    return (this.storeInstance ??= new AttachmentStore(this.config.attachmentDir));
  }

  /** The nomination if the caller may see it: 404 when missing, 403 when another unit's. */
  async visible(id: string, actor: Actor): Promise<NominationEntity> {
    const nomination = await this.dataSource.getRepository(NominationEntity).findOneBy({ id });
    if (!nomination) throw new NotFoundException(`nomination ${id} not found`);
    const campaign = isStaff(actor) ? null : await this.dataSource.getRepository(CampaignEntity).findOneBy({ id: nomination.campaignId });
    if (!canSeeNomination(actor, nomination, campaign)) throw new ForbiddenException(`nomination ${id} belongs to another unit`);
    return nomination;
  }

  /** The nomination if the caller may attach files to it now. */
  async uploadable(id: string, actor: Actor): Promise<NominationEntity> {
    const nomination = await this.visible(id, actor);
    const reviewer = actor.roles.includes('DEPARTMENT_REVIEWER');
    const ownUnit = (actor.roles.includes('UNIT_OFFICER') || actor.roles.includes('UNIT_LEADER')) && actingUnits(nomination).includes(actor.unitCode ?? '');
    if (!reviewer && !ownUnit) throw new ForbiddenException(`only the officers or leader of unit ${actingUnits(nomination).join(' or ')}, or the Department's reviewers, may attach files to nomination ${id}`);
    if (isFinalStage(nomination.stage)) throw new ConflictException(`nomination ${id} is closed (stage ${nomination.stage}); its dossier takes no more files`);
    return nomination;
  }

  // -- comments -----------------------------------------------------------------------------------

  async addComment(id: string, text: string, actor: Actor, requestId: string): Promise<CommentItem> {
    const nomination = await this.visible(id, actor);
    const commentId = randomUUID();
    const clean = text.normalize('NFC');
    const role = COMMENT_ROLES.find((r) => actor.roles.includes(r)) ?? null;
    const event = await this.dataSource.transaction((tx) =>
      appendAuditEvent(tx, this.event(`comment:${commentId}`, 'COMMENT_ADDED', nomination, actor, role, clean, requestId, { commentId })),
    );
    return (await this.comments(id, actor, commentId)).items[0] ?? this.fail(`comment ${commentId} was recorded as event ${event.seq} but cannot be read back`);
  }

  async comments(id: string, actor: Actor, onlyId?: string): Promise<{ items: CommentItem[] }> {
    await this.visible(id, actor);
    const rows: { seq: string; at: Date; actor: string; role: string | null; actor_unit_code: string | null; to_stage: string | null; reason: string; data: { commentId?: string }; hash: string }[] =
      await this.dataSource.query(
        `SELECT seq, at, actor, role, actor_unit_code, to_stage, reason, data, hash FROM audit_event
          WHERE subject_id = $1 AND subject_type = 'NOMINATION' AND action = 'COMMENT_ADDED' AND ($2::text IS NULL OR data->>'commentId' = $2)
          ORDER BY seq`,
        [id, onlyId ?? null],
      );
    return {
      items: rows.map((r) => ({
        id: String(r.data.commentId ?? ''),
        nominationId: id,
        text: r.reason,
        author: r.actor,
        role: r.role,
        unitCode: r.actor_unit_code,
        at: new Date(r.at).toISOString(),
        stage: r.to_stage,
        seq: Number(r.seq),
        hash: r.hash,
      })),
    };
  }

  // -- attachments --------------------------------------------------------------------------------

  /** Checks the upload (size, name, declared type, content) and returns the name and type to keep. */
  private checkFile(file: UploadedAttachment | undefined) {
    if (!file) throw new BadRequestException('file: attach the document as the multipart field "file" (multipart/form-data)');
    if (file.size === 0 || file.buffer.length === 0) throw new BadRequestException('file: the file is empty');
    if (file.buffer.length > this.config.attachmentMaxBytes) {
      throw new PayloadTooLargeException(`file: larger than the limit of ${formatBytes(this.config.attachmentMaxBytes)} (ATTACHMENT_MAX_BYTES)`);
    }
    const fileName = cleanFileName(file.originalname ?? '');
    if (!fileName) throw new BadRequestException('file: the file has no usable name');
    const allowed = FILE_TYPES.filter((t) => this.config.attachmentTypes.includes(t.name));
    const allowedText = allowed.map((t) => `${t.label} (${t.extensions.join(', ')})`).join(', ');
    const ext = extensionOf(fileName);
    const byName = allowed.find((t) => t.extensions.includes(ext));
    if (!byName) throw new UnsupportedMediaTypeException(`file: "${fileName}" is not an accepted type; accepted: ${allowedText}`);
    const declared = (file.mimetype ?? '').split(';')[0].trim().toLowerCase();
    if (!UNDECLARED_TYPES.includes(declared) && declared !== byName.mime) {
      throw new UnsupportedMediaTypeException(`file: "${fileName}" is declared as ${declared}, which is not the type of a ${byName.label} file (${byName.mime})`);
    }
    const detected = detectFileType(file.buffer);
    if (!detected || detected.kind !== byName.kind) {
      throw new UnsupportedMediaTypeException(
        `file: the content of "${fileName}" is not a ${byName.label} file (${detected ? `it is ${detected.label}` : 'its bytes match none of the accepted types'})`,
      );
    }
    return { fileName, type: detected };
  }

  async addAttachment(id: string, file: UploadedAttachment | undefined, actor: Actor, requestId: string): Promise<AttachmentItem> {
    const nomination = await this.uploadable(id, actor);
    const { fileName, type } = this.checkFile(file);
    const bytes = file!.buffer;
    // The bytes first (atomically, content-addressed): a failed transaction leaves at most an
    // unreferenced file, never a row or an event without its bytes.
    const sha256 = await this.store.put(bytes);
    const attachmentId = randomUUID();
    const role = ATTACHMENT_ROLES.find((r) => actor.roles.includes(r)) ?? null;
    await this.dataSource.transaction(async (tx) => {
      const eventId = `attachment:${attachmentId}`;
      // The row first, the event last: the chain's lock is taken last in every transaction (ADR 0009).
      await tx.query(
        `INSERT INTO nomination_attachment (id, nomination_id, file_name, content_type, kind, size_bytes, sha256, uploaded_by, uploaded_at, audit_event_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8, now(), $9)`,
        [attachmentId, id, fileName, type.mime, type.kind, bytes.length, sha256, actor.username, eventId],
      );
      await appendAuditEvent(
        tx,
        this.event(eventId, 'ATTACHMENT_ADDED', nomination, actor, role, fileName, requestId, {
          attachmentId,
          fileName,
          size: bytes.length,
          contentType: type.mime,
          kind: type.kind,
          sha256,
        }),
      );
    });
    return this.attachment(id, attachmentId);
  }

  async attachments(id: string, actor: Actor): Promise<{ items: AttachmentItem[] }> {
    await this.visible(id, actor);
    const rows = await this.attachmentRows(id);
    return { items: rows.map(toAttachmentItem) };
  }

  /**
   * The bytes of an attachment, after checking them against the SHA-256 that the audit chain
   * recorded (and that the event recording it is intact). 409 when they differ.
   */
  async download(id: string, attachmentId: string, actor: Actor): Promise<{ item: AttachmentItem; bytes: Buffer }> {
    await this.visible(id, actor);
    const [row] = await this.attachmentRows(id, attachmentId);
    if (!row) throw new NotFoundException(`attachment ${attachmentId} of nomination ${id} not found`);
    const item = toAttachmentItem(row);
    const events: StoredAuditEvent[] = (
      await this.dataSource.query(
        `SELECT seq, event_id, at, actor, role, actor_unit_code, action, subject_type, subject_id, from_stage, to_stage, reason, request_id, data, prev_hash, hash
           FROM audit_event WHERE event_id = $1`,
        [row.audit_event_id],
      )
    ).map(toStoredEvent);
    const event = events[0];
    const recorded = typeof event?.data.sha256 === 'string' ? event.data.sha256 : null;
    const refuse = (why: string) => {
      this.logger.error(`integrity check failed for attachment ${attachmentId} ("${row.file_name}") of nomination ${id}: ${why}`);
      return new ConflictException(`attachment ${attachmentId} ("${row.file_name}") failed its integrity check (${why}); it is not served`);
    };
    if (!event || !recorded || !auditEventIntact(event) || event.subjectId !== id) throw refuse('its audit event is missing or was altered');
    if (row.sha256 !== recorded) throw refuse('its metadata no longer matches the SHA-256 recorded in the audit chain');
    const bytes = await this.store.read(recorded);
    if (!bytes) throw refuse('the stored file is missing');
    const actual = sha256Hex(bytes);
    if (actual !== recorded) throw refuse(`SHA-256 mismatch: recorded ${recorded}, stored file ${actual}`);
    return { item, bytes };
  }

  private async attachment(id: string, attachmentId: string): Promise<AttachmentItem> {
    const [row] = await this.attachmentRows(id, attachmentId);
    return row ? toAttachmentItem(row) : this.fail(`attachment ${attachmentId} was stored but cannot be read back`);
  }

  private attachmentRows(id: string, attachmentId?: string): Promise<AttachmentRow[]> {
    return this.dataSource.query(
      `SELECT a.*, e.seq AS audit_seq FROM nomination_attachment a JOIN audit_event e ON e.event_id = a.audit_event_id
        WHERE a.nomination_id = $1 AND ($2::uuid IS NULL OR a.id = $2::uuid) ORDER BY a.uploaded_at, a.id`,
      [id, attachmentId ?? null],
    );
  }

  private event(
    eventId: string,
    action: DecisionAction,
    nomination: NominationEntity,
    actor: Actor,
    role: Role | null,
    reason: string,
    requestId: string,
    data: Record<string, unknown>,
  ) {
    return {
      eventId,
      at: new Date().toISOString(),
      actor: actor.username,
      role,
      actorUnitCode: actor.unitCode ?? null,
      action,
      subjectType: 'NOMINATION' as const,
      subjectId: nomination.id,
      // Not a decision: the stage stays where it is.
      fromStage: nomination.stage,
      toStage: nomination.stage,
      reason,
      requestId: requestId || null,
      data,
    };
  }

  private fail(message: string): never {
    throw new Error(message);
  }
}

function toAttachmentItem(r: AttachmentRow): AttachmentItem {
  return {
    id: r.id,
    nominationId: r.nomination_id,
    fileName: r.file_name,
    contentType: r.content_type,
    kind: r.kind,
    size: Number(r.size_bytes),
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    uploadedAt: new Date(r.uploaded_at).toISOString(),
    auditSeq: Number(r.audit_seq),
  };
}

function toStoredEvent(r: AuditEventColumns): StoredAuditEvent {
  return {
    seq: Number(r.seq),
    eventId: r.event_id,
    at: r.at,
    actor: r.actor,
    role: r.role,
    actorUnitCode: r.actor_unit_code,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    fromStage: r.from_stage,
    toStage: r.to_stage,
    reason: r.reason,
    requestId: r.request_id,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * Parses the multipart upload of POST /nominations/:id/attachments before the global
 * Idempotency-Key interceptor runs (guards run before interceptors): after the caller's scope
 * is checked, multer reads the body (memory storage, ATTACHMENT_MAX_BYTES) and the file's name,
 * size and SHA-256 are put into the request body, so the key covers the file: the same key with
 * another file is a 422, a retry with the same file gets the first answer.
 */
@Injectable()
export class AttachmentUploadGuard implements CanActivate {
  private readonly upload = new UploadReader(20);

  constructor(private readonly dossier: DossierService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest & { file?: UploadedAttachment; params: Record<string, string> }>();
    if (!req.user) return false;
    const { username, roles, unitCode } = req.user;
    await this.dossier.uploadable(req.params.id, { username, roles, ...(unitCode ? { unitCode } : {}) });
    const limit = this.dossier.config.attachmentMaxBytes;
    await this.upload.read(ctx, limit, `file: larger than the limit of ${formatBytes(limit)} (ATTACHMENT_MAX_BYTES)`);
    const file = req.file;
    if (file?.buffer) {
      const fields = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
      req.body = { ...fields, file: { name: file.originalname, size: file.size, type: file.mimetype, sha256: sha256Hex(file.buffer) } };
    }
    return true;
  }
}
