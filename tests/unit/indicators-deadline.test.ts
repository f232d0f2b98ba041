import {
  AT_RISK_HOURS,
  DEFAULT_OFFICE_HOURS,
  type DossierFact,
  deadlineStatus,
  HOLIDAY_TABLES,
  whereaboutsOf,
} from '@postdesk/shared';
import { describe, expect, it } from 'vitest';

const vn = (local: string) => new Date(`${local}:00+07:00`);
const calendar = { holidays: HOLIDAY_TABLES, hours: DEFAULT_OFFICE_HOURS };

const open = (over: Partial<DossierFact> = {}): DossierFact => ({
  id: 'd1',
  officeId: 'o',
  agencyId: 'a',
  procedureCode: '1.004873',
  channel: 1,
  receivedAt: vn('2026-02-09T08:00'),
  dueAt: vn('2026-02-12T08:00'),
  extension: null,
  processedAt: null,
  returnedAt: null,
  stoppedAt: null,
  refusedAt: null,
  withdrawnAt: null,
  supplements: [],
  digitizedComponents: 0,
  reusedComponents: 0,
  resultIsPaper: false,
  hasElectronicResult: false,
  feeTotal: 0,
  paidOnline: false,
  feedback: null,
  complaints: 0,
  ...over,
});

describe('deadline status of an open dossier', () => {
  it('is on track with more than two working days left, at risk with less, overdue after the due time', () => {
    expect(deadlineStatus(open(), vn('2026-02-09T09:00'), calendar)).toMatchObject({
      risk: 'on_track',
      hoursLeft: 23,
    });
    const risky = deadlineStatus(open(), vn('2026-02-10T10:00'), calendar)!;
    expect(risky).toMatchObject({
      risk: 'at_risk',
      hoursLeft: 14,
      apologyDue: true,
      apologyBy: '2026-02-11',
    });
    expect(risky.hoursLeft).toBeLessThanOrEqual(AT_RISK_HOURS);
    // Less than one working day left: too late for Mẫu 04, so no prompt.
    expect(deadlineStatus(open(), vn('2026-02-11T14:00'), calendar)).toMatchObject({
      risk: 'at_risk',
      apologyDue: false,
    });
    expect(deadlineStatus(open(), vn('2026-02-12T09:00'), calendar)).toMatchObject({
      risk: 'overdue',
      reason: 'past_due',
      hoursLeft: -1,
    });
  });

  it('freezes the time left while the agency waits for documents, across Tết', () => {
    const paused = open({
      receivedAt: vn('2026-02-12T08:00'),
      dueAt: vn('2026-02-24T08:00'),
      supplements: [{ requestedAt: vn('2026-02-13T09:00'), completedAt: null }],
    });
    const a = deadlineStatus(paused, vn('2026-02-13T10:00'), calendar)!;
    const b = deadlineStatus(paused, vn('2026-02-23T10:00'), calendar)!;
    expect(a.paused).toBe(true);
    expect(b.hoursLeft).toBe(a.hoursLeft);
  });

  it('counts a second supplement request as overdue whatever the dates', () => {
    const twice = open({
      supplements: [
        { requestedAt: vn('2026-02-09T09:00'), completedAt: vn('2026-02-09T10:00') },
        { requestedAt: vn('2026-02-09T11:00'), completedAt: vn('2026-02-09T14:00') },
      ],
    });
    expect(deadlineStatus(twice, vn('2026-02-09T15:00'), calendar)).toMatchObject({
      risk: 'overdue',
      reason: 'second_supplement',
      apologyDue: false,
    });
  });

  it('uses the Mẫu 04 date once issued, and tells where the dossier is', () => {
    // A new date inside Tết gives no working time: 20/02 17:00 is as close as Friday 13/02.
    const inTet = open({ extension: { issuedAt: vn('2026-02-10T09:00'), dueAt: vn('2026-02-20T17:00') } });
    expect(deadlineStatus(inTet, vn('2026-02-12T09:00'), calendar)).toMatchObject({
      risk: 'at_risk',
      hoursLeft: 14,
    });
    const extended = open({ extension: { issuedAt: vn('2026-02-10T09:00'), dueAt: vn('2026-02-27T17:00') } });
    expect(deadlineStatus(extended, vn('2026-02-12T09:00'), calendar)).toMatchObject({
      risk: 'on_track',
      hoursLeft: 54,
      apologyDue: false,
    });
    expect(whereaboutsOf('in_review')).toBe('agency');
    expect(whereaboutsOf('digitized')).toBe('desk');
    expect(whereaboutsOf('out_for_delivery')).toBe('courier');
    expect(whereaboutsOf('agency_supplement_requested')).toBe('citizen');
  });
});
