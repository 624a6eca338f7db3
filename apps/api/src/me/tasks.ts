/**
 * "What waits on me" (việc cần xử lý): for each of the caller's roles, the actions the pipeline
 * expects from it now, with the deadline where there is one; late tasks first, then the soonest
 * deadline. And the officers' work tools on it: a task has a stable key; who holds it (claim,
 * assign, hand over, release) and its plan (due date, follow-up date, priority) are kept in
 * task_assignment, one row per key.
 *
 * A key names one instance of a task: a task that comes back (the review and the amendment after
 * another RETURN) gets a new key with its round (`…|r2`), so it starts unclaimed and unplanned. A
 * claim binds the action the task stands for (task-claims.ts): while X holds it, another user who
 * has the task gets 409 naming X; once the action is done, the row of its key is deleted.
 * A task is looked up by its key directly (the subject it names), never in a capped list.
 *
 * Who may do what, by the key of a task:
 * - a task is "yours" when it is in your own task list (same role and scope: the same unit's
 *   officers, the cluster head's unit, every Department reviewer, …);
 * - claim: a task of yours that nobody holds (a race between two claimants has one winner: a
 *   single INSERT … ON CONFLICT … WHERE assignee IS NULL on the primary key; the other gets 409);
 * - assign: a task of yours that nobody or you hold, to a user for whom it is a task too; the
 *   unit's leader (UNIT_LEADER) may assign and reassign any task of the unit's officers, an
 *   administrator any task (to a user who has it);
 * - hand over: only the holder, to a user for whom it is a task too, with a note;
 * - release: the holder, the unit's leader, an administrator;
 * - plan: anyone for whom it is a task while nobody holds it; once held, the holder, who
 *   assigned it, the unit's leader or an administrator.
 * A council member's vote is personal: its key names the member, so no one else can take it.
 */
import { BadRequestException, Body, ConflictException, Controller, ForbiddenException, Get, HttpCode, Inject, Injectable, NotFoundException, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import type { Actor } from '@tdkt/domain';
import { CampaignEntity, CouncilSessionEntity, NominationEntity, updateReturning, UserEntity, type TaskPriority } from '@tdkt/persistence';
import { Action, type ActionContext } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';
import { AssignTaskDto, HandoverTaskDto, PlanTaskDto, TASK_PAGE_MAX, TaskItem, TaskKeyDto, TaskList, TaskQueryDto, type TaskAction } from './dto';

/** A task as the pipeline defines it (what, about what, until when). */
interface BaseTask {
  action: TaskAction;
  subjectType: 'CAMPAIGN' | 'NOMINATION' | 'COUNCIL_SESSION';
  subjectId: string;
  unitCode?: string;
  title?: string;
  deadline: string | null;
  /** The deadline has passed (e.g. the Department's appraisal time limit). */
  overdue?: boolean;
  /** Which instance of a task that can come back (1, 2, … review and amendment rounds); the key names rounds from 2 on. */
  round?: number;
}

/** What a key names: the action and its subject (enough to compute just that task). */
export interface TaskRef {
  action: string;
  subjectId: string;
}

/** The action and subject of a key (the first two parts). */
export function taskRefOf(key: string): TaskRef {
  const [action = '', subjectId = ''] = key.split('|');
  return { action, subjectId };
}

/** A task of the list: the pipeline's task, its key, who holds it and its plan. */
export interface Task extends BaseTask {
  key: string;
  overdue: boolean;
  assignee: string | null;
  assignedBy: string | null;
  assignedAt: string | null;
  handoverNote: string | null;
  dueDate: string | null;
  followUpDate: string | null;
  priority: TaskPriority;
}

interface PlanRow {
  task_key: string;
  assignee: string | null;
  assigned_by: string | null;
  assigned_at: Date | null;
  handover_note: string | null;
  due_date: string | null;
  follow_up_date: string | null;
  priority: TaskPriority;
}

/** Tasks that only the one who has them can do: their key names the user. */
const PERSONAL: readonly TaskAction[] = ['COUNCIL_VOTE'];

/** The stable key of a task, e.g. `REVIEW|2026:KV-TP-TW:STP-HN|STP-HN`. */
export function taskKey(t: BaseTask, username: string): string {
  const parts = [t.action, t.subjectId, t.unitCode, t.title].filter((p): p is string => !!p);
  if (t.round !== undefined && t.round > 1) parts.push(`r${t.round}`);
  if (PERSONAL.includes(t.action)) parts.push(username);
  return parts.join('|');
}

/**
 * The round of a nomination's review or amendment: the Department reviews it once, then once more
 * after each amendment; each RETURN opens one more amendment round. Other tasks have one instance.
 */
export function nominationTaskRound(action: TaskAction, amendments: number): number | undefined {
  return action === 'REVIEW' || action === 'SUBMIT_AMENDMENT' ? amendments + 1 : undefined;
}

/** A nomination as the task list reads it: a few fields, not the whole view. */
interface NominationTaskRow {
  id: string;
  unit_code: string;
  stage: string;
  review_due: { dueDate: string; overdue: boolean } | null;
  submitted: boolean;
  amendments: number;
}

/** How many amendments a nomination has had (`FROM nomination n`). */
const AMENDMENT_COUNT = `CASE WHEN jsonb_typeof(n.view->'amendments') = 'array' THEN jsonb_array_length(n.view->'amendments') ELSE 0 END`;
/** The columns of NominationTaskRow, for `SELECT … FROM nomination n`. */
const NOMINATION_TASK_COLUMNS = `n.id, n.unit_code, n.stage, n.view->'reviewDue' AS review_due,
  COALESCE(jsonb_typeof(n.view->'governmentSubmission') = 'object', false) AS submitted, ${AMENDMENT_COUNT} AS amendments`;

/** The end of a calendar date in Vietnam (UTC+7, no daylight saving), as epoch ms. */
const endOfDay = (date: string) => Date.parse(`${date}T23:59:59.999+07:00`);
const PRIORITY_RANK: Record<TaskPriority, number> = { LOW: 0, NORMAL: 1, HIGH: 2, URGENT: 3 };

/** The sooner of the process's deadline and the task's own due date, as epoch ms (null: neither). */
function effectiveDeadline(t: Task): number | null {
  const times = [t.deadline ? Date.parse(t.deadline) : NaN, t.dueDate ? endOfDay(t.dueDate) : NaN].filter((n) => !Number.isNaN(n));
  return times.length ? Math.min(...times) : null;
}

/** Compares two optional numbers, absent ones last whatever the direction. */
function compareOptional(a: number | null, b: number | null, direction: 1 | -1): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return (a - b) * direction;
}

@Injectable()
export class TasksService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * The caller's tasks with their holders and plans, filtered and sorted as asked, one page of
   * them (every task is computed and sorted first, so a page is a slice of the whole order).
   */
  async tasksOf(actor: Actor, q: TaskQueryDto = {}): Promise<{ items: Task[]; total: number; page: number; pageSize: number }> {
    let tasks = await this.withPlans(await this.computeTasks(actor), actor.username);
    if (q.action) tasks = tasks.filter((t) => t.action === q.action);
    if (q.priority) tasks = tasks.filter((t) => t.priority === q.priority);
    if (q.overdue) tasks = tasks.filter((t) => t.overdue === (q.overdue === 'true'));
    if (q.assignee === 'me') tasks = tasks.filter((t) => t.assignee === actor.username);
    if (q.assignee === 'unassigned') tasks = tasks.filter((t) => t.assignee === null);
    if (q.assignee === 'others') tasks = tasks.filter((t) => t.assignee !== null && t.assignee !== actor.username);
    // Default: late first, then the nearest deadline, then those without one.
    const byDefault = (a: Task, b: Task) => Number(b.overdue) - Number(a.overdue) || compareOptional(effectiveDeadline(a), effectiveDeadline(b), 1);
    const direction = (fallback: 'asc' | 'desc'): 1 | -1 => ((q.order ?? fallback) === 'asc' ? 1 : -1);
    if (q.sort === 'deadline') tasks.sort((a, b) => compareOptional(effectiveDeadline(a), effectiveDeadline(b), direction('asc')) || byDefault(a, b));
    else if (q.sort === 'followUp') {
      const followUp = (t: Task) => (t.followUpDate ? endOfDay(t.followUpDate) : null);
      tasks.sort((a, b) => compareOptional(followUp(a), followUp(b), direction('asc')) || byDefault(a, b));
    } else if (q.sort === 'priority') tasks.sort((a, b) => (PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority]) * direction('desc') || byDefault(a, b));
    else tasks.sort((a, b) => (q.order === 'desc' ? -1 : 1) * byDefault(a, b));
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? TASK_PAGE_MAX;
    return { items: tasks.slice((page - 1) * pageSize, page * pageSize), total: tasks.length, page, pageSize };
  }

  /** Claims a task of the caller's that nobody holds. Exactly one of two racing claimants wins. */
  async claim(key: string, ctx: ActionContext): Promise<Task> {
    const task = await this.ownTask(ctx.actor, key);
    const won: unknown[] = await this.dataSource.query(
      `INSERT INTO task_assignment (task_key, action, subject_type, subject_id, unit_code, assignee, assigned_by, assigned_at, updated_by, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$6, now(), $6, now())
       ON CONFLICT (task_key) DO UPDATE SET assignee = EXCLUDED.assignee, assigned_by = EXCLUDED.assigned_by, assigned_at = now(),
         handover_note = NULL, updated_by = EXCLUDED.updated_by, updated_at = now()
       WHERE task_assignment.assignee IS NULL
       RETURNING task_key`,
      [key, task.action, task.subjectType, task.subjectId, task.unitCode ?? null, ctx.actor.username],
    );
    if (won.length === 0) {
      const holder = await this.holderOf(key);
      throw new ConflictException(holder === ctx.actor.username ? `you already hold task ${key}` : `task ${key} is already held by ${holder ?? 'someone else'}`);
    }
    return this.taskFor(ctx.actor, key);
  }

  /** Gives a task to a user who has it too (see the rules at the top). */
  async assign(dto: AssignTaskDto, ctx: ActionContext): Promise<Task> {
    const { actor } = ctx;
    const key = dto.taskKey;
    const supervisor = await this.supervises(actor, key);
    const own = await this.findTask(actor, key);
    if (!own && !supervisor) throw this.notYours(key);
    const task = await this.requireTaskOf(dto.username, key);
    const assigned: unknown[] = await this.dataSource.query(
      `INSERT INTO task_assignment (task_key, action, subject_type, subject_id, unit_code, assignee, assigned_by, assigned_at, updated_by, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7, now(), $7, now())
       ON CONFLICT (task_key) DO UPDATE SET assignee = EXCLUDED.assignee, assigned_by = EXCLUDED.assigned_by, assigned_at = now(),
         handover_note = NULL, updated_by = EXCLUDED.updated_by, updated_at = now()
       WHERE $8 OR task_assignment.assignee IS NULL OR task_assignment.assignee = $7
       RETURNING task_key`,
      [key, task.action, task.subjectType, task.subjectId, task.unitCode ?? null, dto.username, actor.username, supervisor],
    );
    if (assigned.length === 0) {
      throw new ConflictException(`task ${key} is held by ${(await this.holderOf(key)) ?? 'someone else'}: only they may hand it over (or the unit's leader reassign it)`);
    }
    return this.taskFor(actor, key);
  }

  /** The holder gives the task to a colleague who has it too, with a note. */
  async handover(dto: HandoverTaskDto, ctx: ActionContext): Promise<Task> {
    const { actor } = ctx;
    const key = dto.taskKey;
    if (!(await this.findTask(actor, key))) throw this.notYours(key);
    if (dto.username === actor.username) throw new BadRequestException('username: hand the task over to someone else');
    await this.requireTaskOf(dto.username, key);
    const moved = await updateReturning(
      this.dataSource,
      `UPDATE task_assignment SET assignee = $3, assigned_by = $2, assigned_at = now(), handover_note = $4, updated_by = $2, updated_at = now()
        WHERE task_key = $1 AND assignee = $2 RETURNING task_key`,
      [key, actor.username, dto.username, dto.note.normalize('NFC').trim()],
    );
    if (moved.length === 0) throw new ConflictException(`you do not hold task ${key} (held by ${(await this.holderOf(key)) ?? 'nobody'}); claim it first`);
    return this.taskFor(actor, key);
  }

  /** Gives the task back to the pool. */
  async release(key: string, ctx: ActionContext): Promise<Task> {
    const { actor } = ctx;
    const supervisor = await this.supervises(actor, key);
    if (!supervisor && !(await this.findTask(actor, key))) throw this.notYours(key);
    const released = await updateReturning(
      this.dataSource,
      `UPDATE task_assignment SET assignee = NULL, assigned_by = NULL, assigned_at = NULL, handover_note = NULL, updated_by = $2, updated_at = now()
        WHERE task_key = $1 AND assignee IS NOT NULL AND ($3 OR assignee = $2) RETURNING task_key`,
      [key, actor.username, supervisor],
    );
    if (released.length === 0) throw new ConflictException(`you do not hold task ${key} (held by ${(await this.holderOf(key)) ?? 'nobody'})`);
    return this.taskFor(actor, key);
  }

  /** Sets the due date, the follow-up date and the priority (absent: unchanged; null: cleared). */
  async plan(dto: PlanTaskDto, ctx: ActionContext): Promise<Task> {
    const { actor } = ctx;
    const key = dto.taskKey;
    if (dto.dueDate === undefined && dto.followUpDate === undefined && dto.priority === undefined) {
      throw new BadRequestException('give at least one of dueDate, followUpDate, priority');
    }
    const supervisor = await this.supervises(actor, key);
    const task = (await this.findTask(actor, key)) ?? (await this.unitTask(actor, key)) ?? (supervisor ? await this.anyHolderTask(key) : null);
    if (!task) throw this.notYours(key);
    const planned: unknown[] = await this.dataSource.query(
      `INSERT INTO task_assignment (task_key, action, subject_type, subject_id, unit_code, due_date, follow_up_date, priority, updated_by, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6::date,$7::date, COALESCE($8::text, 'NORMAL'), $9, now())
       ON CONFLICT (task_key) DO UPDATE SET
         due_date = CASE WHEN $10::boolean THEN EXCLUDED.due_date ELSE task_assignment.due_date END,
         follow_up_date = CASE WHEN $11::boolean THEN EXCLUDED.follow_up_date ELSE task_assignment.follow_up_date END,
         priority = COALESCE($8::text, task_assignment.priority),
         updated_by = EXCLUDED.updated_by, updated_at = now()
       WHERE $12::boolean OR task_assignment.assignee IS NULL OR task_assignment.assignee = $9 OR task_assignment.assigned_by = $9
       RETURNING task_key`,
      [
        key,
        task.action,
        task.subjectType,
        task.subjectId,
        task.unitCode ?? null,
        dto.dueDate ?? null,
        dto.followUpDate ?? null,
        dto.priority ?? null,
        actor.username,
        dto.dueDate !== undefined,
        dto.followUpDate !== undefined,
        supervisor,
      ],
    );
    if (planned.length === 0) {
      throw new ForbiddenException(`task ${key} is held by ${(await this.holderOf(key)) ?? 'someone else'}: only they, who assigned it, or the unit's leader may plan it`);
    }
    return this.taskFor(actor, key);
  }

  // -- a claim binds the action the task stands for (task-claims.ts) ---------------------------

  /**
   * Before the action a task stands for: 409 naming the holder when someone else holds one of
   * these tasks and the actor has it too (same role and scope). A task nobody holds passes; so does
   * one the actor does not have at all (another unit, another role), which the action's own checks
   * answer (403, 404, 409) without learning who holds it.
   */
  async requireNotHeldByAnother(actor: Actor, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const held: { task_key: string; assignee: string }[] = await this.dataSource.query(
      'SELECT task_key, assignee FROM task_assignment WHERE task_key = ANY($1::text[]) AND assignee IS NOT NULL AND assignee <> $2 ORDER BY task_key',
      [keys, actor.username],
    );
    for (const h of held) {
      if (await this.findTask(actor, h.task_key)) {
        throw new ConflictException(`task ${h.task_key} is held by ${h.assignee}: only they may do it now (ask them to hand it over or release it)`);
      }
    }
  }

  /** After the action: the tasks are done, their claims and plans go with them. */
  async closeTasks(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.dataSource.query('DELETE FROM task_assignment WHERE task_key = ANY($1::text[])', [keys]);
  }

  /** After an action that ends every task of a subject (a withdrawn nomination). */
  async closeTasksOf(subjectId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM task_assignment WHERE subject_id = $1', [subjectId]);
  }

  /** The keys of one action's task on these nominations, with their unit and round as they are now (unknown ids are left out). */
  async nominationTaskKeys(action: TaskAction, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: Pick<NominationTaskRow, 'id' | 'unit_code' | 'amendments'>[] = await this.dataSource.query(
      `SELECT n.id, n.unit_code, ${AMENDMENT_COUNT} AS amendments FROM nomination n WHERE n.id = ANY($1::text[])`,
      [ids],
    );
    return rows.map((n) =>
      taskKey(
        { action, subjectType: 'NOMINATION', subjectId: n.id, unitCode: n.unit_code, deadline: null, round: nominationTaskRound(action, Number(n.amendments)) },
        '',
      ),
    );
  }

  // ---------------------------------------------------------------------------------------------

  private notYours(key: string): NotFoundException {
    return new NotFoundException(`task ${key} is not among your tasks (no such task for your role and unit, or it is done)`);
  }

  /** The actor's task of this key, computed for the subject the key names alone (no list, no cap). */
  private async findTask(actor: Actor, key: string): Promise<BaseTask | undefined> {
    return (await this.computeTasks(actor, taskRefOf(key))).find((t) => taskKey(t, actor.username) === key);
  }

  private async ownTask(actor: Actor, key: string): Promise<BaseTask> {
    const task = await this.findTask(actor, key);
    if (!task) throw this.notYours(key);
    return task;
  }

  /** The task as the given user sees it (the user must have it: same role and scope). */
  private async requireTaskOf(username: string, key: string): Promise<BaseTask> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ username });
    if (!user || !user.active) throw new BadRequestException(`username: no active user "${username}"`);
    const task = await this.findTask({ username: user.username, roles: user.roles, ...(user.unitCode ? { unitCode: user.unitCode } : {}) }, key);
    if (!task) {
      throw new ForbiddenException(
        `user ${username} (${user.roles.join(', ')}${user.unitCode ? ` of ${user.unitCode}` : ''}) cannot take task ${key}: it is not among their tasks (another role or unit)`,
      );
    }
    return task;
  }

  /** The task as a row of task_assignment knows it (for a supervisor who does not have it). */
  private async anyHolderTask(key: string): Promise<BaseTask | null> {
    const rows: { action: TaskAction; subject_type: BaseTask['subjectType']; subject_id: string; unit_code: string | null }[] = await this.dataSource.query(
      'SELECT action, subject_type, subject_id, unit_code FROM task_assignment WHERE task_key = $1',
      [key],
    );
    const r = rows[0];
    return r ? { action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, ...(r.unit_code ? { unitCode: r.unit_code } : {}), deadline: null } : null;
  }

  /**
   * Whether the actor may assign, release and plan the task whoever holds it: an administrator
   * (any task), or the leader of the unit whose officers have the task.
   */
  private async supervises(actor: Actor, key: string): Promise<boolean> {
    return actor.roles.includes('ADMIN') || !!(await this.unitTask(actor, key));
  }

  /** For a unit's leader: the task among the work of the unit's officers and leader. */
  private async unitTask(actor: Actor, key: string): Promise<BaseTask | undefined> {
    if (!actor.roles.includes('UNIT_LEADER') || !actor.unitCode) return undefined;
    const unitWork = await this.computeTasks({ username: actor.username, roles: ['UNIT_OFFICER', 'UNIT_LEADER'], unitCode: actor.unitCode }, taskRefOf(key));
    return unitWork.find((t) => taskKey(t, actor.username) === key);
  }

  private async holderOf(key: string): Promise<string | null> {
    const rows: { assignee: string | null }[] = await this.dataSource.query('SELECT assignee FROM task_assignment WHERE task_key = $1', [key]);
    return rows[0]?.assignee ?? null;
  }

  /** One task of the actor's list after a change (or, for a supervisor, as the row shows it). */
  private async taskFor(actor: Actor, key: string): Promise<Task> {
    const base = (await this.findTask(actor, key)) ?? (await this.unitTask(actor, key)) ?? (await this.anyHolderTask(key));
    if (!base) throw this.notYours(key);
    const [task] = await this.withPlans([base], actor.username, key);
    return task;
  }

  /** Adds key, holder and plan to each task. */
  private async withPlans(tasks: BaseTask[], username: string, fixedKey?: string): Promise<Task[]> {
    const keys = tasks.map((t) => fixedKey ?? taskKey(t, username));
    const rows: PlanRow[] = keys.length
      ? await this.dataSource.query(
          `SELECT task_key, assignee, assigned_by, assigned_at, handover_note, due_date::text AS due_date, follow_up_date::text AS follow_up_date, priority
             FROM task_assignment WHERE task_key = ANY($1::text[])`,
          [keys],
        )
      : [];
    const plans = new Map(rows.map((r) => [r.task_key, r]));
    const now = Date.now();
    return tasks.map((t, i) => {
      const plan = plans.get(keys[i]);
      const dueDate = plan?.due_date ?? null;
      return {
        ...t,
        key: keys[i],
        overdue: !!t.overdue || (dueDate !== null && now > endOfDay(dueDate)),
        assignee: plan?.assignee ?? null,
        assignedBy: plan?.assigned_by ?? null,
        assignedAt: plan?.assigned_at ? new Date(plan.assigned_at).toISOString() : null,
        handoverNote: plan?.handover_note ?? null,
        dueDate,
        followUpDate: plan?.follow_up_date ?? null,
        priority: plan?.priority ?? 'NORMAL',
      };
    });
  }

  /**
   * What the pipeline expects from the actor now, for each of its roles; with `only`, just the
   * task(s) of that action and subject (a claim, an assignment, the check before an action), read
   * by the subject's id instead of listing every task.
   */
  private async computeTasks(actor: Actor, only?: TaskRef): Promise<BaseTask[]> {
    const tasks: BaseTask[] = [];
    const has = (r: Actor['roles'][number]) => actor.roles.includes(r);
    const wants = (...actions: TaskAction[]) => !only || (actions as string[]).includes(only.action);
    const campaigns = this.dataSource.getRepository(CampaignEntity);
    const unit = actor.unitCode;

    if (unit && (has('UNIT_OFFICER') || has('UNIT_LEADER')) && wants('REGISTER', 'SIGN_COVENANT', 'CAST_BALLOT')) {
      const qb = campaigns.createQueryBuilder('c').where(':unit = ANY(c.member_unit_codes)', { unit }).andWhere("c.phase <> 'CLOSED'");
      if (only) qb.andWhere('c.id = :id', { id: only.subjectId });
      for (const c of await qb.getMany()) {
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
    if (unit && has('UNIT_OFFICER') && wants('SUBMIT_SELF_ASSESSMENT', 'SUBMIT_AMENDMENT')) {
      const qb = this.dataSource
        .getRepository(NominationEntity)
        .createQueryBuilder('n')
        .where("(n.unit_code = :unit OR n.view->>'parentUnitCode' = :unit)", { unit })
        .andWhere("n.stage IN ('SELF_ASSESSMENT', 'AMENDMENT')");
      if (only) qb.andWhere('n.id = :id', { id: only.subjectId });
      for (const n of await qb.getMany()) {
        if (n.stage === 'SELF_ASSESSMENT' && n.view.registrationClosed) {
          tasks.push({ action: 'SUBMIT_SELF_ASSESSMENT', subjectType: 'NOMINATION', subjectId: n.id, unitCode: n.unitCode, deadline: null });
        }
        if (n.stage === 'AMENDMENT') {
          tasks.push({
            action: 'SUBMIT_AMENDMENT',
            subjectType: 'NOMINATION',
            subjectId: n.id,
            unitCode: n.unitCode,
            deadline: n.view.review?.amendmentDeadline ?? null,
            round: nominationTaskRound('SUBMIT_AMENDMENT', n.view.amendments?.length ?? 0),
          });
        }
      }
    }
    if (unit && has('CLUSTER_HEAD') && wants('OPEN_VOTE', 'CLOSE_VOTE', 'ELECT_NEXT_YEAR_LEADERSHIP')) {
      const headed = await campaigns.find({ where: { headUnitCode: unit, ...(only ? { id: only.subjectId } : {}) } });
      for (const c of headed) {
        if (c.phase === 'SELF_ASSESSMENT') tasks.push({ action: 'OPEN_VOTE', subjectType: 'CAMPAIGN', subjectId: c.id, deadline: null });
        if (c.phase === 'VOTING') tasks.push({ action: 'CLOSE_VOTE', subjectType: 'CAMPAIGN', subjectId: c.id, deadline: null });
        if (c.phase === 'CLOSED' && !c.view.nextYear) tasks.push({ action: 'ELECT_NEXT_YEAR_LEADERSHIP', subjectType: 'CAMPAIGN', subjectId: c.id, deadline: null });
      }
    }
    if (has('DEPARTMENT_REVIEWER') && wants('REVIEW', 'RECORD_CONSULTATION_OR_SUBMIT', 'RECORD_GOVERNMENT_DECISION')) {
      // Every nomination waiting for the Department, a few fields each (no cap: GET /me/tasks pages the result).
      const rows: NominationTaskRow[] = await this.dataSource.query(
        `SELECT ${NOMINATION_TASK_COLUMNS} FROM nomination n
          WHERE n.stage IN ('DEPARTMENT_REVIEW', 'GOVERNMENT_DECISION') AND ($1::text IS NULL OR n.id = $1)
          ORDER BY n.updated_at, n.id`,
        [only?.subjectId ?? null],
      );
      for (const n of rows) {
        if (n.stage === 'DEPARTMENT_REVIEW') {
          tasks.push({
            action: 'REVIEW',
            subjectType: 'NOMINATION',
            subjectId: n.id,
            unitCode: n.unit_code,
            deadline: n.review_due?.dueDate ?? null,
            overdue: n.review_due?.overdue ?? false,
            round: nominationTaskRound('REVIEW', Number(n.amendments)),
          });
        } else {
          tasks.push({
            action: n.submitted ? 'RECORD_GOVERNMENT_DECISION' : 'RECORD_CONSULTATION_OR_SUBMIT',
            subjectType: 'NOMINATION',
            subjectId: n.id,
            unitCode: n.unit_code,
            deadline: null,
          });
        }
      }
    }
    if ((has('COUNCIL_CHAIR') || has('COUNCIL_MEMBER')) && wants('OPEN_COUNCIL_SESSION', 'CLOSE_COUNCIL_SESSION', 'COUNCIL_VOTE')) {
      const open = await this.dataSource.getRepository(CouncilSessionEntity).find({ where: { status: 'OPEN' } });
      const onAgenda = new Set(open.flatMap((s) => s.view.items.map((i) => i.nominationId)));
      const sessions = only ? open.filter((s) => s.id === only.subjectId) : open;
      if (has('COUNCIL_CHAIR')) {
        if (wants('OPEN_COUNCIL_SESSION')) {
          const rows: Pick<NominationTaskRow, 'id' | 'unit_code'>[] = await this.dataSource.query(
            `SELECT n.id, n.unit_code FROM nomination n WHERE n.stage = 'COUNCIL_DECISION' AND ($1::text IS NULL OR n.id = $1) ORDER BY n.updated_at, n.id`,
            [only?.subjectId ?? null],
          );
          for (const n of rows) {
            if (!onAgenda.has(n.id)) tasks.push({ action: 'OPEN_COUNCIL_SESSION', subjectType: 'NOMINATION', subjectId: n.id, unitCode: n.unit_code, deadline: null });
          }
        }
        for (const s of sessions) tasks.push({ action: 'CLOSE_COUNCIL_SESSION', subjectType: 'COUNCIL_SESSION', subjectId: s.id, deadline: null });
      }
      for (const s of sessions) {
        for (const item of s.view.items) {
          // A member who declared a conflict of interest on a nomination does not vote on it.
          if (item.conflicts?.some((c) => c.member === actor.username)) continue;
          for (const title of item.titles) {
            if (!(s.view.votedBy[`${item.nominationId}|${title}`] ?? []).includes(actor.username)) {
              tasks.push({ action: 'COUNCIL_VOTE', subjectType: 'COUNCIL_SESSION', subjectId: s.id, unitCode: item.unitCode, title, deadline: null });
            }
          }
        }
      }
    }
    return only ? tasks.filter((t) => t.action === only.action && t.subjectId === only.subjectId) : tasks;
  }
}

/** A documented error answer of the common shape (openapi.ts adds 404 only to routes with a path parameter). */
const notYoursResponse = () =>
  ApiResponse({
    status: 404,
    description: 'the task is not among your tasks (no such task for your role and unit, or it is done)',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
  });

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly tasks: TasksService) {}

  @Get('tasks')
  @ApiOperation({ summary: "the caller's tasks, with key, holder, due and follow-up dates and priority; filters and sort" })
  @ApiOkResponse({ type: TaskList })
  tasksOf(@Query() q: TaskQueryDto, @Action() ctx: ActionContext) {
    return this.tasks.tasksOf(ctx.actor, q);
  }

  @Post('tasks/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'claim a task of yours that nobody holds; 409 when someone holds it (one of two racing claimants wins)' })
  @ApiOkResponse({ type: TaskItem })
  @notYoursResponse()
  claim(@Body() dto: TaskKeyDto, @Action() ctx: ActionContext) {
    return this.tasks.claim(dto.taskKey, ctx);
  }

  @Post('tasks/assign')
  @HttpCode(200)
  @ApiOperation({ summary: "assign a task (yours, free or held by you; any of your unit's officers' tasks for its leader) to a user who has it too" })
  @ApiOkResponse({ type: TaskItem })
  @notYoursResponse()
  assign(@Body() dto: AssignTaskDto, @Action() ctx: ActionContext) {
    return this.tasks.assign(dto, ctx);
  }

  @Post('tasks/handover')
  @HttpCode(200)
  @ApiOperation({ summary: 'hand a task you hold over to a colleague who has it too, with a note' })
  @ApiOkResponse({ type: TaskItem })
  @notYoursResponse()
  handover(@Body() dto: HandoverTaskDto, @Action() ctx: ActionContext) {
    return this.tasks.handover(dto, ctx);
  }

  @Post('tasks/release')
  @HttpCode(200)
  @ApiOperation({ summary: "give a task you hold back (or, for the unit's leader, any of its officers' tasks)" })
  @ApiOkResponse({ type: TaskItem })
  @notYoursResponse()
  release(@Body() dto: TaskKeyDto, @Action() ctx: ActionContext) {
    return this.tasks.release(dto.taskKey, ctx);
  }

  @Post('tasks/plan')
  @HttpCode(200)
  @ApiOperation({ summary: 'set the due date, follow-up date and priority of a task (absent: unchanged; null: cleared)' })
  @ApiOkResponse({ type: TaskItem })
  @notYoursResponse()
  plan(@Body() dto: PlanTaskDto, @Action() ctx: ActionContext) {
    return this.tasks.plan(dto, ctx);
  }
}
