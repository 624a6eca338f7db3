import type { Stage, Title } from './model';
import {
  assertStage,
  DomainRuleError,
  TitleStatuses,
  titlesAfterClusterVote,
  titlesAfterCouncil,
  titlesAfterGovernment,
  titlesAfterReview,
  titlesAfterRevocation,
  WITHDRAWABLE_STAGES,
} from './nomination-rules';

const both: TitleStatuses = { MINISTRY_FLAG: 'REGISTERED', GOVERNMENT_FLAG: 'REGISTERED' };
const proposedBoth: TitleStatuses = { MINISTRY_FLAG: 'PROPOSED', GOVERNMENT_FLAG: 'PROPOSED' };

describe('DomainRuleError', () => {
  it('is an Error that keeps its kind (so the API can map it to a status)', () => {
    const e = new DomainRuleError('DUPLICATE', 'already voted');
    expect(e).toBeInstanceOf(DomainRuleError);
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ kind: 'DUPLICATE', message: 'already voted', name: 'DomainRuleError' });
  });
});

describe('assertStage', () => {
  it('lets the action through in an allowed stage', () => {
    expect(() => assertStage('DEPARTMENT_REVIEW', ['DEPARTMENT_REVIEW'], 'review')).not.toThrow();
    expect(() => assertStage('CLUSTER_VOTE', ['SELF_ASSESSMENT', 'CLUSTER_VOTE'], 'withdraw')).not.toThrow();
  });

  it.each<[Stage, Stage[], string, string]>([
    ['AMENDMENT', ['DEPARTMENT_REVIEW'], 'review', 'review is not possible in stage AMENDMENT; expected DEPARTMENT_REVIEW'],
    [
      'AWARDED',
      ['SELF_ASSESSMENT', 'CLUSTER_VOTE'],
      'withdraw',
      'withdraw is not possible in stage AWARDED; expected SELF_ASSESSMENT, CLUSTER_VOTE',
    ],
  ])('refuses an action in stage %s', (current, allowed, action, message) => {
    try {
      assertStage(current, allowed, action);
      throw new Error('expected a DomainRuleError');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainRuleError);
      expect(e).toMatchObject({ kind: 'STAGE_CONFLICT', message });
    }
  });
});

describe('titlesAfterClusterVote — kết quả suy tôn của cụm', () => {
  it.each<[string, TitleStatuses, { MINISTRY_FLAG: boolean; GOVERNMENT_FLAG: boolean }, TitleStatuses, Stage]>([
    ['proposed for both flags', both, { MINISTRY_FLAG: true, GOVERNMENT_FLAG: true }, proposedBoth, 'DEPARTMENT_REVIEW'],
    [
      'Ministry flag only: the Government flag registration is dropped',
      both,
      { MINISTRY_FLAG: true, GOVERNMENT_FLAG: false },
      { MINISTRY_FLAG: 'PROPOSED' },
      'DEPARTMENT_REVIEW',
    ],
    ['not selected for anything', both, { MINISTRY_FLAG: false, GOVERNMENT_FLAG: false }, {}, 'NOT_SELECTED'],
    [
      'registered for the Ministry flag only, selected',
      { MINISTRY_FLAG: 'REGISTERED' },
      { MINISTRY_FLAG: true, GOVERNMENT_FLAG: false },
      { MINISTRY_FLAG: 'PROPOSED' },
      'DEPARTMENT_REVIEW',
    ],
  ])('%s', (_name, titles, selected, expectedTitles, stage) => {
    const before = structuredClone(titles);
    expect(titlesAfterClusterVote(titles, selected)).toEqual({ titles: expectedTitles, stage });
    expect(titles).toEqual(before);
  });
});

describe('titlesAfterReview — Vụ Thi đua - Khen thưởng thẩm định', () => {
  it.each<[string, 'APPROVE' | 'RETURN' | 'REJECT', TitleStatuses, Stage]>([
    ['APPROVE sends the dossier to the council unchanged', 'APPROVE', proposedBoth, 'COUNCIL_DECISION'],
    ['RETURN asks the unit to amend (trả lại, bổ sung)', 'RETURN', proposedBoth, 'AMENDMENT'],
    ['REJECT ends it: every title REJECTED', 'REJECT', { MINISTRY_FLAG: 'REJECTED', GOVERNMENT_FLAG: 'REJECTED' }, 'NOT_AWARDED'],
  ])('%s', (_name, decision, titles, stage) => {
    const input = { ...proposedBoth };
    expect(titlesAfterReview(input, decision)).toEqual({ titles, stage });
    expect(input).toEqual(proposedBoth);
  });

  it('refuses an unknown decision', () => {
    expect(() => titlesAfterReview(proposedBoth, 'MAYBE' as 'APPROVE')).toThrow(DomainRuleError);
  });
});

describe('titlesAfterCouncil — Hội đồng Thi đua - Khen thưởng biểu quyết', () => {
  it.each<[string, TitleStatuses, Partial<Record<Title, boolean>>, TitleStatuses, Stage]>([
    [
      'Ministry flag approved: the Minister awards it',
      { MINISTRY_FLAG: 'PROPOSED' },
      { MINISTRY_FLAG: true },
      { MINISTRY_FLAG: 'AWARDED' },
      'AWARDED',
    ],
    ['Ministry flag not approved', { MINISTRY_FLAG: 'PROPOSED' }, { MINISTRY_FLAG: false }, { MINISTRY_FLAG: 'REJECTED' }, 'NOT_AWARDED'],
    [
      'both approved: Ministry flag awarded, Government flag goes to the Government',
      proposedBoth,
      { MINISTRY_FLAG: true, GOVERNMENT_FLAG: true },
      { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'APPROVED' },
      'GOVERNMENT_DECISION',
    ],
    [
      'Government flag not approved: the Ministry flag is still awarded',
      proposedBoth,
      { MINISTRY_FLAG: true, GOVERNMENT_FLAG: false },
      { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REJECTED' },
      'AWARDED',
    ],
    [
      'neither approved',
      proposedBoth,
      { MINISTRY_FLAG: false, GOVERNMENT_FLAG: false },
      { MINISTRY_FLAG: 'REJECTED', GOVERNMENT_FLAG: 'REJECTED' },
      'NOT_AWARDED',
    ],
    [
      'a title without a council vote counts as not approved',
      proposedBoth,
      { MINISTRY_FLAG: true },
      { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REJECTED' },
      'AWARDED',
    ],
    [
      'Government flag approved alone still goes to the Government',
      proposedBoth,
      { MINISTRY_FLAG: false, GOVERNMENT_FLAG: true },
      { MINISTRY_FLAG: 'REJECTED', GOVERNMENT_FLAG: 'APPROVED' },
      'GOVERNMENT_DECISION',
    ],
    [
      'a title already decided is left alone',
      { MINISTRY_FLAG: 'REJECTED' },
      { MINISTRY_FLAG: true },
      { MINISTRY_FLAG: 'REJECTED' },
      'NOT_AWARDED',
    ],
  ])('%s', (_name, titles, approved, expectedTitles, stage) => {
    const before = structuredClone(titles);
    expect(titlesAfterCouncil(titles, approved)).toEqual({ titles: expectedTitles, stage });
    expect(titles).toEqual(before);
  });
});

describe('titlesAfterGovernment — quyết định của Chính phủ', () => {
  it.each<[string, TitleStatuses, 'AWARDED' | 'DECLINED', TitleStatuses, Stage]>([
    [
      'Government flag awarded',
      { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'APPROVED' },
      'AWARDED',
      { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'AWARDED' },
      'AWARDED',
    ],
    [
      'declined: the unit keeps its Ministry flag',
      { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'APPROVED' },
      'DECLINED',
      { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'DECLINED' },
      'AWARDED',
    ],
    [
      'declined with no Ministry flag: not awarded',
      { MINISTRY_FLAG: 'REJECTED', GOVERNMENT_FLAG: 'APPROVED' },
      'DECLINED',
      { MINISTRY_FLAG: 'REJECTED', GOVERNMENT_FLAG: 'DECLINED' },
      'NOT_AWARDED',
    ],
    [
      'awarded with no Ministry flag',
      { MINISTRY_FLAG: 'REJECTED', GOVERNMENT_FLAG: 'APPROVED' },
      'AWARDED',
      { MINISTRY_FLAG: 'REJECTED', GOVERNMENT_FLAG: 'AWARDED' },
      'AWARDED',
    ],
  ])('%s', (_name, titles, decision, expectedTitles, stage) => {
    const before = structuredClone(titles);
    expect(titlesAfterGovernment(titles, decision)).toEqual({ titles: expectedTitles, stage });
    expect(titles).toEqual(before);
  });

  it.each<[string, TitleStatuses]>([
    ['no Government flag', { MINISTRY_FLAG: 'AWARDED' }],
    ['Government flag not approved by the council', { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REJECTED' }],
    ['Government flag already decided', { GOVERNMENT_FLAG: 'AWARDED' }],
  ])('refuses a decision when there is %s', (_name, titles) => {
    expect(() => titlesAfterGovernment(titles, 'AWARDED')).toThrow(expect.objectContaining({ kind: 'INVALID' }));
  });
});

describe('withdrawal and revocation', () => {
  it.each([
    ['SELF_ASSESSMENT', true],
    ['CLUSTER_VOTE', false],
    ['DEPARTMENT_REVIEW', true],
    ['AMENDMENT', true],
    ['COUNCIL_DECISION', false],
    ['GOVERNMENT_DECISION', false],
    ['AWARDED', false],
  ] as const)('a dossier in %s can be withdrawn: %s', (stage, allowed) => {
    expect(WITHDRAWABLE_STAGES.includes(stage)).toBe(allowed);
  });

  it('revokes an awarded title only, leaving the others', () => {
    expect(titlesAfterRevocation({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'AWARDED' }, 'GOVERNMENT_FLAG')).toEqual({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REVOKED' });
    expect(() => titlesAfterRevocation({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REVOKED' }, 'GOVERNMENT_FLAG')).toThrow(DomainRuleError);
    expect(() => titlesAfterRevocation({ MINISTRY_FLAG: 'APPROVED' }, 'MINISTRY_FLAG')).toThrow(/not awarded/);
    expect(() => titlesAfterRevocation({}, 'GOVERNMENT_FLAG')).toThrow(/status none/);
  });
});
