/**
 * The minutes of a council sitting (biên bản họp Hội đồng Thi đua - Khen thưởng) as an HTML
 * document an officer can open, print or save as PDF: attendance, quorum and the tally per
 * nomination and title, in Vietnamese. Who voted how is never shown (secret ballot).
 */
import type { CouncilSessionItemView, CouncilSessionView, CouncilTitleOutcomeView } from '@tdkt/contracts';
import { councilCounting, findRuleSet, type RuleSet, type Title } from '@tdkt/domain';

const TITLE_NAMES: Record<Title, string> = {
  MINISTRY_FLAG: 'Cờ thi đua ngành Tư pháp',
  GOVERNMENT_FLAG: 'Cờ thi đua của Chính phủ',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A Vietnamese date-time for the minutes: "10 giờ 05, ngày 20/03/2027" (giờ Việt Nam). */
function vnDateTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 7 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCHours())} giờ ${pad(d.getUTCMinutes())}, ngày ${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

const BASE_NAMES: Record<CouncilTitleOutcomeView['baseKind'], string> = {
  PRESENT: 'thành viên có mặt',
  ALL_MEMBERS: 'tổng số thành viên Hội đồng',
  BALLOTS_CAST: 'phiếu biểu quyết',
};

/** The base the threshold was measured against, what was left out of it (or added), and the title's own quorum. */
function describeBase(o: CouncilTitleOutcomeView, session: CouncilSessionView): string {
  const start = { PRESENT: session.membersPresent ?? 0, ALL_MEMBERS: session.membersTotal, BALLOTS_CAST: o.approve + o.reject + o.abstain }[o.baseKind];
  const conflictsOut = o.baseKind === 'BALLOTS_CAST' ? 0 : o.excludedFromBase.conflicts;
  // Members with a conflict cast no ballot: counted as present, they join a BALLOTS_CAST base as ballots not approving.
  const conflictsIn = o.baseKind === 'BALLOTS_CAST' && o.excludedFromBase.conflicts === 0 ? o.conflicts : 0;
  const parts = [
    ...(conflictsOut ? [` − ${conflictsOut} có xung đột lợi ích`] : []),
    ...(conflictsIn ? [` + ${conflictsIn} có xung đột lợi ích (tính là không đồng ý)`] : []),
    ...(o.excludedFromBase.abstentions ? [` − ${o.excludedFromBase.abstentions} không biểu quyết`] : []),
  ];
  const base = parts.length ? `<b>${o.base}</b> (${start} ${BASE_NAMES[o.baseKind]}${parts.join('')})` : `<b>${o.base}</b> ${BASE_NAMES[o.baseKind]}`;
  return `${base}${o.required === null ? '' : `; cần ít nhất ${o.required} phiếu đồng ý`}${describeQuorum(o, session)}${o.quorumMet ? '' : '; không đủ số thành viên để xét hồ sơ này'}`;
}

/**
 * The title's own quorum, when abstentions or conflicts were left out of it (otherwise it is the
 * sitting's, given with the attendance): members counted present / members it is measured against.
 */
function describeQuorum(o: CouncilTitleOutcomeView, session: CouncilSessionView): string {
  const out = o.excludedFromQuorum;
  if (!out || out.abstentions + out.conflicts === 0) return '';
  const leftOutOfMembers = session.membersTotal - o.members;
  const parts = [
    ...(out.abstentions ? [`${out.abstentions} không biểu quyết tính là vắng mặt`] : []),
    ...(leftOutOfMembers ? [`${leftOutOfMembers} có xung đột lợi ích không tính vào số thành viên`] : []),
    ...(out.conflicts - leftOutOfMembers > 0 ? [`${out.conflicts - leftOutOfMembers} có xung đột lợi ích tính là vắng mặt`] : []),
  ];
  return `; túc số xét danh hiệu: ${o.present}/${o.members} thành viên (${parts.join(', ')})`;
}

/** How the rule set counts abstentions and conflicts, for the quorum and the base, and its threshold, in words. */
function describeRules(rules: RuleSet['council'] | undefined): string {
  if (!rules) return '';
  const t = rules.flagThreshold;
  const c = councilCounting(rules);
  const pct = ((t.share.num * 100) / t.share.den).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
  const threshold = `${t.inclusive ? 'từ' : 'trên'} ${pct} % ${BASE_NAMES[t.base]}`;
  const abstentions = {
    COUNT_AS_PRESENT_NOT_APPROVING: {
      COUNT_AS_PRESENT: 'phiếu không biểu quyết được tính là có mặt, không đồng ý',
      COUNT_AS_ABSENT: 'phiếu không biểu quyết được tính vào cơ sở tính tỷ lệ (không đồng ý) nhưng không tính vào túc số',
    },
    EXCLUDE_FROM_BASE: {
      COUNT_AS_PRESENT: 'phiếu không biểu quyết không tính vào cơ sở tính tỷ lệ',
      COUNT_AS_ABSENT: 'phiếu không biểu quyết không tính vào cơ sở tính tỷ lệ và không tính vào túc số',
    },
  }[c.abstentions][c.abstentionsInQuorum];
  const quorumOfConflicts = { LEAVE_OUT: 'không tính vào số thành viên', COUNT_AS_PRESENT: 'được tính là có mặt', COUNT_AS_ABSENT: 'được tính là vắng mặt' }[c.conflictsInQuorum];
  const conflicts =
    c.conflicts === 'EXCLUDE_FROM_BASE' && c.conflictsInQuorum === 'LEAVE_OUT'
      ? 'thành viên có xung đột lợi ích không biểu quyết và không tính vào số thành viên khi xét hồ sơ đó'
      : c.conflicts === 'COUNT_AS_PRESENT_NOT_APPROVING' && c.conflictsInQuorum === 'COUNT_AS_PRESENT'
        ? 'thành viên có xung đột lợi ích không biểu quyết, được tính là có mặt, không đồng ý'
        : `thành viên có xung đột lợi ích không biểu quyết; về túc số, ${quorumOfConflicts}; về cơ sở tính tỷ lệ, ${
            c.conflicts === 'EXCLUDE_FROM_BASE' ? 'không được tính' : 'được tính là không đồng ý'
          }`;
  return `<p>Danh hiệu được thông qua khi đạt ${threshold}; ${abstentions}; ${conflicts}.</p>`;
}

function conflictsOf(item: CouncilSessionItemView, unitNames: Record<string, string>): string {
  if (!item.conflicts?.length) return '';
  const list = item.conflicts.map((c) => `${escapeHtml(c.member)} (lý do: ${escapeHtml(c.reason)})`).join('; ');
  return `<li>${escapeHtml(unitNames[item.unitCode] ?? item.unitCode)} <small>${escapeHtml(item.nominationId)}</small>: ${list}</li>`;
}

export function renderCouncilMinutes(session: CouncilSessionView, unitNames: Record<string, string>): string {
  const rows = session.items.flatMap((item) =>
    item.titles.map((title) => {
      const votes = item.votes[title] ?? { approve: 0, reject: 0 };
      const o = item.outcome?.[title];
      const base = o ? o.base : (session.membersPresent ?? 0);
      const share = base > 0 ? `${((votes.approve * 100) / base).toFixed(1)} %` : '—';
      const baseText = o ? describeBase(o, session) : session.membersPresent === null ? '—' : `<b>${base}</b> thành viên có mặt`;
      const outcome = item.approved === null ? 'Chưa kết luận' : item.approved[title] ? 'Thông qua' : 'Không thông qua';
      return `<tr><td>${escapeHtml(unitNames[item.unitCode] ?? item.unitCode)}<br><small>${escapeHtml(item.nominationId)}</small></td><td>${TITLE_NAMES[title]}</td><td class="n">${votes.approve}</td><td class="n">${votes.reject}</td><td class="n">${votes.abstain ?? 0}</td><td class="n">${item.conflicts?.length ?? 0}</td><td>${baseText}</td><td class="n">${share}</td><td>${outcome}</td></tr>`;
    }),
  );
  const conflicts = session.items.map((i) => conflictsOf(i, unitNames)).filter(Boolean);
  const quorum = session.quorumMet === null ? 'chưa xác định' : session.quorumMet ? 'đủ điều kiện tiến hành (đạt tỷ lệ theo bộ quy tắc)' : 'không đủ số thành viên theo quy định';
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Biên bản họp Hội đồng ${escapeHtml(session.id)}</title>
<style>body{font-family:"Times New Roman",serif;max-width:900px;margin:2em auto;line-height:1.5}h1,h2,.c{text-align:center}table{border-collapse:collapse;width:100%}td,th{border:1px solid #444;padding:4px 8px;vertical-align:top}.n{text-align:right}</style></head>
<body>
<p class="c"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b></p>
<h1>BIÊN BẢN</h1>
<h2>Họp Hội đồng Thi đua - Khen thưởng ngành Tư pháp<br>xét tặng danh hiệu thi đua năm ${session.year}</h2>
<p>Phiên họp số: <b>${escapeHtml(session.id)}</b>. Bắt đầu lúc ${vnDateTime(session.openedAt)}, do ${escapeHtml(session.openedBy)} chủ trì${
    session.closedAt ? `; kết thúc lúc ${vnDateTime(session.closedAt)}` : ' (phiên họp chưa kết thúc)'
  }.</p>
<p>Thành phần: ${session.membersPresent ?? '—'}/${session.membersTotal} thành viên Hội đồng có mặt; phiên họp ${quorum}.
Bộ quy tắc áp dụng: ${escapeHtml(session.ruleSet.id)}, phiên bản ${session.ruleSet.version}. Hình thức biểu quyết: bỏ phiếu kín.</p>
<h3>Kết quả biểu quyết</h3>
${describeRules(findRuleSet(session.ruleSet.id, session.ruleSet.version)?.council)}
<table><thead><tr><th>Đơn vị</th><th>Danh hiệu</th><th>Đồng ý</th><th>Không đồng ý</th><th>Không biểu quyết</th><th>Xung đột lợi ích</th><th>Cơ sở tính tỷ lệ</th><th>Tỷ lệ đồng ý</th><th>Kết luận</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
<h3>Thành viên khai báo xung đột lợi ích (không tham gia biểu quyết hồ sơ liên quan)</h3>
${conflicts.length ? `<ul>\n${conflicts.join('\n')}\n</ul>` : '<p>Không có.</p>'}
<p>Biên bản được lập từ nhật ký quyết định của hệ thống tdkt-flow; mỗi quyết định được ghi vào chuỗi nhật ký có kiểm chứng (SHA-256).</p>
</body></html>
`;
}
