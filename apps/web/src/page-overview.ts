/**
 * The year overview: nominations by stage, awards per cluster, late registrations, as SVG charts
 * computed here from GET /nominations (every page), GET /campaigns and GET /campaigns/overview.
 */
import { ApiError, get, qs } from './api.js';
import type { Ctx } from './app.js';
import { h, mount } from './dom.js';
import { t } from './i18n.js';
import { barChart } from './charts.js';
import { STAGES, TITLES, type Campaign, type Nomination, type Overview, type Page as ListPage } from './types.js';
import { badge, form, fmtDateTime, input, link, section, stageLabel, str, table, titleLabel, unitLabel } from './ui.js';

async function allNominations(year: number): Promise<Nomination[]> {
  const out: Nomination[] = [];
  for (let page = 1; page <= 500; page++) {
    const res = await get<ListPage<Nomination>>(`/nominations${qs({ year, page, pageSize: 200 })}`);
    out.push(...res.items);
    if (out.length >= res.total || !res.items.length) break;
  }
  return out;
}

export const overviewPage = async (main: HTMLElement, params: string[], ctx: Ctx): Promise<void> => {
  const year = Number(new URLSearchParams(params[0] ?? '').get('year')) || new Date().getFullYear();
  const [nominations, campaigns, late] = await Promise.all([
    allNominations(year),
    get<ListPage<Campaign>>(`/campaigns${qs({ year })}`),
    get<Overview>(`/campaigns/overview${qs({ year })}`).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 403) return null;
      throw err;
    }),
  ]);

  const byStage = STAGES.map((s) => nominations.filter((n) => n.stage === s).length);
  const clusterName = new Map(campaigns.items.map((c) => [c.clusterCode, c.clusterName]));
  const clusters = [...new Set([...campaigns.items.map((c) => c.clusterCode), ...nominations.map((n) => n.clusterCode)])].sort();
  const awards = TITLES.map((title) => ({
    name: titleLabel(title),
    values: clusters.map((cl) => nominations.filter((n) => n.clusterCode === cl && n.titles[title] === 'AWARDED').length),
  }));
  const stillLate = clusters.map((cl) => late?.items.filter((i) => i.clusterCode === cl && i.kind === 'REGISTRATION').length ?? 0);
  const registeredLate = clusters.map((cl) => campaigns.items.filter((c) => c.clusterCode === cl).flatMap((c) => c.status?.members ?? []).filter((m) => m.registeredLate).length);
  // The list of campaigns carries no status: count registrations after the deadline from the members.
  const lateFromMembers = clusters.map((cl) =>
    campaigns.items
      .filter((c) => c.clusterCode === cl)
      .flatMap((c) => c.members.map((m) => ({ m, deadline: c.registrationDeadline })))
      .filter(({ m, deadline }) => m.registeredAt && Date.parse(m.registeredAt) > Date.parse(deadline)).length,
  );
  const label = (cl: string) => clusterName.get(cl) ?? cl;

  const yearForm = form({
    label: t('common.chooseYear'),
    submit: t('common.show'),
    className: 'form inline',
    fields: [input({ label: t('common.year'), name: 'year', type: 'number', value: year, inputmode: 'numeric' })],
    async onSubmit(data) {
      ctx.go(`#/overview?year=${encodeURIComponent(str(data, 'year'))}`);
    },
  });

  const parts: (Node | null)[] = [
    ctx.setTitle(t('overview.title', { year })),
    yearForm,
    h('p', null, t('overview.summary', { nominations: nominations.length, campaigns: campaigns.total })),
    section(
      t('overview.byStage'),
      barChart(t('overview.byStage'), t('overview.byStageDesc', { year, n: nominations.length }), STAGES.map(stageLabel), [{ name: t('overview.nominations'), values: byStage }]),
    ),
    section(t('overview.awards'), clusters.length ? barChart(t('overview.awards'), t('overview.awardsDesc', { year }), clusters.map(label), awards) : h('p', null, t('common.empty'))),
    section(
      t('overview.late'),
      clusters.length
        ? barChart(t('overview.late'), t('overview.lateDesc', { year }), clusters.map(label), [
            { name: t('overview.stillLate'), values: stillLate },
            { name: t('overview.registeredLate'), values: registeredLate.map((v, i) => Math.max(v, lateFromMembers[i])) },
          ])
        : h('p', null, t('common.empty')),
      late
        ? table(
            t('overview.lateUnits', { n: late.lateUnits }),
            [t('campaign.col.unit'), t('campaign.col.cluster'), t('overview.lateKind'), t('campaign.col.deadline'), t('overview.daysLate'), t('campaign.col.reminders')],
            late.items.map((i) => [
              unitLabel(i.unitCode),
              link(`#/campaigns/${i.campaignId}`, i.clusterName),
              t(i.kind === 'REGISTRATION' ? 'overview.kind.REGISTRATION' : 'overview.kind.SELF_ASSESSMENT'),
              fmtDateTime(i.deadline),
              badge(t('overview.days', { n: i.workingDaysLate }), 'late'),
              String(i.remindersSent),
            ]),
            { rowClass: () => 'late' },
          )
        : h('p', { class: 'hint' }, t('overview.lateForbidden')),
    ),
  ];
  mount(main, ...parts);
};
