/** Auditors' search of the decision history: query and answer shapes (validated at the edge). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { DECISION_ACTIONS, type DecisionAction, type SubjectType } from '@tdkt/contracts';
import { IsCode } from '../common/validation';

export const SUBJECT_TYPES: readonly SubjectType[] = ['CAMPAIGN', 'NOMINATION', 'COUNCIL_SESSION', 'AWARD'];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The filters shared by the search and the export. All optional; they combine with AND. */
export class AuditFilterDto {
  @ApiPropertyOptional({ example: 'vutdkt', description: 'username of who decided (`system` for timers)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'actor must be a username of 1-100 letters, digits, ., _ or -' })
  actor?: string;

  @ApiPropertyOptional({ example: 'STP-HN', description: "events by a user of this unit, or about this unit's nominations" })
  @IsOptional()
  @IsCode('unitCode')
  unitCode?: string;

  @ApiPropertyOptional({ enum: DECISION_ACTIONS })
  @IsOptional()
  @IsIn(DECISION_ACTIONS, { message: `action must be one of ${DECISION_ACTIONS.join(', ')}` })
  action?: DecisionAction;

  @ApiPropertyOptional({ enum: SUBJECT_TYPES })
  @IsOptional()
  @IsIn(SUBJECT_TYPES, { message: `subjectType must be one of ${SUBJECT_TYPES.join(', ')}` })
  subjectType?: SubjectType;

  @ApiPropertyOptional({ example: '2026:KV-TP-TW:STP-HN', description: 'a nomination, campaign or council session id' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  subjectId?: string;

  @ApiPropertyOptional({
    example: '2026-01-01',
    description: 'events at or after this instant (ISO 8601; a date alone is the start of that day, UTC)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T08:00:00+07:00' })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12-31',
    description: 'events at or before this instant (ISO 8601; a date alone includes that whole day, UTC)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time, e.g. 2026-12-31 or 2026-12-31T17:00:00+07:00' })
  to?: string;
}

export class AuditQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
}

export class AuditExportQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format?: ExportFormat;
}

export class AuditEventItem {
  @ApiProperty({ example: 42 }) seq!: number;
  @ApiProperty({ example: 'nomination:2026:KV-TP-TW:STP-HN#5' }) eventId!: string;
  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' }) at!: string;
  @ApiProperty({ example: 'vutdkt' }) actor!: string;
  @ApiProperty({ nullable: true, type: String, example: 'DEPARTMENT_REVIEWER' }) role!: string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) actorUnitCode!: string | null;
  @ApiProperty({ enum: DECISION_ACTIONS }) action!: string;
  @ApiProperty({ enum: SUBJECT_TYPES }) subjectType!: string;
  @ApiProperty({ example: '2026:KV-TP-TW:STP-HN' }) subjectId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'DEPARTMENT_REVIEW' }) fromStage!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'AMENDMENT' }) toStage!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Thiếu biên bản bình xét của cụm' }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty() hash!: string;
  @ApiProperty() prevHash!: string;
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventItem] }) items!: AuditEventItem[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
