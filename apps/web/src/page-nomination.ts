/**
 * Nominations (hồ sơ đề nghị): the list, the dossier of one with what the user may do at its stage
 * (self-assessment, amendment, review, consultation, Government decision) and its timeline of
 * decisions (who, when, why), its comments and attached files, and the Department's review queue.
 */
import { ApiError, get, getFile, post, postForm, qs } from './api.js';
import type { Ctx } from './app.js';
import { h, mount, uid } from './dom.js';
import { t } from './i18n.js';
import { STAGES, type Attachment, type AuditEvent, type Comment, type Nomination, type Page as ListPage, type Role, type Stage } from './types.js';
import {
  actionButton,
  actionLabel,
  badge,
  choices,
  dl,
  errorPanel,
  fmtBytes,
  fmtDate,
  fmtDateTime,
  form,
  input,
  link,
  num,
  section,
  select,
  stageBadge,
  stageLabel,
  str,
  table,
  textarea,
  titleLabel,
  titlesList,
  unitLabel,
} from './ui.js';

export const nominationsPage = async (main: HTMLElement, params: string[], ctx: Ctx): Promise<void> => {
  const q = new URLSearchParams(params[0] ?? '');
  const year = q.get('year') ?? '';
  const stage = q.get('stage') ?? '';
  const page = Number(q.get('page') ?? '1') || 1;
  const list = await get<ListPage<Nomination>>(`/nominations${qs({ year, stage, page, pageSize: 50 })}`);
  const filter = form({
    label: t('nominations.filter'),
    submit: t('common.search'),
    className: 'form inline',
    fields: [
      input({ label: t('common.year'), name: 'year', type: 'number', value: year, inputmode: 'numeric' }),
      select({ label: t('nomination.col.stage'), name: 'stage', value: stage, options: [['', t('common.all')], ...STAGES.map((s): [string, string] => [s, stageLabel(s)])] }),
    ],
    async onSubmit(data) {
      ctx.go(`#/nominations?${new URLSearchParams({ year: str(data, 'year'), stage: str(data, 'stage') }).toString()}`);
    },
  });
  const pages = Math.max(1, Math.ceil(list.total / 50));
  mount(
    main,
    ctx.setTitle(t('nominations.title')),
    filter,
    table(
      t('nominations.count', { n: list.total }),
      [t('nomination.col.id'), t('nomination.col.unit'), t('nomination.col.stage'), t('nomination.col.titles'), t('nomination.col.updated')],
      list.items.map((n) => [link(`#/nominations/${n.id}`, n.id), unitLabel(n.unitCode), stageBadge(n.stage), titlesList(n.titles), fmtDateTime(n.updatedAt)]),
    ),
    pages > 1
      ? h(
          'nav',
          { 'aria-label': t('common.pages'), class: 'pager' },
          page > 1 ? link(`#/nominations?${new URLSearchParams({ year, stage, page: String(page - 1) }).toString()}`, t('common.prev')) : null,
          ` ${page}/${pages} `,
          page < pages ? link(`#/nominations?${new URLSearchParams({ year, stage, page: String(page + 1) }).toString()}`, t('common.next')) : null,
        )
      : null,
  );
};

export const reviewQueuePage = async (main: HTMLElement, _p: string[], ctx: Ctx): Promise<void> => {
  const [review, amendment] = await Promise.all([
    get<ListPage<Nomination>>(`/nominations${qs({ stage: 'DEPARTMENT_REVIEW', pageSize: 200 })}`),
    get<ListPage<Nomination>>(`/nominations${qs({ stage: 'AMENDMENT', pageSize: 200 })}`),
  ]);
  // Past the appraisal time limit first, then the nearest due date.
  const items = [...review.items].sort((a, b) => Number(!!b.reviewDue?.overdue) - Number(!!a.reviewDue?.overdue) || (a.reviewDue?.dueDate ?? '9999').localeCompare(b.reviewDue?.dueDate ?? '9999'));
  mount(
    main,
    ctx.setTitle(t('review.title')),
    h('p', null, t('review.intro')),
    table(
      t('review.queue', { n: items.length }),
      [t('nomination.col.unit'), t('nomination.col.id'), t('nomination.col.titles'), t('review.due'), t('home.col.state')],
      items.map((n) => [
        link(`#/nominations/${n.id}`, unitLabel(n.unitCode)),
        n.id,
        titlesList(n.titles),
        fmtDate(n.reviewDue?.dueDate),
        n.reviewDue?.overdue ? badge(t('common.late'), 'late') : badge(t('common.onTime'), 'ok'),
      ]),
      { rowClass: (i) => (items[i].reviewDue?.overdue ? 'late' : null), id: 'review-queue' },
    ),
    table(
      t('review.amendments', { n: amendment.total }),
      [t('nomination.col.unit'), t('nomination.col.id'), t('review.reason'), t('review.amendmentDeadline')],
      amendment.items.map((n) => [link(`#/nominations/${n.id}`, unitLabel(n.unitCode)), n.id, n.review?.reason ?? '—', fmtDateTime(n.review?.amendmentDeadline)]),
    ),
  );
};

/** The self-assessment form: total score, criteria rows (code, name, score) and the report. */
function selfAssessmentForm(n: Nomination, ctx: Ctx): HTMLElement {
  const rows = h('div', { class: 'criteria' });
  let count = 0;
  const addRow = (code = '', name = '', score = '') => {
    count += 1;
    const i = count;
    const fieldsetId = uid('crit');
    const remove = h('button', { type: 'button', class: 'link' }, t('sa.removeCriterion', { i }));
    const row = h(
      'fieldset',
      { class: 'criterion', id: fieldsetId },
      h('legend', null, t('sa.criterion', { i })),
      input({ label: t('sa.criterionCode', { i }), name: 'criteria.code', value: code }),
      input({ label: t('sa.criterionName', { i }), name: 'criteria.name', value: name }),
      input({ label: t('sa.criterionScore', { i }), name: 'criteria.score', type: 'number', value: score, step: 'any', inputmode: 'decimal' }),
      remove,
    );
    remove.addEventListener('click', () => {
      row.remove();
      rows.querySelector<HTMLInputElement>('input')?.focus();
    });
    rows.append(row);
    return row;
  };
  addRow();
  const add = h('button', { type: 'button' }, t('sa.addCriterion'));
  add.addEventListener('click', () => addRow().querySelector('input')?.focus());
  const f = form({
    label: t('sa.form'),
    submit: t('sa.submit'),
    fields: [
      h('p', null, t('sa.intro')),
      input({ label: t('sa.score'), name: 'score', type: 'number', step: 'any', required: true, inputmode: 'decimal', hint: t('sa.scoreHint') }),
      h('fieldset', { class: 'criteria-set' }, h('legend', null, t('sa.criteria')), h('p', { class: 'hint' }, t('sa.criteriaHint')), rows, add),
      textarea({ label: t('sa.report'), name: 'achievementReport', required: true, rows: 8, hint: t('sa.reportHint') }),
    ],
    async onSubmit(data) {
      const codes = data.getAll('criteria.code').map(String);
      const names = data.getAll('criteria.name').map(String);
      const scores = data.getAll('criteria.score').map(String);
      const criteria = codes
        .map((code, i) => ({ code: code.trim(), name: names[i]?.trim() ?? '', score: scores[i]?.trim() ?? '' }))
        .filter((c) => c.code || c.name || c.score)
        .map((c) => ({ code: c.code, ...(c.name ? { name: c.name } : {}), score: c.score === '' ? c.score : Number.isFinite(Number(c.score.replace(',', '.'))) ? Number(c.score.replace(',', '.')) : c.score }));
      await post(`/nominations/${encodeURIComponent(n.id)}/self-assessment`, { score: num(data, 'score'), achievementReport: str(data, 'achievementReport'), criteria });
      ctx.done(t('sa.done'));
    },
  });
  return f;
}

function amendmentForm(n: Nomination, ctx: Ctx): HTMLElement {
  return form({
    label: t('amend.form'),
    submit: t('amend.submit'),
    fields: [
      h('div', { class: 'notice' }, h('p', null, t('amend.returned', { by: n.review?.by ?? '—', at: fmtDateTime(n.review?.at) })), h('p', null, h('strong', null, t('review.reason')), ': ', n.review?.reason ?? '—'), h('p', null, h('strong', null, t('review.amendmentDeadline')), ': ', fmtDateTime(n.review?.amendmentDeadline))),
      textarea({ label: t('sa.report'), name: 'achievementReport', required: true, rows: 8, value: n.amendments.at(-1)?.achievementReport ?? n.selfAssessment?.achievementReport ?? '' }),
      textarea({ label: t('amend.note'), name: 'note', required: true, rows: 3, hint: t('amend.noteHint') }),
    ],
    async onSubmit(data) {
      await post(`/nominations/${encodeURIComponent(n.id)}/amendment`, { achievementReport: str(data, 'achievementReport'), note: str(data, 'note') });
      ctx.done(t('amend.done'));
    },
  });
}

function reviewForm(n: Nomination, ctx: Ctx): HTMLElement {
  return form({
    label: t('review.form'),
    submit: t('review.submit'),
    fields: [
      n.reviewDue ? h('p', null, t('review.dueText', { date: fmtDate(n.reviewDue.dueDate) }), n.reviewDue.overdue ? [' ', badge(t('common.late'), 'late')] : null) : null,
      choices({
        legend: t('review.decision'),
        name: 'decision',
        type: 'radio',
        options: [
          ['APPROVE', t('review.APPROVE')],
          ['RETURN', t('review.RETURN')],
          ['REJECT', t('review.REJECT')],
        ],
        hint: t('review.decisionHint'),
      }),
      textarea({ label: t('review.reason'), name: 'reason', required: true, rows: 4 }),
    ],
    confirm: (data) => (str(data, 'decision') === 'REJECT' ? t('review.rejectConfirm') : null),
    async onSubmit(data) {
      await post(`/nominations/${encodeURIComponent(n.id)}/review`, { decision: str(data, 'decision'), reason: str(data, 'reason') });
      ctx.done(t('review.done'));
    },
  });
}

function governmentForms(n: Nomination, ctx: Ctx): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (!n.consultation && !n.governmentSubmission) {
    out.push(
      form({
        label: t('consult.form'),
        submit: t('consult.submit'),
        fields: [
          h('p', null, t('consult.intro')),
          select({ label: t('consult.opinion'), name: 'opinion', options: [['AGREE', t('consult.AGREE')], ['DISAGREE', t('consult.DISAGREE')]] }),
          input({ label: t('consult.reference'), name: 'reference', required: true }),
        ],
        async onSubmit(data) {
          await post(`/nominations/${encodeURIComponent(n.id)}/consultation`, { opinion: str(data, 'opinion'), reference: str(data, 'reference') });
          ctx.done(t('consult.done'));
        },
      }),
    );
  }
  if (!n.governmentSubmission) out.push(h('p', { class: 'notice' }, t('gov.needsSubmission'), ' ', link('#/government', t('nav.government'))));
  out.push(
    form({
      label: t('gov.decisionForm'),
      submit: t('gov.decisionSubmit'),
      fields: [
        select({ label: t('gov.decision'), name: 'decision', options: [['AWARDED', t('gov.AWARDED')], ['DECLINED', t('gov.DECLINED')]] }),
        input({ label: t('gov.decisionNumber'), name: 'decisionNumber', required: true, placeholder: '123/QĐ-TTg' }),
        input({ label: t('gov.decisionDate'), name: 'decisionDate', type: 'date', required: true }),
      ],
      confirm: (data) => t('gov.confirm', { decision: t(str(data, 'decision') === 'DECLINED' ? 'gov.DECLINED' : 'gov.AWARDED'), number: str(data, 'decisionNumber') }),
      async onSubmit(data) {
        await post(`/nominations/${encodeURIComponent(n.id)}/government-decision`, { decision: str(data, 'decision'), decisionNumber: str(data, 'decisionNumber'), decisionDate: str(data, 'decisionDate') });
        ctx.done(t('gov.done'));
      },
    }),
  );
  return out;
}

export function timeline(events: AuditEvent[]): HTMLElement {
  return h(
    'ol',
    { class: 'timeline', id: 'timeline' },
    events.map((e) =>
      h(
        'li',
        null,
        h('p', { class: 'when' }, h('time', { datetime: e.at }, fmtDateTime(e.at)), ` · #${e.seq}`),
        h('p', { class: 'what' }, h('strong', null, actionLabel(e.action)), e.fromStage || e.toStage ? ` (${e.fromStage ? stageLabel(e.fromStage) : '—'} → ${e.toStage ? stageLabel(e.toStage) : '—'})` : ''),
        h('p', null, `${t('timeline.actor')}: `, h('span', { class: 'actor' }, e.actor), e.role ? ` (${t(`role.${e.role}` as never, {}, e.role)})` : ''),
        e.reason ? h('p', null, `${t(e.action === 'COMMENT_ADDED' ? 'timeline.comment' : e.action === 'ATTACHMENT_ADDED' ? 'timeline.file' : 'timeline.reason')}: `, h('q', null, e.reason)) : null,
        h('p', { class: 'hash' }, h('abbr', { title: 'SHA-256' }, 'hash'), ` ${e.hash.slice(0, 16)}… ← ${e.prevHash.slice(0, 16)}…`),
      ),
    ),
  );
}

/** Who may comment (the API's COMMENT_ROLES): auditors read only. */
const COMMENT_ROLES: Role[] = ['DEPARTMENT_REVIEWER', 'COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'CLUSTER_HEAD', 'UNIT_LEADER', 'UNIT_OFFICER', 'ADMIN'];
const FINAL_STAGES: Stage[] = ['AWARDED', 'NOT_SELECTED', 'NOT_AWARDED', 'WITHDRAWN'];
/** What the file chooser offers (the API checks the name, the declared type and the content). */
const ACCEPT = '.pdf,.docx,.xlsx,.jpg,.jpeg,.png,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,image/jpeg,image/png';

/** The comments (ý kiến trao đổi), oldest first, and the form to add one. */
function commentsSection(n: Nomination, comments: Comment[], ctx: Ctx): HTMLElement {
  const list = comments.length
    ? h(
        'ol',
        { class: 'comments', id: 'comments' },
        comments.map((c) =>
          h(
            'li',
            null,
            h(
              'p',
              { class: 'when' },
              h('strong', { class: 'actor' }, c.author),
              c.role ? ` (${t(`role.${c.role}` as never, {}, c.role)}${c.unitCode ? ` · ${c.unitCode}` : ''})` : '',
              ' · ',
              h('time', { datetime: c.at }, fmtDateTime(c.at)),
              c.stage ? ` · ${stageLabel(c.stage)}` : '',
            ),
            h('p', { class: 'comment-text' }, c.text),
          ),
        ),
      )
    : h('p', { id: 'comments' }, t('comment.none'));
  const canComment = ctx.has(...COMMENT_ROLES);
  return section(
    t('comment.title', { n: comments.length }),
    list,
    canComment
      ? form({
          label: t('comment.form'),
          submit: t('comment.submit'),
          fields: [textarea({ label: t('comment.text'), name: 'text', required: true, rows: 4, hint: t('comment.hint') })],
          async onSubmit(data) {
            // The text exactly as typed (the API keeps it in NFC and refuses a blank one).
            await post(`/nominations/${encodeURIComponent(n.id)}/comments`, { text: String(data.get('text') ?? '') });
            ctx.done(t('comment.done'));
          },
        })
      : null,
  );
}

/** Downloads an attachment through the API (it needs the bearer token): bytes, then an object URL. */
function downloadButton(n: Nomination, a: Attachment, area: HTMLElement): HTMLElement {
  return actionButton(
    t('attach.download'),
    async () => {
      let file: { blob: Blob; filename: string };
      try {
        file = await getFile(`/nominations/${encodeURIComponent(n.id)}/attachments/${encodeURIComponent(a.id)}`);
      } catch (err) {
        // The stored bytes no longer match the SHA-256 of the audit chain: refused, say why.
        if (err instanceof ApiError && err.status === 409) throw err.withMessages([t('attach.integrity'), ...err.messages]);
        throw err;
      }
      const old = area.querySelector('a');
      if (old) URL.revokeObjectURL(old.href);
      const link = h('a', { href: URL.createObjectURL(file.blob), download: a.fileName, class: 'download' }, t('attach.saved', { file: a.fileName }));
      area.replaceChildren(link);
      link.click();
    },
    { context: a.fileName },
  );
}

/** The files of the dossier (tài liệu đính kèm) and the upload form. */
function attachmentsSection(n: Nomination, items: Attachment[], ctx: Ctx, own: boolean): HTMLElement {
  const area = h('p', { class: 'download-area' });
  const canUpload = !FINAL_STAGES.includes(n.stage) && (ctx.has('DEPARTMENT_REVIEWER') || (own && ctx.has('UNIT_OFFICER', 'UNIT_LEADER')));
  return section(
    t('attach.title', { n: items.length }),
    table(
      t('attach.title', { n: items.length }),
      [t('attach.col.name'), t('attach.col.type'), t('attach.col.size'), t('attach.col.by'), t('common.at'), 'SHA-256', t('attach.col.download')],
      items.map((a) => [
        a.fileName,
        a.kind,
        fmtBytes(a.size),
        a.uploadedBy,
        fmtDateTime(a.uploadedAt),
        h('code', { title: a.sha256 }, `${a.sha256.slice(0, 12)}…`),
        downloadButton(n, a, area),
      ]),
      { id: 'attachments' },
    ),
    area,
    canUpload
      ? form({
          label: t('attach.form'),
          submit: t('attach.submit'),
          fields: [input({ label: t('attach.file'), name: 'file', type: 'file', required: true, accept: ACCEPT, hint: t('attach.hint') })],
          async onSubmit(data) {
            const file = data.get('file');
            const body = new FormData();
            if (file instanceof File && file.name) body.append('file', file, file.name);
            const added = await postForm<Attachment>(`/nominations/${encodeURIComponent(n.id)}/attachments`, body);
            ctx.done(t('attach.done', { file: added.fileName }));
          },
        })
      : null,
  );
}

export const nominationPage = async (main: HTMLElement, [id]: string[], ctx: Ctx): Promise<void> => {
  const n = await get<Nomination>(`/nominations/${encodeURIComponent(id)}`);
  const own = !!ctx.user.unitCode && (n.unitCode === ctx.user.unitCode || n.parentUnitCode === ctx.user.unitCode);
  let history: AuditEvent[] | null = null;
  let historyError: unknown = null;
  const [historyRes, commentsRes, attachmentsRes] = await Promise.allSettled([
    get<{ items: AuditEvent[] }>(`/nominations/${encodeURIComponent(id)}/history`),
    get<{ items: Comment[] }>(`/nominations/${encodeURIComponent(id)}/comments`),
    get<{ items: Attachment[] }>(`/nominations/${encodeURIComponent(id)}/attachments`),
  ]);
  if (historyRes.status === 'fulfilled') history = historyRes.value.items;
  else if (!(historyRes.reason instanceof ApiError && historyRes.reason.status === 403)) historyError = historyRes.reason;
  const parts: (Node | null)[] = [
    ctx.setTitle(t('nomination.title', { unit: unitLabel(n.unitCode), year: n.year })),
    dl([
      [t('nomination.col.id'), n.id],
      [t('nomination.campaign'), link(`#/campaigns/${n.campaignId}`, n.campaignId)],
      [t('nomination.col.stage'), stageBadge(n.stage)],
      [t('nomination.col.titles'), titlesList(n.titles)],
      [t('nomination.col.updated'), fmtDateTime(n.updatedAt)],
    ]),
  ];

  // What the user can do now.
  const act: HTMLElement[] = [];
  if (own && ctx.has('UNIT_OFFICER') && n.stage === 'SELF_ASSESSMENT') {
    act.push(n.registrationClosed ? selfAssessmentForm(n, ctx) : h('p', { class: 'notice' }, t('sa.notYet')));
  }
  if (own && ctx.has('UNIT_OFFICER') && n.stage === 'AMENDMENT') act.push(amendmentForm(n, ctx));
  if (ctx.has('DEPARTMENT_REVIEWER') && n.stage === 'DEPARTMENT_REVIEW') act.push(reviewForm(n, ctx));
  if (ctx.has('DEPARTMENT_REVIEWER') && n.stage === 'GOVERNMENT_DECISION') act.push(...governmentForms(n, ctx));
  if (act.length) parts.push(section(t('nomination.actions'), ...act));

  // The dossier.
  const dossier: (Node | null)[] = [];
  if (n.selfAssessment) {
    dossier.push(
      h('h3', null, t('sa.title')),
      dl([
        [t('sa.score'), String(n.selfAssessment.score)],
        [t('sa.submittedAt'), fmtDateTime(n.selfAssessment.submittedAt)],
      ]),
      n.selfAssessment.criteria.length
        ? table(t('sa.criteria'), [t('sa.code'), t('sa.name'), t('sa.points')], n.selfAssessment.criteria.map((c) => [c.code, c.name ?? '—', String(c.score)]))
        : null,
      h('h4', null, t('sa.report')),
      h('p', { class: 'report' }, n.selfAssessment.achievementReport),
    );
  }
  if (n.clusterVote) dossier.push(h('h3', null, t('vote.title')), dl([[titleLabel('MINISTRY_FLAG'), String(n.clusterVote.ministryFlagVotes)], [titleLabel('GOVERNMENT_FLAG'), String(n.clusterVote.governmentFlagVotes)]]));
  if (n.review) {
    dossier.push(
      h('h3', null, t('review.last')),
      dl([
        [t('review.decision'), t(`review.${n.review.decision}`)],
        [t('review.reason'), n.review.reason],
        [t('timeline.actor'), `${n.review.by} · ${fmtDateTime(n.review.at)}`],
        [t('review.amendmentDeadline'), fmtDateTime(n.review.amendmentDeadline)],
      ]),
    );
  }
  for (const [i, a] of n.amendments.entries()) {
    dossier.push(h('h3', null, t('amend.number', { i: i + 1 })), dl([[t('amend.note'), a.note], [t('common.at'), fmtDateTime(a.at)]]), h('p', { class: 'report' }, a.achievementReport));
  }
  if (n.council) dossier.push(h('h3', null, t('council.title')), dl([[t('council.session'), link(`#/council/${n.council.sessionId}`, n.council.sessionId)]]));
  if (n.consultation) dossier.push(h('h3', null, t('consult.form')), dl([[t('consult.opinion'), t(`consult.${n.consultation.opinion}`)], [t('consult.reference'), n.consultation.reference]]));
  if (n.governmentSubmission) dossier.push(h('h3', null, t('gov.submission')), dl([[t('gov.batch'), n.governmentSubmission.batchId], [t('common.at'), fmtDateTime(n.governmentSubmission.at)]]));
  if (n.governmentDecision) {
    dossier.push(
      h('h3', null, t('gov.decisionForm')),
      dl([
        [t('gov.decision'), t(`gov.${n.governmentDecision.decision}`)],
        [t('gov.decisionNumber'), n.governmentDecision.decisionNumber],
        [t('gov.decisionDate'), fmtDate(n.governmentDecision.decisionDate)],
      ]),
    );
  }
  if (n.withdrawal) dossier.push(h('h3', null, t('stage.WITHDRAWN')), dl([[t('review.reason'), n.withdrawal.reason]]));
  for (const r of n.revocations) dossier.push(h('p', { class: 'notice' }, t('revocation.text', { title: titleLabel(r.title), number: r.decisionNumber, reason: r.reason })));
  parts.push(section(t('nomination.dossier'), ...(dossier.length ? dossier : [h('p', null, t('common.empty'))])));

  // Comments and files: everyone who sees the nomination reads them (a refusal is shown in place).
  if (commentsRes.status === 'fulfilled') parts.push(commentsSection(n, commentsRes.value.items, ctx));
  else parts.push(section(t('comment.title', { n: 0 }), errorPanel(commentsRes.reason)));
  if (attachmentsRes.status === 'fulfilled') parts.push(attachmentsSection(n, attachmentsRes.value.items, ctx, own));
  else parts.push(section(t('attach.title', { n: 0 }), errorPanel(attachmentsRes.reason)));

  if (history) parts.push(section(t('timeline.title'), timeline(history)));
  else if (historyError) parts.push(section(t('timeline.title'), errorPanel(historyError)));
  parts.push(h('p', null, h('button', { type: 'button', onclick: () => ctx.done('') }, t('common.refresh'))));
  mount(main, ...parts);
};
