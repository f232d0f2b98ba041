import { type DossierEvent, normalizePhone } from '@postdesk/shared';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { applicants, type dossiers } from '../db/schema';
import { type NotificationKind, queueSms } from './notify';
import { smsText } from './texts';

type DossierRow = typeof dossiers.$inferSelect;

/** The events a citizen hears about, and whether the same kind may be sent again later for one dossier. */
export const NOTIFY_ON: Partial<
  Record<
    DossierEvent,
    { kind: Exclude<NotificationKind, 'otp' | 'complaint_answer' | 'contact_changed'>; repeats: boolean }
  >
> = {
  receive: { kind: 'received', repeats: false },
  request_supplement_at_desk: { kind: 'supplement_needed', repeats: true },
  request_supplement: { kind: 'supplement_needed', repeats: true },
  release_result: { kind: 'result_ready', repeats: false },
  // `dispatch` sends nothing here: the courier dispatch (server/src/courier/dispatch.ts) texts "on the way"
  // together with the hand-over code, and two texts for one trip only confuse.
  deliver: { kind: 'delivered', repeats: false },
  stop: { kind: 'stopped', repeats: false },
};

/**
 * Called by the engine inside the event's transaction (one hook in appendEvent): queues the citizen's text
 * message in the outbox, so it is sent if and only if the event is committed. The key is the dossier and
 * the kind (plus the event's sequence for kinds that can happen again), so a message is queued exactly once.
 * A dossier without a code (a pickup not yet received) or without a phone on file gets nothing.
 */
export const queueNotificationsFor = async (
  tx: Db,
  row: DossierRow,
  event: DossierEvent,
  /** The applicant's phone on file when the caller has just written it (not read again). */
  knownPhone?: string | null,
) => {
  const rule = NOTIFY_ON[event];
  if (!rule || !row.code || !row.applicantId) return;
  const [applicant] =
    knownPhone !== undefined
      ? [{ phone: knownPhone }]
      : await tx
          .select({ phone: applicants.phone })
          .from(applicants)
          .where(eq(applicants.id, row.applicantId));
  if (!applicant?.phone) return;
  // A phone the desk could not have normalised must never undo the state change that triggered the text.
  try {
    normalizePhone(applicant.phone);
  } catch {
    return;
  }
  const key = rule.repeats ? `${row.id}:${rule.kind}:${row.lastSeq}` : `${row.id}:${rule.kind}`;
  await queueSms(tx, {
    kind: rule.kind,
    phone: applicant.phone,
    body: smsText(rule.kind, { code: row.code, dueAt: row.dueAt, byPost: row.returnMethod === 1 }),
    dossierId: row.id,
    key,
  });
};
