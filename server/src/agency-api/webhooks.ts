import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { agencyWebhooks, dossiers, offices, outbox } from '../db/schema';
import type { OutboxChannel, OutboxRow } from '../integrations/outbox';
import type { DeliveryOutcome } from '../integrations/portal/client';

export const AGENCY_WEBHOOK_TOPIC = 'agency.webhook';
/** The job that delivers agency webhooks (outboxDeliverJob's name for this topic). */
export const AGENCY_WEBHOOK_JOB = 'outbox_deliver_agency_webhook';

export const SIGNATURE_HEADER = 'X-PostDesk-Signature';
export const TIMESTAMP_HEADER = 'X-PostDesk-Timestamp';
export const DELIVERY_HEADER = 'X-PostDesk-Delivery';
/** A receiver refuses a signed request whose timestamp is further than this from its own clock. */
export const REPLAY_WINDOW_SECONDS = 300;

export type AgencyWebhookEvent = 'dossier.forwarded';

/** What the outbox row holds; the body is built at sending time (no personal data either way). */
export type AgencyWebhookMessage = {
  dossierId: string;
  agencyId: string;
  event: AgencyWebhookEvent;
  at: string;
};

/** HMAC-SHA256 over `<timestamp>.<body>` (unix seconds), hex, as sent in `X-PostDesk-Signature: v1=<hex>`. */
export const signPayload = (secret: string, timestamp: number | string, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export const signatureHeaders = (secret: string, body: string, now: Date = new Date()) => {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: `v1=${signPayload(secret, timestamp, body)}`,
  };
};

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'stale' };

/**
 * What a receiver of PostDesk's signed requests checks (the agency simulator uses it; so does the portal inbound
 * route): the signature over `<timestamp>.<raw body>` with the shared secret, compared in constant time, and the
 * timestamp within ±5 minutes of the receiver's clock. A request replayed later than that is refused; inside the
 * window the receiver also remembers signatures it has seen (`createReplayGuard`).
 */
export const verifySignature = (opts: {
  secret: string;
  body: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  now?: Date;
  windowSeconds?: number;
}): SignatureCheck => {
  if (!opts.timestamp || !opts.signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(opts.timestamp)) return { ok: false, reason: 'malformed' };
  const match = /^v1=([0-9a-f]{64})$/.exec(opts.signature.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(signPayload(opts.secret, opts.timestamp, opts.body), 'hex');
  const given = Buffer.from(match[1]!, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature' };
  const timestamp = Number(opts.timestamp);
  const nowSeconds = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (opts.windowSeconds ?? REPLAY_WINDOW_SECONDS))
    return { ok: false, reason: 'stale' };
  return { ok: true, timestamp };
};

/** Signatures seen inside the replay window: a second arrival of the very same signed request is a replay. */
export const createReplayGuard = (windowSeconds = REPLAY_WINDOW_SECONDS) => {
  const seen = new Map<string, number>();
  return {
    /** True the first time this signature is seen; false for a replay. */
    firstTime: (signature: string, timestamp: number) => {
      const cutoff = Math.floor(Date.now() / 1000) - 2 * windowSeconds;
      if (seen.size > 10_000) for (const [k, t] of seen) if (t < cutoff) seen.delete(k);
      if (seen.has(signature)) return false;
      seen.set(signature, timestamp);
      return true;
    },
  };
};

export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Queues the "dossier forwarded" webhook to the agency's system in the caller's transaction (the one that
 * records the forward), so the message exists exactly when the forward does. Does nothing when the agency has
 * no active webhook. The key carries the dossier's event sequence: a dossier forwarded again after a supplement
 * gets a new message, a retried transaction does not.
 */
export const queueAgencyWebhook = async (
  tx: Db,
  input: { dossierId: string; agencyId: string; event: AgencyWebhookEvent; now?: Date },
) => {
  const [hook] = await tx
    .select({ agencyId: agencyWebhooks.agencyId })
    .from(agencyWebhooks)
    .where(and(eq(agencyWebhooks.agencyId, input.agencyId), eq(agencyWebhooks.active, true)));
  if (!hook) return null;
  const [dossier] = await tx
    .select({ lastSeq: dossiers.lastSeq })
    .from(dossiers)
    .where(eq(dossiers.id, input.dossierId));
  if (!dossier) return null;
  const payload: AgencyWebhookMessage = {
    dossierId: input.dossierId,
    agencyId: input.agencyId,
    event: input.event,
    at: (input.now ?? new Date()).toISOString(),
  };
  const [row] = await tx
    .insert(outbox)
    .values({
      topic: AGENCY_WEBHOOK_TOPIC,
      dossierId: input.dossierId,
      idempotencyKey: `${AGENCY_WEBHOOK_TOPIC}:${input.dossierId}:${dossier.lastSeq}:${input.event}`,
      payload,
    })
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  return row ?? null;
};

/** The JSON body the agency receives: what happened and where to pull the dossier; no personal data. */
export const webhookBody = async (db: Db, row: OutboxRow, publicUrl: string) => {
  const message = row.payload as AgencyWebhookMessage;
  const [d] = await db
    .select({
      code: dossiers.code,
      state: dossiers.state,
      dueAt: dossiers.dueAt,
      forwardedAt: dossiers.forwardedAt,
      agencyCode: offices.code,
    })
    .from(dossiers)
    .innerJoin(offices, eq(offices.id, dossiers.agencyId))
    .where(eq(dossiers.id, message.dossierId));
  if (!d?.code) return null;
  const base = publicUrl.replace(/\/$/, '');
  return {
    id: row.idempotencyKey,
    // The same delivery id on every retry; the attempt makes each retry's signed bytes unique, so a receiver
    // can refuse a byte-identical request as a replay without refusing an honest retry.
    attempt: row.attempts,
    event: message.event,
    occurredAt: message.at,
    agencyCode: d.agencyCode,
    dossier: {
      code: d.code,
      dueAt: d.dueAt?.toISOString() ?? null,
      forwardedAt: d.forwardedAt?.toISOString() ?? null,
      url: `${base}/api/agency/dossiers/${encodeURIComponent(d.code)}`,
    },
  };
};

/** 2xx delivered; 408/429/5xx and network faults retried; any other answer is refused for good (dead letter). */
export const classifyWebhookAnswer = (status: number, body: string): DeliveryOutcome => {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const short = body.slice(0, 200);
  if (status === 408 || status === 429 || status >= 500)
    return { kind: 'retry', error: `HTTP ${status}: ${short}` };
  return { kind: 'permanent', error: `HTTP ${status}: ${short}` };
};

/** Agencies' webhooks as an outbox channel: one signed POST per message, to the agency's configured URL. */
export const agencyWebhookChannel = (opts: {
  publicUrl: string;
  timeoutMs?: number;
  now?: () => Date;
}): OutboxChannel => {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    topic: AGENCY_WEBHOOK_TOPIC,
    timeoutMs,
    send: async (db, row) => {
      const message = row.payload as AgencyWebhookMessage;
      const [hook] = await db
        .select()
        .from(agencyWebhooks)
        .where(eq(agencyWebhooks.agencyId, message.agencyId));
      if (!hook?.active)
        return { kind: 'permanent', error: 'the agency has no active webhook (set one, then retry)' };
      const body = await webhookBody(db, row, opts.publicUrl);
      if (!body) return { kind: 'permanent', error: `dossier ${message.dossierId} not found` };
      const raw = JSON.stringify(body);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const res = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [DELIVERY_HEADER]: row.idempotencyKey,
            ...signatureHeaders(hook.secret, raw, opts.now?.() ?? new Date()),
          },
          body: raw,
          signal: controller.signal,
          redirect: 'manual',
        });
        return classifyWebhookAnswer(res.status, await res.text());
      } catch (err) {
        return {
          kind: 'retry',
          error: controller.signal.aborted
            ? `timeout after ${timeoutMs} ms`
            : `network: ${(err as Error).message}`,
        };
      } finally {
        clearTimeout(timer);
      }
    },
  };
};
