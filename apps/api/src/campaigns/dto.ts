import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { REMINDER_TIME_PATTERN, TITLES, type Title } from '@tdkt/domain';
import { IsCode } from '../common/validation';


export class StartCampaignDto {
  @ApiProperty({ example: 'KV-TP-TW' }) @IsCode('clusterCode') clusterCode!: string;
  @ApiProperty({ example: 'Khu vực thi đua các thành phố trực thuộc Trung ương' }) @IsString() @MinLength(1) @MaxLength(300) clusterName!: string;
  @ApiProperty({ example: 2026 }) @IsInt() @Min(2000) @Max(2100) year!: number;
  @ApiProperty({ example: ['STP-HN', 'STP-HCM'], description: 'member units (2 to 30)' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(30)
  @ArrayUnique()
  @IsCode('memberUnitCodes', { each: true })
  memberUnitCodes!: string[];
  @ApiProperty({ example: 'STP-HN' }) @IsCode('headUnitCode') headUnitCode!: string;
  @ApiPropertyOptional({ example: 'STP-HCM' }) @IsOptional() @IsCode('deputyUnitCode') deputyUnitCode?: string;
  @ApiProperty({ example: '2026-12-31T10:00:00.000Z', description: 'ISO 8601 instant' })
  @IsISO8601({ strict: true }, { message: 'registrationDeadline must be an ISO 8601 date-time' })
  registrationDeadline!: string;
  @ApiPropertyOptional({ example: '2027-01-15T10:00:00.000Z', description: 'ISO 8601 instant self-assessments are due (late ones are reminded)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'selfAssessmentDeadline must be an ISO 8601 date-time' })
  selfAssessmentDeadline?: string;
  @ApiPropertyOptional({
    example: '14:30',
    description: 'time of day (HH:MM, 24-hour, Vietnam time) the campaign\'s reminders go out, on the rule set\'s working days; the rule set\'s (08:00) when absent',
  })
  @IsOptional()
  @Matches(REMINDER_TIME_PATTERN, { message: 'reminderTime must be HH:MM, 24-hour Vietnam time (00:00 to 23:59)' })
  reminderTime?: string;
  @ApiPropertyOptional({ example: 'default', description: 'rule set id (newest version is pinned to the campaign)' })
  @IsOptional()
  @IsCode('ruleSet')
  ruleSet?: string;
}

export class YearQueryDto {
  @ApiProperty({ example: 2026 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year!: number;
}

export class SubUnitRegistrationDto {
  @ApiProperty({ example: 'CC-THADS-PHUXUYEN' }) @IsCode('subUnits.unitCode') unitCode!: string;
  @ApiProperty({ enum: TITLES, isArray: true, example: ['MINISTRY_FLAG'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TITLES.length)
  @ArrayUnique()
  @IsIn(TITLES, { each: true, message: `subUnits.targetTitles must each be one of ${TITLES.join(', ')}` })
  targetTitles!: Title[];
}

export class RegisterDto {
  @ApiProperty({ example: 'STP-HN' }) @IsCode('unitCode') unitCode!: string;
  @ApiProperty({ enum: TITLES, isArray: true, example: ['MINISTRY_FLAG'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TITLES.length)
  @ArrayUnique()
  @IsIn(TITLES, { each: true, message: `targetTitles must each be one of ${TITLES.join(', ')}` })
  targetTitles!: Title[];
  @ApiPropertyOptional({ type: [SubUnitRegistrationDto], description: 'sub-units (e.g. Chi cục THADS) registered as candidates by this member' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SubUnitRegistrationDto)
  subUnits?: SubUnitRegistrationDto[];
}

export class CovenantDto {
  @ApiProperty({ example: 'STP-HN' }) @IsCode('unitCode') unitCode!: string;
}

export class LeadershipDto {
  @ApiProperty({ example: 'STP-HCM', description: "next year's cluster head (cụm trưởng)" }) @IsCode('headUnitCode') headUnitCode!: string;
  @ApiProperty({ example: 'THADS-HCM', description: "next year's deputy (cụm phó)" }) @IsCode('deputyUnitCode') deputyUnitCode!: string;
}

export class OpenVoteDto {
  @ApiProperty({ example: 4 }) @IsInt() @Min(0) @Max(30) ministryFlagSeats!: number;
  @ApiProperty({ example: 1 }) @IsInt() @Min(0) @Max(30) governmentFlagSeats!: number;
}

export class BallotDto {
  @ApiProperty({ example: 'STP-HN' }) @IsCode('unitCode') unitCode!: string;
  @ApiProperty({ example: ['STP-HCM'] })
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @IsCode('ministryFlag', { each: true })
  ministryFlag!: string[];
  @ApiProperty({ example: [] })
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @IsCode('governmentFlag', { each: true })
  governmentFlag!: string[];
  @ApiPropertyOptional({
    enum: TITLES,
    isArray: true,
    example: ['GOVERNMENT_FLAG'],
    description: 'titles the unit abstains on (no pick for them); counted as the rule set says (clusterVote.abstentions)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TITLES.length)
  @ArrayUnique()
  @IsIn(TITLES, { each: true, message: `abstain must each be one of ${TITLES.join(', ')}` })
  abstain?: Title[];
}
