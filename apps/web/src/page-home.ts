/**
 * The login page and the home page of each role: what waits on the user, late items first, with
 * the work tools on each task (claim, release, assign, hand over, plan) and the list's filters.
 */
import { ApiError, get, login, post, qs } from './api.js';
import type { Ctx } from './app.js';
import { h, mount } from './dom.js';
import { t } from './i18n.js';
import { TASK_ACTIONS, TASK_PRIORITIES, type Campaign, type Nomination, type Page as ListPage, type Task, type TaskPriority } from './types.js';
import {
  actionButton,
  actionLabel,
  badge,
  errorPanel,
  fmtDate,
  fmtDateTime,
  form,
  input,
  link,
  phaseLabel,
  section,
  select,
  stageBadge,
  str,
  table,
  textarea,
  titleLabel,
  titlesList,
  unitLabel,
} from './ui.js';

export function loginPage(main: HTMLElement, notice: string | null): void {
  const f = form({
    label: t('login.form'),
    submit: t('login.submit'),
    fields: [
      input({ label: t('login.username'), name: 'username', required: true, autocomplete: 'username' }),
      input({ label: t('login.password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
    ],
    async onSubmit(data) {
      await login(str(data, 'username'), String(data.get('password') ?? ''));
      location.hash = '#/';
    },
  });
  f.querySelector('input')?.setAttribute('data-autofocus', '');
  mount(
    main,
    h(
      'div',
      { class: 'login' },
      h('h1', { tabindex: '-1' }, t('login.title')),
      h('p', null, t('login.intro')),
      notice ? h('div', { class: 'notice', role: 'status' }, notice) : null,
      f,
    ),
  );
  main.querySelector<HTMLElement>('[data-autofocus]')?.focus();
}

/** Where a task is done. */
export function taskHref(task: Task): string {
  switch (task.action) {
    case 'CAST_BALLOT':
      return `#/campaigns/${task.subjectId}/ballot`;
    case 'OPEN_COUNCIL_SESSION':
      return '#/council';
    case 'RECORD_CONSULTATION_OR_SUBMIT':
      return '#/government';
  }
  if (task.subjectType === 'CAMPAIGN') return `#/campaigns/${task.subjectId}`;
  if (task.subjectType === 'COUNCIL_SESSION') return `#/council/${task.subjectId}`;
  return `#/nominations/${task.subjectId}`;
}

export function isLate(task: { deadline: string | null; overdue?: boolean }): boolean {
  return !!task.overdue || (!!task.deadline && Date.parse(task.deadline) < Date.now());
}

function subject(task: Task): string {
  const unit = task.unitCode ? unitLabel(task.unitCode) : '';
  if (task.subjectType === 'COUNCIL_SESSION') return [t('task.session', { id: task.subjectId }), unit, task.title ? titleLabel(task.title) : ''].filter(Boolean).join(' · ');
  if (task.subjectType === 'CAMPAIGN') return [t('task.campaign', { id: task.subjectId }), unit].filter(Boolean).join(' · ');
  return [unit, task.subjectId].filter(Boolean).join(' · ');
}

const FILTER_NAMES = ['action', 'assignee', 'priority', 'overdue', 'sort', 'order'] as const;

function priorityBadge(priority: TaskPriority | undefined): HTMLElement {
  const p = priority ?? 'NORMAL';
  return badge(t(`priority.${p}`), p === 'URGENT' ? 'late' : p === 'HIGH' ? 'warn' : p === 'LOW' ? 'muted' : 'info');
}

function assigneeCell(task: Task, me: string): HTMLElement {
  if (!task.assignee) return h('span', { class: 'task-holder' }, badge(t('task.unassigned'), 'muted'));
  return h(
    'div',
    { class: 'task-holder' },
    h('span', null, task.assignee === me ? t('task.heldByYou', { user: me }) : task.assignee),
    task.assignedBy && task.assignedBy !== task.assignee ? h('small', null, t('task.assignedBy', { user: task.assignedBy, at: fmtDateTime(task.assignedAt) })) : null,
    task.handoverNote ? h('small', null, `${t('task.handoverNote')}: `, h('q', null, task.handoverNote)) : null,
  );
}

/** The filter and sort form: each control is one query parameter of GET /me/tasks. */
function filterForm(ctx: Ctx, current: Record<string, string>): HTMLFormElement {
  const all: [string, string] = ['', t('common.all')];
  return form({
    label: t('task.filter'),
    submit: t('task.applyFilter'),
    className: 'form grid task-filter',
    fields: [
      select({ label: t('task.f.action'), name: 'action', value: current.action, options: [all, ...TASK_ACTIONS.map((a): [string, string] => [a, actionLabel(a)])] }),
      select({
        label: t('task.f.assignee'),
        name: 'assignee',
        value: current.assignee,
        options: [all, ['me', t('task.f.assignee.me')], ['unassigned', t('task.f.assignee.unassigned')], ['others', t('task.f.assignee.others')]],
      }),
      select({ label: t('task.f.priority'), name: 'priority', value: current.priority, options: [all, ...TASK_PRIORITIES.map((p): [string, string] => [p, t(`priority.${p}`)])] }),
      select({ label: t('task.f.overdue'), name: 'overdue', value: current.overdue, options: [all, ['true', t('task.f.overdue.true')], ['false', t('task.f.overdue.false')]] }),
      select({
        label: t('task.f.sort'),
        name: 'sort',
        value: current.sort,
        options: [['', t('task.f.sort.default')], ['deadline', t('task.f.sort.deadline')], ['priority', t('task.f.sort.priority')], ['followUp', t('task.f.sort.followUp')]],
      }),
      select({ label: t('task.f.order'), name: 'order', value: current.order, options: [['', t('task.f.order.default')], ['asc', t('task.f.order.asc')], ['desc', t('task.f.order.desc')]] }),
    ],
    extraButtons: [link('#/', t('task.clearFilter'), { class: 'button' })],
    async onSubmit(data) {
      const q = new URLSearchParams();
      for (const name of FILTER_NAMES) if (str(data, name)) q.set(name, str(data, name));
      const hash = q.toString() ? `#/?${q.toString()}` : '#/';
      if (location.hash === hash) ctx.done('');
      else ctx.go(hash);
    },
  });
}

/** Claim, release, assign, hand over and plan one task (the API decides who may; its refusals show here). */
function taskTools(task: Task, ctx: Ctx): HTMLElement {
  const me = ctx.user.username;
  const heldByMe = task.assignee === me;
  const supervisor = ctx.has('UNIT_LEADER', 'ADMIN');
  // A council member's vote is personal: nobody else can take it.
  const personal = task.action === 'COUNCIL_VOTE';
  const name = `${actionLabel(task.action)} — ${subject(task)}`;
  const key = { taskKey: task.key };
  const buttons: HTMLElement[] = [];
  if (!task.assignee && !personal) {
    buttons.push(
      actionButton(
        t('task.claim'),
        async () => {
          try {
            await post('/me/tasks/claim', key);
          } catch (err) {
            // Someone claimed it first: say so, above the API's own message (who holds it).
            if (err instanceof ApiError && err.status === 409) throw err.withMessages([t('task.claimConflict'), ...err.messages]);
            throw err;
          }
          ctx.done(t('task.claimed', { task: name }));
        },
        { primary: true, context: name },
      ),
    );
  }
  if (task.assignee && (heldByMe || supervisor)) {
    buttons.push(
      actionButton(
        t('task.release'),
        async () => {
          await post('/me/tasks/release', key);
          ctx.done(t('task.released', { task: name }));
        },
        { context: name },
      ),
    );
  }
  const forms: HTMLElement[] = [];
  if (!personal && (!task.assignee || heldByMe || supervisor)) {
    forms.push(
      form({
        label: t('task.assign'),
        submit: t('task.assignSubmit'),
        fields: [input({ label: t('task.assignTo'), name: 'username', required: true, autocomplete: 'off', hint: t('task.assignHint') })],
        async onSubmit(data) {
          await post('/me/tasks/assign', { ...key, username: str(data, 'username') });
          ctx.done(t('task.assigned', { task: name, user: str(data, 'username') }));
        },
      }),
    );
  }
  if (!personal && heldByMe) {
    forms.push(
      form({
        label: t('task.handover'),
        submit: t('task.handoverSubmit'),
        fields: [
          input({ label: t('task.handoverTo'), name: 'username', required: true, autocomplete: 'off' }),
          textarea({ label: t('task.handoverNote'), name: 'note', required: true, rows: 3, hint: t('task.handoverHint') }),
        ],
        async onSubmit(data) {
          await post('/me/tasks/handover', { ...key, username: str(data, 'username'), note: str(data, 'note') });
          ctx.done(t('task.handedOver', { task: name, user: str(data, 'username') }));
        },
      }),
    );
  }
  if (!task.assignee || heldByMe || task.assignedBy === me || supervisor) {
    forms.push(
      form({
        label: t('task.plan'),
        submit: t('task.planSubmit'),
        fields: [
          input({ label: t('task.dueDate'), name: 'dueDate', type: 'date', value: task.dueDate ?? '', hint: t('task.dueDateHint') }),
          input({ label: t('task.followUpDate'), name: 'followUpDate', type: 'date', value: task.followUpDate ?? '' }),
          select({ label: t('task.priority'), name: 'priority', value: task.priority ?? 'NORMAL', options: TASK_PRIORITIES.map((p): [string, string] => [p, t(`priority.${p}`)]) }),
        ],
        async onSubmit(data) {
          // The form shows the current plan: a date emptied is cleared (null).
          await post('/me/tasks/plan', { ...key, dueDate: str(data, 'dueDate') || null, followUpDate: str(data, 'followUpDate') || null, priority: str(data, 'priority') });
          ctx.done(t('task.planned', { task: name }));
        },
      }),
    );
  }
  return h(
    'div',
    { class: 'task-tools', role: 'group', 'aria-label': t('task.toolsOf', { task: name }) },
    buttons.length ? h('div', { class: 'actions' }, buttons) : null,
    forms.length ? h('details', null, h('summary', null, t('task.more'), h('span', { class: 'sr-only' }, ` — ${name}`)), forms) : null,
  );
}

export const homePage = async (main: HTMLElement, params: string[], ctx: Ctx): Promise<void> => {
  const q = new URLSearchParams(params[0] ?? '');
  const current: Record<string, string> = Object.fromEntries(FILTER_NAMES.map((n) => [n, q.get(n) ?? '']));
  const filtered = FILTER_NAMES.some((n) => current[n]);
  let tasks: Task[] = [];
  let filterError: unknown = null;
  try {
    // The API filters and sorts (by default late tasks first, then the soonest deadline).
    tasks = (await get<{ items: Task[] }>(`/me/tasks${qs(current)}`)).items;
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 400)) throw err;
    filterError = err;
  }
  const late = tasks.filter(isLate).length;
  const me = ctx.user.username;
  const parts: (HTMLElement | null)[] = [
    ctx.setTitle(t('home.title')),
    h('p', null, t('home.hello', { user: ctx.user.username }), ctx.user.unitCode ? ` — ${unitLabel(ctx.user.unitCode)}` : ''),
    section(
      t('home.tasks'),
      filterForm(ctx, current),
      filterError ? errorPanel(filterError) : null,
      h('p', { role: 'status' }, filtered ? t('home.taskCountFiltered', { n: tasks.length }) : t('home.taskCount', { n: tasks.length }), late ? [' ', badge(t('home.lateCount', { n: late }), 'late')] : null),
      table(
        t('home.tasks'),
        [t('home.col.action'), t('home.col.subject'), t('home.col.deadline'), t('task.dueDate'), t('task.followUpDate'), t('task.priority'), t('task.assignee'), t('home.col.state'), t('task.actions')],
        tasks.map((task) => [
          link(taskHref(task), actionLabel(task.action)),
          subject(task),
          fmtDateTime(task.deadline),
          fmtDate(task.dueDate),
          fmtDate(task.followUpDate),
          priorityBadge(task.priority),
          assigneeCell(task, me),
          isLate(task) ? badge(t('common.late'), 'late') : task.deadline || task.dueDate ? badge(t('common.onTime'), 'ok') : '—',
          taskTools(task, ctx),
        ]),
        { rowClass: (i) => (isLate(tasks[i]) ? 'late' : null), id: 'tasks' },
      ),
      h('p', null, h('button', { type: 'button', onclick: () => ctx.done('') }, t('common.refresh'))),
    ),
  ];
  if (ctx.user.unitCode && ctx.has('UNIT_OFFICER', 'UNIT_LEADER', 'CLUSTER_HEAD')) {
    const [noms, campaigns] = await Promise.all([
      get<ListPage<Nomination>>(`/nominations${qs({ unitCode: ctx.has('CLUSTER_HEAD') && !ctx.has('UNIT_OFFICER') ? undefined : ctx.user.unitCode, pageSize: 50 })}`),
      get<ListPage<Campaign>>('/campaigns'),
    ]);
    parts.push(
      section(
        t('home.campaigns'),
        table(
          t('home.campaigns'),
          [t('campaign.col.id'), t('campaign.col.cluster'), t('campaign.col.phase'), t('campaign.col.head')],
          campaigns.items.map((c) => [link(`#/campaigns/${c.id}`, c.id), c.clusterName, phaseLabel(c.phase), unitLabel(c.headUnitCode)]),
        ),
      ),
      section(
        t('home.nominations'),
        table(
          t('home.nominations'),
          [t('nomination.col.id'), t('nomination.col.unit'), t('nomination.col.stage'), t('nomination.col.titles')],
          noms.items.map((n) => [link(`#/nominations/${n.id}`, n.id), unitLabel(n.unitCode), stageBadge(n.stage), titlesList(n.titles)]),
        ),
      ),
    );
  }
  mount(main, ...parts);
};
