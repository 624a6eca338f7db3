/**
 * Reminders delivered with their audit event, in the same transaction: the in-app inbox row and
 * the e-mail outbox row of every recipient (unique per event and user, so a retried activity adds
 * nothing). The text is Vietnamese: which unit, what is late, since when, and a link.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { NotificationRequest } from '@tdkt/contracts';

export interface NotificationOptions {
  /** Base URL of the links in reminders (the API or the web app). */
  appUrl: string;
  /** Domain of the Message-ID header of reminder e-mails. */
  mailDomain?: string;
}

const WHAT: Record<NotificationRequest['kind'], string> = {
  REGISTRATION: 'đăng ký thi đua',
  SELF_ASSESSMENT: 'nộp tự đánh giá, báo cáo thành tích',
  AMENDMENT: 'nộp hồ sơ bổ sung theo yêu cầu của Vụ Thi đua - Khen thưởng',
};

/** 17:00, 10/12/2026 (giờ Việt Nam). */
export function vietnameseDateTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 7 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}, ${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

export function renderReminder(
  n: NotificationRequest,
  ctx: { unitName: string; clusterName: string; appUrl: string; at: string },
): { subject: string; body: string; link: string } {
  const what = WHAT[n.kind];
  const link = n.nominationId ? `${ctx.appUrl}/nominations/${n.nominationId}` : `${ctx.appUrl}/campaigns/${n.campaignId}`;
  const late = Date.parse(ctx.at) > Date.parse(n.deadline);
  const howLate = n.workingDaysLate > 0 ? `${n.workingDaysLate} ngày làm việc` : 'đã quá hạn';
  const subject = late
    ? `[Nhắc việc lần ${n.sequence}] ${ctx.unitName} chậm ${what} ${howLate}`
    : `[Nhắc việc lần ${n.sequence}] ${ctx.unitName}: hạn ${what} là ${vietnameseDateTime(n.deadline)}`;
  const lines = [
    'Kính gửi cán bộ thi đua của đơn vị,',
    '',
    late
      ? `${ctx.unitName} chưa ${what} cho ${ctx.clusterName}. Thời hạn là ${vietnameseDateTime(n.deadline)}; ${n.workingDaysLate > 0 ? `đơn vị đã chậm ${n.workingDaysLate} ngày làm việc kể từ thời hạn này` : 'thời hạn này đã qua'}.`
      : `${ctx.unitName} chưa ${what} cho ${ctx.clusterName}. Thời hạn là ${vietnameseDateTime(n.deadline)}.`,
    `Đây là lần nhắc thứ ${n.sequence}.${n.escalate ? ' Thông báo này được gửi đồng thời tới Cụm trưởng và Vụ Thi đua - Khen thưởng.' : ''}`,
    '',
    `Thực hiện tại: ${link}`,
    '',
    'Thư này được gửi tự động từ hệ thống tdkt-flow; vui lòng không trả lời thư này.',
  ];
  return { subject, body: lines.join('\n'), link };
}

interface Recipient {
  username: string;
  email: string | null;
}

/** The unit's officers, and a sub-unit's: its member unit's (by the index on app_user.unit_code). */
const OFFICERS_SQL = `SELECT u.username, u.email FROM app_user u
  WHERE u.active AND 'UNIT_OFFICER' = ANY(u.roles)
    AND u.unit_code IN (SELECT code FROM unit WHERE code = $1 UNION SELECT parent_code FROM unit WHERE code = $1 AND parent_code IS NOT NULL)`;
/** On escalation, the cluster's head and the Department's reviewers as well. */
const ESCALATED_SQL = `${OFFICERS_SQL}
  UNION SELECT u.username, u.email FROM app_user u
  WHERE u.active AND 'CLUSTER_HEAD' = ANY(u.roles) AND u.unit_code = (SELECT head_unit_code FROM campaign WHERE id = $2)
  UNION SELECT u.username, u.email FROM app_user u WHERE u.active AND 'DEPARTMENT_REVIEWER' = ANY(u.roles)`;

/**
 * Who is told: the unit's officers (a sub-unit's: its member unit's), and on escalation the head
 * and the Department. A plain reminder looks up the unit's own users by index: it used to scan
 * every user for each reminder, which a sweep of thousands of units paid once per unit.
 */
async function recipientsOf(tx: EntityManager, n: NotificationRequest): Promise<Recipient[]> {
  return n.escalate
    ? tx.query(`${ESCALATED_SQL} ORDER BY username`, [n.unitCode, n.campaignId])
    : tx.query(`${OFFICERS_SQL} ORDER BY u.username`, [n.unitCode]);
}

export async function insertNotifications(
  tx: EntityManager,
  eventId: string,
  at: string,
  requests: NotificationRequest[],
  options: NotificationOptions,
): Promise<void> {
  for (const n of requests) {
    const [unit] = await tx.query('SELECT name FROM unit WHERE code = $1', [n.unitCode]);
    const [campaign] = await tx.query('SELECT cluster_name FROM campaign WHERE id = $1', [n.campaignId]);
    const text = renderReminder(n, { unitName: unit?.name ?? n.unitCode, clusterName: campaign?.cluster_name ?? n.campaignId, appUrl: options.appUrl, at });
    for (const r of await recipientsOf(tx, n)) {
      await tx.query(
        `INSERT INTO notification (event_id, username, unit_code, kind, subject, body, link, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (event_id, username) DO NOTHING`,
        [eventId, r.username, n.unitCode, n.kind, text.subject, text.body, text.link, at],
      );
      if (!r.email) continue;
      const messageId = `<${createHash('sha256').update(`${eventId}|${r.username}`).digest('hex').slice(0, 32)}@${options.mailDomain ?? 'tdkt-flow.local'}>`;
      await tx.query(
        `INSERT INTO email_outbox (event_id, username, recipient, subject, body, message_id)
         VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (event_id, username) DO NOTHING`,
        [eventId, r.username, r.email, text.subject, text.body, messageId],
      );
    }
  }
}
