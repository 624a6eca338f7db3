/**
 * The Government flag (Cờ thi đua của Chính phủ) after the council: the sector's quota for the
 * year (≤ 20 % of the units leading their clusters by default, Công văn 5007/BNV-TĐKT) and the
 * submission of a batch of dossiers to the Government (trình Chính phủ). The decision itself is
 * recorded per nomination (POST /nominations/:id/government-decision).
 */
import { BadRequestException, Body, ConflictException, Controller, Get, Inject, Injectable, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { In, type DataSource } from 'typeorm';
import { governmentSubmissionUpdate, type NominationView } from '@tdkt/contracts';
import { findRuleSet, governmentFlagQuota, nominationWorkflowId } from '@tdkt/domain';
import { NominationEntity } from '@tdkt/persistence';
import { Action, Roles, type ActionContext } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';
import { YearNominationsDto } from '../common/validation';
import { WorkflowGateway } from '../common/workflow-gateway';

/** A batch submitted to the Government: a year and its nominations. */
export class GovernmentSubmissionDto extends YearNominationsDto {}

export class QuotaQueryDto {
  @ApiProperty({ example: 2026 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year!: number;
}

export interface GovernmentQuota {
  year: number;
  /** Units the cluster votes of the year proposed for the Ministry flag (units leading their clusters). */
  leadingUnits: number;
  clusters: number;
  /** Most Government-flag dossiers the sector may submit for the year. */
  quota: number;
  /** Already submitted. */
  submitted: number;
}

/** Advisory-lock namespace of submissions, so two batches of one year cannot both pass the quota. */
const SUBMISSION_LOCK = 0x676f76; // "gov"

@Injectable()
export class GovernmentService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly workflows: WorkflowGateway,
  ) {}

  async quota(year: number, runner: Pick<DataSource, 'query'> = this.dataSource): Promise<GovernmentQuota> {
    const rows: { view: NominationView; cluster_code: string }[] = await runner.query(
      "SELECT view, cluster_code FROM nomination WHERE year = $1 AND view->'clusterVote' <> 'null'::jsonb",
      [year],
    );
    const leading = rows.filter((r) => r.view.titles.MINISTRY_FLAG !== undefined);
    const clusters = new Set(leading.map((r) => r.cluster_code)).size;
    const submitted = rows.filter((r) => r.view.governmentSubmission).length;
    // The rule set of the year's campaigns (all pinned at start; the newest among them decides).
    const ruleSet = leading.map((r) => findRuleSet(r.view.ruleSet.id, r.view.ruleSet.version)).find((r) => r) ?? findRuleSet('default')!;
    return { year, leadingUnits: leading.length, clusters, quota: governmentFlagQuota(leading.length, ruleSet.governmentFlag, clusters), submitted };
  }

  async submit(dto: GovernmentSubmissionDto, ctx: ActionContext) {
    return this.dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [SUBMISSION_LOCK, dto.year]);
      const nominations = await tx.getRepository(NominationEntity).findBy({ id: In(dto.nominationIds) });
      const missing = dto.nominationIds.filter((id) => !nominations.some((n) => n.id === id));
      if (missing.length) throw new BadRequestException(`nominationIds: unknown nominations ${missing.join(', ')}`);
      const otherYear = nominations.filter((n) => n.year !== dto.year);
      if (otherYear.length) throw new BadRequestException(`nominationIds: ${otherYear.map((n) => n.id).join(', ')} are not of year ${dto.year}`);
      const notReady = nominations.filter((n) => n.stage !== 'GOVERNMENT_DECISION' || n.view.governmentSubmission);
      if (notReady.length) {
        throw new ConflictException(
          `not waiting for submission: ${notReady.map((n) => `${n.id} (${n.view.governmentSubmission ? 'already submitted' : n.stage})`).join(', ')}`,
        );
      }
      const quota = await this.quota(dto.year, tx);
      if (quota.submitted + nominations.length > quota.quota) {
        throw new ConflictException(
          `Government flag quota exceeded: ${quota.submitted} submitted + ${nominations.length} > ${quota.quota} allowed for ${dto.year} ` +
            `(${quota.leadingUnits} leading units in ${quota.clusters} clusters)`,
        );
      }
      const [{ n }] = await tx.query(
        "SELECT count(DISTINCT view->'governmentSubmission'->>'batchId')::int AS n FROM nomination WHERE year = $1 AND view->'governmentSubmission' <> 'null'::jsonb",
        [dto.year],
      );
      const batchId = `${dto.year}-G${n + 1}`;
      const submitted: NominationView[] = [];
      for (const id of dto.nominationIds) {
        submitted.push(
          await this.workflows.update(
            nominationWorkflowId(id),
            governmentSubmissionUpdate,
            { batchId, actor: ctx.actor, requestId: ctx.requestId },
            ctx.updateId ? `${ctx.updateId}:${id}` : undefined,
            `the submission of ${id}`,
          ),
        );
      }
      return { batchId, year: dto.year, nominationIds: dto.nominationIds, quota: { ...quota, submitted: quota.submitted + submitted.length } };
    });
  }
}

@ApiTags('government')
@ApiBearerAuth()
@Controller('government-submissions')
export class GovernmentController {
  constructor(private readonly government: GovernmentService) {}

  @Get('quota')
  @Roles('DEPARTMENT_REVIEWER', 'COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'AUDITOR', 'ADMIN')
  quota(@Query() q: QuotaQueryDto) {
    return this.government.quota(q.year);
  }

  @Post()
  @Roles('DEPARTMENT_REVIEWER')
  submit(@Body() dto: GovernmentSubmissionDto, @Action() ctx: ActionContext) {
    return this.government.submit(dto, ctx);
  }
}
