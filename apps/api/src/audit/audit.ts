/**
 * Auditors (kiểm tra): the check of the whole decision chain, a search of the decision history
 * and its export as CSV (UTF-8 with BOM, so Excel shows Vietnamese correctly) or XLSX.
 * Read-only: the audit table refuses UPDATE and DELETE anyway.
 */
import { BadRequestException, Controller, Get, Inject, Injectable, Logger, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { stream as excelStream } from 'exceljs';
import type { Response } from 'express';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { AuditEventEntity, verifyAuditChain } from '@tdkt/persistence';
import { Roles } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';
import { AuditEventPage, AuditExportQueryDto, AuditQueryDto, type AuditEventItem, type AuditFilterDto } from './dto';

/** The columns of an export, in order. */
export const EXPORT_COLUMNS = [
  'seq',
  'at',
  'actor',
  'role',
  'actorUnitCode',
  'action',
  'subjectType',
  'subjectId',
  'fromStage',
  'toStage',
  'reason',
  'requestId',
  'hash',
  'prevHash',
] as const;
type ExportColumn = (typeof EXPORT_COLUMNS)[number];

const EXPORT_BATCH = 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** An ISO 8601 bound as an instant; a date alone is a UTC day (`to` then includes the whole day). */
export function parseBound(field: 'from' | 'to', value: string): { at: Date; exclusive: boolean } {
  if (DATE_ONLY.test(value)) {
    const day = new Date(`${value}T00:00:00.000Z`);
    if (field === 'to') day.setUTCDate(day.getUTCDate() + 1);
    return { at: day, exclusive: field === 'to' };
  }
  const at = new Date(HAS_ZONE.test(value) || !value.includes('T') ? value : `${value}Z`);
  if (Number.isNaN(at.getTime())) throw new BadRequestException(`${field} must be an ISO 8601 date or date-time such as 2026-01-31 or 2026-01-31T08:00:00+07:00`);
  return { at, exclusive: false };
}

/** An audit event as the API shows it (search, export, a nomination's history). */
export function toItem(e: AuditEventEntity): AuditEventItem {
  return {
    seq: e.seq,
    eventId: e.eventId,
    at: e.at.toISOString(),
    actor: e.actor,
    role: e.role,
    actorUnitCode: e.actorUnitCode,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    fromStage: e.fromStage,
    toStage: e.toStage,
    reason: e.reason,
    requestId: e.requestId,
    data: e.data,
    hash: e.hash,
    prevHash: e.prevHash,
  };
}

/** One CSV field: quoted when needed; text a spreadsheet would run as a formula is prefixed with '. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function exportValue(item: AuditEventItem, column: ExportColumn): string | number | null {
  return item[column];
}

@Injectable()
export class AuditService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  private filtered(q: AuditFilterDto): SelectQueryBuilder<AuditEventEntity> {
    const qb = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('e');
    if (q.actor) qb.andWhere('e.actor = :actor', { actor: q.actor });
    if (q.unitCode) {
      // Who acted for the unit, or what happened to the unit's nominations (<year>:<cluster>:<unit>).
      qb.andWhere("(e.actor_unit_code = :unit OR (e.subject_type = 'NOMINATION' AND right(e.subject_id, char_length(:unitSuffix)) = :unitSuffix))", {
        unit: q.unitCode,
        unitSuffix: `:${q.unitCode}`,
      });
    }
    if (q.action) qb.andWhere('e.action = :action', { action: q.action });
    if (q.subjectType) qb.andWhere('e.subject_type = :subjectType', { subjectType: q.subjectType });
    if (q.subjectId) qb.andWhere('e.subject_id = :subjectId', { subjectId: q.subjectId });
    const from = q.from === undefined ? undefined : parseBound('from', q.from);
    const to = q.to === undefined ? undefined : parseBound('to', q.to);
    if (from && to && (to.exclusive ? to.at <= from.at : to.at < from.at)) throw new BadRequestException('to must not be before from');
    if (from) qb.andWhere('e.at >= :from', { from: from.at.toISOString() });
    if (to) qb.andWhere(to.exclusive ? 'e.at < :to' : 'e.at <= :to', { to: to.at.toISOString() });
    return qb;
  }

  async search(q: AuditQueryDto): Promise<AuditEventPage> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const [rows, total] = await this.filtered(q)
      .orderBy('e.seq', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items: rows.map(toItem), total, page, pageSize };
  }

  /** Every matching event in seq order, a batch at a time (keyset pagination: no OFFSET scans). */
  async *stream(q: AuditFilterDto): AsyncGenerator<AuditEventItem[]> {
    let after = 0;
    for (;;) {
      const rows = await this.filtered(q).andWhere('e.seq > :after', { after }).orderBy('e.seq', 'ASC').take(EXPORT_BATCH).getMany();
      if (!rows.length) return;
      yield rows.map(toItem);
      after = rows[rows.length - 1].seq;
      if (rows.length < EXPORT_BATCH) return;
    }
  }
}

/** Writes and waits for the socket to drain, so a large export never piles up in memory. */
function write(res: Response, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) return reject(new Error('client went away'));
    if (res.write(chunk)) return resolve();
    res.once('drain', resolve);
    res.once('close', () => reject(new Error('client went away')));
  });
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  private readonly logger = new Logger('audit');

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Recomputes every link of the chain; names the first broken one. */
  @Get('verify')
  @Roles('AUDITOR', 'ADMIN')
  verify() {
    return verifyAuditChain(this.dataSource);
  }

  /** The decision history, filtered, oldest first. */
  @Get('events')
  @Roles('AUDITOR', 'ADMIN')
  @ApiOkResponse({ type: AuditEventPage })
  @ApiBadRequestResponse({ description: 'a filter is malformed; the message names it' })
  events(@Query() q: AuditQueryDto): Promise<AuditEventPage> {
    return this.audit.search(q);
  }

  /** The same filters, every matching event, as a file to download. */
  @Get('events/export')
  @Roles('AUDITOR', 'ADMIN')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: `attachment; columns ${EXPORT_COLUMNS.join(', ')}` })
  @ApiBadRequestResponse({ description: 'a filter or the format is malformed; the message names it' })
  async export(@Query() q: AuditExportQueryDto, @Res() res: Response): Promise<void> {
    const format = q.format ?? 'csv';
    const batches = this.audit.stream(q);
    // The first batch is read before any header goes out, so a bad filter is still a clean 400.
    const first = await batches.next();
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const filename = `audit-events-${stamp}.${format}`;
    res.status(200);
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    const rows = async function* () {
      if (!first.done) yield first.value;
      yield* batches;
    };
    try {
      if (format === 'csv') {
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        await write(res, `\uFEFF${EXPORT_COLUMNS.join(',')}\r\n`);
        for await (const batch of rows()) {
          await write(res, batch.map((item) => `${EXPORT_COLUMNS.map((c) => csvField(exportValue(item, c))).join(',')}\r\n`).join(''));
        }
        res.end();
      } else {
        res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        const workbook = new excelStream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
        workbook.creator = 'tdkt-flow';
        const sheet = workbook.addWorksheet('audit_event', { views: [{ state: 'frozen', ySplit: 1 }] });
        sheet.columns = EXPORT_COLUMNS.map((c) => ({ header: c, key: c, width: c === 'reason' ? 60 : c.endsWith('ash') ? 66 : 22 }));
        for await (const batch of rows()) {
          for (const item of batch) sheet.addRow(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, exportValue(item, c)]))).commit();
        }
        sheet.commit();
        await workbook.commit();
      }
    } catch (err) {
      // Headers are gone: all that can be done is to cut the download short and say why in the log.
      this.logger.error(`audit export failed: ${err instanceof Error ? err.message : String(err)}`);
      res.destroy();
    }
  }
}
