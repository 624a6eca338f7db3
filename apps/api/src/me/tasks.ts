/**
 * "What waits on me" (việc cần xử lý): for each of the caller's roles, the actions the pipeline
 * expects from it now, with the deadline where there is one; soonest deadline first.
 */
import { Controller, Get, Inject, Injectable } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import type { Actor } from '@tdkt/domain';
import { CampaignEntity, CouncilSessionEntity, NominationEntity } from '@tdkt/persistence';
import { Action, type ActionContext } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';

export interface Task {
  action:
    | 'REGISTER'
    | 'SIGN_COVENANT'
    | 'ELECT_NEXT_YEAR_LEADERSHIP'
    | 'SUBMIT_SELF_ASSESSMENT'
    | 'SUBMIT_AMENDMENT'
    | 'CAST_BALLOT'
    | 'OPEN_VOTE'
    | 'CLOSE_VOTE'
    | 'REVIEW'
    | 'RECORD_CONSULTATION_OR_SUBMIT'
    | 'RECORD_GOVERNMENT_DECISION'
    | 'OPEN_COUNCIL_SESSION'
    | 'COUNCIL_VOTE'
    | 'CLOSE_COUNCIL_SESSION';
  subjectType: 'CAMPAIGN' | 'NOMINATION' | 'COUNCIL_SESSION';
  subjectId: string;
  unitCode?: string;
  title?: string;
  deadline: string | null;
  /** The deadline has passed (e.g. the Department's appraisal time limit). */
  overdue?: boolean;
}

@Injectable()
export class TasksService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async tasksOf(actor: Actor): Promise<{ items: Task[] }> {
    const tasks: Task[] = [];
    const has = (r: Actor['roles'][number]) => actor.roles.includes(r);
    const campaigns = this.dataSource.getRepository(CampaignEntity);
    const nominations = this.dataSource.getRepository(NominationEntity);
    const unit = actor.unitCode;

    if (unit && (has('UNIT_OFFICER') || has('UNIT_LEADER'))) {
      const mine = await campaigns.createQueryBuilder('c').where(':unit = ANY(c.member_unit_codes)', { unit }).andWhere("c.phase <> 'CLOSED'").getMany();
      for (const c of mine) {
        const member = c.view.members.find((m) => m.unitCode === unit);
        if (has('UNIT_OFFICER') && (c.phase === 'REGISTRATION' || c.phase === 'SELF_ASSESSMENT') && !member?.registeredAt) {
          const late = Date.now() > Date.parse(c.view.registrationDeadline);
          tasks.push({ action: 'REGISTER', subjectType: 'CAMPAIGN', subjectId: c.id, unitCode: unit, deadline: c.view.registrationDeadline, overdue: late });
        }
        if (member?.registeredAt && !member.covenantSignedAt) {
          tasks.push({ action: 'SIGN_COVENANT', subjectType: 'CAMPAIGN', subjectId: c.id, unitCode: unit, deadline: null });
        }
        if (has('UNIT_LEADER') && c.view.vote?.status === 'OPEN' && !c.view.vote.votedUnits.includes(unit)) {
          tasks.push({ action: 'CAST_BALLOT', subjectType: 'CAMPAIGN', subjectId: c.id, unitCode: unit, deadline: null });
        }
      }
    }
    if (unit && has('UNIT_OFFICER')) {
      const own = await nominations
        .createQueryBuilder('n')
        .where("(n.unit_code = :unit OR n.view->>'parentUnitCode' = :unit)", { unit })
        .andWhere("n.stage IN ('SELF_ASSESSMENT', 'AMENDMENT')")
        .getMany();
      for (const n of own) {
        if (n.stage === 'SELF_ASSESSMENT' && n.view.registrationClosed) {
          tasks.push({ action: 'SUBMIT_SELF_ASSESSMENT', subjectType: 'NOMINATION', subjectId: n.id, unitCode: n.unitCode, deadline: null });
        }
        if (n.stage === 'AMENDMENT') {
          tasks.push({ action: 'SUBMIT_AMENDMENT', subjectType: 'NOMINATION', subjectId: n.id, unitCode: n.unitCode, deadline: n.view.review?.amendmentDeadline ?? null });
        }
      }
    }
    if (unit && has('CLUSTER_HEAD')) {
      const headed = await campaigns.find({ where: { headUnitCode: unit } });
      for (const c of headed) {
        if (c.phase === 'SELF_ASSESSMENT') tasks.push({ action: 'OPEN_VOTE', subjectType: 'CAMPAIGN', subjectId: c.id, deadline: null });
        if (c.phase === 'VOTING') tasks.push({ action: 'CLOSE_VOTE', subjectType: 'CAMPAIGN', subjectId: c.id, deadline: null });
        if (c.phase === 'CLOSED' && !c.view.nextYear) tasks.push({ action: 'ELECT_NEXT_YEAR_LEADERSHIP', subjectType: 'CAMPAIGN', subjectId: c.id, deadline: null });
      }
    }
    if (has('DEPARTMENT_REVIEWER')) {
      for (const n of await nominations.find({ where: [{ stage: 'DEPARTMENT_REVIEW' }, { stage: 'GOVERNMENT_DECISION' }], order: { updatedAt: 'ASC' }, take: 500 })) {
        if (n.stage === 'DEPARTMENT_REVIEW') {
          tasks.push({
            action: 'REVIEW',
            subjectType: 'NOMINATION',
            subjectId: n.id,
            unitCode: n.unitCode,
            deadline: n.view.reviewDue?.dueDate ?? null,
            overdue: n.view.reviewDue?.overdue ?? false,
          });
        } else {
          tasks.push({
            action: n.view.governmentSubmission ? 'RECORD_GOVERNMENT_DECISION' : 'RECORD_CONSULTATION_OR_SUBMIT',
            subjectType: 'NOMINATION',
            subjectId: n.id,
            unitCode: n.unitCode,
            deadline: null,
          });
        }
      }
    }
    if (has('COUNCIL_CHAIR') || has('COUNCIL_MEMBER')) {
      const open = await this.dataSource.getRepository(CouncilSessionEntity).find({ where: { status: 'OPEN' } });
      const onAgenda = new Set(open.flatMap((s) => s.view.items.map((i) => i.nominationId)));
      if (has('COUNCIL_CHAIR')) {
        for (const n of await nominations.find({ where: { stage: 'COUNCIL_DECISION' }, take: 500 })) {
          if (!onAgenda.has(n.id)) tasks.push({ action: 'OPEN_COUNCIL_SESSION', subjectType: 'NOMINATION', subjectId: n.id, unitCode: n.unitCode, deadline: null });
        }
        for (const s of open) tasks.push({ action: 'CLOSE_COUNCIL_SESSION', subjectType: 'COUNCIL_SESSION', subjectId: s.id, deadline: null });
      }
      for (const s of open) {
        for (const item of s.view.items) {
          for (const title of item.titles) {
            if (!(s.view.votedBy[`${item.nominationId}|${title}`] ?? []).includes(actor.username)) {
              tasks.push({ action: 'COUNCIL_VOTE', subjectType: 'COUNCIL_SESSION', subjectId: s.id, unitCode: item.unitCode, title, deadline: null });
            }
          }
        }
      }
    }
    // Overdue first, then the nearest deadline, then those without one.
    tasks.sort((a, b) => Number(!!b.overdue) - Number(!!a.overdue) || (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'));
    return { items: tasks };
  }
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly tasks: TasksService) {}

  @Get('tasks')
  tasksOf(@Action() ctx: ActionContext) {
    return this.tasks.tasksOf(ctx.actor);
  }
}
