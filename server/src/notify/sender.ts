import type { Db } from '../db/client';
import { devMailbox } from '../db/schema';
import type { OutboxChannel } from '../integrations/outbox';
import type { DeliveryOutcome } from '../integrations/portal/client';
import { eraseSecrets, SMS_TOPIC, type SmsMessage } from './notify';
import { renderText } from './texts';

/** Where a text message goes: the development mailbox, an SMS provider over HTTP, or Zalo first then SMS. */
export type SmsSender = {
  name: 'dev-mailbox' | 'http' | 'zalo-then-sms';
  timeoutMs: number;
  /** One attempt; `ref` is the outbox key, so the provider can drop a repeat of a message it already took. */
  send: (db: Db, message: SmsMessage & { channel?: 'sms' | 'zalo' }, ref: string) => Promise<DeliveryOutcome>;
};

/** Development and tests: what would have been sent is written to dev_mailbox for the /mailbox page. */
export const devMailboxSender = (opts: { publicUrl: string }): SmsSender => ({
  name: 'dev-mailbox',
  timeoutMs: 5_000,
  send: async (db, message) => {
    await db.insert(devMailbox).values({
      channel: message.channel ?? 'sms',
      recipient: message.to,
      body: renderText(message.body, opts.publicUrl),
      dossierId: message.dossierId,
    });
    return { kind: 'ok' };
  },
});

/**
 * A provider's HTTP API: POST {to, text, ref, channel} with a bearer key. 2xx (or 409: already taken) is
 * sent; 429 and 5xx are retried with the outbox's backoff; other 4xx will never work and go to dead letters.
 */
export const httpSmsSender = (opts: {
  url: string;
  apiKey: string;
  publicUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): SmsSender => {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const doFetch = opts.fetch ?? fetch;
  return {
    name: 'http',
    timeoutMs,
    send: async (_db, message, ref) => {
      try {
        const res = await doFetch(opts.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${opts.apiKey}`,
            'idempotency-key': ref,
          },
          body: JSON.stringify({
            to: message.to,
            text: renderText(message.body, opts.publicUrl),
            ref,
            channel: message.channel ?? 'sms',
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await res.text()).slice(0, 200);
        if ((res.status >= 200 && res.status < 300) || res.status === 409) return { kind: 'ok' };
        // The provider's words only: the request (and so the phone) is never echoed into lastError.
        // Nor a one-time code the provider might quote back: any run of digits goes.
        const error = `SMS provider answered ${res.status}: ${body.replace(/\d{4,}/g, '…')}`;
        if (res.status === 429 || res.status >= 500) return { kind: 'retry', error };
        return { kind: 'permanent', error };
      } catch (err) {
        return { kind: 'retry', error: `SMS provider unreachable: ${(err as Error).name}` };
      }
    },
  };
};

/**
 * Zalo first (a Zalo Official Account / ZNS message, free for the citizen and with the full text), and an
 * SMS when the number has no Zalo or the Zalo provider refuses it. A Zalo outage is retried like any
 * provider outage rather than spilling every message onto SMS. Each leg has its own reference, so each
 * provider drops its own repeats.
 */
export const zaloThenSmsSender = (opts: { zalo: SmsSender; sms: SmsSender }): SmsSender => ({
  name: 'zalo-then-sms',
  timeoutMs: opts.zalo.timeoutMs + opts.sms.timeoutMs,
  send: async (db, message, ref) => {
    const zalo = await opts.zalo.send(db, { ...message, channel: 'zalo' }, `${ref}:zalo`);
    if (zalo.kind !== 'permanent') return zalo;
    return opts.sms.send(db, { ...message, channel: 'sms' }, `${ref}:sms`);
  },
});

/** Picks the sender for the configuration; production refuses the development mailbox. */
export const createSmsSender = (env: {
  NODE_ENV: string;
  PUBLIC_URL: string;
  SMS_PROVIDER_URL?: string | undefined;
  SMS_PROVIDER_KEY?: string | undefined;
  SMS_TIMEOUT_MS?: number | undefined;
  ZALO_PROVIDER_URL?: string | undefined;
  ZALO_PROVIDER_KEY?: string | undefined;
}): SmsSender => {
  if (env.SMS_PROVIDER_URL) {
    if (!env.SMS_PROVIDER_KEY) throw new Error('SMS_PROVIDER_URL is set but SMS_PROVIDER_KEY is not');
    const sms = httpSmsSender({
      url: env.SMS_PROVIDER_URL,
      apiKey: env.SMS_PROVIDER_KEY,
      publicUrl: env.PUBLIC_URL,
      ...(env.SMS_TIMEOUT_MS ? { timeoutMs: env.SMS_TIMEOUT_MS } : {}),
    });
    if (!env.ZALO_PROVIDER_URL) return sms;
    if (!env.ZALO_PROVIDER_KEY) throw new Error('ZALO_PROVIDER_URL is set but ZALO_PROVIDER_KEY is not');
    const zalo = httpSmsSender({
      url: env.ZALO_PROVIDER_URL,
      apiKey: env.ZALO_PROVIDER_KEY,
      publicUrl: env.PUBLIC_URL,
      ...(env.SMS_TIMEOUT_MS ? { timeoutMs: env.SMS_TIMEOUT_MS } : {}),
    });
    return zaloThenSmsSender({ zalo, sms });
  }
  if (env.NODE_ENV === 'production') {
    throw new Error(
      'Production refuses the development SMS mailbox. Set SMS_PROVIDER_URL and SMS_PROVIDER_KEY.',
    );
  }
  return devMailboxSender({ publicUrl: env.PUBLIC_URL });
};

/** The SMS outbox channel (topic notify.sms): the outbox job delivers it with retries and dead letters. */
export const smsChannel = (sender: SmsSender): OutboxChannel => ({
  topic: SMS_TOPIC,
  timeoutMs: sender.timeoutMs,
  send: async (db, row) => {
    const message = row.payload as SmsMessage;
    // A supervisor's retry of a dead one-time code: the code is gone (and long expired), so never send it.
    if (message.erased)
      return { kind: 'permanent', error: 'one-time code erased; the citizen asks for a new one' };
    return sender.send(db, message, row.idempotencyKey);
  },
  afterDelivery: (payload) => eraseSecrets(payload as SmsMessage) as Record<string, unknown>,
});

/** The job that delivers text messages (`outbox_deliver_notify_sms`). */
export const SMS_JOB = `outbox_deliver_${SMS_TOPIC.replace(/[^a-z0-9]/gi, '_')}`;
