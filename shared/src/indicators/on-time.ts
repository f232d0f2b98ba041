import { dueAt, workingHoursBetween } from '../calendar';
import type { ClockOptions, DossierFact, Period } from './facts';

/** Why a counted dossier is, or is not, on time: what a report prints next to each dossier. */
export type OnTimeReason =
  | 'on_time'
  | 'late'
  | 'late_second_supplement'
  | 'unfinished_overdue'
  | 'unfinished_in_time';

/** Why a dossier is left out of the on-time denominator for this period. */
export type NotCountedReason =
  | 'not_received'
  | 'received_after_period'
  | 'finished_before_period'
  | 'no_due_time';

export type OnTimeVerdict =
  | {
      counted: true;
      onTime: boolean;
      reason: OnTimeReason;
      /** End of processing, or the period end (or `now`) for an unfinished dossier. */
      judgedAt: Date;
      finishedAt: Date | null;
      /** The due time after the apology and the supplement pauses. */
      effectiveDueAt: Date;
      extended: boolean;
      supplementRequests: number;
    }
  | { counted: false; reason: NotCountedReason };

const ON_TIME_REASONS: readonly OnTimeReason[] = ['on_time', 'unfinished_in_time'];

const earliest = (dates: readonly Date[]) =>
  dates.length === 0 ? null : dates.reduce((a, b) => (b.getTime() < a.getTime() ? b : a));

/**
 * End of processing as the portal takes it: processed (9) before returned (10) before stopped, refused or
 * withdrawn, whichever of those came first. Events at or after `before` have not happened yet.
 */
export const endOfProcessing = (fact: DossierFact, before: Date): Date | null => {
  const seen = (d: Date | null): d is Date => d !== null && d.getTime() < before.getTime();
  if (seen(fact.processedAt)) return fact.processedAt;
  if (seen(fact.returnedAt)) return fact.returnedAt;
  return earliest([fact.stoppedAt, fact.refusedAt, fact.withdrawnAt].filter(seen));
};

type Span = [number, number];

const merged = (spans: Span[]): Span[] => {
  const out: Span[] = [];
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
};

/**
 * Whether a dossier counts as on time for the period (Decision 766 indicator 2.1, as the portal computes it):
 * - the end of processing is compared with the due time, to the minute: ending at the due time is on time;
 * - a Mẫu 04 apology replaces the due time, if it was issued before the original due time (Art. 19.9
 *   allows nothing later) and before the dossier is judged;
 * - supplement time moves the due time on: each pause from its request until the documents arrived, or until
 *   the dossier is judged while still waiting. Pause time before an apology is not given twice, because the
 *   apology's new date was set knowing it;
 * - more than one supplement request is late whatever the dates;
 * - a dossier unfinished at the period end (or `now`, if earlier) is judged then: overdue counts as late,
 *   still within its time counts as on time ("finished or in progress on time").
 */
export const isOnTime = (fact: DossierFact, period: Period, opts: ClockOptions = {}): OnTimeVerdict => {
  const horizon = Math.min(period.periodEnd.getTime(), period.now.getTime());
  if (!fact.receivedAt) return { counted: false, reason: 'not_received' };
  const received = fact.receivedAt.getTime();
  if (received >= horizon) return { counted: false, reason: 'received_after_period' };
  const finishedAt = endOfProcessing(fact, new Date(horizon));
  if (finishedAt && finishedAt.getTime() < period.periodStart.getTime())
    return { counted: false, reason: 'finished_before_period' };
  if (!fact.dueAt) return { counted: false, reason: 'no_due_time' };

  const judged = finishedAt ? finishedAt.getTime() : horizon;
  const originalDue = fact.dueAt.getTime();
  const ext = fact.extension;
  const extended = ext !== null && ext.issuedAt.getTime() < originalDue && ext.issuedAt.getTime() <= judged;
  const base = extended ? ext.dueAt.getTime() : originalDue;
  const pausesFrom = Math.max(received, extended ? ext.issuedAt.getTime() : received);

  const requests = fact.supplements.filter((s) => s.requestedAt.getTime() <= judged);
  const pauses = merged(
    requests
      .map(
        (s): Span => [
          Math.max(s.requestedAt.getTime(), pausesFrom),
          Math.min(s.completedAt?.getTime() ?? judged, judged),
        ],
      )
      .filter(([from, to]) => to > from),
  );
  const calendar = opts.calendarOf?.(fact);
  let due = base;
  if (calendar) {
    const hours = pauses.reduce(
      (sum, [from, to]) => sum + workingHoursBetween(new Date(from), new Date(to), calendar),
      0,
    );
    if (hours > 0) due = dueAt(new Date(base), hours, calendar).getTime();
  } else {
    due += pauses.reduce((sum, [from, to]) => sum + (to - from), 0);
  }

  const reason: OnTimeReason =
    requests.length > 1
      ? 'late_second_supplement'
      : finishedAt
        ? judged <= due
          ? 'on_time'
          : 'late'
        : judged > due
          ? 'unfinished_overdue'
          : 'unfinished_in_time';
  return {
    counted: true,
    onTime: ON_TIME_REASONS.includes(reason),
    reason,
    judgedAt: new Date(judged),
    finishedAt,
    effectiveDueAt: new Date(due),
    extended,
    supplementRequests: requests.length,
  };
};
