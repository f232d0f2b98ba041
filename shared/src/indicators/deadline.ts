import {
  addWorkingDays,
  type CalendarOptions,
  HOURS_PER_WORKING_DAY,
  workingHoursBetween,
} from '../calendar';
import type { DossierFact } from './facts';
import { isOnTime } from './on-time';

/** Where an open dossier is, read from its state: who has to act next. */
export type Whereabouts = 'desk' | 'agency' | 'courier' | 'citizen';

const WHERE: Record<string, Whereabouts> = {
  pickup_requested: 'courier',
  pickup_assigned: 'courier',
  picked_up: 'courier',
  draft: 'desk',
  supplement_requested: 'citizen',
  received: 'desk',
  digitized: 'desk',
  forwarded: 'agency',
  in_review: 'agency',
  agency_supplement_requested: 'citizen',
  awaiting_payment: 'citizen',
  decided: 'agency',
  result_ready: 'desk',
  out_for_delivery: 'courier',
  delivery_failed: 'courier',
  returned_to_agency: 'agency',
};

export const whereaboutsOf = (state: string): Whereabouts => WHERE[state] ?? 'desk';

export type Risk = 'on_track' | 'at_risk' | 'overdue';

/**
 * "At risk" starts when two working days (16 working hours) or less remain. Why two: a late dossier must get
 * the Mẫu 04 apology at least one working day before the due time (Decree 61/2018 Art. 19.9, lifecycle
 * apologyGuard), and the agency needs a working day to see the warning, decide and sign it; after that point
 * the apology is no longer allowed and the dossier can only end late.
 */
export const AT_RISK_HOURS = 2 * HOURS_PER_WORKING_DAY;

export type DeadlineStatus = {
  /**
   * The due time the board judges by: the legal appointment (restarted after a supplement, moved by an
   * apology) when given, else Decision 766's due time (supplement pauses given back).
   */
  effectiveDueAt: Date;
  /** Decision 766's due time for the on-time measure (supplement time subtracted), shown where it differs. */
  measureDueAt: Date;
  /** Decision 766 already counts it late whatever the dates (a second supplement request). */
  measureLate: boolean;
  /** Working hours from now to the effective due time; negative when overdue. Frozen while paused. */
  hoursLeft: number;
  risk: Risk;
  /** Why: `second_supplement` is late whatever the dates (Decision 766 rule). */
  reason: 'in_time' | 'little_time' | 'past_due' | 'second_supplement';
  paused: boolean;
  /** Mẫu 04 still possible and worth prompting: no apology yet, at risk, and ≥ 1 working day before due. */
  apologyDue: boolean;
  /** The last working day on which the Mẫu 04 apology may be issued (local `YYYY-MM-DD`). */
  apologyBy: string;
};

/**
 * The deadline status of an open dossier at `now`, on the office's working calendar. Uses the same on-time rule
 * as the indicators (pauses given back in working hours), so the board and the figures never disagree.
 */
export const deadlineStatus = (
  fact: DossierFact,
  now: Date,
  calendar: Omit<CalendarOptions, 'pauses'>,
  /** The dossier's legal appointment and its supplement pause (DOMAIN.md: "overdue" means the appointment). */
  legal?: { dueAt: Date | null; pausedAt: Date | null },
): DeadlineStatus | null => {
  const verdict = isOnTime(
    fact,
    { periodStart: new Date(0), periodEnd: now, now },
    { calendarOf: () => calendar },
  );
  if (!verdict.counted) return null;
  const byLaw = legal?.dueAt ? legal : null;
  const due = byLaw?.dueAt ?? verdict.effectiveDueAt;
  const paused = byLaw ? byLaw.pausedAt !== null : fact.supplements.some((s) => s.completedAt === null);
  // While paused the appointment waits for the complete dossier: time left is frozen at the pause.
  const from = byLaw?.pausedAt && byLaw.pausedAt.getTime() < now.getTime() ? byLaw.pausedAt : now;
  const hoursLeft = Math.round(workingHoursBetween(from, due, calendar) * 100) / 100;
  const secondSupplement = verdict.reason === 'late_second_supplement';
  // By the legal appointment a second request is Decision 766's matter (measureLate), not "overdue".
  const risk: Risk =
    (secondSupplement && !byLaw) || due.getTime() < from.getTime()
      ? 'overdue'
      : hoursLeft <= AT_RISK_HOURS
        ? 'at_risk'
        : 'on_track';
  const reason =
    secondSupplement && !byLaw
      ? 'second_supplement'
      : risk === 'overdue'
        ? 'past_due'
        : risk === 'at_risk'
          ? 'little_time'
          : 'in_time';
  const apologyBy = addWorkingDays(due, -1, calendar);
  return {
    effectiveDueAt: due,
    measureDueAt: verdict.effectiveDueAt,
    measureLate: secondSupplement,
    hoursLeft,
    risk,
    reason,
    paused,
    apologyDue:
      fact.extension === null &&
      risk === 'at_risk' &&
      hoursLeft >= HOURS_PER_WORKING_DAY &&
      !(secondSupplement && !byLaw),
    apologyBy,
  };
};
