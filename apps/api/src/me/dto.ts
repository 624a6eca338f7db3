/** The task list's filters and the work tools on a task (claim, assign, hand over, release, plan). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { TASK_PRIORITIES, type TaskPriority } from '@tdkt/persistence';
import { IsCalendarDate, IsNotBlank } from '../common/validation';

/** At most this many tasks per page of GET /me/tasks, and the default page size. */
export const TASK_PAGE_MAX = 500;

export const TASK_ACTIONS = [
  'REGISTER',
  'SIGN_COVENANT',
  'ELECT_NEXT_YEAR_LEADERSHIP',
  'SUBMIT_SELF_ASSESSMENT',
  'SUBMIT_AMENDMENT',
  'CAST_BALLOT',
  'OPEN_VOTE',
  'CLOSE_VOTE',
  'REVIEW',
  'RECORD_CONSULTATION_OR_SUBMIT',
  'RECORD_GOVERNMENT_DECISION',
  'OPEN_COUNCIL_SESSION',
  'COUNCIL_VOTE',
  'CLOSE_COUNCIL_SESSION',
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export const TASK_ASSIGNEE_FILTERS = ['me', 'unassigned', 'others'] as const;
export const TASK_SORTS = ['deadline', 'priority', 'followUp'] as const;
export const SORT_ORDERS = ['asc', 'desc'] as const;

/** `ACTION|subjectId[|unitCode][|title][|rN: round 2 on][|username]`, e.g. `REVIEW|2026:KV-TP-TW:STP-HN|STP-HN`. */
export const TASK_KEY_PATTERN = /^[A-Z_]{1,40}(\|[A-Za-z0-9:._-]{1,120}){1,4}$/;
const USERNAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;


export class TaskQueryDto {
  @ApiPropertyOptional({ enum: TASK_ACTIONS, description: 'only tasks of this action' })
  @IsOptional()
  @IsIn(TASK_ACTIONS, { message: `action must be one of ${TASK_ACTIONS.join(', ')}` })
  action?: TaskAction;

  @ApiPropertyOptional({ enum: TASK_ASSIGNEE_FILTERS, description: 'me: held by the caller; unassigned: held by nobody; others: held by someone else' })
  @IsOptional()
  @IsIn(TASK_ASSIGNEE_FILTERS, { message: 'assignee must be one of me, unassigned, others' })
  assignee?: (typeof TASK_ASSIGNEE_FILTERS)[number];

  @ApiPropertyOptional({ enum: TASK_PRIORITIES })
  @IsOptional()
  @IsIn(TASK_PRIORITIES, { message: `priority must be one of ${TASK_PRIORITIES.join(', ')}` })
  priority?: TaskPriority;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only late tasks (past their deadline or due date); false: only the others' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: TASK_SORTS,
    description: 'deadline: the sooner of the deadline and the due date; priority: URGENT first by default; followUp: the follow-up date. Without it: late tasks first, then the soonest deadline',
  })
  @IsOptional()
  @IsIn(TASK_SORTS, { message: 'sort must be one of deadline, priority, followUp' })
  sort?: (typeof TASK_SORTS)[number];

  @ApiPropertyOptional({ enum: SORT_ORDERS, description: 'asc by default (desc for sort=priority: most urgent first); tasks without the date sorted on come last' })
  @IsOptional()
  @IsIn(SORT_ORDERS, { message: 'order must be asc or desc' })
  order?: (typeof SORT_ORDERS)[number];

  @ApiPropertyOptional({ default: 1, minimum: 1, description: 'the page of the sorted, filtered list' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number from 1' })
  @Min(1, { message: 'page must be a whole number from 1' })
  @Max(100_000, { message: 'page must be at most 100000' })
  page?: number;

  @ApiPropertyOptional({ default: TASK_PAGE_MAX, minimum: 1, maximum: TASK_PAGE_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `pageSize must be a whole number from 1 to ${TASK_PAGE_MAX}` })
  @Min(1, { message: `pageSize must be a whole number from 1 to ${TASK_PAGE_MAX}` })
  @Max(TASK_PAGE_MAX, { message: `pageSize must be a whole number from 1 to ${TASK_PAGE_MAX}` })
  pageSize?: number;
}

export class TaskKeyDto {
  @ApiProperty({ example: 'REVIEW|2026:KV-TP-TW:STP-HN|STP-HN', description: 'the `key` of a task of GET /me/tasks', maxLength: 300 })
  @IsString()
  @MaxLength(300)
  @Matches(TASK_KEY_PATTERN, { message: 'taskKey must be the key of a task of GET /me/tasks, e.g. REVIEW|2026:KV-TP-TW:STP-HN|STP-HN' })
  taskKey!: string;
}

export class AssignTaskDto extends TaskKeyDto {
  @ApiProperty({ example: 'vutdkt2', description: 'a user for whom the task is in their own task list (same role and scope)' })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be a username of 1-100 letters, digits, ., _ or -' })
  username!: string;
}

export class HandoverTaskDto extends AssignTaskDto {
  @ApiProperty({ example: 'Đã kiểm tra biên bản họp cụm, còn thiếu báo cáo tài chính', minLength: 1, maxLength: 2000, description: 'not blank; kept trimmed' })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  note!: string;
}

export class PlanTaskDto extends TaskKeyDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-12-15', description: 'the internal due date (YYYY-MM-DD); null clears it' })
  @IsOptional()
  @IsCalendarDate({ message: (a) => `${a.property} must be a date YYYY-MM-DD (or null to clear it)` })
  dueDate?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-12-10', description: 'when to look at it again (YYYY-MM-DD); null clears it' })
  @IsOptional()
  @IsCalendarDate({ message: (a) => `${a.property} must be a date YYYY-MM-DD (or null to clear it)` })
  followUpDate?: string | null;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES })
  @IsOptional()
  @IsIn(TASK_PRIORITIES, { message: `priority must be one of ${TASK_PRIORITIES.join(', ')}` })
  priority?: TaskPriority;
}

/** A task of the list, as GET /me/tasks shows it (OpenAPI). */
export class TaskItem {
  @ApiProperty({ example: 'REVIEW|2026:KV-TP-TW:STP-HN|STP-HN', description: 'stable key of the task: claim, assign, hand over and plan it by this key' })
  key!: string;
  @ApiProperty({ enum: TASK_ACTIONS }) action!: TaskAction;
  @ApiProperty({ enum: ['CAMPAIGN', 'NOMINATION', 'COUNCIL_SESSION'] }) subjectType!: 'CAMPAIGN' | 'NOMINATION' | 'COUNCIL_SESSION';
  @ApiProperty({ example: '2026:KV-TP-TW:STP-HN' }) subjectId!: string;
  @ApiPropertyOptional({ example: 'STP-HN' }) unitCode?: string;
  @ApiPropertyOptional({ example: 'MINISTRY_FLAG' }) title?: string;
  @ApiProperty({ type: String, nullable: true, description: 'the deadline the process sets (ISO instant or date)' }) deadline!: string | null;
  @ApiProperty({ description: 'past its deadline or its due date' }) overdue!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'vutdkt', description: 'who holds the task; null: nobody' }) assignee!: string | null;
  @ApiProperty({ type: String, nullable: true }) assignedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) assignedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the note of the last hand-over' }) handoverNote!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-15' }) dueDate!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-10' }) followUpDate!: string | null;
  @ApiProperty({ enum: TASK_PRIORITIES }) priority!: TaskPriority;
}

export class TaskList {
  @ApiProperty({ type: [TaskItem] }) items!: TaskItem[];
  @ApiProperty({ description: 'how many tasks match the filters, on every page' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
