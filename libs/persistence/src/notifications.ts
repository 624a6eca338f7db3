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
  /** Which reminder of the batch (its index) this recipient is told of. */
  i: number;
  username: string;
  email: string | null;
}

/**
 * Who is told of each reminder of a batch, in one query: the unit's officers (a sub-unit's: its
 * member unit's), and on escalation the cluster's head and the Department's reviewers as well.
 * The officers are found by the index on app_user.unit_code; the escalation's arms only for the
 * reminders that escalate. Ordered by reminder, then username.
 */
const RECIPIENTS_SQL = `
  WITH req AS (SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::boolean[]) AS r(i, unit_code, campaign_id, escalate)),
  target AS (
    SELECT req.i, x.code FROM req JOIN unit un ON un.code = req.unit_code
    CROSS JOIN LATERAL (VALUES (un.code), (un.parent_code)) AS x(code) WHERE x.code IS NOT NULL)
  SELECT t.i, u.username, u.email FROM target t
    JOIN app_user u ON u.unit_code = t.code AND u.active AND 'UNIT_OFFICER' = ANY(u.roles)
  UNION
  SELECT req.i, u.username, u.email FROM req JOIN campaign c ON c.id = req.campaign_id
    JOIN app_user u ON u.unit_code = c.head_unit_code AND u.active AND 'CLUSTER_HEAD' = ANY(u.roles)
    WHERE req.escalate
  UNION
  SELECT req.i, u.username, u.email FROM req JOIN app_user u ON u.active AND 'DEPARTMENT_REVIEWER' = ANY(u.roles)
    WHERE req.escalate
  ORDER BY 1, 2`;

/** The reminders of one audit event: told with it, in its transaction. */
export interface EventReminders {
  eventId: string;
  /** ISO instant of the event: the reminders' date. */
  at: string;
  requests: NotificationRequest[];
}

/**
 * The inbox and outbox rows of a batch's reminders in a fixed number of statements, whatever the
 * batch holds: the units' and clusters' names, the recipients, then one INSERT per table. A sweep
 * records ten reminders a batch; one at a time, that was five statements and more per reminder.
 */
export async function insertNotifications(tx: EntityManager, items: EventReminders[], options: NotificationOptions): Promise<void> {
  const reminders = items.flatMap(({ eventId, at, requests }) => requests.map((n) => ({ eventId, at, n })));
  if (reminders.length === 0) return;
  const unitNames = await namesBy(tx, 'SELECT code AS key, name FROM unit WHERE code = ANY($1::text[])', reminders.map((r) => r.n.unitCode));
  const clusterNames = await namesBy(tx, 'SELECT id AS key, cluster_name AS name FROM campaign WHERE id = ANY($1::text[])', reminders.map((r) => r.n.campaignId));
  const recipients: Recipient[] = await tx.query(RECIPIENTS_SQL, [
    reminders.map((_, i) => i),
    reminders.map((r) => r.n.unitCode),
    reminders.map((r) => r.n.campaignId),
    reminders.map((r) => r.n.escalate),
  ]);
  const texts = reminders.map(({ n, at }) =>
    renderReminder(n, { unitName: unitNames.get(n.unitCode) ?? n.unitCode, clusterName: clusterNames.get(n.campaignId) ?? n.campaignId, appUrl: options.appUrl, at }),
  );
  const inbox = recipients.map(({ i, username }) => {
    const { eventId, at, n } = reminders[i];
    return { event_id: eventId, username, unit_code: n.unitCode, kind: n.kind, subject: texts[i].subject, body: texts[i].body, link: texts[i].link, created_at: at };
  });
  const outbox = recipients
    .filter((r) => r.email)
    .map(({ i, username, email }) => {
      const { eventId } = reminders[i];
      const messageId = `<${createHash('sha256').update(`${eventId}|${username}`).digest('hex').slice(0, 32)}@${options.mailDomain ?? 'tdkt-flow.local'}>`;
      return { event_id: eventId, username, recipient: email, subject: texts[i].subject, body: texts[i].body, message_id: messageId };
    });
  if (inbox.length) {
    await tx.query(
      `INSERT INTO notification (event_id, username, unit_code, kind, subject, body, link, created_at)
       SELECT event_id, username, unit_code, kind, subject, body, link, created_at
       FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, username text, unit_code text, kind text,
            subject text, body text, link text, created_at timestamptz)
       ON CONFLICT (event_id, username) DO NOTHING`,
      [JSON.stringify(inbox)],
    );
  }
  if (outbox.length) {
    await tx.query(
      `INSERT INTO email_outbox (event_id, username, recipient, subject, body, message_id)
       SELECT event_id, username, recipient, subject, body, message_id
       FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, username text, recipient text, subject text,
            body text, message_id text)
       ON CONFLICT (event_id, username) DO NOTHING`,
      [JSON.stringify(outbox)],
    );
  }
}

/** `key -> name` of the rows a query finds for these keys (each asked for once). */
async function namesBy(tx: EntityManager, sql: string, keys: string[]): Promise<Map<string, string>> {
  const rows: { key: string; name: string }[] = await tx.query(sql, [[...new Set(keys)]]);
  return new Map(rows.map((r) => [r.key, r.name]));
}
