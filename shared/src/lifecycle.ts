import { HOURS_PER_WORKING_DAY } from './calendar';
import { appError } from './errors';
import type { Actor } from './roles';

/** The dossier lifecycle exactly as /work/shared/LIFECYCLE.md tables it; the server and the apps both read it. */
export const DOSSIER_STATES = [
  'pickup_requested',
  'pickup_assigned',
  'picked_up',
  'draft',
  'supplement_requested',
  'refused',
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
  'delivered',
  'returned',
  'withdrawn',
  'stopped',
] as const;
export type DossierState = (typeof DOSSIER_STATES)[number];

export const TERMINAL_STATES = [
  'refused',
  'delivered',
  'returned',
  'withdrawn',
  'stopped',
] as const satisfies readonly DossierState[];

export const isTerminal = (state: DossierState) =>
  (TERMINAL_STATES as readonly DossierState[]).includes(state);

export const isDossierState = (value: unknown): value is DossierState =>
  (DOSSIER_STATES as readonly unknown[]).includes(value);

/** `TrangThaiHoSo` on the national portal (DVCQG): 1 new … 10 result returned. */
export type PortalStatus = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

/** `null`: a desk draft is not synced, because the citizen has not lodged anything the portal should count yet. */
export const PORTAL_STATUS: Record<DossierState, PortalStatus | null> = {
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
};

/** A draft the portal already knows (lodged online, or a pickup it asked for) stays "new" there. */
export const portalStatusOf = (state: DossierState, opts: { fromPortal: boolean }): PortalStatus | null =>
  state === 'draft' && opts.fromPortal ? 1 : PORTAL_STATUS[state];

export const DOSSIER_EVENTS = [
  'request_pickup',
  'assign_pickup',
  'pick_up',
  'fail_pickup',
  'start_intake',
  'receive',
  'request_supplement_at_desk',
  'refuse_at_desk',
  'complete_digitization',
  'forward',
  'accept',
  'request_supplement',
  'complete_supplement',
  'request_payment',
  'confirm_payment',
  'apologize_and_extend',
  'decide',
  'release_result',
  'dispatch',
  'deliver',
  'fail_delivery',
  'return_to_agency',
  'hand_back',
  'withdraw',
  'stop',
  'change_contact',
] as const;
export type DossierEvent = (typeof DOSSIER_EVENTS)[number];

export const isDossierEvent = (value: unknown): value is DossierEvent =>
  (DOSSIER_EVENTS as readonly unknown[]).includes(value);

/**
 * What a guard may need to know, supplied by the caller so that guards stay pure. Every field but `now` is
 * optional because most events need none; a guard that needs a missing field refuses rather than guesses.
 */
export type GuardContext = {
  now: Date;
  /** Signed working hours from `from` to `to` on the office's calendar (calendar.workingHoursBetween, bound). */
  workingHoursBetween?: (from: Date, to: Date) => number;
  dueAt?: Date | null;
  /** Apologies (Mẫu 04) already issued for this dossier. */
  apologyCount?: number;
  /** Failed delivery attempts so far, i.e. invitations left. */
  failedDeliveryCount?: number;
  lastAttemptAt?: Date | null;
};

export const GUARD_REASONS = {
  GUARD_CONTEXT_MISSING: {
    vi: 'Thiếu dữ liệu để kiểm tra điều kiện (hạn xử lý, số lần phát, thời điểm phát gần nhất).',
    en: 'The data needed to check this step (due time, attempt count, last attempt time) was not supplied.',
  },
  DELIVERY_RETRY_TOO_SOON: {
    vi: 'Lần phát lại phải cách lần phát trước ít nhất 2 ngày làm việc.',
    en: 'A new delivery attempt must be at least 2 working days after the previous one.',
  },
  SECOND_INVITATION_NOT_YET: {
    vi: 'Chỉ chuyển trả kết quả về cơ quan sau khi đã mời nhận lần thứ hai không thành công.',
    en: 'The result goes back to the agency only after the second invitation has failed.',
  },
  APOLOGY_ALREADY_GIVEN: {
    vi: 'Đã xin lỗi và hẹn lại ngày trả kết quả một lần; không được hẹn lại lần nữa.',
    en: 'An apology with a new date has already been issued once; it may not be issued again.',
  },
  APOLOGY_TOO_LATE: {
    vi: 'Phiếu xin lỗi và hẹn lại phải gửi trước hạn trả kết quả ít nhất 1 ngày làm việc.',
    en: 'The apology with a new date must be issued at least 1 working day before the due time.',
  },
} as const satisfies Record<string, { vi: string; en: string }>;
export type GuardReason = keyof typeof GUARD_REASONS;

/** Returns why the step is refused, or null when it may proceed. */
export type Guard = (ctx: GuardContext, from: DossierState | null) => GuardReason | null;

export type Transition = {
  event: DossierEvent;
  /** `null` is creation: the event makes a new dossier. */
  from: readonly (DossierState | null)[];
  /** `'same'`: the dossier stays where it is (the event is still recorded). */
  to: DossierState | 'same';
  actors: readonly Actor[];
  guard?: Guard;
};

const deliveryRetryGuard: Guard = (ctx, from) => {
  if (from !== 'delivery_failed') return null;
  if (!ctx.lastAttemptAt || !ctx.workingHoursBetween) return 'GUARD_CONTEXT_MISSING';
  return ctx.workingHoursBetween(ctx.lastAttemptAt, ctx.now) >= 2 * HOURS_PER_WORKING_DAY
    ? null
    : 'DELIVERY_RETRY_TOO_SOON';
};

const returnToAgencyGuard: Guard = (ctx) => {
  if (ctx.failedDeliveryCount === undefined) return 'GUARD_CONTEXT_MISSING';
  return ctx.failedDeliveryCount >= 2 ? null : 'SECOND_INVITATION_NOT_YET';
};

// Decree 61/2018 Art. 19.9: at least one day before due, and no more than once.
const apologyGuard: Guard = (ctx) => {
  if (ctx.apologyCount === undefined || !ctx.dueAt || !ctx.workingHoursBetween)
    return 'GUARD_CONTEXT_MISSING';
  if (ctx.apologyCount >= 1) return 'APOLOGY_ALREADY_GIVEN';
  return ctx.workingHoursBetween(ctx.now, ctx.dueAt) >= HOURS_PER_WORKING_DAY ? null : 'APOLOGY_TOO_LATE';
};

const NON_TERMINAL = DOSSIER_STATES.filter((s) => !isTerminal(s));

export const TRANSITIONS: readonly Transition[] = [
  { event: 'request_pickup', from: [null], to: 'pickup_requested', actors: ['citizen', 'clerk', 'portal'] },
  {
    event: 'assign_pickup',
    from: ['pickup_requested', 'pickup_assigned'],
    to: 'pickup_assigned',
    actors: ['supervisor', 'planner'],
  },
  { event: 'pick_up', from: ['pickup_assigned'], to: 'picked_up', actors: ['courier'] },
  { event: 'fail_pickup', from: ['pickup_assigned'], to: 'pickup_assigned', actors: ['courier'] },
  {
    event: 'start_intake',
    from: [null, 'picked_up', 'supplement_requested'],
    to: 'draft',
    actors: ['clerk'],
  },
  { event: 'receive', from: ['draft'], to: 'received', actors: ['clerk'] },
  { event: 'request_supplement_at_desk', from: ['draft'], to: 'supplement_requested', actors: ['clerk'] },
  { event: 'refuse_at_desk', from: ['draft'], to: 'refused', actors: ['clerk'] },
  { event: 'complete_digitization', from: ['received'], to: 'digitized', actors: ['clerk'] },
  { event: 'forward', from: ['digitized'], to: 'forwarded', actors: ['clerk'] },
  { event: 'accept', from: ['forwarded'], to: 'in_review', actors: ['agency_official'] },
  {
    event: 'request_supplement',
    from: ['forwarded', 'in_review'],
    to: 'agency_supplement_requested',
    actors: ['agency_official'],
  },
  { event: 'complete_supplement', from: ['agency_supplement_requested'], to: 'forwarded', actors: ['clerk'] },
  { event: 'request_payment', from: ['in_review'], to: 'awaiting_payment', actors: ['agency_official'] },
  {
    event: 'confirm_payment',
    from: ['awaiting_payment'],
    to: 'in_review',
    actors: ['clerk', 'courier', 'payment_gateway'],
  },
  {
    event: 'apologize_and_extend',
    from: ['forwarded', 'in_review'],
    to: 'same',
    actors: ['agency_official'],
    guard: apologyGuard,
  },
  { event: 'decide', from: ['in_review'], to: 'decided', actors: ['agency_official'] },
  { event: 'release_result', from: ['decided'], to: 'result_ready', actors: ['agency_official', 'clerk'] },
  {
    event: 'dispatch',
    from: ['result_ready', 'delivery_failed'],
    to: 'out_for_delivery',
    actors: ['supervisor', 'planner'],
    guard: deliveryRetryGuard,
  },
  { event: 'deliver', from: ['out_for_delivery'], to: 'delivered', actors: ['courier'] },
  { event: 'fail_delivery', from: ['out_for_delivery'], to: 'delivery_failed', actors: ['courier'] },
  {
    event: 'return_to_agency',
    from: ['delivery_failed'],
    to: 'returned_to_agency',
    actors: ['supervisor', 'system'],
    guard: returnToAgencyGuard,
  },
  { event: 'hand_back', from: ['result_ready', 'returned_to_agency'], to: 'returned', actors: ['clerk'] },
  { event: 'withdraw', from: NON_TERMINAL, to: 'withdrawn', actors: ['clerk', 'citizen'] },
  { event: 'stop', from: ['in_review', 'awaiting_payment'], to: 'stopped', actors: ['agency_official'] },
  // Not in LIFECYCLE.md: the phone or delivery address changed at the dossier's own office, confirmed by a code
  // to the old phone or the id card in person (issue 13); recorded in the chain, the state does not move.
  { event: 'change_contact', from: NON_TERMINAL, to: 'same', actors: ['clerk', 'supervisor'] },
];

const BY_EVENT = new Map(TRANSITIONS.map((t) => [t.event, t]));

export type AppliedEvent = { to: DossierState; portalStatus: PortalStatus | null };

/**
 * The one way a dossier changes state. Refuses, in this order: an event not valid from the current state
 * (TRANSITION_NOT_ALLOWED), an actor the event does not list (ROLE_NOT_ALLOWED), a failed guard (GUARD_FAILED).
 * `portalStatus` is the status of the new state; a draft's depends on its origin, see `portalStatusOf`.
 */
export const applyEvent = (
  state: DossierState | null,
  event: DossierEvent,
  actor: Actor,
  ctx: GuardContext = { now: new Date() },
): AppliedEvent => {
  const transition = BY_EVENT.get(event);
  if (!transition?.from.includes(state)) {
    throw appError('TRANSITION_NOT_ALLOWED', { event, from: state });
  }
  if (!transition.actors.includes(actor)) {
    throw appError('ROLE_NOT_ALLOWED', { event, from: state, actor, allowed: [...transition.actors] });
  }
  const reason = transition.guard?.(ctx, state) ?? null;
  if (reason) {
    throw appError('GUARD_FAILED', {
      event,
      from: state,
      reason,
      reasonVi: GUARD_REASONS[reason].vi,
      reasonEn: GUARD_REASONS[reason].en,
    });
  }
  // 'same' only appears on events whose from-states are all real states, never on creation.
  const to = transition.to === 'same' ? (state as DossierState) : transition.to;
  return { to, portalStatus: PORTAL_STATUS[to] };
};

/**
 * Events this actor may cause from this state, for the buttons a UI shows. Guards are checked only when a
 * context is given; without one the server still checks them when the event is applied.
 */
export const allowedEvents = (state: DossierState | null, actor: Actor, ctx?: GuardContext): DossierEvent[] =>
  TRANSITIONS.filter(
    (t) =>
      t.from.includes(state) &&
      t.actors.includes(actor) &&
      (!ctx || !t.guard || t.guard(ctx, state) === null),
  ).map((t) => t.event);
