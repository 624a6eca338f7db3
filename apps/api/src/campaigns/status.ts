/**
 * Where a campaign stands for the officers who chase it: per member, registered or not, late or
 * not and by how many working days (holidays skipped), and how many reminders it has had.
 */
import type { CampaignView } from '@tdkt/contracts';
import { workingDaysLate } from '@tdkt/domain';

export interface MemberStatus {
  unitCode: string;
  registeredAt: string | null;
  registeredLate: boolean;
  selfAssessedAt: string | null;
  remindersSent: number;
  lastReminderAt: string | null;
  /** What the unit is late with now, since when, by how many working days. */
  late: { kind: 'REGISTRATION' | 'SELF_ASSESSMENT'; deadline: string; workingDaysLate: number } | null;
}

export interface CampaignStatus {
  registered: number;
  selfAssessed: number;
  late: number;
  members: MemberStatus[];
}

export function campaignStatus(view: CampaignView, now: string): CampaignStatus {
  const open = view.phase === 'REGISTRATION' || view.phase === 'SELF_ASSESSMENT';
  const members = view.members.map((m): MemberStatus => {
    let late: MemberStatus['late'] = null;
    if (open && !m.registeredAt && Date.parse(now) > Date.parse(view.registrationDeadline)) {
      late = { kind: 'REGISTRATION', deadline: view.registrationDeadline, workingDaysLate: workingDaysLate(view.registrationDeadline, now) };
    } else if (open && m.registeredAt && !m.selfAssessedAt && view.selfAssessmentDeadline && Date.parse(now) > Date.parse(view.selfAssessmentDeadline)) {
      late = { kind: 'SELF_ASSESSMENT', deadline: view.selfAssessmentDeadline, workingDaysLate: workingDaysLate(view.selfAssessmentDeadline, now) };
    }
    return {
      unitCode: m.unitCode,
      registeredAt: m.registeredAt,
      registeredLate: m.registeredLate ?? false,
      selfAssessedAt: m.selfAssessedAt,
      remindersSent: m.remindersSent,
      lastReminderAt: m.lastReminderAt ?? null,
      late,
    };
  });
  return {
    registered: members.filter((m) => m.registeredAt).length,
    selfAssessed: members.filter((m) => m.selfAssessedAt).length,
    late: members.filter((m) => m.late).length,
    members,
  };
}
