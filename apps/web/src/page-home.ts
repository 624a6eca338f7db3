/** The login page and the home page of each role: what waits on the user, late items first. */
import { get, login, qs } from './api.js';
import type { Ctx } from './app.js';
import { h, mount } from './dom.js';
import { t } from './i18n.js';
import type { Campaign, Nomination, Page as ListPage, Task } from './types.js';
import { actionLabel, badge, fmtDateTime, form, input, link, phaseLabel, section, stageBadge, str, table, titleLabel, titlesList, unitLabel } from './ui.js';

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

export const homePage = async (main: HTMLElement, _params: string[], ctx: Ctx): Promise<void> => {
  const { items } = await get<{ items: Task[] }>('/me/tasks');
  const tasks = [...items].sort((a, b) => Number(isLate(b)) - Number(isLate(a)) || (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'));
  const late = tasks.filter(isLate).length;
  const parts: (HTMLElement | null)[] = [
    ctx.setTitle(t('home.title')),
    h('p', null, t('home.hello', { user: ctx.user.username }), ctx.user.unitCode ? ` — ${unitLabel(ctx.user.unitCode)}` : ''),
    section(
      t('home.tasks'),
      h('p', null, t('home.taskCount', { n: tasks.length }), late ? [' ', badge(t('home.lateCount', { n: late }), 'late')] : null),
      table(
        t('home.tasks'),
        [t('home.col.action'), t('home.col.subject'), t('home.col.deadline'), t('home.col.state')],
        tasks.map((task) => [
          link(taskHref(task), actionLabel(task.action)),
          subject(task),
          fmtDateTime(task.deadline),
          isLate(task) ? badge(t('common.late'), 'late') : task.deadline ? badge(t('common.onTime'), 'ok') : '—',
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
