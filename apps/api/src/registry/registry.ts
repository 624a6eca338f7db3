/**
 * The award registry (hồ sơ thành tích đơn vị): lookup by unit (old or new code), title, year and
 * decision number; import of older awards from XLSX/CSV (all rows or none, errors per row with
 * the row's number and column); revocation of an imported award; and the record of a unit renamed
 * or merged (2025 reform), whose history follows it. The rules are in libs/persistence
 * (registry.ts, registry-import.ts); this file maps their outcomes to HTTP.
 */
import {
  BadRequestException,
  Body,
  CanActivate,
  ConflictException,
  Controller,
  ExecutionContext,
  Get,
  Inject,
  Injectable,
  NotFoundException,
  Param,
  PipeTransform,
  Post,
  Query,
  UploadedFile,
  UseGuards,
} from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Role } from '@tdkt/domain';
import { findAwards, importAwards, parseCsv, parseXlsx, recordSuccession, revokeAward, titleCode, type ImportResult } from '@tdkt/persistence';
import { Action, Roles, type ActionContext, type AuthedRequest } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';
import { UploadReader } from '../common/upload';
import { AwardItem, AwardPage, AwardQueryDto, AwardRevocationDto, ImportRefusal, ImportReport, SuccessionItem, UnitSuccessionDto } from './dto';

/** The largest spreadsheet accepted. */
export const REGISTRY_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** Who may import and revoke, in the order an audit event names the role acted in. */
const REGISTRY_ROLES: Role[] = ['DEPARTMENT_REVIEWER', 'ADMIN'];

interface UploadedSpreadsheet {
  originalname: string;
  buffer: Buffer;
  size: number;
}

/**
 * Reads the multipart upload before the Idempotency-Key interceptor hashes the request (guards
 * run before interceptors), and puts the file's fingerprint (name, size, SHA-256) in the body: the
 * same key with another file is then a 422, not a replay of the first file's answer. The role
 * check (the global AuthGuard) has run already, so nobody else's upload is ever read.
 */
@Injectable()
export class SpreadsheetUploadGuard implements CanActivate {
  private readonly upload = new UploadReader(10);

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest & { file?: UploadedSpreadsheet }>();
    if (!req.user) return false;
    await this.upload.read(ctx, REGISTRY_IMPORT_MAX_BYTES, `file: larger than the limit of ${REGISTRY_IMPORT_MAX_BYTES / 1024 / 1024} MiB`);
    const file = req.file;
    if (file?.buffer) {
      req.body = { file: { name: file.originalname, size: file.size, sha256: createHash('sha256').update(file.buffer).digest('hex') } };
    }
    return true;
  }
}

/** The answer of a refused import: every row's error as a line of `message` and as a structured row. */
function refusal(result: ImportResult) {
  const { outcome, errors, headerRow, rowsRead, blankRowsSkipped, rows, batch } = result;
  return {
    message: errors.map((e) => `dòng ${e.row}, ${e.field}: ${e.message}`),
    outcome,
    errors,
    headerRow,
    rowsRead,
    blankRowsSkipped,
    rows,
    imported: 0,
    batch,
  };
}

@Injectable()
export class RegistryService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  find(q: AwardQueryDto) {
    if (q.title && !titleCode(q.title)) throw new BadRequestException(`title: "${q.title}" is not a title of the registry (a code such as MINISTRY_FLAG, or its Vietnamese name)`);
    return findAwards(this.dataSource, q);
  }

  async import(file: UploadedSpreadsheet | undefined) {
    if (!file?.buffer) throw new BadRequestException('file: attach the spreadsheet (XLSX or CSV) as the multipart field "file"');
    const name = file.originalname.toLowerCase();
    let table: string[][];
    if (name.endsWith('.xlsx')) {
      try {
        table = await parseXlsx(file.buffer);
      } catch (err) {
        throw new BadRequestException(`file: the spreadsheet cannot be read as XLSX (${(err as Error).message})`);
      }
    } else if (name.endsWith('.csv')) {
      const text = file.buffer.toString('utf8');
      if (text.includes('\uFFFD')) throw new BadRequestException('file: the CSV is not UTF-8 (save it from Excel as "CSV UTF-8")');
      table = parseCsv(text);
    } else throw new BadRequestException('file: only .xlsx and .csv files are accepted');
    const result = await importAwards(this.dataSource, table, { batch: `import-${randomUUID()}` });
    if (result.outcome === 'INVALID') throw new BadRequestException(refusal(result));
    if (result.outcome === 'CONFLICT') throw new ConflictException(refusal(result));
    return result;
  }

  async revoke(id: number, dto: AwardRevocationDto, ctx: ActionContext) {
    const role = REGISTRY_ROLES.find((r) => ctx.actor.roles.includes(r)) ?? null;
    const result = await revokeAward(this.dataSource, id, { ...dto, requestId: ctx.requestId || null }, { ...ctx.actor, role });
    if (result.outcome === 'NOT_FOUND') throw new NotFoundException(result.message);
    if (result.outcome === 'CONFLICT') throw new ConflictException(result.message);
    if (result.outcome === 'INVALID') throw new BadRequestException(result.message);
    return result.award;
  }

  async succession(code: string, dto: UnitSuccessionDto) {
    const result = await recordSuccession(this.dataSource, { oldCode: code, newCode: dto.successorCode, reason: dto.reason, effectiveDate: dto.effectiveDate });
    if (result.outcome === 'NOT_FOUND') throw new NotFoundException(result.message);
    if (result.outcome === 'CONFLICT') throw new ConflictException(result.message);
    if (result.outcome === 'INVALID') throw new BadRequestException(result.message);
    return { oldCode: code, ...dto };
  }
}

/** An award id: a positive integer that fits the table's bigint (anything else is a 400, never a database error). */
const idPipe: PipeTransform<string, number> = {
  transform(value: string) {
    if (!/^[1-9]\d{0,14}$/.test(value)) throw new BadRequestException('id must be an award id (a positive integer)');
    return Number(value);
  },
};

@ApiTags('registry')
@ApiBearerAuth()
@Controller()
export class RegistryController {
  constructor(private readonly registry: RegistryService) {}

  @Get('registry')
  @ApiOperation({ summary: "a unit's awards (hồ sơ thành tích) by unit, title, year or decision number; a renamed or merged unit's under its code today" })
  @ApiOkResponse({ type: AwardPage })
  find(@Query() q: AwardQueryDto) {
    return this.registry.find(q);
  }

  @Post('registry/imports')
  @Roles(...REGISTRY_ROLES)
  @UseGuards(SpreadsheetUploadGuard)
  @ApiOperation({ summary: 'import older awards from a spreadsheet (XLSX or CSV, Vietnamese headers): every row or none, errors per row' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: ImportReport })
  @ApiBadRequestResponse({ type: ImportRefusal, description: 'rows with errors (each with its row, column and message; nothing imported), or no readable file' })
  @ApiConflictResponse({ type: ImportRefusal, description: 'a row collided with an award recorded meanwhile (nothing imported), or the first request with this Idempotency-Key is still being processed' })
  import(@UploadedFile() file: UploadedSpreadsheet | undefined) {
    return this.registry.import(file);
  }

  @Post('registry/awards/:id/revocation')
  @Roles(...REGISTRY_ROLES)
  @ApiOperation({ summary: 'revoke an imported award (thu hồi) with a reason and the revoking decision; an award decided in tdkt-flow is revoked through its nomination' })
  @ApiParam({ name: 'id', description: "the award's id (as GET /registry shows it)", schema: { type: 'integer', minimum: 1, example: 12 } })
  @ApiCreatedResponse({ type: AwardItem })
  revoke(@Param('id', idPipe) id: number, @Body() dto: AwardRevocationDto, @Action() ctx: ActionContext) {
    return this.registry.revoke(id, dto, ctx);
  }

  @Post('units/:code/succession')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'record that a unit was renamed or merged into another (2025 reform): its history follows it' })
  @ApiCreatedResponse({ type: SuccessionItem })
  succession(@Param('code') code: string, @Body() dto: UnitSuccessionDto) {
    return this.registry.succession(code, dto);
  }
}
