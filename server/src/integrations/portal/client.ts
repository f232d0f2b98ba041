import type { PortalDossierRecord, PortalProgressEvent } from './messages';

/** The portal's sharing API services (domain brief §8.3). */
export type PortalRequest =
  | { service: 'DongBoHoSoMC'; isUpdating: boolean; data: PortalDossierRecord[] }
  | { service: 'CapNhatTienDoHoSoMC'; data: PortalProgressEvent[] };

/**
 * `ok`: the portal holds the message (new, or a repeat it already had); `permanent`: it refuses this message
 * and will refuse it again (dead letter); `retry`: it may take it later (5xx, timeout, network).
 */
export type DeliveryOutcome =
  | { kind: 'ok' }
  | { kind: 'permanent'; error: string }
  | { kind: 'retry'; error: string };

export type PortalClient = {
  send: (request: PortalRequest, idempotencyKey: string) => Promise<DeliveryOutcome>;
  /** Longest a `send` can take; a claimed message's lease must outlast it. */
  timeoutMs: number;
};

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

const ALREADY_RECEIVED = /already received|đã (được )?tiếp nhận/i;

/** Reads the status and body the portal answered into what the outbox does next. */
export const classifyResponse = (status: number, body: string): DeliveryOutcome => {
  const short = body.slice(0, 300);
  if (status === 409 || ALREADY_RECEIVED.test(body)) return { kind: 'ok' };
  if (status >= 200 && status < 300) {
    const code = errorCodeOf(body);
    return code === null || code === '00'
      ? { kind: 'ok' }
      : { kind: 'permanent', error: `error_code ${code}: ${short}` };
  }
  if (status === 408 || status === 429 || status >= 500)
    return { kind: 'retry', error: `HTTP ${status}: ${short}` };
  return { kind: 'permanent', error: `HTTP ${status}: ${short}` };
};

const errorCodeOf = (body: string): string | null => {
  try {
    const parsed = JSON.parse(body) as { error_code?: unknown };
    return parsed.error_code === undefined || parsed.error_code === null ? null : String(parsed.error_code);
  } catch {
    return null;
  }
};

/** HTTP client for the portal's sync endpoint; every failure comes back as an outcome, never as a throw. */
export const createPortalClient = (opts: {
  baseUrl: string;
  timeoutMs?: number;
  token?: string;
}): PortalClient => {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const url = new URL('sync', opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`).toString();
  return {
    timeoutMs,
    send: async (request, idempotencyKey) => {
      const controller = new AbortController();
      // The whole exchange, body included, must finish within the timeout.
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [IDEMPOTENCY_HEADER]: idempotencyKey,
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          },
          body: JSON.stringify(request),
          signal: controller.signal,
        });
        return classifyResponse(res.status, await res.text());
      } catch (err) {
        const aborted = controller.signal.aborted;
        return {
          kind: 'retry',
          error: aborted ? `timeout after ${timeoutMs} ms` : `network: ${(err as Error).message}`,
        };
      } finally {
        clearTimeout(timer);
      }
    },
  };
};
