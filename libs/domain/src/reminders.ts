/**
 * Reminders for late work (nhắc việc): registration (đăng ký thi đua), self-assessment (tự đánh giá)
 * and amendment after a RETURN (bổ sung hồ sơ). Pure schedule arithmetic in working days; the
 * workflows wait for each instant with a durable timer and stop the moment the work arrives.
 *
 * Default policy (rule set): 3 working days before the deadline, on the deadline, then every
 * 2 working days while late; from the 3rd reminder on, the cluster head and the Department are
 * told as well (escalation). Reminders go out at 08:00 Vietnam time on working days.
 */
import { addWorkingDays, isWorkingDay, subtractWorkingDays, toVietnamDate, workingDaysBetween } from './working-days';

export interface ReminderPolicy {
  /** First reminder this many working days before the deadline (0: none before). */
  beforeDeadlineWorkingDays: number;
  /** A reminder on the deadline day itself. */
  onDeadline: boolean;
  /** While late, one every this many working days (0: none after the deadline). */
  everyWorkingDaysWhileLate: number;
  /** From this reminder number on (1-based), escalate to the cluster head and the Department. */
  escalateFrom: number;
  /** Stop after this many reminders in all. */
  maxReminders: number;
  /** Hour of the day (Vietnam time) reminders go out. */
  sendHourVietnam: number;
  /** Minute of that hour (0 when absent): a campaign's own reminder time may set it. */
  sendMinuteVietnam?: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  beforeDeadlineWorkingDays: 3,
  onDeadline: true,
  everyWorkingDaysWhileLate: 2,
  escalateFrom: 3,
  maxReminders: 10,
  sendHourVietnam: 8,
};

export type ReminderKind = 'REGISTRATION' | 'SELF_ASSESSMENT' | 'AMENDMENT';

export interface PlannedReminder {
  /** 1-based number of the reminder for this piece of work. */
  sequence: number;
  /** Vietnam calendar date it goes out. */
  date: string;
  /** ISO instant it goes out. */
  at: string;
  /** Also tell the cluster head and the Department. */
  escalate: boolean;
}

/** The ISO instant of `hour`:`minute` Vietnam time on a Vietnam calendar date. */
export function vietnamInstant(date: string, hour: number, minute = 0): string {
  return new Date(Date.parse(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+07:00`)).toISOString();
}

/** A campaign's reminder time (giờ gửi nhắc việc): "HH:MM", 24-hour, Vietnam time. */
export const REMINDER_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The policy's send time as "HH:MM" (Vietnam time). */
export function reminderTimeOf(policy: ReminderPolicy): string {
  return `${String(policy.sendHourVietnam).padStart(2, '0')}:${String(policy.sendMinuteVietnam ?? 0).padStart(2, '0')}`;
}

/**
 * The policy with its send time replaced by a campaign's own reminder time ("HH:MM", Vietnam
 * time); the policy itself when the campaign sets none.
 */
export function withReminderTime(policy: ReminderPolicy, reminderTime: string | null | undefined): ReminderPolicy {
  if (!reminderTime) return policy;
  if (!REMINDER_TIME_PATTERN.test(reminderTime)) throw new Error(`reminder time must be HH:MM (00:00 to 23:59), got "${reminderTime}"`);
  const [hour, minute] = reminderTime.split(':').map(Number);
  return { ...policy, sendHourVietnam: hour, sendMinuteVietnam: minute };
}

/** The calendar date (Vietnam) of a deadline instant. */
export function deadlineDate(deadline: string): string {
  return toVietnamDate(new Date(deadline));
}

/** The n-th reminder (1-based) for a deadline, or null when the policy sends no more. */
export function plannedReminder(deadline: string, sequence: number, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): PlannedReminder | null {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > policy.maxReminders) return null;
  const day = deadlineDate(deadline);
  const due = isWorkingDay(day) ? day : addWorkingDays(day, 0);
  const dates: string[] = [];
  if (policy.beforeDeadlineWorkingDays > 0) dates.push(subtractWorkingDays(due, policy.beforeDeadlineWorkingDays));
  if (policy.onDeadline) dates.push(due);
  let date: string;
  if (sequence <= dates.length) {
    date = dates[sequence - 1];
  } else {
    if (policy.everyWorkingDaysWhileLate <= 0) return null;
    date = addWorkingDays(due, policy.everyWorkingDaysWhileLate * (sequence - dates.length));
  }
  return { sequence, date, at: vietnamInstant(date, policy.sendHourVietnam, policy.sendMinuteVietnam), escalate: sequence >= policy.escalateFrom };
}

/**
 * The next reminder to send after `sent` reminders, skipping those whose time has already passed
 * by more than a day (a campaign started late does not fire a burst of stale reminders).
 */
export function nextReminder(deadline: string, sent: number, now: string, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): PlannedReminder | null {
  for (let seq = sent + 1; ; seq++) {
    const r = plannedReminder(deadline, seq, policy);
    if (!r) return null;
    const following = plannedReminder(deadline, seq + 1, policy);
    // Keep the latest reminder already due; skip older ones that a later one supersedes.
    if (Date.parse(r.at) >= Date.parse(now) || !following || Date.parse(following.at) > Date.parse(now)) return r;
  }
}

/** Working days late at `now` (0 when not late): counted from the deadline's date. */
export function workingDaysLate(deadline: string, now: string): number {
  if (Date.parse(now) <= Date.parse(deadline)) return 0;
  return Math.max(0, workingDaysBetween(deadlineDate(deadline), toVietnamDate(new Date(now))));
}
