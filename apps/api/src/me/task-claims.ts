/**
 * A claim binds the action its task stands for. Before the API sends that action to its workflow
 * (a review, an amendment, a council sitting opened or closed, …), the task's key is computed
 * from the request: when someone else holds it and the caller has the task too (same role and
 * scope), the request is refused with 409 naming the holder. A task nobody holds stays open to
 * everyone who has it. Once the action succeeds, the task is done: its claim and plan are deleted.
 *
 * This is one interceptor over the routes below, not a check in each service: the routes are
 * named by their controller methods (a renamed method fails to compile here), and the table is
 * the one place that says which action each task kind stands for. It runs after the guards (the
 * caller is known, the roles are checked) and inside the Idempotency-Key interceptor (a replay of
 * a stored answer does not check again), before the body is validated.
 */
import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { from, mergeMap, type Observable } from 'rxjs';
import type { Actor } from '@tdkt/domain';
import type { AuthedRequest } from '../common/auth';
import { CampaignsController } from '../campaigns/campaigns';
import { CouncilController } from '../council/council';
import { GovernmentController } from '../government/government';
import { NominationsController } from '../nominations/nominations';
import type { TaskAction } from './dto';
import { taskKey, TasksService } from './tasks';

type Request = AuthedRequest & { params: Record<string, string | undefined>; body: unknown };

/** Which task(s) a request acts on, and whether doing it ends them. */
interface ClaimedAction {
  action: TaskAction;
  /**
   * The subject of the task: `nomination` (the :id nomination; unit and round from it),
   * `nominations` (each of the body's nominationIds), `unit` (the :id campaign, for the body's
   * unitCode or else the caller's unit), `subject` (the :id campaign or council sitting alone).
   */
  subject: 'nomination' | 'nominations' | 'unit' | 'subject';
  /** False when the task goes on after the action (a consultation, before the submission). */
  completes: boolean;
}

/** The actions the tasks of GET /me/tasks stand for (a council member's vote is personal: nobody else can take it). */
const CLAIMED_ACTIONS = new Map<unknown, ClaimedAction>([
  [CampaignsController.prototype.register, { action: 'REGISTER', subject: 'unit', completes: true }],
  [CampaignsController.prototype.signCovenant, { action: 'SIGN_COVENANT', subject: 'unit', completes: true }],
  [CampaignsController.prototype.castBallot, { action: 'CAST_BALLOT', subject: 'unit', completes: true }],
  [CampaignsController.prototype.openVote, { action: 'OPEN_VOTE', subject: 'subject', completes: true }],
  [CampaignsController.prototype.closeVote, { action: 'CLOSE_VOTE', subject: 'subject', completes: true }],
  [CampaignsController.prototype.electLeadership, { action: 'ELECT_NEXT_YEAR_LEADERSHIP', subject: 'subject', completes: true }],
  [NominationsController.prototype.selfAssessment, { action: 'SUBMIT_SELF_ASSESSMENT', subject: 'nomination', completes: true }],
  [NominationsController.prototype.amend, { action: 'SUBMIT_AMENDMENT', subject: 'nomination', completes: true }],
  [NominationsController.prototype.review, { action: 'REVIEW', subject: 'nomination', completes: true }],
  [NominationsController.prototype.consultation, { action: 'RECORD_CONSULTATION_OR_SUBMIT', subject: 'nomination', completes: false }],
  [GovernmentController.prototype.submit, { action: 'RECORD_CONSULTATION_OR_SUBMIT', subject: 'nominations', completes: true }],
  [NominationsController.prototype.governmentDecision, { action: 'RECORD_GOVERNMENT_DECISION', subject: 'nomination', completes: true }],
  [CouncilController.prototype.open, { action: 'OPEN_COUNCIL_SESSION', subject: 'nominations', completes: true }],
  [CouncilController.prototype.close, { action: 'CLOSE_COUNCIL_SESSION', subject: 'subject', completes: true }],
]);

/** Actions that end every task of their :id nomination, whoever holds them (not a task's own action). */
const ENDS_ALL_TASKS = new Set<unknown>([NominationsController.prototype.withdraw]);

/** The body's field, when the (not yet validated) body has it with the expected type. */
function bodyField(body: unknown, field: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
}

@Injectable()
export class TaskClaimInterceptor implements NestInterceptor {
  private readonly logger = new Logger('task-claims');

  /** TasksService is a provider of the root AppModule: reached through the application's container, as DossierService does. */
  constructor(private readonly moduleRef: ModuleRef) {}

  private get tasks(): TasksService {
    return this.moduleRef.get(TasksService, { strict: false });
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const handler = ctx.getHandler();
    const claimed = CLAIMED_ACTIONS.get(handler);
    const endsAll = ENDS_ALL_TASKS.has(handler);
    const req = ctx.switchToHttp().getRequest<Request>();
    if ((!claimed && !endsAll) || !req.user) return next.handle();
    const { username, roles, unitCode } = req.user;
    const actor: Actor = { username, roles, ...(unitCode ? { unitCode } : {}) };
    return from(this.keysOf(claimed, req, actor)).pipe(
      mergeMap(async (keys) => {
        await this.tasks.requireNotHeldByAnother(actor, keys);
        return keys;
      }),
      mergeMap((keys) =>
        next.handle().pipe(
          mergeMap(async (answer: unknown) => {
            // Done: the claim and the plan go. A failure here must not turn a decision taken into an error.
            try {
              if (endsAll && req.params.id) await this.tasks.closeTasksOf(req.params.id);
              if (claimed?.completes) await this.tasks.closeTasks(keys);
            } catch (err) {
              this.logger.warn(`could not clear the tasks ${keys.join(', ') || req.params.id} after ${req.method} ${req.originalUrl}: ${(err as Error).message}`);
            }
            return answer;
          }),
        ),
      ),
    );
  }

  /** The keys of the tasks the request acts on (none when the request is too malformed to name one: validation answers it). */
  private async keysOf(claimed: ClaimedAction | undefined, req: Request, actor: Actor): Promise<string[]> {
    if (!claimed) return [];
    const id = req.params.id;
    const base = { subjectType: 'CAMPAIGN' as const, deadline: null };
    switch (claimed.subject) {
      case 'nomination':
        return id ? this.tasks.nominationTaskKeys(claimed.action, [id]) : [];
      case 'nominations': {
        const ids = bodyField(req.body, 'nominationIds');
        if (!Array.isArray(ids) || ids.length > 500 || !ids.every((x): x is string => typeof x === 'string')) return [];
        return this.tasks.nominationTaskKeys(claimed.action, ids);
      }
      case 'unit': {
        const given = bodyField(req.body, 'unitCode');
        const unit = typeof given === 'string' ? given : actor.unitCode;
        return id && unit ? [taskKey({ ...base, action: claimed.action, subjectId: id, unitCode: unit }, actor.username)] : [];
      }
      case 'subject':
        return id ? [taskKey({ ...base, action: claimed.action, subjectId: id }, actor.username)] : [];
    }
  }
}
