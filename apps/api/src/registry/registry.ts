/**
 * The award registry (hồ sơ thành tích đơn vị): lookup by unit (old or new code), title, year and
 * decision number; import of older awards from XLSX/CSV (all rows or none, errors per row); and
 * the record of a unit renamed or merged (2025 reform), whose history follows it.
 */
import { BadRequestException, Body, ConflictException, Controller, Get, Inject, Injectable, Param, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { findAwards, importAwards, parseCsv, parseXlsx, UnitEntity } from '@tdkt/persistence';
import { Roles } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';
import { IsCode } from '../common/validation';

export class AwardQueryDto {
  @ApiPropertyOptional({ example: 'THADS-HN', description: 'a unit code, old or new' }) @IsOptional() @IsCode('unitCode') unitCode?: string;
  @ApiPropertyOptional({ example: 'GOVERNMENT_FLAG', description: 'a title code or its Vietnamese name' }) @IsOptional() @IsString() @MaxLength(200) title?: string;
  @ApiPropertyOptional({ example: 2022 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1945) @Max(2100) year?: number;
  @ApiPropertyOptional({ example: '245/QĐ-TTg' }) @IsOptional() @IsString() @MaxLength(100) decisionNumber?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
}

export class UnitSuccessionDto {
  @ApiProperty({ example: 'THADS-HN', description: 'the unit that carries on (new name or the merged unit)' }) @IsCode('successorCode') successorCode!: string;
  @ApiProperty({ enum: ['RENAMED', 'MERGED'] }) @IsIn(['RENAMED', 'MERGED']) reason!: 'RENAMED' | 'MERGED';
  @ApiProperty({ example: '2025-07-01' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'effectiveDate must be a date YYYY-MM-DD' })
  effectiveDate!: string;
}

interface UploadedSpreadsheet {
  originalname: string;
  buffer: Buffer;
  size: number;
}

@Injectable()
export class RegistryService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  find(q: AwardQueryDto) {
    return findAwards(this.dataSource, q);
  }

  async import(file: UploadedSpreadsheet | undefined) {
    if (!file) throw new BadRequestException('file: attach the spreadsheet (XLSX or CSV) as the multipart field "file"');
    const name = file.originalname.toLowerCase();
    let table: string[][];
    try {
      if (name.endsWith('.xlsx')) table = await parseXlsx(file.buffer);
      else if (name.endsWith('.csv')) table = parseCsv(file.buffer.toString('utf8'));
      else throw new BadRequestException('file: only .xlsx and .csv files are accepted');
    } catch (err) {
      if (err instanceof BadRequestException) throw err;
      throw new BadRequestException(`file: the spreadsheet cannot be read (${(err as Error).message})`);
    }
    if (table.length < 2) throw new BadRequestException('file: no rows under the header');
    const result = await importAwards(this.dataSource, table, { batch: `import-${randomUUID()}` });
    if (result.errors.length) {
      throw new BadRequestException({
        message: result.errors.map((e) => `dòng ${e.row}, ${e.field}: ${e.message}`),
        errors: result.errors,
        imported: 0,
      });
    }
    return result;
  }

  async succession(code: string, dto: UnitSuccessionDto) {
    const units = this.dataSource.getRepository(UnitEntity);
    if (!(await units.existsBy({ code }))) throw new BadRequestException(`unit ${code} not found`);
    if (!(await units.existsBy({ code: dto.successorCode }))) throw new BadRequestException(`successorCode: unit ${dto.successorCode} not found`);
    if (code === dto.successorCode) throw new BadRequestException('successorCode must be another unit');
    const inserted = await this.dataSource.query(
      'INSERT INTO unit_alias (old_code, new_code, reason, effective_date) VALUES ($1,$2,$3,$4) ON CONFLICT (old_code) DO NOTHING RETURNING old_code',
      [code, dto.successorCode, dto.reason, dto.effectiveDate],
    );
    if (!inserted.length) throw new ConflictException(`unit ${code} already has a successor`);
    return { oldCode: code, ...dto };
  }
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller()
export class RegistryController {
  constructor(private readonly registry: RegistryService) {}

  @Get('registry')
  find(@Query() q: AwardQueryDto) {
    return this.registry.find(q);
  }

  @Post('registry/imports')
  @Roles('ADMIN', 'DEPARTMENT_REVIEWER')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 5 * 1024 * 1024 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  import(@UploadedFile() file: UploadedSpreadsheet | undefined) {
    return this.registry.import(file);
  }

  @Post('units/:code/succession')
  @Roles('ADMIN')
  succession(@Param('code') code: string, @Body() dto: UnitSuccessionDto) {
    return this.registry.succession(code, dto);
  }
}
