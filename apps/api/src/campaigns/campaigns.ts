/**
 * Campaigns (phong trào thi đua của cụm): start, registration (đăng ký thi đua) and the cluster's
 * secret ballot (bỏ phiếu kín suy tôn). The controller is thin; the service checks role and unit
 * scope against the read model, then hands the decision to the campaign workflow.
 */
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  HttpStatus,
  Inject,
  Injectable,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { createHash, randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { In, type DataSource } from 'typeorm';
import {
  castBallotUpdate,
  electLeadershipUpdate,
  signCovenantUpdate,
  closeVoteUpdate,
  openVoteUpdate,
  registerUpdate,
  WORKFLOW_TYPES,
  type CampaignInput,
  type CampaignView,
} from '@tdkt/contracts';
import {
  campaignId,
  campaignWorkflowId,
  clusterCounting,
  DEFAULT_RULE_SET_ID,
  findRuleSet,
  validateClusterBallot,
  validateRunoffBallot,
  type Actor,
} from '@tdkt/domain';
import { CampaignEntity, derivedReceipt, loadBallotKey, NominationEntity, sealBallot, UnitEntity } from '@tdkt/persistence';
import { Action, Roles, type ActionContext } from '../common/auth';
import { NoStoredResponse } from '../common/idempotency.interceptor';
import { ReadModel } from '../common/read-model';
import { canSeeCampaign, isStaff, requireOwnUnit } from '../common/scope';
import { API_CONFIG, DATA_SOURCE } from '../common/tokens';
import { WorkflowGateway } from '../common/workflow-gateway';
import { BallotDto, CovenantDto, LeadershipDto, OpenVoteDto, RegisterDto, StartCampaignDto, YearQueryDto } from './dto';
import { campaignStatus, type CampaignStatus } from './status';
import type { ApiConfig } from '../config';

@Injectable()
export class CampaignsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly read: ReadModel,
    private readonly workflows: WorkflowGateway,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Seals ballots; held by the API and the worker only (BALLOT_KEY). */
  private readonly ballotKey = loadBallotKey();

  async start(dto: StartCampaignDto, ctx: ActionContext): Promise<{ id: string } | { id: string; starting: true; message: string }> {
    const members = dto.memberUnitCodes;
    if (!members.includes(dto.headUnitCode)) throw new BadRequestException('headUnitCode must be one of memberUnitCodes');
    if (dto.deputyUnitCode && !members.includes(dto.deputyUnitCode)) throw new BadRequestException('deputyUnitCode must be one of memberUnitCodes');
    if (dto.deputyUnitCode === dto.headUnitCode) throw new BadRequestException('deputyUnitCode must differ from headUnitCode');
    const known = await this.dataSource.getRepository(UnitEntity).findBy({ code: In(members) });
    const unknown = members.filter((c) => !known.some((u) => u.code === c));
    if (unknown.length) throw new BadRequestException(`memberUnitCodes: unknown units ${unknown.join(', ')}`);
    // Sub-units of the members (Chi cục under a Cục THADS) may be registered by them as candidates.
    const subUnits = await this.dataSource.getRepository(UnitEntity).findBy({ parentCode: In(members) });
    const ruleSet = findRuleSet(dto.ruleSet ?? DEFAULT_RULE_SET_ID);
    if (!ruleSet) throw new BadRequestException(`ruleSet: unknown rule set ${dto.ruleSet}`);
    if (dto.selfAssessmentDeadline && Date.parse(dto.selfAssessmentDeadline) <= Date.parse(dto.registrationDeadline)) {
      throw new BadRequestException('selfAssessmentDeadline must be after registrationDeadline');
    }
    const id = campaignId(dto.year, dto.clusterCode);
    if (await this.dataSource.getRepository(CampaignEntity).existsBy({ id })) throw new ConflictException(`campaign ${id} already exists`);
    const input: CampaignInput = {
      id,
      year: dto.year,
      clusterCode: dto.clusterCode,
      clusterName: dto.clusterName.normalize('NFC'),
      memberUnitCodes: members,
      headUnitCode: dto.headUnitCode,
      deputyUnitCode: dto.deputyUnitCode ?? null,
      registrationDeadline: new Date(dto.registrationDeadline).toISOString(),
      ...(dto.selfAssessmentDeadline ? { selfAssessmentDeadline: new Date(dto.selfAssessmentDeadline).toISOString() } : {}),
      ...(dto.reminderTime ? { reminderTime: dto.reminderTime } : {}),
      ruleSet: { id: ruleSet.id, version: ruleSet.version },
      startedBy: ctx.actor,
      requestId: ctx.requestId,
      subUnits: subUnits.map((u) => ({ unitCode: u.code, parentUnitCode: u.parentCode! })),
      unitKinds: Object.fromEntries([...known, ...subUnits].map((u) => [u.code, u.kind])),
    };
    await this.workflows.start(WORKFLOW_TYPES.campaign, campaignWorkflowId(id), input, `campaign ${id}`);
    // Reads right after the start should see the campaign and a nomination per member. When the
    // engine is too busy for its first write to land within the wait, the campaign has started all
    // the same (durably): the answer says so (202) instead of failing a request that succeeded.
    const visible = await this.read.settle(async () => {
      const count = await this.dataSource.getRepository(NominationEntity).countBy({ campaignId: id });
      return count === members.length && (await this.dataSource.getRepository(CampaignEntity).existsBy({ id }));
    }, this.config.campaignStartWaitMs);
    return visible ? { id } : { id, starting: true, message: `campaign ${id} has started; it will be listed once the worker has recorded it` };
  }

  async list(actor: Actor, year?: number): Promise<{ items: CampaignView[]; total: number }> {
    const qb = this.dataSource.getRepository(CampaignEntity).createQueryBuilder('c').orderBy('c.year', 'DESC').addOrderBy('c.id', 'ASC');
    if (year !== undefined) qb.andWhere('c.year = :year', { year });
    if (!isStaff(actor)) qb.andWhere(':unit = ANY(c.member_unit_codes)', { unit: actor.unitCode ?? '' });
    const rows = await qb.getMany();
    return { items: rows.map((r) => r.view), total: rows.length };
  }

  async get(id: string, actor: Actor): Promise<CampaignView & { status: CampaignStatus }> {
    const campaign = await this.read.campaign(id);
    if (!canSeeCampaign(actor, campaign)) throw new ForbiddenException(`campaign ${id} belongs to another cluster`);
    return { ...campaign.view, status: campaignStatus(campaign.view, new Date().toISOString()) };
  }

  /** The sector's late units across the year's campaigns (registration and self-assessment). */
  async overview(year: number) {
    const campaigns = await this.dataSource.getRepository(CampaignEntity).find({ where: { year }, order: { id: 'ASC' } });
    const now = new Date().toISOString();
    const units = await this.dataSource.getRepository(UnitEntity).find();
    const name = new Map(units.map((u) => [u.code, u.name]));
    const late = campaigns.flatMap((c) =>
      campaignStatus(c.view, now)
        .members.filter((m) => m.late)
        .map((m) => ({ campaignId: c.id, clusterCode: c.clusterCode, clusterName: c.clusterName, unitCode: m.unitCode, unitName: name.get(m.unitCode) ?? m.unitCode, ...m.late!, remindersSent: m.remindersSent })),
    );
    late.sort((a, b) => b.workingDaysLate - a.workingDaysLate || a.unitCode.localeCompare(b.unitCode));
    return {
      year,
      campaigns: campaigns.length,
      lateUnits: late.length,
      byKind: { REGISTRATION: late.filter((l) => l.kind === 'REGISTRATION').length, SELF_ASSESSMENT: late.filter((l) => l.kind === 'SELF_ASSESSMENT').length },
      items: late,
    };
  }

  async register(id: string, dto: RegisterDto, ctx: ActionContext) {
    const campaign = await this.read.campaign(id);
    requireOwnUnit(ctx.actor, dto.unitCode);
    if (!campaign.memberUnitCodes.includes(dto.unitCode)) throw new ForbiddenException(`unit ${dto.unitCode} is not a member of campaign ${id}`);
    const view = await this.workflows.update(
      campaignWorkflowId(id),
      registerUpdate,
      {
        unitCode: dto.unitCode,
        targetTitles: dto.targetTitles,
        ...(dto.subUnits?.length ? { subUnits: dto.subUnits.map((su) => ({ unitCode: su.unitCode, targetTitles: su.targetTitles })) } : {}),
        actor: ctx.actor,
        requestId: ctx.requestId,
      },
      ctx.updateId,
      'registration',
    );
    const member = view.members.find((m) => m.unitCode === dto.unitCode)!;
    return { campaignId: id, phase: view.phase, ...member, subUnits: view.subUnits.filter((su) => su.parentUnitCode === dto.unitCode) };
  }

  async signCovenant(id: string, dto: CovenantDto, ctx: ActionContext) {
    const campaign = await this.read.campaign(id);
    requireOwnUnit(ctx.actor, dto.unitCode);
    if (!campaign.memberUnitCodes.includes(dto.unitCode)) throw new ForbiddenException(`unit ${dto.unitCode} is not a member of campaign ${id}`);
    const view = await this.workflows.update(
      campaignWorkflowId(id),
      signCovenantUpdate,
      { unitCode: dto.unitCode, actor: ctx.actor, requestId: ctx.requestId },
      ctx.updateId,
      'the covenant',
    );
    const member = view.members.find((m) => m.unitCode === dto.unitCode)!;
    return { campaignId: id, unitCode: dto.unitCode, covenantSignedAt: member.covenantSignedAt };
  }

  async electLeadership(id: string, dto: LeadershipDto, ctx: ActionContext) {
    await this.requireHead(id, ctx.actor);
    const view = await this.workflows.update(
      campaignWorkflowId(id),
      electLeadershipUpdate,
      { headUnitCode: dto.headUnitCode, deputyUnitCode: dto.deputyUnitCode, actor: ctx.actor, requestId: ctx.requestId },
      ctx.updateId,
      "next year's head and deputy",
    );
    return { campaignId: id, year: view.year + 1, ...view.nextYear };
  }

  private async requireHead(id: string, actor: Actor): Promise<CampaignEntity> {
    const campaign = await this.read.campaign(id);
    if (campaign.headUnitCode !== actor.unitCode) throw new ForbiddenException(`only the cluster head (${campaign.headUnitCode}) of campaign ${id} may do this`);
    return campaign;
  }

  async openVote(id: string, dto: OpenVoteDto, ctx: ActionContext) {
    await this.requireHead(id, ctx.actor);
    return this.workflows.update(campaignWorkflowId(id), openVoteUpdate, { ...dto, actor: ctx.actor, requestId: ctx.requestId }, ctx.updateId, 'opening the vote');
  }

  /**
   * One ballot per member unit. The ballot is checked here against the round's candidates and
   * seats, then sealed (receipt hash and choices) before it reaches the workflow: Temporal's
   * history holds the voter and a ciphertext only. The voter gets a receipt; with an
   * Idempotency-Key the receipt is derived from the request, so a retry returns the same one
   * without it being stored anywhere.
   */
  async castBallot(id: string, dto: BallotDto, ctx: ActionContext) {
    const campaign = await this.read.campaign(id);
    requireOwnUnit(ctx.actor, dto.unitCode);
    if (!campaign.memberUnitCodes.includes(dto.unitCode)) throw new ForbiddenException(`unit ${dto.unitCode} is not a member of campaign ${id}`);
    const vote = campaign.view.vote;
    if (!vote || vote.status !== 'OPEN') throw new ConflictException('the ballot is not open');
    const runoff = vote.round > 1 ? vote.result?.runoff : undefined;
    const rules = this.ruleSetOf(campaign).clusterVote;
    // The voting unit and its sub-units: a rule set may forbid a vote for them, in every round.
    const voter = { unitCode: dto.unitCode, ownUnits: campaign.view.subUnits.filter((su) => su.parentUnitCode === dto.unitCode).map((su) => su.unitCode) };
    const problems = runoff
      ? [
          ...validateRunoffBallot(runoff.title === 'MINISTRY_FLAG' ? dto.ministryFlag : dto.governmentFlag, runoff, dto.abstain, { rules, voter }),
          ...((runoff.title === 'MINISTRY_FLAG' ? dto.governmentFlag : dto.ministryFlag).length ? [`this run-off round decides ${runoff.title} only`] : []),
        ]
      : validateClusterBallot(
          { ministryFlag: dto.ministryFlag, governmentFlag: dto.governmentFlag, ...(dto.abstain ? { abstain: dto.abstain } : {}) },
          {
            ministryFlagSeats: vote.ministryFlagSeats,
            governmentFlagSeats: vote.governmentFlagSeats,
            candidates: vote.candidates,
            rules,
            voter,
          },
        );
    if (problems.length) throw new BadRequestException(problems);
    const receipt = ctx.updateId ? derivedReceipt(this.ballotKey, ctx.updateId) : randomBytes(24).toString('base64url');
    const receiptHash = createHash('sha256').update(receipt).digest('hex');
    const sealedBallot = sealBallot(this.ballotKey, {
      receiptHash,
      ministryFlag: dto.ministryFlag,
      governmentFlag: dto.governmentFlag,
      ...(dto.abstain?.length ? { abstain: dto.abstain } : {}),
    });
    const result = await this.workflows.update(
      campaignWorkflowId(id),
      castBallotUpdate,
      { unitCode: dto.unitCode, sealedBallot, actor: ctx.actor, requestId: ctx.requestId },
      ctx.updateId,
      'the ballot',
    );
    return { receipt, round: result.round, ballotsCast: result.ballotsCast };
  }

  private ruleSetOf(campaign: CampaignEntity) {
    const ruleSet = findRuleSet(campaign.view.ruleSet.id, campaign.view.ruleSet.version);
    if (!ruleSet) throw new Error(`campaign ${campaign.id} is pinned to an unknown rule set ${campaign.view.ruleSet.id}@${campaign.view.ruleSet.version}`);
    return ruleSet;
  }

  async closeVote(id: string, ctx: ActionContext) {
    const campaign = await this.requireHead(id, ctx.actor);
    const vote = await this.workflows.update(campaignWorkflowId(id), closeVoteUpdate, { actor: ctx.actor, requestId: ctx.requestId }, ctx.updateId, 'closing the vote');
    if (vote.status === 'CLOSED') {
      // The result moves every member's nomination (to review or NOT_SELECTED): let reads see it.
      await this.read.settle(async () => !(await this.dataSource.getRepository(NominationEntity).existsBy({ campaignId: id, stage: In(['SELF_ASSESSMENT', 'CLUSTER_VOTE']) })));
    }
    return {
      status: vote.status,
      round: vote.round,
      ballotsCast: vote.result?.ballotsCast ?? vote.ballotsCast,
      valid: vote.result?.valid ?? false,
      ministryFlag: vote.result?.ministryFlag ?? [],
      governmentFlag: vote.result?.governmentFlag ?? [],
      runoff: vote.result?.runoff ?? null,
      problems: vote.result?.problems ?? [],
      abstentions: vote.result?.abstentions ?? { MINISTRY_FLAG: 0, GOVERNMENT_FLAG: 0 },
      thresholdBase: vote.result?.thresholdBase ?? null,
      quorumMet: vote.result?.quorumMet ?? null,
      counting: clusterCounting(this.ruleSetOf(campaign).clusterVote),
      ineligible: vote.result?.ineligible ?? [],
    };
  }

  /**
   * A voter checks with its receipt that its ballot is in the ballot box (and so in the tally):
   * only the holder of the receipt learns the choices recorded for it.
   */
  async checkReceipt(id: string, receipt: string) {
    await this.read.campaign(id);
    const receiptHash = createHash('sha256').update(receipt).digest('hex');
    const rows: { round: number; choices: { ministryFlag: string[]; governmentFlag: string[] } }[] = await this.dataSource.query(
      'SELECT round, choices FROM ballot_box WHERE campaign_id = $1 AND receipt_hash = $2',
      [id, receiptHash],
    );
    if (!rows.length) throw new NotFoundException('no ballot with this receipt in this campaign');
    return { counted: true, round: rows[0].round, choices: rows[0].choices };
  }

  /** The published ballot box of a closed vote: every ballot's receipt hash and choices, no voter. */
  async ballotBox(id: string, actor: Actor) {
    const view = await this.get(id, actor);
    if (view.vote?.status !== 'CLOSED') throw new ConflictException('the ballot box is published once the vote has closed');
    const rows: { round: number; receipt_hash: string; choices: unknown }[] = await this.dataSource.query(
      'SELECT round, receipt_hash, choices FROM ballot_box WHERE campaign_id = $1 ORDER BY round, receipt_hash',
      [id],
    );
    return { campaignId: id, items: rows.map((r) => ({ round: r.round, receiptHash: r.receipt_hash, choices: r.choices })) };
  }

  /** The vote (its result once closed), with how the campaign's rule set counts it: base kind, abstentions, self votes. */
  async vote(id: string, actor: Actor) {
    const view = await this.get(id, actor);
    const ruleSet = findRuleSet(view.ruleSet.id, view.ruleSet.version);
    const counting = ruleSet ? clusterCounting(ruleSet.clusterVote) : null;
    return { ...(view.vote ?? { status: 'NOT_OPENED', ballotsCast: 0, votedUnits: [], result: null }), counting };
  }
}

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @Roles('ADMIN', 'DEPARTMENT_REVIEWER')
  @ApiCreatedResponse({ description: '{ id } where id is <year>:<clusterCode>: the campaign and its nominations can be read at once' })
  @ApiAcceptedResponse({
    description:
      '{ id, starting: true, message }: the campaign workflow has started, but the engine is busy and its first write has not reached the read model yet; GET /campaigns/:id answers 404 until it has (usually seconds). Do not start it again: that is a 409.',
  })
  async start(@Body() dto: StartCampaignDto, @Action() ctx: ActionContext, @Res({ passthrough: true }) res: Response) {
    const started = await this.campaigns.start(dto, ctx);
    if ('starting' in started) res.status(HttpStatus.ACCEPTED);
    return started;
  }

  @Get()
  list(@Action() ctx: ActionContext, @Query('year') year?: string) {
    const y = year === undefined ? undefined : Number(year);
    if (y !== undefined && !Number.isInteger(y)) throw new BadRequestException('year must be an integer');
    return this.campaigns.list(ctx.actor, y);
  }

  @Get('overview')
  @Roles('ADMIN', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'COUNCIL_CHAIR')
  overview(@Query() q: YearQueryDto) {
    return this.campaigns.overview(q.year);
  }

  @Get(':id')
  get(@Param('id') id: string, @Action() ctx: ActionContext) {
    return this.campaigns.get(id, ctx.actor);
  }

  @Post(':id/registrations')
  @Roles('UNIT_OFFICER')
  register(@Param('id') id: string, @Body() dto: RegisterDto, @Action() ctx: ActionContext) {
    return this.campaigns.register(id, dto, ctx);
  }

  @Post(':id/covenant')
  @Roles('UNIT_OFFICER', 'UNIT_LEADER')
  signCovenant(@Param('id') id: string, @Body() dto: CovenantDto, @Action() ctx: ActionContext) {
    return this.campaigns.signCovenant(id, dto, ctx);
  }

  @Post(':id/leadership')
  @Roles('CLUSTER_HEAD')
  electLeadership(@Param('id') id: string, @Body() dto: LeadershipDto, @Action() ctx: ActionContext) {
    return this.campaigns.electLeadership(id, dto, ctx);
  }

  @Post(':id/vote/open')
  @Roles('CLUSTER_HEAD')
  openVote(@Param('id') id: string, @Body() dto: OpenVoteDto, @Action() ctx: ActionContext) {
    return this.campaigns.openVote(id, dto, ctx);
  }

  @Post(':id/vote/ballots')
  @Roles('UNIT_LEADER')
  @NoStoredResponse()
  @ApiCreatedResponse({ description: '{ receipt }: keep it to check later that the ballot was counted' })
  castBallot(@Param('id') id: string, @Body() dto: BallotDto, @Action() ctx: ActionContext) {
    return this.campaigns.castBallot(id, dto, ctx);
  }

  @Post(':id/vote/close')
  @Roles('CLUSTER_HEAD')
  closeVote(@Param('id') id: string, @Action() ctx: ActionContext) {
    return this.campaigns.closeVote(id, ctx);
  }

  @Get(':id/vote/receipts/:receipt')
  checkReceipt(@Param('id') id: string, @Param('receipt') receipt: string) {
    return this.campaigns.checkReceipt(id, receipt);
  }

  @Get(':id/vote/ballot-box')
  ballotBox(@Param('id') id: string, @Action() ctx: ActionContext) {
    return this.campaigns.ballotBox(id, ctx.actor);
  }

  @Get(':id/vote')
  vote(@Param('id') id: string, @Action() ctx: ActionContext) {
    return this.campaigns.vote(id, ctx.actor);
  }
}
