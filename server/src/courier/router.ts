import { vietnamDate } from '@postdesk/shared';
import { z } from 'zod';
import { router, staffProcedure } from '../trpc/init';
import { day, syncAction, uuid } from './schemas';
import { acceptPlan, assignTask, listDay, planDay, replanDay, unassignTask } from './dispatch';
import { setAvailability } from './live-replan';
import { checkDeliveryCode, syncActions } from './sync';
import { awaitingHandOver, courierToday } from './today';

/**
 * Courier tasks, dispatch and routes, proofs at the door.
 *
 * CONTRACT WITH THE COURIER APP (web-courier). Keep it stable; additions only.
 *
 * `courier.today` (query, role courier, input `{ day?: 'YYYY-MM-DD' }`, default today in Vietnam) →
 * ```
 * {
 *   day: 'YYYY-MM-DD',
 *   office: { name, lat, lng, address },         // the post office = start and end of the route (lat/lng null if unset)
 *   tileUrl: string | null,                      // env COURIER_TILE_URL; null = no tiles (plain background)
 *   tasks: [{                                    // my tasks of the day, in route order (sequence, then window)
 *     id, version,                               // send both back with every action
 *     kind: 'pickup' | 'delivery',
 *     state: 'assigned' | 'done' | 'failed' | 'open' | 'cancelled',
 *     sequence: number | null, dossierCode: string | null, procedureName: string | null,
 *     address, lat, lng,                         // lat/lng null when the address has no position
 *     windowStart, windowEnd,                    // Date (superjson) or null
 *     contactName, contactPhone,                 // who to meet / call
 *     collect: { documents?, fees?, recovered?, appointmentSlip?, note? },
 *     serviceLevel: 'J+2' | …, serviceDueDay: 'YYYY-MM-DD' | null,
 *     attempts: number,                          // failed attempts so far (2 = last invitation used)
 *     eta: string | null,                        // planned arrival (ISO) when the day was planned
 *     components: [{ code, name, form: 'original'|'copy', copies, required, original, copy, note? }] | null,
 *                                                // pickup: the procedure's component list; original/copy = counts
 *     recipient: { name, idLast4 } | null,       // delivery: full name, last 4 digits of the id only
 *     feesDue: number,                           // VND still to collect at the door (pending bills)
 *     otpChecked: boolean,                       // delivery: the code was already checked online
 *   }],
 *   route: { distanceM, path: [lat, lng][] } | null,   // office → stops → office (straight lines)
 *   replan: { at: Date, reason: 'failed' | 'urgent' | 'offline' } | null,   // the planner re-ordered the
 *                                                // rest of the day by itself (latest route row); show it
 *   offline: boolean,                            // taken off the day (courier.goOffline / the supervisor)
 * }
 * ```
 *
 * `courier.sync` (mutation, role courier) input `{ actions: SyncAction[] }` (≤ 50 per call), applied in the
 * order given. Upload every photo/signature with `POST /field/uploads` BEFORE syncing the action that names
 * its sha256 (else the action is 'rejected' with COURIER_UPLOAD_MISSING; fix and resend under a NEW id).
 * ```
 * SyncAction = {
 *   clientActionId: string (8–64 chars, unique per action, e.g. a UUID made when the courier pressed the button),
 *   taskId, taskVersion,                     // as received from courier.today
 *   type: 'pickup' | 'deliver' | 'fail',
 *   deviceAt: ISO string (the phone's clock when it happened),
 *   position: { lat, lng, accuracy?: number | null, accuracyM?: number | null } | null,
 *   payload: PickupPayload | DeliverPayload | FailPayload,
 * }
 * PickupPayload = {
 *   checklist: [{ code, present: boolean, form: 'original'|'copy', copies?: number }],   // every component
 *   photoSha256s: string[], signatureSha256: string,    // signature = the citizen's on the dispatch note
 *   courierSignatureSha256?: string, sealNumber: string,
 *   fees?: { method: 'cash'|'vietqr'|'none', amount: number, reference?: string },
 *   note?: string,
 * }
 * DeliverPayload = {
 *   identity: { mode: 'self'|'proxy', idNumber: string (12 digits), source: 'typed'|'qr', qr?: string (raw QR text),
 *               proxyName?: string, letterPhotoSha256?: string },      // proxy: own id + authorisation letter photo
 *   otpCode?: string,                   // 6 digits typed at the door; optional if courier.checkDeliveryCode passed
 *   signatureSha256: string, photoSha256s: string[],
 *   recovered?: string[],               // documents taken back for the agency
 *   cash?: { amount: number, reference?: string },
 *   note?: string,
 * }
 * FailPayload = { reason: 'absent'|'refused'|'wrong_address'|'unreachable'|'other', note?: string,
 *                 invitationLeft?: boolean, photoSha256s?: string[] }
 * ```
 * → `{ results: [{ clientActionId, status: 'applied'|'duplicate'|'conflict'|'rejected', code?, message?,
 *     messageEn?, proofId?, nextAttemptAfter?, returnedToAgency? }] }`
 *   - duplicate: the same clientActionId was applied before (nothing changes; proofId of the first).
 *   - conflict: the task was reassigned (COURIER_TASK_REASSIGNED), cancelled (COURIER_TASK_CANCELLED) or
 *     changed since the app loaded it (COURIER_TASK_CHANGED) — `message` is Vietnamese; show it, reload.
 *   - rejected: the action itself is wrong (OTP_INVALID, OTP_TOO_MANY_ATTEMPTS, COURIER_ID_MISMATCH,
 *     COURIER_PROXY_LETTER_REQUIRED, COURIER_OUTSIDE_VIETNAM, COURIER_UPLOAD_MISSING, …); fix and resend with
 *     a new clientActionId.
 *
 * `courier.checkDeliveryCode` (mutation, role courier; online only) `{ taskId, code }` →
 * `{ ok: true }` or an error (OTP_INVALID / OTP_TOO_MANY_ATTEMPTS). The code was texted to the recipient when
 * the task was dispatched. After `ok`, a deliver action for that task needs no `otpCode`.
 *
 * HTTP (`/field`, courier session cookie): `POST /field/uploads` raw JPEG/PNG body (≤ 15 MB, ≤ 40 MP) →
 * `{ sha256 }` (413 with COURIER_UPLOAD_TOO_LARGE / COURIER_UPLOAD_PIXELS); `GET /field/proofs/:proofId.pdf`.
 *
 * CLERK: `courier.pickedUp` — picked-up dossiers waiting for the hand-over at the desk.
 *
 * SUPERVISOR (role supervisor, their office): `courier.list` (tasks + couriers), `courier.assign`,
 * `courier.unassign`, `courier.plan`, `courier.acceptPlan`, `courier.replan`, `courier.setAvailability`.
 */

const courier = staffProcedure('courier');
const supervisor = staffProcedure('supervisor');

export const courierRouter = router({
  /** The courier's day: office, tasks in route order, route line. */
  today: courier
    .input(z.object({ day: day.optional() }).default({}))
    .query(({ ctx, input }) => courierToday(ctx, input)),

  /** Queued actions from the phone, applied in order, idempotently. */
  sync: courier
    .input(z.object({ actions: z.array(syncAction).max(50) }))
    .mutation(({ ctx, input }) => syncActions(ctx, input.actions)),

  /** Checks the recipient's code at the door at once (online). */
  checkDeliveryCode: courier
    .input(z.object({ taskId: uuid, code: z.string().trim().max(10) }))
    .mutation(({ ctx, input }) => checkDeliveryCode(ctx, input)),

  /** The supervisor's day: every task of the office for `day` plus open tasks not yet on a day; couriers. */
  list: supervisor.input(z.object({ day })).query(({ ctx, input }) => listDay(ctx, input)),

  /** Assigns (or reassigns) one task to a courier for a day: assign_pickup / dispatch on the dossier. */
  assign: supervisor
    .input(z.object({ taskId: uuid, courierId: uuid, day, version: z.number().int().min(0).optional() }))
    .mutation(({ ctx, input }) => assignTask(ctx, input)),

  /** Takes a task off a courier's day (it goes back to open); the courier's queued actions then conflict. */
  unassign: supervisor
    .input(z.object({ taskId: uuid, version: z.number().int().min(0).optional() }))
    .mutation(({ ctx, input }) => unassignTask(ctx, input)),

  /** The planner's proposal for the day: routes per courier, unserved stops with reasons. Nothing is saved. */
  plan: supervisor
    .input(
      z.object({
        day,
        courierIds: z.array(uuid).max(50).optional(),
        /** Include tasks already assigned for the day (re-plan them all); default true. */
        includeAssigned: z.boolean().default(true),
        timeLimitMs: z.number().int().min(50).max(5000).default(1500),
      }),
    )
    .mutation(({ ctx, input }) => planDay(ctx, input)),

  /** Accepts a proposal: assigns every routed task, stores the routes with sequence and ETA. */
  acceptPlan: supervisor
    .input(
      z.object({
        day,
        /** The proposal's distances were estimates (stored with the routes). */
        estimated: z.boolean().optional(),
        routes: z
          .array(
            z.object({
              courierId: uuid,
              distanceM: z.number().min(0),
              stops: z
                .array(z.object({ taskId: uuid, version: z.number().int().min(0), eta: z.string() }))
                .max(400),
            }),
          )
          .max(50),
      }),
    )
    .mutation(({ ctx, input }) => acceptPlan(ctx, input)),

  /** Clerk: dossiers couriers picked up for this office, to receive at the desk (`intake.submit` + pickedUpDossierId). */
  pickedUp: staffProcedure('clerk').query(({ ctx }) => awaitingHandOver(ctx)),

  /** Mid-day re-plan after a task was added or failed: keeps what is done, moves what is left. */
  replan: supervisor.input(z.object({ day })).mutation(({ ctx, input }) => replanDay(ctx, input)),

  /**
   * A courier taken off the day (breakdown, illness) or back on it; off = the rest of their route is
   * re-planned onto the other couriers by the planner (a worker job), like after a failed visit.
   */
  setAvailability: supervisor
    .input(z.object({ courierId: uuid, day, available: z.boolean() }))
    .mutation(({ ctx, input }) => setAvailability(ctx, input)),

  /** The courier stops for the day from the app (same as the supervisor's `setAvailability` off). */
  goOffline: courier.input(z.object({ day: day.optional() }).default({})).mutation(({ ctx, input }) =>
    setAvailability(ctx, {
      courierId: ctx.user.id,
      day: input.day ?? vietnamDate(new Date()),
      available: false,
    }),
  ),
});
