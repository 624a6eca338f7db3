/**
 * Campaigns (phong trào thi đua của cụm): the list, the dashboard of one campaign (registration
 * status with late units first, reminders, the unit's registration and covenant, the head's vote
 * controls, results and next year's leadership) and the secret ballot of a unit leader.
 */
import { get, post } from './api.js';
import type { Ctx } from './app.js';
import { h, mount, uid } from './dom.js';
import { t } from './i18n.js';
import { TITLES, type BallotChoices, type Campaign, type ClusterCounting, type MemberStatus, type Page as ListPage, type Title, type TitleTally, type VoteView, type VoteWithCounting } from './types.js';
import {
  actionButton,
  all,
  badge,
  choices,
  dl,
  fmtDateTime,
  form,
  input,
  link,
  num,
  phaseLabel,
  section,
  select,
  str,
  table,
  titleLabel,
  unitLabel,
} from './ui.js';

export const campaignsPage = async (main: HTMLElement, _p: string[], ctx: Ctx): Promise<void> => {
  const { items } = await get<ListPage<Campaign>>('/campaigns');
  mount(
    main,
    ctx.setTitle(t('campaigns.title')),
    table(
      t('campaigns.title'),
      [t('campaign.col.id'), t('campaign.col.cluster'), t('campaign.col.year'), t('campaign.col.phase'), t('campaign.col.head'), t('campaign.col.deadline')],
      items.map((c) => [link(`#/campaigns/${c.id}`, c.id), c.clusterName, String(c.year), phaseLabel(c.phase), unitLabel(c.headUnitCode), fmtDateTime(c.registrationDeadline)]),
    ),
  );
};

function lateText(m: MemberStatus): string {
  if (!m.late) return '';
  return t(m.late.kind === 'REGISTRATION' ? 'campaign.lateRegistration' : 'campaign.lateSelfAssessment', { n: m.late.workingDaysLate });
}

function statusSection(c: Campaign): HTMLElement {
  const byUnit = new Map(c.members.map((m) => [m.unitCode, m]));
  const status = c.status;
  const members: MemberStatus[] =
    status?.members ??
    c.members.map((m) => ({ unitCode: m.unitCode, registeredAt: m.registeredAt, registeredLate: false, selfAssessedAt: m.selfAssessedAt, remindersSent: m.remindersSent, lastReminderAt: null, late: null }));
  // Late units first, then by the order of the campaign.
  const rows = [...members].sort((a, b) => Number(!!b.late) - Number(!!a.late) || (b.late?.workingDaysLate ?? 0) - (a.late?.workingDaysLate ?? 0));
  // Registered after the deadline: the API's flag, or the dates themselves (the flag can lag behind).
  const registeredLate = (m: MemberStatus) => m.registeredLate || (!!m.registeredAt && Date.parse(m.registeredAt) > Date.parse(c.registrationDeadline));
  const registered = members.filter((m) => m.registeredAt).length;
  const assessed = members.filter((m) => m.selfAssessedAt).length;
  const late = members.filter((m) => m.late).length;
  return section(
    t('campaign.status'),
    h(
      'p',
      { class: 'summary' },
      t('campaign.summary', { registered, assessed, total: members.length }),
      late ? [' ', badge(t('campaign.lateUnits', { n: late }), 'late')] : null,
    ),
    table(
      t('campaign.status'),
      [t('campaign.col.unit'), t('campaign.col.registered'), t('campaign.col.titles'), t('campaign.col.covenant'), t('campaign.col.selfAssessed'), t('campaign.col.reminders'), t('campaign.col.state')],
      rows.map((m) => {
        const member = byUnit.get(m.unitCode);
        return [
          unitLabel(m.unitCode),
          m.registeredAt ? h('span', null, fmtDateTime(m.registeredAt), registeredLate(m) ? [' ', badge(t('campaign.registeredLate'), 'warn')] : null) : t('campaign.notRegistered'),
          member?.targetTitles.length ? member.targetTitles.map(titleLabel).join(', ') : '—',
          member?.covenantSignedAt ? fmtDateTime(member.covenantSignedAt) : '—',
          m.selfAssessedAt ? fmtDateTime(m.selfAssessedAt) : '—',
          m.remindersSent ? t('campaign.remindersSent', { n: m.remindersSent, at: fmtDateTime(m.lastReminderAt) }) : '0',
          m.late ? badge(`${t('common.late')}: ${lateText(m)}`, 'late') : m.registeredAt ? badge(t('campaign.onTrack'), 'ok') : '—',
        ];
      }),
      { rowClass: (i) => (rows[i].late ? 'late' : null), id: 'campaign-status' },
    ),
  );
}

function tallyTable(caption: string, list: TitleTally[]): HTMLElement {
  return table(
    caption,
    [t('campaign.col.unit'), t('vote.col.votes'), t('vote.col.selected')],
    [...list].sort((a, b) => b.votes - a.votes).map((x) => [unitLabel(x.unitCode), String(x.votes), x.selected ? badge(t('vote.selected'), 'ok') : t('vote.notSelected')]),
  );
}

/** The rule set's way of counting the cluster vote, in words: the threshold's base, abstentions in it and in the quorum, self votes. */
function countingList(c: Campaign, counting: ClusterCounting): HTMLElement {
  return h(
    'div',
    { class: 'vote-counting' },
    h('h3', null, t('vote.counting', { ruleSet: `${c.ruleSet.id} v${c.ruleSet.version}` })),
    h(
      'ul',
      { id: 'vote-counting' },
      h('li', null, t(`counting.base.${counting.base}`)),
      h('li', null, t(`counting.abstentions.${counting.abstentions}`)),
      h('li', null, t(`counting.quorum.${counting.abstentionsInQuorum}`)),
      h('li', null, t(counting.allowSelfVote ? 'counting.selfVote.true' : 'counting.selfVote.false')),
    ),
  );
}

function voteSection(c: Campaign, counting: ClusterCounting | null): HTMLElement {
  const v: VoteView = c.vote ?? { status: 'NOT_OPENED', ballotsCast: 0, votedUnits: [], result: null };
  const parts: (Node | null)[] = [
    dl([
      [t('vote.state'), t(`vote.status.${v.status}`)],
      [t('vote.seats'), v.ministryFlagSeats === undefined ? '—' : t('vote.seatsValue', { m: v.ministryFlagSeats, g: v.governmentFlagSeats ?? 0 })],
      [t('vote.ballotsCast'), `${v.ballotsCast}/${c.members.length}`],
      [t('vote.votedUnits'), v.votedUnits.length ? v.votedUnits.map(unitLabel).join(', ') : '—'],
    ]),
  ];
  if (v.result) {
    const r = v.result;
    // Abstentions and the threshold's base per title, when the API counts them (newer votes).
    const counted = (title: Title): HTMLElement | null =>
      r.abstentions?.[title] !== undefined || r.thresholdBase?.[title] !== undefined
        ? h(
            'p',
            { class: 'vote-base', id: `vote-base-${title}` },
            r.abstentions?.[title] !== undefined ? t('vote.abstentions', { n: r.abstentions[title] }) : null,
            r.abstentions?.[title] !== undefined && r.thresholdBase?.[title] !== undefined ? ' · ' : null,
            r.thresholdBase?.[title] !== undefined ? t('vote.thresholdBase', { n: r.thresholdBase[title] }) : null,
          )
        : null;
    // Whether the title reached its quorum (túc số): without it nobody is selected for the title.
    const quorum = (title: Title): HTMLElement | null =>
      r.quorumMet?.[title] === undefined
        ? null
        : h('p', { class: 'vote-quorum', id: `vote-quorum-${title}` }, r.quorumMet[title] ? badge(t('vote.quorumMet'), 'ok') : badge(t('vote.quorumMissed'), 'late'));
    parts.push(
      h('p', null, r.valid ? badge(t('vote.valid'), 'ok') : badge(t('vote.invalid'), 'late')),
      tallyTable(t('vote.result', { title: titleLabel('MINISTRY_FLAG') }), r.ministryFlag),
      quorum('MINISTRY_FLAG'),
      counted('MINISTRY_FLAG'),
      tallyTable(t('vote.result', { title: titleLabel('GOVERNMENT_FLAG') }), r.governmentFlag),
      quorum('GOVERNMENT_FLAG'),
      counted('GOVERNMENT_FLAG'),
      r.ineligible?.length
        ? h(
            'div',
            { class: 'notice', id: 'vote-ineligible' },
            h('p', null, h('strong', null, t('vote.ineligible'))),
            h('ul', null, r.ineligible.map((x) => h('li', null, `${unitLabel(x.unitCode)} — ${titleLabel(x.title)}: ${x.reason}`))),
          )
        : null,
      r.runoff ? h('p', { class: 'notice' }, t('vote.runoff', { title: titleLabel(r.runoff.title), units: r.runoff.units.map(unitLabel).join(', '), seats: r.runoff.seats })) : null,
      r.problems.length ? h('ul', null, r.problems.map((p) => h('li', null, p))) : null,
    );
  }
  if (counting) parts.push(countingList(c, counting));
  return section(t('vote.title'), ...parts);
}

export const campaignPage = async (main: HTMLElement, [id]: string[], ctx: Ctx): Promise<void> => {
  // The vote as GET …/vote answers it carries the rule set's counting (how abstentions count, self votes).
  const [c, vote] = await Promise.all([get<Campaign>(`/campaigns/${encodeURIComponent(id)}`), get<VoteWithCounting>(`/campaigns/${encodeURIComponent(id)}/vote`)]);
  const unit = ctx.user.unitCode ?? '';
  const member = c.members.find((m) => m.unitCode === unit);
  const isHead = ctx.has('CLUSTER_HEAD') && unit === c.headUnitCode;
  const parts: (Node | null)[] = [
    ctx.setTitle(`${c.clusterName} — ${c.year}`),
    dl([
      [t('campaign.col.id'), c.id],
      [t('campaign.col.phase'), phaseLabel(c.phase)],
      [t('campaign.col.head'), unitLabel(c.headUnitCode)],
      [t('campaign.deputy'), unitLabel(c.deputyUnitCode)],
      [t('campaign.col.deadline'), fmtDateTime(c.registrationDeadline)],
      [t('campaign.selfAssessmentDeadline'), fmtDateTime(c.selfAssessmentDeadline)],
      [t('campaign.reminderTime'), c.reminderTime ? t('campaign.reminderTimeValue', { time: c.reminderTime }) : '—'],
      [t('campaign.ruleSet'), `${c.ruleSet.id} v${c.ruleSet.version}`],
    ]),
  ];

  // The member unit's own part: registration, covenant, its ballot, its dossier.
  if (member) {
    const mine: (Node | null)[] = [];
    if (ctx.has('UNIT_OFFICER') && !member.registeredAt && (c.phase === 'REGISTRATION' || c.phase === 'SELF_ASSESSMENT')) {
      mine.push(
        form({
          label: t('register.form'),
          submit: t('register.submit'),
          fields: [
            h('p', null, t('register.intro', { deadline: fmtDateTime(c.registrationDeadline) })),
            choices({ legend: t('register.titles'), name: 'targetTitles', type: 'checkbox', options: TITLES.map((x) => [x, titleLabel(x)]), checked: ['MINISTRY_FLAG'], hint: t('register.titlesHint') }),
          ],
          async onSubmit(data) {
            await post(`/campaigns/${encodeURIComponent(c.id)}/registrations`, { unitCode: unit, targetTitles: all(data, 'targetTitles') });
            ctx.done(t('register.done'));
          },
        }),
      );
    }
    if (member.registeredAt && !member.covenantSignedAt) {
      mine.push(
        h('p', null, t('covenant.intro')),
        actionButton(
          t('covenant.sign'),
          async () => {
            await post(`/campaigns/${encodeURIComponent(c.id)}/covenant`, { unitCode: unit });
            ctx.done(t('covenant.done'));
          },
          { primary: true },
        ),
      );
    }
    if (member.registeredAt) mine.push(h('p', null, t('register.registered', { at: fmtDateTime(member.registeredAt), titles: member.targetTitles.map(titleLabel).join(', ') })));
    if (member.covenantSignedAt) mine.push(h('p', null, t('covenant.signed', { at: fmtDateTime(member.covenantSignedAt) })));
    if (ctx.has('UNIT_LEADER') && c.vote?.status === 'OPEN') {
      mine.push(c.vote.votedUnits.includes(unit) ? h('p', null, badge(t('ballot.alreadyCast'), 'ok')) : h('p', null, link(`#/campaigns/${c.id}/ballot`, t('ballot.go'), { class: 'button primary' })));
    }
    mine.push(h('p', null, link(`#/nominations/${c.id}:${unit}`, t('campaign.ownNomination'))));
    parts.push(section(t('campaign.mine', { unit: unitLabel(unit) }), ...mine));
  }

  // The cluster head: open and close the ballot, then next year's head and deputy.
  if (isHead) {
    const head: (Node | null)[] = [];
    if (c.phase === 'SELF_ASSESSMENT') {
      head.push(
        form({
          label: t('vote.openForm'),
          submit: t('vote.open'),
          fields: [
            h('p', null, t('vote.openIntro')),
            input({ label: t('vote.ministrySeats'), name: 'ministryFlagSeats', type: 'number', min: 0, max: 30, value: 1, inputmode: 'numeric' }),
            input({ label: t('vote.governmentSeats'), name: 'governmentFlagSeats', type: 'number', min: 0, max: 30, value: 1, inputmode: 'numeric' }),
          ],
          async onSubmit(data) {
            await post(`/campaigns/${encodeURIComponent(c.id)}/vote/open`, { ministryFlagSeats: num(data, 'ministryFlagSeats'), governmentFlagSeats: num(data, 'governmentFlagSeats') });
            ctx.done(t('vote.opened'));
          },
        }),
      );
    }
    if (c.phase === 'VOTING') {
      head.push(
        form({
          label: t('vote.closeForm'),
          submit: t('vote.close'),
          fields: [h('p', null, t('vote.closeIntro', { cast: c.vote?.ballotsCast ?? 0, total: c.members.length }))],
          confirm: () => t('vote.closeConfirm', { cast: c.vote?.ballotsCast ?? 0, total: c.members.length }),
          async onSubmit() {
            const r = await post<{ status: string }>(`/campaigns/${encodeURIComponent(c.id)}/vote/close`, {});
            ctx.done(r.status === 'CLOSED' ? t('vote.closed') : t('vote.runoffOpened'));
          },
        }),
      );
    }
    if (c.phase === 'CLOSED' && !c.nextYear) {
      const options: [string, string][] = [['', t('common.choose')], ...c.members.map((m): [string, string] => [m.unitCode, unitLabel(m.unitCode)])];
      head.push(
        form({
          label: t('leadership.form', { year: c.year + 1 }),
          submit: t('leadership.submit'),
          fields: [
            h('p', null, t('leadership.intro')),
            select({ label: t('leadership.head'), name: 'headUnitCode', options }),
            select({ label: t('leadership.deputy'), name: 'deputyUnitCode', options }),
          ],
          async onSubmit(data) {
            await post(`/campaigns/${encodeURIComponent(c.id)}/leadership`, { headUnitCode: str(data, 'headUnitCode'), deputyUnitCode: str(data, 'deputyUnitCode') });
            ctx.done(t('leadership.done'));
          },
        }),
      );
    }
    if (head.length) parts.push(section(t('campaign.headActions'), ...head));
  }
  parts.push(statusSection(c), voteSection(c, vote.counting));
  if (c.nextYear) {
    parts.push(
      section(
        t('leadership.title', { year: c.year + 1 }),
        dl([
          [t('leadership.head'), unitLabel(c.nextYear.headUnitCode)],
          [t('leadership.deputy'), unitLabel(c.nextYear.deputyUnitCode)],
          [t('leadership.recorded'), `${fmtDateTime(c.nextYear.electedAt)} · ${c.nextYear.recordedBy}`],
        ]),
      ),
    );
  }
  parts.push(h('p', null, h('button', { type: 'button', onclick: () => ctx.done('') }, t('common.refresh'))));
  mount(main, ...parts);
};

/**
 * The secret ballot (bỏ phiếu kín) of a member unit's leader: seats and rules, the choice, a
 * confirmation step, then the receipt to keep (to check later that the ballot was counted).
 */
export const ballotPage = async (main: HTMLElement, [id]: string[], ctx: Ctx): Promise<void> => {
  const c = await get<Campaign>(`/campaigns/${encodeURIComponent(id)}`);
  const unit = ctx.user.unitCode ?? '';
  const v = c.vote;
  const title = ctx.setTitle(t('ballot.title', { cluster: c.clusterName, year: c.year }));
  if (!v || v.status !== 'OPEN') {
    mount(main, title, h('p', { class: 'notice' }, t('ballot.notOpen')), h('p', null, link(`#/campaigns/${c.id}`, t('ballot.back'))));
    return;
  }
  if (v.votedUnits.includes(unit)) {
    mount(main, title, h('p', { class: 'notice' }, t('ballot.alreadyCast')), receiptCheck(c.id), h('p', null, link(`#/campaigns/${c.id}`, t('ballot.back'))));
    return;
  }
  const runoff = v.round && v.round > 1 ? v.result?.runoff : undefined;
  const candidates = (x: Title) => (runoff ? (runoff.title === x ? runoff.units : []) : (v.candidates?.[x] ?? []));
  const seats = (x: Title) => (runoff ? (runoff.title === x ? runoff.seats : 0) : x === 'MINISTRY_FLAG' ? (v.ministryFlagSeats ?? 0) : (v.governmentFlagSeats ?? 0));
  const rules = section(
    t('ballot.rules'),
    h(
      'ul',
      null,
      h('li', null, t('ballot.rule.voter', { unit: unitLabel(unit) })),
      TITLES.map((x) => h('li', null, t('ballot.rule.seats', { title: titleLabel(x), n: seats(x) }))),
      h('li', null, t('ballot.rule.subset')),
      h('li', null, t('ballot.rule.majority')),
      h('li', null, t('ballot.rule.secret')),
      runoff ? h('li', null, t('ballot.rule.runoff', { round: v.round ?? 2 })) : null,
    ),
  );
  const area = h('div');
  const offered = TITLES.filter((x) => seats(x) > 0 && candidates(x).length);
  const showChoice = (chosen: Chosen) => {
    const f = form({
      label: t('ballot.choose'),
      submit: t('ballot.next'),
      fields: offered.map((x) => {
        const set = choices({
          legend: t('ballot.legend', { title: titleLabel(x), n: seats(x) }),
          name: x,
          type: 'checkbox',
          options: candidates(x).map((u) => [u, unitLabel(u)]),
          checked: chosen[x],
        });
        // Abstaining on the title (phiếu trắng): its picks are cleared and disabled (not sent).
        const abstainId = uid('f-abstain');
        const abstain = h('input', { id: abstainId, type: 'checkbox', name: 'abstain', value: x, checked: chosen.abstain.includes(x) });
        const picks = () => Array.from(set.querySelectorAll<HTMLInputElement>(`input[name="${x}"]`));
        const sync = () => {
          for (const p of picks()) {
            if (abstain.checked) p.checked = false;
            p.disabled = abstain.checked;
          }
        };
        abstain.addEventListener('change', sync);
        set.append(h('div', { class: 'choice abstain' }, abstain, h('label', { for: abstainId }, t('ballot.abstain'))));
        sync();
        return set;
      }),
      async onSubmit(data) {
        const abstain = all(data, 'abstain').filter((x): x is Title => (TITLES as string[]).includes(x));
        showConfirm({
          MINISTRY_FLAG: abstain.includes('MINISTRY_FLAG') ? [] : all(data, 'MINISTRY_FLAG'),
          GOVERNMENT_FLAG: abstain.includes('GOVERNMENT_FLAG') ? [] : all(data, 'GOVERNMENT_FLAG'),
          abstain,
        });
      },
    });
    mount(area, f);
  };
  const showConfirm = (chosen: Chosen) => {
    const f = form({
      label: t('ballot.confirmTitle'),
      submit: t('ballot.cast'),
      fields: [h('p', null, t('ballot.confirmIntro')), choicesSummary(chosen)],
      extraButtons: [h('button', { type: 'button', onclick: () => showChoice(chosen) }, t('ballot.change'))],
      async onSubmit() {
        const r = await post<{ receipt: string; round: number; ballotsCast: number }>(`/campaigns/${encodeURIComponent(c.id)}/vote/ballots`, {
          unitCode: unit,
          ministryFlag: chosen.MINISTRY_FLAG,
          governmentFlag: chosen.GOVERNMENT_FLAG,
          ...(chosen.abstain.length ? { abstain: chosen.abstain } : {}),
        });
        const heading = h('h3', { tabindex: '-1' }, t('ballot.receiptTitle'));
        mount(
          area,
          h(
            'div',
            { class: 'receipt', role: 'status' },
            heading,
            h('p', null, t('ballot.receiptIntro')),
            h('p', null, h('code', { id: 'receipt', class: 'receipt-code' }, r.receipt)),
            h('p', null, t('ballot.receiptCount', { n: r.ballotsCast, round: r.round })),
            h('h4', null, t('ballot.receiptChoices')),
            choicesSummary(chosen),
          ),
          receiptCheck(c.id, r.receipt),
          h('p', null, link(`#/campaigns/${c.id}`, t('ballot.back'))),
        );
        heading.focus();
      },
    });
    mount(area, f);
    f.querySelector<HTMLButtonElement>('button[type=submit]')?.focus();
  };
  showChoice({ MINISTRY_FLAG: [], GOVERNMENT_FLAG: [], abstain: [] });
  mount(main, title, rules, area);
};

/** A ballot's picks per title, and the titles it abstains on. */
type Chosen = Record<Title, string[]> & { abstain: Title[] };

/** Per title: the units chosen, none, or the abstention (confirmation step and receipt). */
function choicesSummary(chosen: Chosen): HTMLElement {
  return h(
    'div',
    { class: 'choices-summary' },
    TITLES.map((x) =>
      h(
        'div',
        { class: 'choice-summary' },
        h('h4', null, titleLabel(x)),
        chosen.abstain.includes(x)
          ? h('p', null, badge(t('ballot.abstained'), 'warn'))
          : chosen[x].length
            ? h('ul', null, chosen[x].map((u) => h('li', null, unitLabel(u))))
            : h('p', null, t('ballot.none')),
      ),
    ),
  );
}

/** Checks with a receipt that a ballot is in the ballot box. */
function receiptCheck(campaignId: string, receipt = ''): HTMLElement {
  const result = h('div');
  return h(
    'div',
    null,
    form({
      label: t('receipt.check'),
      submit: t('receipt.submit'),
      fields: [input({ label: t('receipt.code'), name: 'receipt', value: receipt })],
      async onSubmit(data) {
        const r = await get<{ counted: boolean; round: number; choices: BallotChoices }>(
          `/campaigns/${encodeURIComponent(campaignId)}/vote/receipts/${encodeURIComponent(str(data, 'receipt'))}`,
        );
        const picks = (x: Title, units: string[]) => (r.choices.abstain?.includes(x) ? t('ballot.abstained') : units.map(unitLabel).join(', ') || '—');
        mount(
          result,
          dl([
            [t('receipt.counted'), r.counted ? t('common.yes') : t('common.no')],
            [titleLabel('MINISTRY_FLAG'), picks('MINISTRY_FLAG', r.choices.ministryFlag)],
            [titleLabel('GOVERNMENT_FLAG'), picks('GOVERNMENT_FLAG', r.choices.governmentFlag)],
          ]),
        );
      },
    }),
    result,
  );
}
