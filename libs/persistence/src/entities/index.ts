/**
 * The Postgres tables of tdkt-flow. The organisation (units, users) is written by the API; the
 * read model (campaign, nomination, council_session, ballots) and the audit chain are written
 * only by the worker's recordDecision activity. The schema itself is built by the migrations in
 * ../migrations, never by `synchronize`.
 */
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CampaignView, CouncilSessionView, NominationView } from '@tdkt/contracts';
import type { Role, Stage, Title, TitleStatus, UnitKind } from '@tdkt/domain';
import { NominationAttachmentEntity, TaskAssignmentEntity } from './work-tools';

/** A unit of the sector (Sở Tư pháp, Cục THADS, Chi cục THADS, đơn vị thuộc Bộ). */
@Entity('unit')
export class UnitEntity {
  @PrimaryColumn('text') code!: string;
  @Column('text') name!: string;
  @Column('text') kind!: UnitKind;
  @Column('text', { name: 'parent_code', nullable: true }) parentCode!: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
}

@Entity('app_user')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { unique: true }) username!: string;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('text', { name: 'full_name' }) fullName!: string;
  @Column('text', { array: true }) roles!: Role[];
  @Column('text', { name: 'unit_code', nullable: true }) unitCode!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('boolean', { default: true }) active!: boolean;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
}

/** One campaign (phong trào thi đua) of a cluster in a year: the campaign workflow's snapshot. */
@Entity('campaign')
export class CampaignEntity {
  @PrimaryColumn('text') id!: string;
  @Column('int') year!: number;
  @Column('text', { name: 'cluster_code' }) clusterCode!: string;
  @Column('text', { name: 'cluster_name' }) clusterName!: string;
  @Column('text', { name: 'head_unit_code' }) headUnitCode!: string;
  @Column('text', { name: 'deputy_unit_code', nullable: true }) deputyUnitCode!: string | null;
  @Column('text', { name: 'member_unit_codes', array: true }) memberUnitCodes!: string[];
  @Column('text') phase!: string;
  @Column('timestamptz', { name: 'registration_deadline' }) registrationDeadline!: Date;
  @Column('jsonb') view!: CampaignView;
  @Column('int') version!: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** One unit's nomination (hồ sơ đề nghị) in a campaign: the nomination workflow's snapshot. */
@Entity('nomination')
export class NominationEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'campaign_id' }) campaignId!: string;
  @Column('int') year!: number;
  @Column('text', { name: 'cluster_code' }) clusterCode!: string;
  @Column('text', { name: 'unit_code' }) unitCode!: string;
  @Column('text') stage!: Stage;
  @Column('jsonb') titles!: Partial<Record<Title, TitleStatus>>;
  @Column('jsonb') view!: NominationView;
  @Column('int') version!: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** A sitting of the sector's Emulation Council (phiên họp Hội đồng TĐKT). */
@Entity('council_session')
export class CouncilSessionEntity {
  @PrimaryColumn('text') id!: string;
  @Column('int') year!: number;
  @Column('text') status!: string;
  @Column('jsonb') view!: CouncilSessionView;
  @Column('int') version!: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** Who cast a ballot in a cluster vote round: never what was chosen. */
@Entity('ballot_cast')
@Index(['campaignId', 'round', 'voterUnitCode'], { unique: true })
export class BallotCastEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { name: 'campaign_id' }) campaignId!: string;
  @Column('int') round!: number;
  @Column('text', { name: 'voter_unit_code' }) voterUnitCode!: string;
}

/** What was chosen, keyed by the hash of the voter's receipt: never who chose it. */
@Entity('ballot_box')
export class BallotBoxEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { name: 'campaign_id' }) campaignId!: string;
  @Column('int') round!: number;
  @Column('text', { name: 'receipt_hash', unique: true }) receiptHash!: string;
  @Column('jsonb') choices!: { ministryFlag: string[]; governmentFlag: string[] };
}

/** The append-only, SHA-256-chained decision history (nhật ký quyết định). */
@Entity('audit_event')
export class AuditEventEntity {
  @PrimaryColumn('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) seq!: number;
  @Column('text', { name: 'event_id', unique: true }) eventId!: string;
  @Column('timestamptz') at!: Date;
  @Column('text') actor!: string;
  @Column('text', { nullable: true }) role!: string | null;
  @Column('text', { name: 'actor_unit_code', nullable: true }) actorUnitCode!: string | null;
  @Column('text') action!: string;
  @Column('text', { name: 'subject_type' }) subjectType!: string;
  @Column('text', { name: 'subject_id' }) subjectId!: string;
  @Column('text', { name: 'from_stage', nullable: true }) fromStage!: string | null;
  @Column('text', { name: 'to_stage', nullable: true }) toStage!: string | null;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('text', { name: 'request_id', nullable: true }) requestId!: string | null;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('text', { name: 'prev_hash' }) prevHash!: string;
  @Column('text') hash!: string;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
}

/** The first response to a request with an Idempotency-Key, replayed to a retry. */
@Entity('idempotency_record')
export class IdempotencyRecordEntity {
  @PrimaryColumn('text') key!: string;
  @Column('text') method!: string;
  @Column('text') path!: string;
  @Column('text', { name: 'body_hash' }) bodyHash!: string;
  /** IN_PROGRESS while the first request runs, DONE once its response is stored. */
  @Column('text') state!: 'IN_PROGRESS' | 'DONE';
  @Column('int', { name: 'response_status', nullable: true }) responseStatus!: number | null;
  @Column('jsonb', { name: 'response_body', nullable: true }) responseBody!: unknown;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** The in-app inbox (hộp thư nhắc việc). */
@Entity('notification')
export class NotificationEntity {
  @PrimaryColumn('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) id!: number;
  @Column('text', { name: 'event_id' }) eventId!: string;
  @Column('text') username!: string;
  @Column('text', { name: 'unit_code' }) unitCode!: string;
  @Column('text') kind!: string;
  @Column('text') subject!: string;
  @Column('text') body!: string;
  @Column('text') link!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt!: Date | null;
}

export const ENTITIES = [
  NotificationEntity,
  UnitEntity,
  UserEntity,
  CampaignEntity,
  NominationEntity,
  CouncilSessionEntity,
  BallotCastEntity,
  BallotBoxEntity,
  AuditEventEntity,
  IdempotencyRecordEntity,
  TaskAssignmentEntity,
  NominationAttachmentEntity,
];
