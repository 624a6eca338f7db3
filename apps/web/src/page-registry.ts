/**
 * The award registry (hồ sơ thành tích): every title and award a unit received, looked up by unit
 * (today's code or a former one), title, year and decision number; each with its decision's number,
 * date and issuing body, the name the unit was awarded under when it has since been renamed or
 * merged, and revoked awards marked so with the reason. The Department's reviewers and the
 * administrator also import older awards from a spreadsheet (all rows or none: a refusal lists
 * every row's error) and revoke an imported award, after a confirmation step.
 */
import { ApiError, get, post, postForm, qs } from './api.js';
import type { Ctx } from './app.js';
import { h, mount } from './dom.js';
import { t, type Key } from './i18n.js';
import { REGISTRY_TITLES, type Award, type ImportReport, type ImportRowError, type Page as ListPage } from './types.js';
import { badge, dl, errorPanel, fmtDate, fmtDateTime, form, input, link, section, select, str, table, textarea, titleLabel, unitOptions } from './ui.js';

const FILTERS = ['unitCode', 'title', 'year', 'decisionNumber'] as const;
const PAGE_SIZE = 50;
/** What the file chooser offers (the API reads the file by its name: .xlsx or .csv). */
const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';
const IMPORT_FIELDS = ['unitCode', 'title', 'year', 'decisionNumber', 'decisionDate', 'issuingBody', 'header'];

/** The counts of the import just done, shown once by the render that follows it (ctx.done). */
let lastImport: { file: string; report: ImportReport } | null = null;

/** The title in the user's language (the API's Vietnamese name for a code the app does not know). */
function awardTitle(a: Award): string {
  return t(`title.${a.title}` as Key, {}, a.titleName);
}

/** "Cờ thi đua ngành Tư pháp năm 2019 của Sở Tư pháp TP Hà Nội (STP-HN), quyết định 1234/QĐ-BTP". */
function awardText(a: Award): string {
  return t('registry.awardText', { title: awardTitle(a), year: a.year, unit: `${a.unitName} (${a.unitCode})`, number: a.decisionNumber });
}

function unitCell(a: Award): HTMLElement {
  const renamed = a.awardedAs.unitCode !== a.unitCode || a.awardedAs.unitName !== a.unitName;
  return h(
    'div',
    null,
    h('span', null, `${a.unitName} (${a.unitCode})`),
    renamed ? h('small', { class: 'awarded-as' }, t('registry.awardedAs', { unit: `${a.awardedAs.unitName} (${a.awardedAs.unitCode})` })) : null,
  );
}

function sourceCell(a: Award): HTMLElement {
  return h(
    'div',
    null,
    h('span', null, t(a.source === 'IMPORT' ? 'registry.source.IMPORT' : 'registry.source.TDKT_FLOW')),
    a.nominationId ? h('small', { class: 'awarded-as' }, link(`#/nominations/${a.nominationId}`, a.nominationId)) : null,
  );
}

function stateCell(a: Award): HTMLElement {
  const r = a.revoked;
  if (!r) return badge(t('registry.valid'), 'ok');
  return h(
    'div',
    { class: 'revocation' },
    badge(t('registry.revoked'), 'late'),
    h('p', null, t('registry.revokedReason', { reason: r.reason })),
    r.decisionNumber ? h('p', null, t('registry.revokedDecision', { number: r.decisionNumber, date: fmtDate(r.decisionDate) })) : null,
    h('p', { class: 'when' }, t('registry.revokedBy', { by: r.by ?? '—', at: fmtDateTime(r.at) })),
  );
}

/** The rows of a refused import (400 INVALID, 409 CONFLICT), when the API read the file at all. */
function refusedRows(err: ApiError): { outcome: string; rows: number; errors: ImportRowError[] } | null {
  const body = err.body as Partial<ImportReport> | null;
  if (!body || !Array.isArray(body.errors) || !body.errors.length) return null;
  return { outcome: String(body.outcome ?? ''), rows: Number(body.rows ?? 0), errors: body.errors };
}

function fieldLabel(field: string): string {
  return IMPORT_FIELDS.includes(field) ? t(`registry.field.${field}` as Key) : field;
}

/** Every refused row: its number as Excel shows it, its column (letter and header), what is wrong. */
function rowErrorsTable(errors: ImportRowError[]): HTMLElement {
  return table(
    t('registry.errors', { n: errors.length }),
    [t('registry.err.row'), t('registry.err.column'), t('registry.err.field'), t('registry.err.message')],
    errors.map((e) => [String(e.row), e.column ? (e.header ? `${e.column} (${e.header})` : e.column) : t('registry.missingColumn'), fieldLabel(e.field), e.message]),
    { id: 'import-errors-table' },
  );
}

function importSection(ctx: Ctx): HTMLElement {
  const errorsArea = h('div', { id: 'import-errors' });
  const done = lastImport;
  lastImport = null;
  const importForm = form({
    label: t('registry.import'),
    submit: t('registry.importSubmit'),
    fields: [input({ label: t('registry.importFile'), name: 'file', type: 'file', required: true, accept: ACCEPT, hint: t('registry.importHint') })],
    async onSubmit(data) {
      errorsArea.replaceChildren();
      const file = data.get('file');
      const name = file instanceof File ? file.name : '';
      const body = new FormData();
      if (file instanceof File && file.name) body.append('file', file, file.name);
      try {
        const report = await postForm<ImportReport>('/registry/imports', body);
        lastImport = { file: name, report };
        ctx.done(t('registry.imported', { n: report.imported, file: name }));
      } catch (err) {
        const refused = err instanceof ApiError ? refusedRows(err) : null;
        if (!refused) throw err;
        // Nothing was imported: say so in the alert, every row's error in the table under the form.
        mount(errorsArea, rowErrorsTable(refused.errors));
        const summary = t(refused.outcome === 'CONFLICT' ? 'registry.conflict' : 'registry.refused', { n: refused.errors.length, rows: refused.rows });
        throw (err as ApiError).withMessages([summary]);
      }
    },
  });
  return section(
    t('registry.import'),
    done
      ? h(
          'div',
          { class: 'success', id: 'import-report' },
          h('h3', null, t('registry.report', { file: done.file })),
          dl([
            [t('registry.report.imported'), String(done.report.imported)],
            [t('registry.report.rows'), String(done.report.rows)],
            [t('registry.report.blank'), String(done.report.blankRowsSkipped)],
            [t('registry.report.rowsRead'), String(done.report.rowsRead)],
            [t('registry.report.headerRow'), done.report.headerRow === null ? '—' : String(done.report.headerRow)],
            [t('registry.report.batch'), done.report.batch ?? '—'],
          ]),
        )
      : null,
    importForm,
    errorsArea,
  );
}

export const registryPage = async (main: HTMLElement, _params: string[], ctx: Ctx): Promise<void> => {
  // The query is read from the hash itself: a decision number may hold characters ("&", "+") that a decoded copy loses.
  const query = location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : null;
  const q = new URLSearchParams(query ?? '');
  const filters: Record<(typeof FILTERS)[number], string> = { unitCode: q.get('unitCode') ?? '', title: q.get('title') ?? '', year: q.get('year') ?? '', decisionNumber: q.get('decisionNumber') ?? '' };
  // A unit's own users open it on their unit's awards; they may look up any other (the API lets every user read the registry).
  if (query === null && ctx.user.unitCode && ctx.has('UNIT_OFFICER', 'UNIT_LEADER', 'CLUSTER_HEAD')) filters.unitCode = ctx.user.unitCode;
  const page = Math.max(1, Number(q.get('page') ?? '1') || 1);
  const canManage = ctx.has('DEPARTMENT_REVIEWER', 'ADMIN');

  let res: ListPage<Award> | null = null;
  let searchError: unknown = null;
  try {
    res = await get<ListPage<Award>>(`/registry${qs({ ...filters, page, pageSize: PAGE_SIZE })}`);
  } catch (err) {
    // A bad filter typed into the address: the form stays, the API's message under it.
    if (!(err instanceof ApiError && err.status === 400)) throw err;
    searchError = err;
  }

  const units = unitOptions();
  if (filters.unitCode && !units.some(([code]) => code === filters.unitCode)) units.push([filters.unitCode, filters.unitCode]);
  const searchForm = form({
    label: t('registry.search'),
    submit: t('common.search'),
    className: 'form grid',
    fields: [
      select({ label: t('registry.unit'), name: 'unitCode', value: filters.unitCode, options: [['', t('registry.allUnits')], ...units], hint: t('registry.unitHint') }),
      select({ label: t('registry.titleField'), name: 'title', value: filters.title, options: [['', t('common.all')], ...REGISTRY_TITLES.map((code): [string, string] => [code, titleLabel(code)])] }),
      input({ label: t('registry.year'), name: 'year', type: 'number', min: 1945, max: 2100, value: filters.year, inputmode: 'numeric' }),
      input({ label: t('registry.decisionNumber'), name: 'decisionNumber', value: filters.decisionNumber, autocomplete: 'off', hint: t('registry.decisionHint') }),
    ],
    async onSubmit(data) {
      const p = new URLSearchParams();
      for (const f of FILTERS) if (str(data, f)) p.set(f, str(data, f));
      // The API checks the filters first, so that a bad one shows its message here.
      await get(`/registry${qs({ ...Object.fromEntries(p), pageSize: 1 })}`);
      const hash = `#/registry?${p.toString()}`;
      if (location.hash === hash) ctx.done('');
      else ctx.go(hash);
    },
  });

  const revokeArea = h('div', { id: 'registry-revoke' });
  const openRevoke = (a: Award, opener: HTMLElement) => {
    const award = awardText(a);
    const close = h(
      'button',
      {
        type: 'button',
        onclick: () => {
          revokeArea.replaceChildren();
          opener.focus();
        },
      },
      t('registry.revokeClose'),
    );
    const f = form({
      label: t('registry.revokeForm', { award }),
      submit: t('registry.revokeSubmit'),
      fields: [
        h('p', null, t('registry.revokeIntro')),
        textarea({ label: t('registry.revokeReason'), name: 'reason', required: true, rows: 3 }),
        input({ label: t('registry.revokeNumber'), name: 'decisionNumber', required: true, autocomplete: 'off', hint: t('registry.revokeNumberHint') }),
        input({ label: t('registry.revokeDate'), name: 'decisionDate', type: 'date', required: true }),
      ],
      confirm: () => t('registry.revokeConfirm', { award }),
      extraButtons: [close],
      async onSubmit(data) {
        await post(`/registry/awards/${a.id}/revocation`, { reason: str(data, 'reason'), decisionNumber: str(data, 'decisionNumber'), decisionDate: str(data, 'decisionDate') });
        ctx.done(t('registry.revokeDone', { award }));
      },
    });
    mount(revokeArea, f);
    f.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  };
  const actionsCell = (a: Award): Node | string => {
    if (a.source !== 'IMPORT' || a.revoked) return '—';
    const button: HTMLButtonElement = h('button', { type: 'button', onclick: () => openRevoke(a, button) }, t('registry.revoke'), h('span', { class: 'sr-only' }, ` — ${awardText(a)}`));
    return button;
  };

  const parts: (Node | null)[] = [ctx.setTitle(t('registry.title')), h('p', null, t('registry.intro')), section(t('registry.search'), searchForm, searchError ? errorPanel(searchError) : null)];
  if (canManage) parts.push(importSection(ctx));
  else lastImport = null;
  if (res) {
    const items = res.items;
    const headers = [t('registry.col.unit'), t('registry.col.title'), t('registry.col.year'), t('registry.col.decision'), t('registry.col.date'), t('registry.col.body'), t('registry.col.source'), t('registry.col.state')];
    const pages = Math.max(1, Math.ceil(res.total / PAGE_SIZE));
    const pageLink = (n: number, text: string) => {
      const p = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
      p.set('page', String(n));
      return link(`#/registry?${p.toString()}`, text);
    };
    parts.push(
      section(
        t('registry.results', { n: res.total }),
        canManage ? h('p', { class: 'hint' }, t('registry.revokeWhich')) : null,
        canManage ? revokeArea : null,
        table(
          t('registry.results', { n: res.total }),
          canManage ? [...headers, t('registry.col.actions')] : headers,
          items.map((a) => {
            const cells: (Node | string)[] = [unitCell(a), awardTitle(a), String(a.year), a.decisionNumber, fmtDate(a.decisionDate), a.issuingBody, sourceCell(a), stateCell(a)];
            if (canManage) cells.push(actionsCell(a));
            return cells;
          }),
          { id: 'registry-results', rowClass: (i) => (items[i].revoked ? 'revoked' : null) },
        ),
        pages > 1 ? h('nav', { class: 'pager', 'aria-label': t('common.pages') }, page > 1 ? pageLink(page - 1, t('common.prev')) : null, ` ${page}/${pages} `, page < pages ? pageLink(page + 1, t('common.next')) : null) : null,
      ),
    );
  }
  mount(main, ...parts);
};
