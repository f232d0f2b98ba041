import {
  ACTORS,
  type Actor,
  AppError,
  allowedEvents,
  applyEvent,
  DOSSIER_EVENTS,
  DOSSIER_STATES,
  type DossierEvent,
  type DossierState,
  type GuardContext,
  HOLIDAY_TABLES,
  PORTAL_STATUS,
  portalStatusOf,
  TERMINAL_STATES,
  TRANSITIONS,
  workingHoursBetween,
} from '@postdesk/shared';
import { DOSSIER_STATES as STATES_BY_SUBPATH } from '@postdesk/shared/lifecycle';
import { describe, expect, it } from 'vitest';

/** Vietnam local wall-clock time (UTC+7) as an instant. */
const vn = (local: string) => new Date(`${local}:00+07:00`);

const catchError = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, got a result');
};

// Typed in by hand from LIFECYCLE.md; not derived from TRANSITIONS, so a slip in either one shows up here.
const OPEN_STATES: DossierState[] = [
  'pickup_requested',
  'pickup_assigned',
  'picked_up',
  'draft',
  'supplement_requested',
  'received',
  'digitized',
  'forwarded',
  'in_review',
  'agency_supplement_requested',
  'awaiting_payment',
  'decided',
  'result_ready',
  'out_for_delivery',
  'delivery_failed',
  'returned_to_agency',
];

type Row = { who: Actor[]; from: (DossierState | null)[]; to: DossierState | 'same' };

const LIFECYCLE_MD: Record<DossierEvent, Row> = {
  request_pickup: { who: ['citizen', 'clerk', 'portal'], from: [null], to: 'pickup_requested' },
  assign_pickup: {
    who: ['supervisor', 'planner'],
    from: ['pickup_requested', 'pickup_assigned'],
    to: 'pickup_assigned',
  },
  pick_up: { who: ['courier'], from: ['pickup_assigned'], to: 'picked_up' },
  fail_pickup: { who: ['courier'], from: ['pickup_assigned'], to: 'pickup_assigned' },
  start_intake: { who: ['clerk'], from: [null, 'picked_up', 'supplement_requested'], to: 'draft' },
  receive: { who: ['clerk'], from: ['draft'], to: 'received' },
  request_supplement_at_desk: { who: ['clerk'], from: ['draft'], to: 'supplement_requested' },
  refuse_at_desk: { who: ['clerk'], from: ['draft'], to: 'refused' },
  complete_digitization: { who: ['clerk'], from: ['received'], to: 'digitized' },
  forward: { who: ['clerk'], from: ['digitized'], to: 'forwarded' },
  accept: { who: ['agency_official'], from: ['forwarded'], to: 'in_review' },
  request_supplement: {
    who: ['agency_official'],
    from: ['forwarded', 'in_review'],
    to: 'agency_supplement_requested',
  },
  complete_supplement: { who: ['clerk'], from: ['agency_supplement_requested'], to: 'forwarded' },
  request_payment: { who: ['agency_official'], from: ['in_review'], to: 'awaiting_payment' },
  confirm_payment: {
    who: ['clerk', 'courier', 'payment_gateway'],
    from: ['awaiting_payment'],
    to: 'in_review',
  },
  apologize_and_extend: { who: ['agency_official'], from: ['forwarded', 'in_review'], to: 'same' },
  decide: { who: ['agency_official'], from: ['in_review'], to: 'decided' },
  release_result: { who: ['agency_official', 'clerk'], from: ['decided'], to: 'result_ready' },
  dispatch: {
    who: ['supervisor', 'planner'],
    from: ['result_ready', 'delivery_failed'],
    to: 'out_for_delivery',
  },
  deliver: { who: ['courier'], from: ['out_for_delivery'], to: 'delivered' },
  fail_delivery: { who: ['courier'], from: ['out_for_delivery'], to: 'delivery_failed' },
  return_to_agency: { who: ['supervisor', 'system'], from: ['delivery_failed'], to: 'returned_to_agency' },
  hand_back: { who: ['clerk'], from: ['result_ready', 'returned_to_agency'], to: 'returned' },
  withdraw: { who: ['clerk', 'citizen'], from: OPEN_STATES, to: 'withdrawn' },
  stop: { who: ['agency_official'], from: ['in_review', 'awaiting_payment'], to: 'stopped' },
  // Differs from LIFECYCLE.md, which has no such row: issue 13 makes a change of phone or delivery address an
  // event of the dossier's own chain, by the staff of its office, without moving its state.
  change_contact: { who: ['clerk', 'supervisor'], from: OPEN_STATES, to: 'same' },
};

/** A context every guard accepts, so the pair matrix tests the table alone. */
const PASSING: GuardContext = {
  now: vn('2026-03-10T09:00'),
  workingHoursBetween: (a, b) => (b.getTime() - a.getTime()) / 3_600_000,
  dueAt: vn('2026-04-10T17:00'),
  apologyCount: 0,
  failedDeliveryCount: 2,
  lastAttemptAt: vn('2026-03-01T09:00'),
};

describe('states', () => {
  it('are the 21 of LIFECYCLE.md', () => {
    expect([...DOSSIER_STATES].sort()).toEqual(
      [...OPEN_STATES, 'refused', 'delivered', 'returned', 'withdrawn', 'stopped'].sort(),
    );
    expect(DOSSIER_STATES).toHaveLength(21);
    expect(STATES_BY_SUBPATH).toBe(DOSSIER_STATES);
  });

  it('refused, delivered, returned, withdrawn and stopped are terminal', () => {
    expect([...TERMINAL_STATES].sort()).toEqual(['delivered', 'refused', 'returned', 'stopped', 'withdrawn']);
  });

  it('each shows the portal status LIFECYCLE.md gives it', () => {
    expect(PORTAL_STATUS).toEqual({
      pickup_requested: 1,
      pickup_assigned: 1,
      picked_up: 1,
      draft: null,
      supplement_requested: 5,
      refused: 3,
      received: 2,
      digitized: 2,
      forwarded: 4,
      in_review: 4,
      agency_supplement_requested: 5,
      awaiting_payment: 6,
      decided: 9,
      result_ready: 9,
      out_for_delivery: 9,
      delivery_failed: 9,
      returned_to_agency: 9,
      delivered: 10,
      returned: 10,
      withdrawn: 7,
      stopped: 8,
    });
  });

  it('a desk draft is not synced; a draft that came from the portal shows as new (1)', () => {
    expect(portalStatusOf('draft', { fromPortal: false })).toBeNull();
    expect(portalStatusOf('draft', { fromPortal: true })).toBe(1);
    expect(portalStatusOf('received', { fromPortal: true })).toBe(2);
    expect(portalStatusOf('withdrawn', { fromPortal: false })).toBe(7);
  });
});

describe('every (state, event) pair, for every actor', () => {
  it('covers exactly the events of LIFECYCLE.md', () => {
    expect([...DOSSIER_EVENTS].sort()).toEqual(Object.keys(LIFECYCLE_MD).sort());
    expect(TRANSITIONS.map((t) => t.event).sort()).toEqual(Object.keys(LIFECYCLE_MD).sort());
  });

  const pairs = [null, ...DOSSIER_STATES].flatMap((state) =>
    DOSSIER_EVENTS.map((event) => [state, event] as const),
  );

  it.each(pairs)('from %s, %s', (state, event) => {
    const row = LIFECYCLE_MD[event];
    const validFrom = row.from.includes(state);
    for (const actor of ACTORS) {
      const allowed = validFrom && row.who.includes(actor);
      if (allowed) {
        const expectedTo = row.to === 'same' ? state : row.to;
        expect(applyEvent(state, event, actor, PASSING), `${actor}`).toEqual({
          to: expectedTo,
          portalStatus: PORTAL_STATUS[expectedTo as DossierState],
        });
        expect(allowedEvents(state, actor)).toContain(event);
      } else {
        const err = catchError(() => applyEvent(state, event, actor, PASSING));
        expect(err.code, `${actor}`).toBe(validFrom ? 'ROLE_NOT_ALLOWED' : 'TRANSITION_NOT_ALLOWED');
        expect(err.details).toMatchObject({ event, from: state });
        expect(allowedEvents(state, actor)).not.toContain(event);
      }
    }
  });
});

describe('who may do what', () => {
  it('postal staff never accept, request a supplement, decide or stop, from any state', () => {
    for (const actor of ['clerk', 'courier'] as const) {
      for (const state of [null, ...DOSSIER_STATES]) {
        for (const event of ['accept', 'request_supplement', 'decide', 'stop'] as const) {
          const err = catchError(() => applyEvent(state, event, actor, PASSING));
          expect(['ROLE_NOT_ALLOWED', 'TRANSITION_NOT_ALLOWED']).toContain(err.code);
        }
      }
      expect(catchError(() => applyEvent('in_review', 'decide', actor)).code).toBe('ROLE_NOT_ALLOWED');
      expect(catchError(() => applyEvent('forwarded', 'accept', actor)).code).toBe('ROLE_NOT_ALLOWED');
    }
  });

  it('an admin account causes no dossier event at all', () => {
    for (const state of [null, ...DOSSIER_STATES]) expect(allowedEvents(state, 'admin')).toEqual([]);
  });

  it('nothing leaves a terminal state, not even withdrawal', () => {
    for (const state of TERMINAL_STATES) {
      for (const actor of ACTORS) expect(allowedEvents(state, actor)).toEqual([]);
      expect(catchError(() => applyEvent(state, 'withdraw', 'citizen')).code).toBe('TRANSITION_NOT_ALLOWED');
    }
  });

  it('shows a clerk the buttons for a draft at the desk', () => {
    expect(allowedEvents('draft', 'clerk').sort()).toEqual([
      'change_contact',
      'receive',
      'refuse_at_desk',
      'request_supplement_at_desk',
      'withdraw',
    ]);
  });

  it('shows an agency official what can be done to a dossier under review', () => {
    expect(allowedEvents('in_review', 'agency_official').sort()).toEqual([
      'apologize_and_extend',
      'decide',
      'request_payment',
      'request_supplement',
      'stop',
    ]);
  });

  it('a new dossier starts at the desk (draft) or as a pickup request', () => {
    expect(applyEvent(null, 'start_intake', 'clerk')).toEqual({ to: 'draft', portalStatus: null });
    expect(applyEvent(null, 'request_pickup', 'portal')).toEqual({ to: 'pickup_requested', portalStatus: 1 });
    expect(allowedEvents(null, 'citizen')).toEqual(['request_pickup']);
  });

  it('refuses an event name it does not know', () => {
    expect(catchError(() => applyEvent('draft', 'approve' as DossierEvent, 'clerk')).code).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
  });
});

/** The guards with the real calendar: Tết Bính Ngọ closes offices Sat 14/2 – Sun 22/2/2026. */
const hoursBetween = (a: Date, b: Date) => workingHoursBetween(a, b, { holidays: HOLIDAY_TABLES });

describe('guard: a delivery retry only 2 working days after the last attempt', () => {
  const lastAttemptAt = vn('2026-02-13T10:00'); // Friday before Tết
  const ctx = (now: string): GuardContext => ({
    now: vn(now),
    lastAttemptAt,
    workingHoursBetween: hoursBetween,
  });

  it('refuses a retry on Tuesday 24/2 at 09:59: only 5 h on Friday + 8 h Monday + 2:59 h Tuesday have passed', () => {
    const err = catchError(() =>
      applyEvent('delivery_failed', 'dispatch', 'supervisor', ctx('2026-02-24T09:59')),
    );
    expect(err.code).toBe('GUARD_FAILED');
    expect(err.details).toMatchObject({ event: 'dispatch', reason: 'DELIVERY_RETRY_TOO_SOON' });
    expect(String(err.details?.reasonVi)).toContain('2 ngày làm việc');
  });

  it('allows it on Tuesday 24/2 at 10:00, the Tết break not counting', () => {
    expect(applyEvent('delivery_failed', 'dispatch', 'planner', ctx('2026-02-24T10:00')).to).toBe(
      'out_for_delivery',
    );
  });

  it('does not apply to the first dispatch of a ready result', () => {
    expect(applyEvent('result_ready', 'dispatch', 'supervisor', { now: vn('2026-02-13T10:00') }).to).toBe(
      'out_for_delivery',
    );
  });

  it('refuses when the caller did not say when the last attempt was', () => {
    const err = catchError(() =>
      applyEvent('delivery_failed', 'dispatch', 'supervisor', { now: vn('2026-03-01T10:00') }),
    );
    expect(err.details).toMatchObject({ reason: 'GUARD_CONTEXT_MISSING' });
  });

  it('a UI given the context hides the retry until it is due, and the return until the second invitation fails', () => {
    const afterFirst = (now: string) => ({ ...ctx(now), failedDeliveryCount: 1 });
    expect(allowedEvents('delivery_failed', 'supervisor', afterFirst('2026-02-23T16:00'))).toEqual([
      'change_contact',
    ]);
    expect(allowedEvents('delivery_failed', 'supervisor', afterFirst('2026-02-24T10:00'))).toEqual([
      'dispatch',
      'change_contact',
    ]);
  });
});

describe('guard: back to the agency only after the second failed invitation', () => {
  it('refuses after one failed attempt', () => {
    const err = catchError(() =>
      applyEvent('delivery_failed', 'return_to_agency', 'system', {
        now: vn('2026-03-02T08:00'),
        failedDeliveryCount: 1,
      }),
    );
    expect(err.code).toBe('GUARD_FAILED');
    expect(err.details).toMatchObject({ reason: 'SECOND_INVITATION_NOT_YET' });
  });

  it('allows it after two', () => {
    expect(
      applyEvent('delivery_failed', 'return_to_agency', 'supervisor', {
        now: vn('2026-03-02T08:00'),
        failedDeliveryCount: 2,
      }),
    ).toEqual({ to: 'returned_to_agency', portalStatus: 9 });
  });

  it('refuses when the attempt count is not given', () => {
    expect(
      catchError(() => applyEvent('delivery_failed', 'return_to_agency', 'system')).details,
    ).toMatchObject({
      reason: 'GUARD_CONTEXT_MISSING',
    });
  });
});

describe('guard: an apology with a new date (Mẫu 04) once, at least 1 working day before due', () => {
  const ctx = (now: string, dueAt: string, apologyCount = 0): GuardContext => ({
    now: vn(now),
    dueAt: vn(dueAt),
    apologyCount,
    workingHoursBetween: hoursBetween,
  });

  it('keeps the state and the portal status', () => {
    expect(
      applyEvent(
        'in_review',
        'apologize_and_extend',
        'agency_official',
        ctx('2026-03-02T08:00', '2026-03-04T17:00'),
      ),
    ).toEqual({
      to: 'in_review',
      portalStatus: 4,
    });
    expect(
      applyEvent(
        'forwarded',
        'apologize_and_extend',
        'agency_official',
        ctx('2026-03-02T08:00', '2026-03-04T17:00'),
      ).to,
    ).toBe('forwarded');
  });

  it('allows it exactly 8 working hours before due (Tue 17:00 for Wed 17:00)', () => {
    expect(
      applyEvent(
        'in_review',
        'apologize_and_extend',
        'agency_official',
        ctx('2026-03-03T17:00', '2026-03-04T17:00'),
      ).to,
    ).toBe('in_review');
  });

  it('refuses it with 7 h 59 min left', () => {
    const err = catchError(() =>
      applyEvent(
        'in_review',
        'apologize_and_extend',
        'agency_official',
        ctx('2026-03-04T07:01', '2026-03-04T17:00'),
      ),
    );
    expect(err.code).toBe('GUARD_FAILED');
    expect(err.details).toMatchObject({ reason: 'APOLOGY_TOO_LATE' });
  });

  it('counts working time, not calendar time: ten days before a due time of Mon 23/2 11:00 is too late across Tết', () => {
    const err = catchError(() =>
      applyEvent(
        'in_review',
        'apologize_and_extend',
        'agency_official',
        ctx('2026-02-13T16:00', '2026-02-23T11:00'),
      ),
    );
    expect(err.details).toMatchObject({ reason: 'APOLOGY_TOO_LATE' });
    expect(
      applyEvent(
        'in_review',
        'apologize_and_extend',
        'agency_official',
        ctx('2026-02-13T16:00', '2026-02-23T17:00'),
      ).to,
    ).toBe('in_review');
  });

  it('refuses a second apology', () => {
    const err = catchError(() =>
      applyEvent(
        'in_review',
        'apologize_and_extend',
        'agency_official',
        ctx('2026-03-02T08:00', '2026-03-20T17:00', 1),
      ),
    );
    expect(err.details).toMatchObject({ reason: 'APOLOGY_ALREADY_GIVEN' });
    expect(String(err.details?.reasonEn)).toContain('already been issued once');
  });

  it('refuses after the due time has passed', () => {
    const err = catchError(() =>
      applyEvent(
        'in_review',
        'apologize_and_extend',
        'agency_official',
        ctx('2026-03-05T08:00', '2026-03-04T17:00'),
      ),
    );
    expect(err.details).toMatchObject({ reason: 'APOLOGY_TOO_LATE' });
  });

  it('refuses without a due time', () => {
    const err = catchError(() =>
      applyEvent('in_review', 'apologize_and_extend', 'agency_official', {
        now: vn('2026-03-02T08:00'),
        apologyCount: 0,
      }),
    );
    expect(err.details).toMatchObject({ reason: 'GUARD_CONTEXT_MISSING' });
  });

  it('checks the state and the role before the guard', () => {
    expect(catchError(() => applyEvent('decided', 'apologize_and_extend', 'agency_official')).code).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
    expect(catchError(() => applyEvent('in_review', 'apologize_and_extend', 'clerk')).code).toBe(
      'ROLE_NOT_ALLOWED',
    );
  });
});
