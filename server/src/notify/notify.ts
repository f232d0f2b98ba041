import { normalizePhone } from '@postdesk/shared';
import type { Db } from '../db/client';
import { outbox } from '../db/schema';

export const SMS_TOPIC = 'notify.sms';

/** The moments a citizen hears from us (issue 7), plus the one-time codes. */
export type NotificationKind =
  | 'received'
  | 'supplement_needed'
  | 'result_ready'
  | 'courier_on_the_way'
  | 'delivered'
  | 'stopped'
  | 'complaint_answer'
  | 'contact_changed'
  | 'otp';

export type SmsMessage = {
  kind: NotificationKind;
  /** Normalised phone number. Personal data: the outbox row holds it, logs never do. */
  to: string;
  /** Final text, Vietnamese, without diacritics-dependent tricks; one segment where possible. */
  body: string;
  dossierId: string | null;
  /** 'sms' unless said otherwise; a Zalo-style message goes through the same outbox and sender. */
  channel?: 'sms' | 'zalo';
  /**
   * A text carrying a one-time code: what replaces `body` once it is delivered (or given up), so the
   * outbox keeps no readable code. `erased` marks a row whose code is gone; it is never sent again.
   */
  redactedBody?: string;
  erased?: true;
};

/** What a one-time code looks like in a text once delivered. */
export const ERASED_CODE = '******';

/** The payload to keep once a message is delivered or dead: a one-time code's text without the code. */
export const eraseSecrets = (payload: SmsMessage): SmsMessage => {
  if (payload.redactedBody === undefined) return payload;
  const { redactedBody, ...rest } = payload;
  return { ...rest, body: redactedBody, erased: true };
};

/**
 * Queues a text message in the outbox, inside the caller's transaction (so it is sent if and only if the
 * change that caused it is committed). `key` makes it exactly-once: the same key is queued once.
 */
export const queueSms = async (
  tx: Db,
  opts: {
    phone: string;
    body: string;
    dossierId?: string | null;
    key: string;
    channel?: 'sms' | 'zalo';
  } & (
    | {
        kind: 'otp';
        /** The one-time code `body` carries: erased from the outbox row once the text is delivered. */
        secret: string;
      }
    | { kind: Exclude<NotificationKind, 'otp'>; secret?: never }
  ),
) => {
  const payload: SmsMessage = {
    kind: opts.kind,
    to: normalizePhone(opts.phone),
    body: opts.body,
    dossierId: opts.dossierId ?? null,
    ...(opts.channel && opts.channel !== 'sms' ? { channel: opts.channel } : {}),
    ...(opts.secret ? { redactedBody: opts.body.replaceAll(opts.secret, ERASED_CODE) } : {}),
  };
  await tx
    .insert(outbox)
    .values({
      topic: SMS_TOPIC,
      dossierId: opts.dossierId ?? null,
      idempotencyKey: `${SMS_TOPIC}:${opts.key}`,
      payload,
    })
    .onConflictDoNothing({ target: outbox.idempotencyKey });
};
