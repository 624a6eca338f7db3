/**
 * Nominations (hồ sơ đề nghị của một đơn vị): list and detail from the read model, scoped to the
 * caller; the unit's self-assessment and amendment, the Department's review and the recorded
 * Government decision as updates of the nomination workflow; the chained history for auditors.
 */
import { Body, ConflictException, Controller, ForbiddenException, Get, Inject, Injectable, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import {
  amendUpdate,
  consultationUpdate,
  governmentDecisionUpdate,
  reviewUpdate,
  submitSelfAssessmentUpdate,
  withdrawUpdate,
  WORKFLOW_TYPES,
  type AwardRevocationInput,
  type NominationView,
} from '@tdkt/contracts';
import { isFinalStage, nominationWorkflowId, type Actor } from '@tdkt/domain';
import { AuditEventEntity, CampaignEntity, NominationEntity } from '@tdkt/persistence';
import { toItem } from '../audit/audit';
import { Action, Roles, type ActionContext } from '../common/auth';
import { ReadModel } from '../common/read-model';
import { actingUnits, canSeeNomination, isStaff, requireOwnUnit } from '../common/scope';
import { DATA_SOURCE } from '../common/tokens';
import { WorkflowGateway } from '../common/workflow-gateway';
import { AmendmentDto, ConsultationDto, GovernmentDecisionDto, NominationQueryDto, RevocationDto, ReviewDto, SelfAssessmentDto, WithdrawDto } from './dto';

/** How long a list's total is shared by requests with the same filters and scope. */
const TOTAL_CACHE_MS = 1_000;

@Injectable()
export class NominationsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly read: ReadModel,
    private readonly workflows: WorkflowGateway,
  ) {}

  /** Totals of recent list queries, by filter and scope: `total` may lag by up to TOTAL_CACHE_MS. */
  private readonly totals = new Map<string, { total: number; until: number }>();

  /**
   * A page of nominations. The page's ids come first from the (year, id) index alone, then only
   * those rows are read (a "deferred join"): paging deep into a year of 100k nominations no longer
   * reads every row it skips. The last page gives the exact total; a full page counts with
   * COUNT(*), shared for TOTAL_CACHE_MS by requests with the same filters and scope, instead of a
   * count of the whole year on every request.
   */
  async list(q: NominationQueryDto, actor: Actor): Promise<{ items: NominationView[]; total: number; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const qb = this.dataSource.getRepository(NominationEntity).createQueryBuilder('n');
    if (q.year !== undefined) qb.andWhere('n.year = :year', { year: q.year });
    if (q.clusterCode) qb.andWhere('n.cluster_code = :cluster', { cluster: q.clusterCode });
    if (q.unitCode) qb.andWhere('n.unit_code = :unit', { unit: q.unitCode });
    if (q.stage) qb.andWhere('n.stage = :stage', { stage: q.stage });
    if (!isStaff(actor)) {
      const unit = actor.unitCode ?? '';
      if (actor.roles.includes('CLUSTER_HEAD')) {
        qb.andWhere("(n.unit_code = :own OR n.view->>'parentUnitCode' = :own OR n.campaign_id IN (SELECT id FROM campaign WHERE head_unit_code = :own))", { own: unit });
      } else {
        qb.andWhere("(n.unit_code = :own OR n.view->>'parentUnitCode' = :own)", { own: unit });
      }
    }
    const offset = (page - 1) * pageSize;
    const pageIds = await qb.clone().select('n.id', 'id').orderBy('n.year', 'DESC').addOrderBy('n.id', 'ASC').offset(offset).limit(pageSize).getRawMany<{ id: string }>();
    const ids = pageIds.map((r) => r.id);
    // A page that is not full is the last one: it gives the exact total without counting.
    let total: number;
    if (ids.length < pageSize && (ids.length > 0 || page === 1)) total = offset + ids.length;
    else if (ids.length === 0) total = await this.totalOf(qb); // past the last page
    else total = Math.max(await this.totalOf(qb), offset + ids.length); // a full page: at least this many
    const rows = ids.length ? await this.dataSource.getRepository(NominationEntity).findBy({ id: In(ids) }) : [];
    const byId = new Map(rows.map((r) => [r.id, r.view]));
    const items = ids.map((id) => byId.get(id)).filter((v): v is NominationView => v !== undefined);
    return { items, total, page, pageSize };
  }

  private async totalOf(qb: SelectQueryBuilder<NominationEntity>): Promise<number> {
    const [sql, params] = qb.getQueryAndParameters();
    const key = `${sql}|${JSON.stringify(params)}`;
    const now = Date.now();
    const cached = this.totals.get(key);
    if (cached && cached.until > now) return cached.total;
    const row = await qb.clone().select('COUNT(*)::int', 'total').orderBy().getRawOne<{ total: number }>();
    const total = row?.total ?? 0;
    if (this.totals.size >= 1_000) this.totals.clear();
    this.totals.set(key, { total, until: now + TOTAL_CACHE_MS });
    return total;
  }

  /** The nomination if the caller may see it: 404 when missing, 403 when another unit's. */
  async visible(id: string, actor: Actor): Promise<NominationEntity> {
    const nomination = await this.read.nomination(id);
    const campaign = isStaff(actor) ? null : await this.dataSource.getRepository(CampaignEntity).findOneBy({ id: nomination.campaignId });
    if (!canSeeNomination(actor, nomination, campaign)) throw new ForbiddenException(`nomination ${id} belongs to another unit`);
    return nomination;
  }

  async get(id: string, actor: Actor): Promise<NominationView> {
    return (await this.visible(id, actor)).view;
  }

  /** Common checks before an update: exists, in scope, not final. */
  private async actionable(id: string, ctx: ActionContext, ownUnit: boolean): Promise<NominationEntity> {
    const nomination = await this.read.nomination(id);
    if (ownUnit) requireOwnUnit(ctx.actor, actingUnits(nomination));
    if (isFinalStage(nomination.stage)) throw new ConflictException(`nomination ${id} is closed (stage ${nomination.stage})`);
    return nomination;
  }

  async selfAssessment(id: string, dto: SelfAssessmentDto, ctx: ActionContext): Promise<NominationView> {
    await this.actionable(id, ctx, true);
    return this.workflows.update(
      nominationWorkflowId(id),
      submitSelfAssessmentUpdate,
      {
        score: dto.score,
        achievementReport: dto.achievementReport.normalize('NFC'),
        criteria: (dto.criteria ?? []).map((c) => ({ code: c.code, score: c.score, ...(c.name ? { name: c.name.normalize('NFC') } : {}) })),
        actor: ctx.actor,
        requestId: ctx.requestId,
      },
      ctx.updateId,
      'the self-assessment',
    );
  }

  async review(id: string, dto: ReviewDto, ctx: ActionContext): Promise<NominationView> {
    await this.actionable(id, ctx, false);
    return this.workflows.update(
      nominationWorkflowId(id),
      reviewUpdate,
      { decision: dto.decision, reason: dto.reason.normalize('NFC'), actor: ctx.actor, requestId: ctx.requestId },
      ctx.updateId,
      'the review',
    );
  }

  async amend(id: string, dto: AmendmentDto, ctx: ActionContext): Promise<NominationView> {
    await this.actionable(id, ctx, true);
    return this.workflows.update(
      nominationWorkflowId(id),
      amendUpdate,
      { achievementReport: dto.achievementReport.normalize('NFC'), note: dto.note.normalize('NFC'), actor: ctx.actor, requestId: ctx.requestId },
      ctx.updateId,
      'the amendment',
    );
  }

  async governmentDecision(id: string, dto: GovernmentDecisionDto, ctx: ActionContext): Promise<NominationView> {
    await this.actionable(id, ctx, false);
    return this.workflows.update(
      nominationWorkflowId(id),
      governmentDecisionUpdate,
      { decision: dto.decision, decisionNumber: dto.decisionNumber.normalize('NFC'), decisionDate: dto.decisionDate, actor: ctx.actor, requestId: ctx.requestId },
      ctx.updateId,
      'the Government decision',
    );
  }

  async withdraw(id: string, dto: WithdrawDto, ctx: ActionContext): Promise<NominationView> {
    await this.actionable(id, ctx, true);
    return this.workflows.update(
      nominationWorkflowId(id),
      withdrawUpdate,
      { reason: dto.reason.normalize('NFC'), actor: ctx.actor, requestId: ctx.requestId },
      ctx.updateId,
      'the withdrawal',
    );
  }

  async consultation(id: string, dto: ConsultationDto, ctx: ActionContext): Promise<NominationView> {
    await this.actionable(id, ctx, false);
    return this.workflows.update(
      nominationWorkflowId(id),
      consultationUpdate,
      { opinion: dto.opinion, reference: dto.reference.normalize('NFC'), actor: ctx.actor, requestId: ctx.requestId },
      ctx.updateId,
      'the consultation',
    );
  }

  /** Revokes an awarded title later (thu hồi), with the revoking decision's number and date. */
  async revoke(id: string, dto: RevocationDto, ctx: ActionContext): Promise<NominationView> {
    const nomination = await this.read.nomination(id);
    if (nomination.titles[dto.title] !== 'AWARDED') {
      throw new ConflictException(`${dto.title} of nomination ${id} is not awarded (status ${nomination.titles[dto.title] ?? 'none'}); nothing to revoke`);
    }
    const input: AwardRevocationInput = {
      nominationId: id,
      title: dto.title,
      reason: dto.reason.normalize('NFC'),
      decisionNumber: dto.decisionNumber.normalize('NFC'),
      decisionDate: dto.decisionDate,
      actor: ctx.actor,
      requestId: ctx.requestId,
    };
    return this.workflows.execute<NominationView>(WORKFLOW_TYPES.awardRevocation, `revocation:${id}:${dto.title}`, input, `the revocation of ${dto.title} of ${id}`);
  }

  async history(id: string, actor: Actor) {
    await this.visible(id, actor);
    const events = await this.dataSource.getRepository(AuditEventEntity).find({ where: { subjectId: id }, order: { seq: 'ASC' } });
    return {
      nominationId: id,
      items: events.map(toItem),
    };
  }
}

@ApiTags('nominations')
@ApiBearerAuth()
@Controller('nominations')
export class NominationsController {
  constructor(private readonly nominations: NominationsService) {}

  @Get()
  list(@Query() q: NominationQueryDto, @Action() ctx: ActionContext) {
    return this.nominations.list(q, ctx.actor);
  }

  @Get(':id')
  get(@Param('id') id: string, @Action() ctx: ActionContext) {
    return this.nominations.get(id, ctx.actor);
  }

  @Get(':id/history')
  history(@Param('id') id: string, @Action() ctx: ActionContext) {
    return this.nominations.history(id, ctx.actor);
  }

  @Post(':id/self-assessment')
  @Roles('UNIT_OFFICER')
  selfAssessment(@Param('id') id: string, @Body() dto: SelfAssessmentDto, @Action() ctx: ActionContext) {
    return this.nominations.selfAssessment(id, dto, ctx);
  }

  @Post(':id/review')
  @Roles('DEPARTMENT_REVIEWER')
  review(@Param('id') id: string, @Body() dto: ReviewDto, @Action() ctx: ActionContext) {
    return this.nominations.review(id, dto, ctx);
  }

  @Post(':id/amendment')
  @Roles('UNIT_OFFICER')
  amend(@Param('id') id: string, @Body() dto: AmendmentDto, @Action() ctx: ActionContext) {
    return this.nominations.amend(id, dto, ctx);
  }

  @Post(':id/withdrawal')
  @Roles('UNIT_OFFICER')
  withdraw(@Param('id') id: string, @Body() dto: WithdrawDto, @Action() ctx: ActionContext) {
    return this.nominations.withdraw(id, dto, ctx);
  }

  @Post(':id/consultation')
  @Roles('DEPARTMENT_REVIEWER')
  consultation(@Param('id') id: string, @Body() dto: ConsultationDto, @Action() ctx: ActionContext) {
    return this.nominations.consultation(id, dto, ctx);
  }

  @Post(':id/revocations')
  @Roles('DEPARTMENT_REVIEWER')
  revoke(@Param('id') id: string, @Body() dto: RevocationDto, @Action() ctx: ActionContext) {
    return this.nominations.revoke(id, dto, ctx);
  }

  @Post(':id/government-decision')
  @Roles('DEPARTMENT_REVIEWER')
  governmentDecision(@Param('id') id: string, @Body() dto: GovernmentDecisionDto, @Action() ctx: ActionContext) {
    return this.nominations.governmentDecision(id, dto, ctx);
  }
}
