/**
 * The reminder loop shared by the workflows (nhắc việc): waits on a durable timer for the next
 * reminder of the policy, reminds the units still late, and stops the moment none is late or the
 * work has moved on. Pure schedule rules come from libs/domain/src/reminders.ts.
 */
import { condition } from '@temporalio/workflow';
import { nextReminder, type PlannedReminder, type ReminderPolicy } from '../../libs/domain/src/index';
import { workflowNow } from './recorder';

export interface ReminderLoop {
  /** ISO instant of the deadline. */
  deadline: string;
  policy: ReminderPolicy;
  /** Units still late right now. */
  lateUnits: () => string[];
  /** True once reminding makes no sense any more (the phase moved on). */
  stopped: () => boolean;
  /** Reminds these units (one decision each, with its notification). */
  remind: (units: string[], reminder: PlannedReminder) => Promise<unknown>;
}

export async function runReminders(loop: ReminderLoop): Promise<void> {
  let sent = 0;
  while (!loop.stopped()) {
    const next = nextReminder(loop.deadline, sent, workflowNow(), loop.policy);
    if (!next) return;
    const msLeft = Date.parse(next.at) - Date.parse(workflowNow());
    if (msLeft > 0 && (await condition(() => loop.stopped() || loop.lateUnits().length === 0, msLeft))) return;
    const late = loop.lateUnits();
    if (late.length === 0 || loop.stopped()) return;
    sent = next.sequence;
    await loop.remind(late, next);
  }
}
