import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { STAGES, TITLES, type Stage, type Title } from '@tdkt/domain';
import { IsCode, IsNotBlank } from '../common/validation';

export class CriterionScoreDto {
  @ApiProperty({ example: 'TC1' }) @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'criteria code must be 1-40 letters, digits, ., - or _' }) code!: string;
  @ApiPropertyOptional({ example: 'Hoàn thành chỉ tiêu' }) @IsOptional() @IsString() @MaxLength(300) name?: string;
  @ApiProperty({ example: 50 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1000) score!: number;
}

export class SelfAssessmentDto {
  @ApiProperty({ example: 95, description: 'total self-assessed score (tự chấm điểm)' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  score!: number;
  @ApiProperty({ example: 'Báo cáo thành tích năm 2026: hoàn thành xuất sắc nhiệm vụ' })
  @IsString()
  @IsNotBlank()
  @MaxLength(100_000)
  achievementReport!: string;
  @ApiPropertyOptional({ type: [CriterionScoreDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CriterionScoreDto)
  criteria?: CriterionScoreDto[];
}

export class ReviewDto {
  @ApiProperty({ enum: ['APPROVE', 'RETURN', 'REJECT'] }) @IsIn(['APPROVE', 'RETURN', 'REJECT']) decision!: 'APPROVE' | 'RETURN' | 'REJECT';
  @ApiProperty({ example: 'Hồ sơ đầy đủ, đủ điều kiện' }) @IsString() @IsNotBlank() @MaxLength(10_000) reason!: string;
}

export class AmendmentDto {
  @ApiProperty({ example: 'Báo cáo đã bổ sung biên bản' }) @IsString() @IsNotBlank() @MaxLength(100_000) achievementReport!: string;
  @ApiProperty({ example: 'Bổ sung biên bản họp cụm' }) @IsString() @IsNotBlank() @MaxLength(10_000) note!: string;
}

export class GovernmentDecisionDto {
  @ApiProperty({ enum: ['AWARDED', 'DECLINED'] }) @IsIn(['AWARDED', 'DECLINED']) decision!: 'AWARDED' | 'DECLINED';
  @ApiProperty({ example: '245/QĐ-TTg' }) @IsString() @IsNotBlank() @MaxLength(100) decisionNumber!: string;
  @ApiProperty({ example: '2027-03-20' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'decisionDate must be a date YYYY-MM-DD' })
  decisionDate!: string;
}

export class NominationQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional() @IsOptional() @IsCode('clusterCode') clusterCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsCode('unitCode') unitCode?: string;
  @ApiPropertyOptional({ enum: STAGES }) @IsOptional() @IsIn(STAGES) stage?: Stage;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}

export class WithdrawDto {
  @ApiProperty({ example: 'Đơn vị xin rút hồ sơ để hoàn thiện vào năm sau' }) @IsString() @IsNotBlank() @MaxLength(10_000) reason!: string;
}

export class ConsultationDto {
  @ApiProperty({ enum: ['AGREE', 'DISAGREE'] }) @IsIn(['AGREE', 'DISAGREE']) opinion!: 'AGREE' | 'DISAGREE';
  @ApiProperty({ example: '1234/UBND-NC' }) @IsString() @IsNotBlank() @MaxLength(100) reference!: string;
}

export class RevocationDto {
  @ApiProperty({ enum: TITLES }) @IsIn(TITLES) title!: Title;
  @ApiProperty({ example: 'Phát hiện kê khai thành tích không trung thực' }) @IsString() @IsNotBlank() @MaxLength(10_000) reason!: string;
  @ApiProperty({ example: '99/QĐ-BTP' }) @IsString() @IsNotBlank() @MaxLength(100) decisionNumber!: string;
  @ApiProperty({ example: '2028-05-10' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'decisionDate must be a date YYYY-MM-DD' })
  decisionDate!: string;
}
