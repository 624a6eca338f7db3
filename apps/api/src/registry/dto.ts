/** The award registry's requests and answers, validated at the edge and described in OpenAPI. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { REGISTRY_TITLES, type AwardRevocation } from '@tdkt/persistence';
import { IsCalendarDate, IsCode, IsNotBlank } from '../common/validation';


const TITLE_LIST = Object.entries(REGISTRY_TITLES)
  .map(([code, t]) => `${code} (${t.name})`)
  .join(', ');

export class AwardQueryDto {
  @ApiPropertyOptional({ example: 'THADS-HN', description: "a unit's code, current or former (see the README: a former code finds that unit's own awards and its successors')" })
  @IsOptional()
  @IsCode('unitCode')
  unitCode?: string;
  @ApiPropertyOptional({ example: 'GOVERNMENT_FLAG', description: `a title's code or its Vietnamese name: ${TITLE_LIST}` })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;
  @ApiPropertyOptional({ example: 2022 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1945) @Max(2100) year?: number;
  @ApiPropertyOptional({ example: '245/QĐ-TTg', description: 'case and spaces ignored' }) @IsOptional() @IsString() @MaxLength(100) decisionNumber?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
}

export class UnitSuccessionDto {
  @ApiProperty({ example: 'THADS-HN', description: 'the unit that carries on (the new name, or the unit it merged into)' })
  @IsCode('successorCode')
  successorCode!: string;
  @ApiProperty({ enum: ['RENAMED', 'MERGED'] }) @IsIn(['RENAMED', 'MERGED'], { message: 'reason must be RENAMED or MERGED' }) reason!: 'RENAMED' | 'MERGED';
  @ApiProperty({ example: '2025-07-01', format: 'date' }) @IsCalendarDate() effectiveDate!: string;
}

export class AwardRevocationDto {
  @ApiProperty({ example: 'Phát hiện kê khai thành tích không trung thực', maxLength: 2000 }) @IsString() @IsNotBlank() @MaxLength(2000) reason!: string;
  @ApiProperty({ example: '15/QĐ-BTP', description: 'the decision that revokes the award', maxLength: 100 }) @IsString() @IsNotBlank() @MaxLength(100) decisionNumber!: string;
  @ApiProperty({ example: '2026-03-10', format: 'date' }) @IsCalendarDate() decisionDate!: string;
}

// -- answers ----------------------------------------------------------------------------------------

export class AwardedAs {
  @ApiProperty({ example: 'THADS-HN' }) unitCode!: string;
  @ApiProperty({ example: 'Cục Thi hành án dân sự TP Hà Nội' }) unitName!: string;
}

export class AwardItem {
  @ApiProperty({ example: 12 }) id!: number;
  @ApiProperty({ example: 'THADS-HN-2025', description: "the unit's code today (after any rename or merger)" }) unitCode!: string;
  @ApiProperty({ example: 'Thi hành án dân sự TP Hà Nội', description: "the unit's name today" }) unitName!: string;
  @ApiProperty({ type: AwardedAs, description: 'the unit as it was when it received the award' }) awardedAs!: AwardedAs;
  @ApiProperty({ example: 'GOVERNMENT_FLAG', description: `the title's code: ${Object.keys(REGISTRY_TITLES).join(', ')}` }) title!: string;
  @ApiProperty({ example: 'Cờ thi đua của Chính phủ' }) titleName!: string;
  @ApiProperty({ example: 2020 }) year!: number;
  @ApiProperty({ example: '187/QĐ-TTg' }) decisionNumber!: string;
  @ApiProperty({ type: String, nullable: true, example: '2021-02-03' }) decisionDate!: string | null;
  @ApiProperty({ example: 'Thủ tướng Chính phủ' }) issuingBody!: string;
  @ApiProperty({ enum: ['TDKT_FLOW', 'IMPORT'] }) source!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) nominationId!: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: 'set when the award was revoked (thu hồi): it then counts for no prior-title rule',
    required: ['at', 'reason', 'by', 'decisionNumber', 'decisionDate'],
    properties: {
      at: { type: 'string', example: '2026-03-11T02:00:00.000Z' },
      reason: { type: 'string', example: 'Phát hiện kê khai thành tích không trung thực (15/QĐ-BTP)' },
      by: { type: 'string', nullable: true, example: 'vutdkt' },
      decisionNumber: { type: 'string', nullable: true, example: '15/QĐ-BTP' },
      decisionDate: { type: 'string', nullable: true, example: '2026-03-10' },
    },
  })
  revoked!: AwardRevocation | null;
}

export class AwardPage {
  @ApiProperty({ type: [AwardItem] }) items!: AwardItem[];
  @ApiProperty({ example: 1 }) total!: number;
}

export class ImportErrorItem {
  @ApiProperty({ example: 7, description: 'the row in the spreadsheet, as Excel numbers it' }) row!: number;
  @ApiProperty({ type: String, nullable: true, example: 'C', description: "the column's letter (null: a column that is missing)" }) column!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Năm', description: "the column's header in the file" }) header!: string | null;
  @ApiProperty({ enum: ['unitCode', 'title', 'year', 'decisionNumber', 'decisionDate', 'issuingBody', 'header'] }) field!: string;
  @ApiProperty({ example: 'năm "2099" không hợp lệ (1945–2026)' }) message!: string;
}

export class ImportReport {
  @ApiProperty({ example: 'import-3f0c…' }) batch!: string;
  @ApiProperty({ enum: ['IMPORTED'] }) outcome!: string;
  @ApiProperty({ type: Number, nullable: true, example: 3, description: 'the row the header was found on' }) headerRow!: number | null;
  @ApiProperty({ example: 12, description: 'rows under the header, blank ones included' }) rowsRead!: number;
  @ApiProperty({ example: 2, description: 'blank rows skipped' }) blankRowsSkipped!: number;
  @ApiProperty({ example: 10, description: 'rows checked (not blank)' }) rows!: number;
  @ApiProperty({ example: 10 }) imported!: number;
  @ApiProperty({ type: [ImportErrorItem], example: [] }) errors!: ImportErrorItem[];
}

/** The error answer of an import: the common one, plus each row's error when the file was read. */
export class ImportRefusal {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({
    description: 'one line per error: "dòng <row>, <field>: <message>"',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
  })
  message!: string | string[];
  @ApiPropertyOptional({ enum: ['INVALID', 'CONFLICT'], description: 'INVALID (400): rows with errors; CONFLICT (409): an award written meanwhile. Nothing was imported.' })
  outcome?: string;
  @ApiPropertyOptional({ type: [ImportErrorItem] }) errors?: ImportErrorItem[];
  @ApiPropertyOptional({ type: Number, nullable: true }) headerRow?: number | null;
  @ApiPropertyOptional() rowsRead?: number;
  @ApiPropertyOptional() blankRowsSkipped?: number;
  @ApiPropertyOptional() rows?: number;
  @ApiPropertyOptional({ example: 0 }) imported?: number;
  @ApiPropertyOptional() batch?: string;
}

export class SuccessionItem {
  @ApiProperty({ example: 'THADS-HN' }) oldCode!: string;
  @ApiProperty({ example: 'THADS-HN-2025' }) successorCode!: string;
  @ApiProperty({ enum: ['RENAMED', 'MERGED'] }) reason!: string;
  @ApiProperty({ example: '2025-07-01' }) effectiveDate!: string;
}
