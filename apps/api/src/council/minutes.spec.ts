/**
 * The council minutes (biên bản) show, per nomination and title, the approvals, rejections,
 * abstentions and declared conflicts, the base the threshold was measured against with what was
 * left out of it (or added to it), the title's own quorum when abstentions or conflicts were left
 * out of it, and the rule set's way of counting in words.
 */
import type { CouncilSessionView } from '@tdkt/contracts';
import { councilDecision, findRuleSet, type CouncilRules } from '@tdkt/domain';
import { renderCouncilMinutes } from './minutes';

const byDefault = findRuleSet('default')!.council;
const strict = findRuleSet('strict')!.council;

/** A closed sitting of 15 members, 12 present, one nomination: 7 for, 1 against, 2 abstain, 2 conflicts. */
function sitting(rules: CouncilRules, ruleSet = { id: 'default', version: 2 }, votes = { approve: 7, reject: 1, abstain: 2 }): CouncilSessionView {
  const outcome = councilDecision(votes, 2, 12, 15, rules);
  return {
    id: '2031-1',
    year: 2031,
    status: 'CLOSED',
    ruleSet,
    membersTotal: 15,
    membersPresent: 12,
    quorumMet: true,
    items: [
      {
        nominationId: '2031:KV:STP-HN',
        unitCode: 'STP-HN',
        titles: ['MINISTRY_FLAG'],
        votes: { MINISTRY_FLAG: votes },
        approved: { MINISTRY_FLAG: outcome.approved },
        conflicts: [
          { member: 'hoidong1', reason: 'Nguyên Giám đốc', at: '2031-03-01T03:00:00Z' },
          { member: 'hoidong2', reason: 'Người thân', at: '2031-03-01T03:01:00Z' },
        ],
        outcome: { MINISTRY_FLAG: outcome },
      },
    ],
    votedBy: {},
    openedAt: '2031-03-01T02:00:00Z',
    openedBy: 'chutich',
    closedAt: '2031-03-01T04:00:00Z',
    version: 3,
  };
}

/** The tally row of the title: the counts, the base, the share, the conclusion. */
const row = (rules: CouncilRules, ruleSet?: { id: string; version: number }, votes?: { approve: number; reject: number; abstain: number }) => {
  const html = renderCouncilMinutes(sitting(rules, ruleSet, votes), { 'STP-HN': 'Sở Tư pháp TP Hà Nội' });
  return html.match(/<td>Cờ thi đua ngành Tư pháp<\/td>(.*)<\/tr>/)![1];
};
const cells = (approve: number, reject: number, abstain: number, conflicts: number) =>
  `<td class="n">${approve}</td><td class="n">${reject}</td><td class="n">${abstain}</td><td class="n">${conflicts}</td>`;

describe('council minutes: counts, base and quorum per title', () => {
  it.each<[string, CouncilRules, string]>([
    [
      'default: conflicts out of the members present and of the title’s quorum',
      byDefault,
      `${cells(7, 1, 2, 2)}<td><b>10</b> (12 thành viên có mặt − 2 có xung đột lợi ích); cần ít nhất 7 phiếu đồng ý; túc số xét danh hiệu: 10/13 thành viên (2 có xung đột lợi ích không tính vào số thành viên)</td><td class="n">70.0 %</td><td>Thông qua</td>`,
    ],
    [
      'abstentions out of the base',
      { ...byDefault, abstentions: 'EXCLUDE_FROM_BASE' },
      `${cells(7, 1, 2, 2)}<td><b>8</b> (12 thành viên có mặt − 2 có xung đột lợi ích − 2 không biểu quyết); cần ít nhất 6 phiếu đồng ý; túc số xét danh hiệu: 10/13 thành viên (2 có xung đột lợi ích không tính vào số thành viên)</td><td class="n">87.5 %</td><td>Thông qua</td>`,
    ],
    [
      'conflicts counted as present, in the base and the quorum: nothing left out',
      { ...byDefault, conflicts: 'COUNT_AS_PRESENT_NOT_APPROVING' },
      `${cells(7, 1, 2, 2)}<td><b>12</b> thành viên có mặt; cần ít nhất 9 phiếu đồng ý</td><td class="n">58.3 %</td><td>Không thông qua</td>`,
    ],
    [
      'a BALLOTS_CAST base with conflicts counted as present: they join it as ballots not approving',
      { ...byDefault, flagThreshold: { ...byDefault.flagThreshold, base: 'BALLOTS_CAST' }, conflicts: 'COUNT_AS_PRESENT_NOT_APPROVING' },
      `${cells(7, 1, 2, 2)}<td><b>12</b> (10 phiếu biểu quyết + 2 có xung đột lợi ích (tính là không đồng ý)); cần ít nhất 9 phiếu đồng ý</td><td class="n">58.3 %</td><td>Không thông qua</td>`,
    ],
    [
      'a BALLOTS_CAST base with conflicts left out: the ballots only',
      { ...byDefault, flagThreshold: { ...byDefault.flagThreshold, base: 'BALLOTS_CAST' } },
      `${cells(7, 1, 2, 2)}<td><b>10</b> phiếu biểu quyết; cần ít nhất 7 phiếu đồng ý; túc số xét danh hiệu: 10/13 thành viên (2 có xung đột lợi ích không tính vào số thành viên)</td><td class="n">70.0 %</td><td>Thông qua</td>`,
    ],
    [
      'abstentions and conflicts counted as absent: the quorum is missed',
      { ...byDefault, abstentionsInQuorum: 'COUNT_AS_ABSENT', conflictsInQuorum: 'COUNT_AS_ABSENT' },
      `${cells(7, 1, 2, 2)}<td><b>10</b> (12 thành viên có mặt − 2 có xung đột lợi ích); cần ít nhất 7 phiếu đồng ý; túc số xét danh hiệu: 8/15 thành viên (2 không biểu quyết tính là vắng mặt, 2 có xung đột lợi ích tính là vắng mặt); không đủ số thành viên để xét hồ sơ này</td><td class="n">70.0 %</td><td>Không thông qua</td>`,
    ],
    [
      'all members (State Audit) with abstentions out of the base',
      { ...findRuleSet('state-audit')!.council, abstentions: 'EXCLUDE_FROM_BASE' },
      `${cells(7, 1, 2, 2)}<td><b>11</b> (15 tổng số thành viên Hội đồng − 2 có xung đột lợi ích − 2 không biểu quyết); cần ít nhất 6 phiếu đồng ý; túc số xét danh hiệu: 10/13 thành viên (2 có xung đột lợi ích không tính vào số thành viên)</td><td class="n">63.6 %</td><td>Thông qua</td>`,
    ],
    [
      'strict: abstentions out of quorum and base, conflicts present and in the base',
      strict,
      `${cells(7, 1, 2, 2)}<td><b>10</b> (12 thành viên có mặt − 2 không biểu quyết); cần ít nhất 7 phiếu đồng ý; túc số xét danh hiệu: 10/15 thành viên (2 không biểu quyết tính là vắng mặt)</td><td class="n">70.0 %</td><td>Thông qua</td>`,
    ],
  ])('%s', (_name, rules, expected) => {
    expect(row(rules)).toBe(expected);
  });

  it('says in words how the rule set counts, for the quorum and the base', () => {
    const words = (id: string, version: number) => renderCouncilMinutes(sitting(findRuleSet(id, version)!.council, { id, version }), {}).match(/<p>Danh hiệu được thông qua khi đạt (.*)<\/p>/)![1];
    expect(words('default', 2)).toBe(
      'từ 70 % thành viên có mặt; phiếu không biểu quyết được tính là có mặt, không đồng ý; thành viên có xung đột lợi ích không biểu quyết và không tính vào số thành viên khi xét hồ sơ đó.',
    );
    expect(words('strict', 1)).toBe(
      'từ 70 % thành viên có mặt; phiếu không biểu quyết không tính vào cơ sở tính tỷ lệ và không tính vào túc số; thành viên có xung đột lợi ích không biểu quyết, được tính là có mặt, không đồng ý.',
    );
    expect(words('state-audit', 1)).toContain('trên 50 % tổng số thành viên Hội đồng');
  });

  it('gives no title quorum for sessions closed before it was recorded', () => {
    const old = sitting(byDefault);
    delete old.items[0].outcome!.MINISTRY_FLAG!.excludedFromQuorum;
    expect(renderCouncilMinutes(old, {})).toContain('<td><b>10</b> (12 thành viên có mặt − 2 có xung đột lợi ích); cần ít nhất 7 phiếu đồng ý</td>');
  });
});
