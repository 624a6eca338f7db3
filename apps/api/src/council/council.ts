/**
 * The Emulation Council's sittings (phiên họp Hội đồng Thi đua - Khen thưởng): the chair opens one
 * over nominations waiting for the council, members vote per nomination and title, the chair
 * records who was present and closes; the session workflow decides and tells each nomination.
 */
import { BadRequestException, Body, ConflictException, Controller, Get, Header, Inject, Injectable, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { In, type DataSource } from 'typeorm';
import {
  closeCouncilSessionUpdate,
  councilVoteUpdate,
  declareCouncilConflictUpdate,
  WORKFLOW_TYPES,
  type CouncilSessionInput,
  type CouncilSessionView,
} from '@tdkt/contracts';
import { councilCounting, councilSessionWorkflowId, findRuleSet, TITLES, type Title } from '@tdkt/domain';
import { CouncilSessionEntity, NominationEntity, UnitEntity } from '@tdkt/persistence';
import { Action, Roles, type ActionContext } from '../common/auth';
import { ReadModel } from '../common/read-model';
import { DATA_SOURCE } from '../common/tokens';
import { YearNominationsDto } from '../common/validation';
import { WorkflowGateway } from '../common/workflow-gateway';
import { renderCouncilMinutes } from './minutes';

/** The agenda of a sitting: a year and its nominations. */
export class OpenCouncilSessionDto extends YearNominationsDto {}

export class CouncilVoteDto {
  @ApiProperty({ example: '2026:KV-TP-TW:STP-HN' }) @IsString() nominationId!: string;
  @ApiProperty({ enum: TITLES }) @IsIn(TITLES) title!: Title;
  @ApiProperty({ required: false, description: 'for or against; required unless `abstain: true` or `conflict: true`' })
  @ValidateIf((o: CouncilVoteDto) => o.abstain !== true && o.conflict !== true)
  @IsBoolean()
  approve?: boolean;
  @ApiPropertyOptional({ description: 'the member abstains on this title (counted as the rule set says: council.abstentions)' })
  @IsOptional()
  @IsBoolean()
  abstain?: boolean;
  @ApiPropertyOptional({ description: 'instead of voting, declare a conflict of interest on the nomination (needs `reason`); the member is left out of its count' })
  @IsOptional()
  @IsBoolean()
  conflict?: boolean;
  @ApiPropertyOptional({ description: 'the reason of a declared conflict of interest' })
  @ValidateIf((o: CouncilVoteDto) => o.conflict === true || o.reason !== undefined)
  @IsString()
  @MinLength(1, { message: 'reason is required with conflict: true' })
  @MaxLength(1000)
  reason?: string;
}

/** A member's conflict of interest on a nomination of the sitting (xung đột lợi ích). */
export class CouncilConflictDto {
  @ApiProperty({ example: '2026:KV-TP-TW:STP-HN' }) @IsString() nominationId!: string;
  @ApiProperty({ example: 'Nguyên là thủ trưởng đơn vị được đề nghị' }) @IsString() @MinLength(1) @MaxLength(1000) reason!: string;
}

/** The year whose sittings to list. */
export class CouncilSessionQueryDto {
  @ApiProperty({ example: 2026 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year!: number;
}

export class CloseCouncilSessionDto {
  @ApiProperty({ example: 9 }) @IsInt() @Min(0) @Max(1000) membersPresent!: number;
}

@Injectable()
export class CouncilService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly read: ReadModel,
    private readonly workflows: WorkflowGateway,
  ) {}

  async open(dto: OpenCouncilSessionDto, ctx: ActionContext): Promise<CouncilSessionView> {
    const nominations = await this.dataSource.getRepository(NominationEntity).findBy({ id: In(dto.nominationIds) });
    const missing = dto.nominationIds.filter((id) => !nominations.some((n) => n.id === id));
    if (missing.length) throw new BadRequestException(`nominationIds: unknown nominations ${missing.join(', ')}`);
    const otherYear = nominations.filter((n) => n.year !== dto.year);
    if (otherYear.length) throw new BadRequestException(`nominationIds: ${otherYear.map((n) => n.id).join(', ')} are not of year ${dto.year}`);
    const notWaiting = nominations.filter((n) => n.stage !== 'COUNCIL_DECISION');
    if (notWaiting.length) {
      throw new ConflictException(`nominations not waiting for the council: ${notWaiting.map((n) => `${n.id} (${n.stage})`).join(', ')}`);
    }
    // A sitting counts every vote under one rule set (the first nomination's): nominations whose
    // rule sets count the council's votes differently (quorum, threshold, abstentions, conflicts)
    // need sittings of their own.
    const first = nominations.find((n) => n.id === dto.nominationIds[0])!;
    const councilRules = (ref: { id: string; version: number }) => {
      const council = findRuleSet(ref.id, ref.version)?.council;
      return council ? JSON.stringify({ quorum: council.quorum, flagThreshold: council.flagThreshold, counting: councilCounting(council) }) : `unknown ${ref.id}@${ref.version}`;
    };
    const counted = councilRules(first.view.ruleSet);
    const otherRules = nominations.filter((n) => councilRules(n.view.ruleSet) !== counted);
    if (otherRules.length) {
      const ref = (n: NominationEntity) => `${n.view.ruleSet.id} v${n.view.ruleSet.version}`;
      throw new BadRequestException(
        `nominationIds: ${otherRules.map((n) => `${n.id} (${ref(n)})`).join(', ')} are under rule sets whose council counts votes differently from ${ref(first)} of ${first.id}; open a sitting per rule set`,
      );
    }
    const [{ total }] = await this.dataSource.query(
      "SELECT count(*)::int AS total FROM app_user WHERE active AND roles && ARRAY['COUNCIL_MEMBER','COUNCIL_CHAIR']::text[]",
    );
    const items = dto.nominationIds.map((id) => {
      const n = nominations.find((x) => x.id === id)!;
      const titles = (Object.entries(n.titles) as [Title, string][]).filter(([, s]) => s === 'PROPOSED').map(([t]) => t);
      return { nominationId: id, unitCode: n.unitCode, titles };
    });
    // Session ids are <year>-<n>; a concurrent opening takes the next number.
    for (let attempt = 0; attempt < 5; attempt++) {
      const [{ count }] = await this.dataSource.query('SELECT count(*)::int AS count FROM council_session WHERE year = $1', [dto.year]);
      const id = `${dto.year}-${count + 1 + attempt}`;
      const input: CouncilSessionInput = {
        id,
        year: dto.year,
        items,
        membersTotal: total,
        ruleSet: first.view.ruleSet,
        openedBy: ctx.actor,
        requestId: ctx.requestId,
      };
      try {
        await this.workflows.start(WORKFLOW_TYPES.councilSession, councilSessionWorkflowId(id), input, `council session ${id}`);
      } catch (err) {
        if (err instanceof ConflictException) continue;
        throw err;
      }
      await this.read.waitFor(`council session ${id}`, () => this.dataSource.getRepository(CouncilSessionEntity).existsBy({ id }));
      return (await this.read.councilSession(id)).view;
    }
    throw new ConflictException('another council session was opened at the same moment; try again');
  }

  /** The sittings of a year, in the order they were opened (<year>-1, <year>-2, …, <year>-10). */
  async list(year: number): Promise<{ items: CouncilSessionView[]; total: number }> {
    const rows = await this.dataSource.getRepository(CouncilSessionEntity).findBy({ year });
    const items = rows.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true })).map((r) => r.view);
    return { items, total: items.length };
  }

  async get(id: string): Promise<CouncilSessionView> {
    return (await this.read.councilSession(id)).view;
  }

  async minutes(id: string): Promise<string> {
    const session = await this.get(id);
    const units = await this.dataSource.getRepository(UnitEntity).findBy({ code: In(session.items.map((i) => i.unitCode)) });
    return renderCouncilMinutes(session, Object.fromEntries(units.map((u) => [u.code, u.name])));
  }

  async vote(id: string, dto: CouncilVoteDto, ctx: ActionContext) {
    if (dto.conflict === true) {
      if (dto.abstain === true || dto.approve !== undefined) throw new BadRequestException('conflict: a declared conflict of interest carries no approve or abstain');
      return this.declareConflict(id, { nominationId: dto.nominationId, reason: dto.reason! }, ctx);
    }
    if (dto.abstain === true && dto.approve === true) throw new BadRequestException('approve: an abstention cannot approve');
    await this.read.councilSession(id);
    return this.workflows.update(
      councilSessionWorkflowId(id),
      councilVoteUpdate,
      {
        nominationId: dto.nominationId,
        title: dto.title,
        ...(dto.abstain === true ? { abstain: true } : { approve: dto.approve }),
        actor: ctx.actor,
        requestId: ctx.requestId,
      },
      ctx.updateId,
      'the council vote',
    );
  }

  /** A member declares a conflict of interest on a nomination: refused once the member voted on it. */
  async declareConflict(id: string, dto: CouncilConflictDto, ctx: ActionContext) {
    await this.read.councilSession(id);
    const reason = dto.reason.normalize('NFC').trim();
    if (!reason) throw new BadRequestException('reason is required');
    return this.workflows.update(
      councilSessionWorkflowId(id),
      declareCouncilConflictUpdate,
      { nominationId: dto.nominationId, reason, actor: ctx.actor, requestId: ctx.requestId },
      ctx.updateId,
      'the declaration of a conflict of interest',
    );
  }

  async close(id: string, dto: CloseCouncilSessionDto, ctx: ActionContext): Promise<CouncilSessionView> {
    await this.read.councilSession(id);
    const view = await this.workflows.update(
      councilSessionWorkflowId(id),
      closeCouncilSessionUpdate,
      { membersPresent: dto.membersPresent, actor: ctx.actor, requestId: ctx.requestId },
      ctx.updateId,
      'closing the council session',
    );
    // Each nomination on the agenda moves on (awarded, to the Government, or not awarded): let reads see it.
    const ids = view.items.map((i) => i.nominationId);
    await this.read.settle(async () => !(await this.dataSource.getRepository(NominationEntity).existsBy({ id: In(ids), stage: 'COUNCIL_DECISION' })));
    return view;
  }
}

@ApiTags('council')
@ApiBearerAuth()
@Controller('council-sessions')
export class CouncilController {
  constructor(private readonly council: CouncilService) {}

  @Post()
  @Roles('COUNCIL_CHAIR')
  open(@Body() dto: OpenCouncilSessionDto, @Action() ctx: ActionContext) {
    return this.council.open(dto, ctx);
  }

  @Get()
  @Roles('COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN')
  @ApiOperation({ summary: 'the sittings of a year, ordered by id (<year>-1, <year>-2, …)' })
  @ApiOkResponse({
    description: '{ items: the sittings as GET /council-sessions/:id shows them, total }',
    schema: { type: 'object', required: ['items', 'total'], properties: { items: { type: 'array', items: { type: 'object' } }, total: { type: 'integer' } } },
  })
  list(@Query() q: CouncilSessionQueryDto) {
    return this.council.list(q.year);
  }

  @Get(':id')
  @Roles('COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN')
  get(@Param('id') id: string) {
    return this.council.get(id);
  }

  @Get(':id/minutes')
  @Roles('COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  minutes(@Param('id') id: string) {
    return this.council.minutes(id);
  }

  @Post(':id/votes')
  @Roles('COUNCIL_MEMBER', 'COUNCIL_CHAIR')
  vote(@Param('id') id: string, @Body() dto: CouncilVoteDto, @Action() ctx: ActionContext) {
    return this.council.vote(id, dto, ctx);
  }

  @Post(':id/conflicts')
  @Roles('COUNCIL_MEMBER', 'COUNCIL_CHAIR')
  declareConflict(@Param('id') id: string, @Body() dto: CouncilConflictDto, @Action() ctx: ActionContext) {
    return this.council.declareConflict(id, dto, ctx);
  }

  @Post(':id/close')
  @Roles('COUNCIL_CHAIR')
  close(@Param('id') id: string, @Body() dto: CloseCouncilSessionDto, @Action() ctx: ActionContext) {
    return this.council.close(id, dto, ctx);
  }
}
