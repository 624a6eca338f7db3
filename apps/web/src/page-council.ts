/**
 * The Council (Hội đồng Thi đua - Khen thưởng): the chair opens a sitting over the year's
 * nominations waiting for it; each member casts a secret vote per nomination and title (approve,
 * reject or abstain) or declares a conflict of interest on a nomination; the chair
 * closes it with the members present; the tally and the minutes (biên bản) are shown. Then the
 * Department's Government submission (trình Chính phủ) within the year's quota.
 */
import { ApiError, get, getText, post, qs } from './api.js';
import type { Ctx } from './app.js';
import { h, mount } from './dom.js';
import { t } from './i18n.js';
import type { CouncilItem, CouncilSession, Nomination, Page as ListPage, Quota, Title } from './types.js';
import { all, badge, choices, dl, fmtDateTime, form, input, link, num, section, select, str, table, textarea, titleLabel, titlesList, unitLabel } from './ui.js';

const thisYear = () => new Date().getFullYear();

async function sessionsOf(year: number): Promise<CouncilSession[]> {
  // <year>-1, <year>-2, … in the order they were opened.
  return (await get<ListPage<CouncilSession>>(`/council-sessions${qs({ year })}`)).items;
}

function yearForm(ctx: Ctx, base: string, year: number): HTMLElement {
  return form({
    label: t('common.chooseYear'),
    submit: t('common.show'),
    className: 'form inline',
    fields: [input({ label: t('common.year'), name: 'year', type: 'number', value: year, inputmode: 'numeric' })],
    async onSubmit(data) {
      ctx.go(`${base}?year=${encodeURIComponent(str(data, 'year'))}`);
    },
  });
}

export const councilPage = async (main: HTMLElement, params: string[], ctx: Ctx): Promise<void> => {
  const year = Number(new URLSearchParams(params[0] ?? '').get('year')) || thisYear();
  const [waiting, sessions] = await Promise.all([get<ListPage<Nomination>>(`/nominations${qs({ year, stage: 'COUNCIL_DECISION', pageSize: 200 })}`), sessionsOf(year)]);
  const parts: (Node | null)[] = [ctx.setTitle(t('council.title')), yearForm(ctx, '#/council', year)];
  parts.push(
    section(
      t('council.sessions', { year }),
      table(
        t('council.sessions', { year }),
        [t('council.session'), t('council.status'), t('council.opened'), t('council.items')],
        sessions.map((s) => [link(`#/council/${s.id}`, s.id), t(`council.status.${s.status}`), `${fmtDateTime(s.openedAt)} · ${s.openedBy}`, String(s.items.length)]),
      ),
    ),
  );
  const onAgenda = new Set(sessions.filter((s) => s.status === 'OPEN').flatMap((s) => s.items.map((i) => i.nominationId)));
  const free = waiting.items.filter((n) => !onAgenda.has(n.id));
  if (ctx.has('COUNCIL_CHAIR')) {
    parts.push(
      section(
        t('council.openTitle'),
        free.length
          ? form({
              label: t('council.openForm', { year }),
              submit: t('council.open'),
              fields: [
                choices({
                  legend: t('council.agenda'),
                  name: 'nominationIds',
                  type: 'checkbox',
                  options: free.map((n) => [n.id, `${unitLabel(n.unitCode)} — ${Object.keys(n.titles).map(titleLabel).join(', ')}`]),
                  checked: free.map((n) => n.id),
                }),
              ],
              async onSubmit(data) {
                const s = await post<CouncilSession>('/council-sessions', { year, nominationIds: all(data, 'nominationIds') });
                ctx.go(`#/council/${s.id}`);
              },
            })
          : h('p', null, t('council.nothingWaiting', { year })),
      ),
    );
  } else {
    parts.push(section(t('council.waiting', { n: waiting.total }), table(t('council.waiting', { n: waiting.total }), [t('nomination.col.unit'), t('nomination.col.titles')], waiting.items.map((n) => [unitLabel(n.unitCode), titlesList(n.titles)]))));
  }
  mount(main, ...parts);
};

/**
 * The minutes come as an HTML document of the API. They are not put into the page as HTML:
 * parsed inert (DOMParser runs no script) and rebuilt from a few harmless elements, text only.
 */
function minutesView(html: string): HTMLElement {
  // Its <style> is the document's own (for printing); our page has a stylesheet and a CSP that
  // refuses inline styles, so it is dropped before parsing.
  const doc = new DOMParser().parseFromString(html.replace(/<style[\s\S]*?<\/style>/gi, ''), 'text/html');
  const allowed = new Set(['P', 'H1', 'H2', 'H3', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TD', 'TH', 'B', 'STRONG', 'SMALL', 'BR', 'EM', 'I']);
  const copy = (node: Node): Node | null => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent ?? '');
    if (!(node instanceof Element)) return null;
    const kids = Array.from(node.childNodes, copy).filter((x): x is Node => x !== null);
    if (!allowed.has(node.tagName)) {
      const frag = document.createDocumentFragment();
      frag.append(...kids);
      return frag;
    }
    const tag = (node.tagName === 'H1' ? 'h3' : node.tagName === 'H2' || node.tagName === 'H3' ? 'h4' : node.tagName.toLowerCase()) as keyof HTMLElementTagNameMap;
    const el = document.createElement(tag);
    const cls = node.getAttribute('class');
    if (cls === 'c' || cls === 'n') el.className = `minutes-${cls}`;
    el.append(...kids);
    return el;
  };
  const body = h('div', { class: 'minutes', lang: 'vi', id: 'minutes' });
  for (const child of Array.from(doc.body.childNodes)) {
    const c = copy(child);
    if (c) body.append(c);
  }
  return body;
}

export const councilSessionPage = async (main: HTMLElement, [id]: string[], ctx: Ctx): Promise<void> => {
  const s = await get<CouncilSession>(`/council-sessions/${encodeURIComponent(id)}`);
  const me = ctx.user.username;
  const parts: (Node | null)[] = [
    ctx.setTitle(t('council.sessionTitle', { id: s.id })),
    dl([
      [t('council.status'), s.status === 'OPEN' ? badge(t('council.status.OPEN'), 'info') : badge(t('council.status.CLOSED'), 'ok')],
      [t('council.opened'), `${fmtDateTime(s.openedAt)} · ${s.openedBy}`],
      [t('council.closed'), fmtDateTime(s.closedAt)],
      [t('council.members'), s.membersPresent === null ? t('council.membersTotal', { total: s.membersTotal }) : t('council.membersPresent', { present: s.membersPresent, total: s.membersTotal })],
      [t('council.quorum'), s.quorumMet === null ? '—' : s.quorumMet ? badge(t('council.quorumMet'), 'ok') : badge(t('council.quorumMissed'), 'late')],
    ]),
  ];

  // The member's own secret votes: one choice per nomination and title not yet voted (none on a
  // nomination the member declared a conflict of interest on).
  const conflicted = (nominationId: string) => (s.items.find((i) => i.nominationId === nominationId)?.conflicts ?? []).some((c) => c.member === me);
  const votedOn = (item: CouncilItem, title: Title) => (s.votedBy[`${item.nominationId}|${title}`] ?? []).includes(me);
  const pending = s.items.filter((item) => !conflicted(item.nominationId)).flatMap((item) => item.titles.filter((title) => !votedOn(item, title)).map((title) => ({ item, title })));
  if (s.status === 'OPEN' && ctx.has('COUNCIL_MEMBER', 'COUNCIL_CHAIR')) {
    parts.push(
      section(
        t('council.voteTitle'),
        pending.length
          ? form({
              label: t('council.voteForm'),
              submit: t('council.voteSubmit'),
              fields: [
                h('p', null, t('council.voteIntro')),
                pending.map(({ item, title }, i) =>
                  choices({
                    legend: `${unitLabel(item.unitCode)} — ${titleLabel(title)}`,
                    name: `v${i}`,
                    type: 'radio',
                    options: [
                      ['true', t('council.approve')],
                      ['false', t('council.reject')],
                      ['abstain', t('council.abstain')],
                    ],
                  }),
                ),
              ],
              confirm: () => t('council.voteConfirm'),
              async onSubmit(data) {
                const missing = pending.filter((_, i) => !str(data, `v${i}`));
                if (missing.length) throw new ApiError(400, 'Bad Request', [t('council.voteMissing', { list: missing.map((p) => `${unitLabel(p.item.unitCode)} — ${titleLabel(p.title)}`).join('; ') })]);
                for (const [i, p] of pending.entries()) {
                  const choice = str(data, `v${i}`);
                  await post(`/council-sessions/${encodeURIComponent(s.id)}/votes`, {
                    nominationId: p.item.nominationId,
                    title: p.title,
                    ...(choice === 'abstain' ? { abstain: true } : { approve: choice === 'true' }),
                  });
                }
                ctx.done(t('council.voted', { n: pending.length }));
              },
            })
          : s.items.every((item) => conflicted(item.nominationId))
            ? null
            : h('p', null, badge(t('council.allVoted'), 'ok')),
        ...s.items.filter((item) => conflicted(item.nominationId)).map((item) => h('p', { class: 'notice' }, t('conflict.declared', { unit: unitLabel(item.unitCode) }))),
      ),
    );
    // A conflict of interest (xung đột lợi ích) is declared before voting on the nomination.
    const declarable = s.items.filter((item) => !conflicted(item.nominationId) && !item.titles.some((title) => votedOn(item, title)));
    if (declarable.length) {
      parts.push(
        section(
          t('conflict.title'),
          form({
            label: t('conflict.form'),
            submit: t('conflict.submit'),
            fields: [
              h('p', null, t('conflict.intro')),
              select({ label: t('conflict.nomination'), name: 'nominationId', options: declarable.map((item): [string, string] => [item.nominationId, `${unitLabel(item.unitCode)} — ${item.nominationId}`]) }),
              textarea({ label: t('conflict.reason'), name: 'reason', required: true, rows: 3, hint: t('conflict.reasonHint') }),
            ],
            confirm: (data) => t('conflict.confirm', { unit: unitLabel(s.items.find((i) => i.nominationId === str(data, 'nominationId'))?.unitCode) }),
            async onSubmit(data) {
              await post(`/council-sessions/${encodeURIComponent(s.id)}/conflicts`, { nominationId: str(data, 'nominationId'), reason: str(data, 'reason') });
              ctx.done(t('conflict.done'));
            },
          }),
        ),
      );
    }
  }
  if (s.status === 'OPEN' && ctx.has('COUNCIL_CHAIR')) {
    parts.push(
      section(
        t('council.closeTitle'),
        form({
          label: t('council.closeForm'),
          submit: t('council.close'),
          fields: [h('p', null, t('council.closeIntro')), input({ label: t('council.present'), name: 'membersPresent', type: 'number', min: 0, max: s.membersTotal, inputmode: 'numeric', required: true })],
          confirm: (data) => t('council.closeConfirm', { n: str(data, 'membersPresent') }),
          async onSubmit(data) {
            await post(`/council-sessions/${encodeURIComponent(s.id)}/close`, { membersPresent: num(data, 'membersPresent') });
            ctx.done(t('council.closedDone'));
          },
        }),
      ),
    );
  }

  // The tally (counts only: who voted how is never shown); once closed, how each title was counted.
  const closed = s.items.some((item) => item.outcome);
  parts.push(
    section(
      t('council.tally'),
      table(
        t('council.tally'),
        [
          t('nomination.col.unit'),
          t('council.titleCol'),
          t('council.approveCol'),
          t('council.rejectCol'),
          t('council.abstainCol'),
          t('council.conflictsCol'),
          t('council.voters'),
          ...(closed ? [t('council.baseCol'), t('council.requiredCol')] : []),
          t('council.outcome'),
        ],
        s.items.flatMap((item) =>
          item.titles.map((title) => {
            const v = item.votes[title] ?? { approve: 0, reject: 0 };
            const o = item.outcome?.[title];
            const outcome = item.approved === null ? t('council.pending') : item.approved[title] ? t('council.passed') : t('council.failed');
            return [
              link(`#/nominations/${item.nominationId}`, unitLabel(item.unitCode)),
              titleLabel(title),
              String(o?.approve ?? v.approve),
              String(o?.reject ?? v.reject),
              String(o?.abstain ?? v.abstain ?? 0),
              String(o?.conflicts ?? item.conflicts?.length ?? 0),
              String((s.votedBy[`${item.nominationId}|${title}`] ?? []).length),
              ...(closed ? [o ? `${o.base} (${t(`council.base.${o.baseKind}`)})` : '—', o?.required === null || o?.required === undefined ? '—' : String(o.required)] : []),
              item.approved && item.approved[title] ? badge(outcome, 'ok') : o && !o.quorumMet ? h('span', null, outcome, ' ', badge(t('council.quorumMissed'), 'late')) : outcome,
            ];
          }),
        ),
        { id: 'council-tally' },
      ),
    ),
  );

  // Declared conflicts of interest: who, on which nomination, why.
  const conflicts = s.items.flatMap((item) => (item.conflicts ?? []).map((c) => ({ item, c })));
  if (conflicts.length) {
    parts.push(
      section(
        t('conflict.list', { n: conflicts.length }),
        table(
          t('conflict.list', { n: conflicts.length }),
          [t('nomination.col.unit'), t('conflict.member'), t('conflict.reason'), t('common.at')],
          conflicts.map(({ item, c }) => [unitLabel(item.unitCode), c.member, c.reason, fmtDateTime(c.at)]),
          { id: 'council-conflicts' },
        ),
      ),
    );
  }

  // The minutes, shown in the page and downloadable as the API's HTML document.
  if (ctx.has('COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN')) {
    try {
      const html = await getText(`/council-sessions/${encodeURIComponent(s.id)}/minutes`, 'text/html');
      const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
      parts.push(section(t('council.minutes'), h('p', null, h('a', { href: url, download: `bien-ban-${s.id}.html` }, t('council.minutesDownload'))), minutesView(html)));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 403)) throw err;
    }
  }
  parts.push(h('p', null, h('button', { type: 'button', onclick: () => ctx.done('') }, t('common.refresh'))));
  mount(main, ...parts);
};

export const governmentPage = async (main: HTMLElement, params: string[], ctx: Ctx): Promise<void> => {
  const year = Number(new URLSearchParams(params[0] ?? '').get('year')) || thisYear();
  const [quota, waiting] = await Promise.all([get<Quota>(`/government-submissions/quota${qs({ year })}`), get<ListPage<Nomination>>(`/nominations${qs({ year, stage: 'GOVERNMENT_DECISION', pageSize: 200 })}`)]);
  const unsubmitted = waiting.items.filter((n) => !n.governmentSubmission);
  const parts: (Node | null)[] = [
    ctx.setTitle(t('gov.title')),
    yearForm(ctx, '#/government', year),
    section(
      t('gov.quota', { year }),
      dl([
        [t('gov.leadingUnits'), String(quota.leadingUnits)],
        [t('gov.clusters'), String(quota.clusters)],
        [t('gov.quotaValue'), String(quota.quota)],
        [t('gov.submitted'), String(quota.submitted)],
      ]),
    ),
    section(
      t('gov.waiting', { n: waiting.total }),
      table(
        t('gov.waiting', { n: waiting.total }),
        [t('nomination.col.unit'), t('nomination.col.titles'), t('consult.form'), t('gov.submission'), t('nomination.actions')],
        waiting.items.map((n) => [
          unitLabel(n.unitCode),
          titlesList(n.titles),
          n.consultation ? `${t(`consult.${n.consultation.opinion}`)} (${n.consultation.reference})` : '—',
          n.governmentSubmission ? `${n.governmentSubmission.batchId} · ${fmtDateTime(n.governmentSubmission.at)}` : '—',
          link(`#/nominations/${n.id}`, n.governmentSubmission ? t('gov.recordDecision') : t('gov.openDossier')),
        ]),
      ),
    ),
  ];
  if (unsubmitted.length) {
    parts.push(
      section(
        t('gov.submitTitle'),
        form({
          label: t('gov.submitForm', { year }),
          submit: t('gov.submit'),
          fields: [choices({ legend: t('gov.batchItems'), name: 'nominationIds', type: 'checkbox', options: unsubmitted.map((n) => [n.id, unitLabel(n.unitCode)]) })],
          confirm: (data) => t('gov.submitConfirm', { n: all(data, 'nominationIds').length, quota: quota.quota, submitted: quota.submitted }),
          async onSubmit(data) {
            const r = await post<{ batchId: string }>('/government-submissions', { year, nominationIds: all(data, 'nominationIds') });
            ctx.done(t('gov.submittedDone', { batch: r.batchId }));
          },
        }),
      ),
    );
  }
  mount(main, ...parts);
};
