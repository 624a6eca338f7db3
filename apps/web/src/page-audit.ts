/**
 * Auditors (kiểm tra): the verification of the chained history, the search of every decision with
 * its export (CSV, Excel), and the timeline of one nomination.
 */
import { get, getFile, qs } from './api.js';
import type { Ctx } from './app.js';
import { h, mount } from './dom.js';
import { t, type Key } from './i18n.js';
import type { AuditEvent, Page as ListPage } from './types.js';
import { actionButton, actionLabel, badge, dl, fmtDateTime, form, input, link, section, select, stageLabel, str, table } from './ui.js';
import { timeline } from './page-nomination.js';

const FILTERS = ['actor', 'unitCode', 'action', 'subjectType', 'subjectId', 'from', 'to'] as const;

/** GET /audit/verify: the first broken link and why (`problem`, in English), when the chain is broken. */
interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadSeq?: number | null;
  problem?: string | null;
}

/** The verifier's reason in the user's language, followed by the API's own words. */
function problemText(problem: string | null | undefined): string {
  if (!problem) return t('audit.problem.unknown');
  const missing = /^event (\d+) is missing$/.exec(problem);
  const known =
    problem === 'the event was changed after it was recorded'
      ? t('audit.problem.changed')
      : problem === 'prev_hash does not match the previous event'
        ? t('audit.problem.prevHash')
        : missing
          ? t('audit.problem.missing', { seq: missing[1] })
          : null;
  return known ? `${known} (${problem})` : problem;
}

function download(blob: Blob, filename: string): HTMLAnchorElement {
  const a = h('a', { href: URL.createObjectURL(blob), download: filename, class: 'download' }, t('audit.downloadReady', { file: filename }));
  return a;
}

export const auditPage = async (main: HTMLElement, params: string[], ctx: Ctx): Promise<void> => {
  const q = new URLSearchParams(params[0] ?? '');
  const filters = Object.fromEntries(FILTERS.map((f) => [f, q.get(f) ?? '']));
  const page = Number(q.get('page') ?? '1') || 1;
  const searching = FILTERS.some((f) => filters[f]);

  const verifyResult = h('div', { id: 'verify-result' });
  const verify = section(
    t('audit.verifyTitle'),
    h('p', null, t('audit.verifyIntro')),
    actionButton(
      t('audit.verify'),
      async () => {
        const r = await get<VerifyResult>('/audit/verify');
        // A broken chain is announced at once (role="alert"); a sound one politely (role="status").
        mount(
          verifyResult,
          h(
            'div',
            { class: r.ok ? 'success' : 'error', role: r.ok ? 'status' : 'alert' },
            h('p', null, r.ok ? badge(t('audit.chainOk'), 'ok') : badge(t('audit.chainBroken'), 'late')),
            r.ok ? null : h('p', { class: 'error-advice' }, t('audit.brokenAdvice')),
            dl([
              [t('audit.checked'), String(r.checked)],
              [t('audit.firstBad'), r.firstBadSeq ? String(r.firstBadSeq) : '—'],
              ...(r.ok ? [] : ([[t('audit.problem'), h('span', { id: 'verify-problem' }, problemText(r.problem))]] as [string, Node][])),
              [t('common.at'), fmtDateTime(new Date().toISOString())],
            ]),
          ),
        );
      },
      { primary: true },
    ),
    verifyResult,
  );

  const searchForm = form({
    label: t('audit.searchTitle'),
    submit: t('common.search'),
    className: 'form grid',
    fields: [
      input({ label: t('audit.actor'), name: 'actor', value: filters.actor }),
      input({ label: t('audit.unitCode'), name: 'unitCode', value: filters.unitCode }),
      input({ label: t('audit.action'), name: 'action', value: filters.action, hint: t('audit.actionHint') }),
      select({
        label: t('audit.subjectType'),
        name: 'subjectType',
        value: filters.subjectType,
        options: [
          ['', t('common.all')],
          ['CAMPAIGN', t('audit.subject.CAMPAIGN')],
          ['NOMINATION', t('audit.subject.NOMINATION')],
          ['COUNCIL_SESSION', t('audit.subject.COUNCIL_SESSION')],
          ['AWARD', t('audit.subject.AWARD')],
        ],
      }),
      input({ label: t('audit.subjectId'), name: 'subjectId', value: filters.subjectId }),
      input({ label: t('audit.from'), name: 'from', type: 'date', value: filters.from }),
      input({ label: t('audit.to'), name: 'to', type: 'date', value: filters.to }),
    ],
    async onSubmit(data) {
      const p = new URLSearchParams();
      for (const f of FILTERS) if (str(data, f)) p.set(f, str(data, f));
      // Validate with the API first so a bad filter shows its message here.
      await get(`/audit/events${qs({ ...Object.fromEntries(p), pageSize: 1 })}`);
      ctx.go(`#/audit?${p.toString()}`);
    },
  });

  const parts: (Node | null)[] = [ctx.setTitle(t('audit.title')), verify, section(t('audit.searchTitle'), searchForm)];
  if (searching) {
    const res = await get<ListPage<AuditEvent>>(`/audit/events${qs({ ...filters, page, pageSize: 100 })}`);
    const exportArea = h('div', { class: 'exports' });
    const exporter = (format: 'csv' | 'xlsx') =>
      actionButton(t(format === 'csv' ? 'audit.exportCsv' : 'audit.exportXlsx'), async () => {
        const { blob, filename } = await getFile(`/audit/events/export${qs({ ...filters, format })}`);
        const a = download(blob, filename);
        exportArea.replaceChildren(a);
        a.click();
        a.focus();
      });
    const pages = Math.max(1, Math.ceil(res.total / 100));
    const pageLink = (n: number, text: string) => link(`#/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), page: String(n) }).toString()}`, text);
    parts.push(
      section(
        t('audit.results', { n: res.total }),
        h('div', { class: 'actions' }, exporter('csv'), exporter('xlsx')),
        exportArea,
        table(
          t('audit.results', { n: res.total }),
          ['#', t('common.at'), t('audit.actor'), t('audit.action'), t('audit.subjectType'), t('audit.subjectId'), t('audit.stages'), t('timeline.reason')],
          res.items.map((e) => [
            String(e.seq),
            fmtDateTime(e.at),
            `${e.actor}${e.role ? ` (${t(`role.${e.role}` as never, {}, e.role)})` : ''}`,
            actionLabel(e.action),
            e.subjectType ? t(`audit.subject.${e.subjectType}` as Key, {}, e.subjectType) : '—',
            e.subjectType === 'NOMINATION' && e.subjectId ? link(`#/nominations/${e.subjectId}`, e.subjectId) : (e.subjectId ?? '—'),
            e.fromStage || e.toStage ? `${e.fromStage ? stageLabel(e.fromStage) : '—'} → ${e.toStage ? stageLabel(e.toStage) : '—'}` : '—',
            e.reason ?? '—',
          ]),
          { id: 'audit-results' },
        ),
        pages > 1 ? h('nav', { class: 'pager', 'aria-label': t('common.pages') }, page > 1 ? pageLink(page - 1, t('common.prev')) : null, ` ${page}/${pages} `, page < pages ? pageLink(page + 1, t('common.next')) : null) : null,
      ),
    );
  }
  parts.push(
    section(
      t('audit.timelineTitle'),
      form({
        label: t('audit.timelineForm'),
        submit: t('common.show'),
        className: 'form inline',
        fields: [input({ label: t('audit.nominationId'), name: 'id', placeholder: '2031:KV-TP-TW:STP-HN' })],
        async onSubmit(data) {
          const id = str(data, 'id');
          await get(`/nominations/${encodeURIComponent(id)}/history`);
          ctx.go(`#/timeline/${id}`);
        },
      }),
    ),
  );
  mount(main, ...parts);
};

export const timelinePage = async (main: HTMLElement, [id]: string[], ctx: Ctx): Promise<void> => {
  const res = await get<{ items: AuditEvent[] }>(`/nominations/${encodeURIComponent(id)}/history`);
  mount(main, ctx.setTitle(t('timeline.of', { id })), h('p', null, link(`#/nominations/${id}`, t('timeline.dossier'))), section(t('timeline.title'), timeline(res.items)));
};
