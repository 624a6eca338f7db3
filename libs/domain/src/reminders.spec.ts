import { DEFAULT_REMINDER_POLICY, nextReminder, plannedReminder, reminderTimeOf, vietnamInstant, withReminderTime, workingDaysLate } from './reminders';
import { subtractWorkingDays } from './working-days';

const deadline = (date: string) => new Date(Date.parse(`${date}T17:00:00+07:00`)).toISOString();

describe('plannedReminder — lịch nhắc việc theo ngày làm việc', () => {
  it.each([
    // An ordinary week: Thursday 10/12/2026.
    ['2026-12-10', 1, '2026-12-07', false], // 3 working days before (Monday)
    ['2026-12-10', 2, '2026-12-10', false], // on the deadline
    ['2026-12-10', 3, '2026-12-14', true], // 2 working days late, over the weekend: escalated from the 3rd
    ['2026-12-10', 4, '2026-12-16', true],
    ['2026-12-10', 5, '2026-12-18', true],
    // Tết 2026 (16–20/2) and the weekends around it are skipped both ways.
    ['2026-02-23', 1, '2026-02-11', false],
    ['2026-02-23', 2, '2026-02-23', false],
    ['2026-02-23', 3, '2026-02-25', true],
    // A deadline on a Saturday falls due on the next working day.
    ['2026-12-12', 2, '2026-12-14', false],
    ['2026-12-12', 1, '2026-12-09', false],
  ])('deadline %s, reminder %i goes out on %s (escalated: %s)', (day, seq, date, escalate) => {
    expect(plannedReminder(deadline(day), seq)).toEqual({ sequence: seq, date, at: vietnamInstant(date, 8), escalate });
  });

  it('sends at 08:00 Vietnam time', () => {
    expect(plannedReminder(deadline('2026-12-10'), 2)!.at).toBe('2026-12-10T01:00:00.000Z');
  });

  it('sends at a campaign’s own reminder time, to the minute, on the same working days', () => {
    const at1430 = withReminderTime(DEFAULT_REMINDER_POLICY, '14:30');
    expect(plannedReminder(deadline('2026-12-10'), 1, at1430)).toEqual({ sequence: 1, date: '2026-12-07', at: '2026-12-07T07:30:00.000Z', escalate: false });
    expect(plannedReminder(deadline('2026-12-10'), 2, withReminderTime(DEFAULT_REMINDER_POLICY, '00:05'))!.at).toBe('2026-12-09T17:05:00.000Z');
    expect(plannedReminder(deadline('2026-12-10'), 3, withReminderTime(DEFAULT_REMINDER_POLICY, '23:59'))!.at).toBe('2026-12-14T16:59:00.000Z');
    // Everything else of the policy stays; no reminder time keeps the policy as it is.
    expect(at1430).toEqual({ ...DEFAULT_REMINDER_POLICY, sendHourVietnam: 14, sendMinuteVietnam: 30 });
    expect(withReminderTime(DEFAULT_REMINDER_POLICY, undefined)).toBe(DEFAULT_REMINDER_POLICY);
    expect(reminderTimeOf(DEFAULT_REMINDER_POLICY)).toBe('08:00');
    expect(reminderTimeOf(withReminderTime(DEFAULT_REMINDER_POLICY, '07:05'))).toBe('07:05');
    for (const bad of ['24:00', '8:00', '08:60', '08.30']) expect(() => withReminderTime(DEFAULT_REMINDER_POLICY, bad)).toThrow(/HH:MM/);
  });

  it('stops after the policy’s last reminder, and follows a policy without reminders after the deadline', () => {
    expect(plannedReminder(deadline('2026-12-10'), DEFAULT_REMINDER_POLICY.maxReminders + 1)).toBeNull();
    const noLate = { ...DEFAULT_REMINDER_POLICY, everyWorkingDaysWhileLate: 0 };
    expect(plannedReminder(deadline('2026-12-10'), 2, noLate)!.date).toBe('2026-12-10');
    expect(plannedReminder(deadline('2026-12-10'), 3, noLate)).toBeNull();
    const onlyLate = { ...DEFAULT_REMINDER_POLICY, beforeDeadlineWorkingDays: 0, onDeadline: false };
    expect(plannedReminder(deadline('2026-12-10'), 1, onlyLate)!.date).toBe('2026-12-14');
  });
});

describe('nextReminder — không dồn nhắc việc cũ', () => {
  it('is the first planned reminder when nothing was sent and it is still ahead', () => {
    expect(nextReminder(deadline('2026-12-10'), 0, '2026-12-01T00:00:00Z')!.sequence).toBe(1);
  });
  it('skips reminders a later one has superseded, keeping the latest one due', () => {
    // Started on 11/12 (the day after the deadline): reminders 1 and 2 are past, 3 is ahead.
    expect(nextReminder(deadline('2026-12-10'), 0, '2026-12-11T03:00:00Z')!.sequence).toBe(2);
    expect(nextReminder(deadline('2026-12-10'), 2, '2026-12-11T03:00:00Z')!.sequence).toBe(3);
  });
  it('is null once the policy has no more', () => {
    expect(nextReminder(deadline('2026-12-10'), DEFAULT_REMINDER_POLICY.maxReminders, '2027-01-30T00:00:00Z')).toBeNull();
  });
});

describe('workingDaysLate — số ngày làm việc chậm', () => {
  it.each([
    ['2026-12-10T09:00:00Z', 0], // before the deadline (17:00 VN = 10:00Z)
    ['2026-12-11T03:00:00Z', 1],
    ['2026-12-14T03:00:00Z', 2], // the weekend does not count
    ['2026-12-31T03:00:00Z', 15],
  ])('at %s: %i', (now, late) => {
    expect(workingDaysLate(deadline('2026-12-10'), now)).toBe(late);
  });
});

describe('subtractWorkingDays', () => {
  it('counts back over weekends and holidays', () => {
    expect(subtractWorkingDays('2026-02-23', 1)).toBe('2026-02-13');
    expect(() => subtractWorkingDays('2026-02-23', 0)).toThrow();
  });
});
