import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { OTP_MAX_SENDS, OTP_SEND_WINDOW_MS } from '../otp/otp';

/**
 * Where the counters live. Redis when REDIS_URL is set, so every server process shares one count per key (an
 * attacker spreading requests over processes gains nothing); in-process memory only for the embedded default.
 */
export type LimitStore = {
  kind: 'redis' | 'memory';
  /** A counter of `limit` per key per window, under `name` (a key-prefix segment: letters, digits, dashes). */
  limiter: (name: string, opts: { limit: number; windowMs: number }) => RateLimiter;
  close: () => Promise<void>;
};

export type RateLimiter = {
  /**
   * Counts `points` (default 1) for `key`, atomically in the store; false once the key has used up its budget
   * in the window. Await it: a Promise is truthy, so `if (!limiter.consume(k))` would never refuse.
   */
  consume: (key: string, points?: number) => Promise<boolean>;
  /** consume, also saying how much the key has used (the one call that crosses a line can act on it). */
  take: (key: string, points?: number) => Promise<{ allowed: boolean; used: number; msLeft: number }>;
  /** What the key has used in its window and how long until the window ends, without counting. */
  peek: (key: string) => Promise<{ used: number; msLeft: number }>;
  /** Holds the key over its budget for `ms` (a lock-out), whatever it had used. */
  block: (key: string, ms: number) => Promise<void>;
  /** Forgets the key (a successful sign-in clears its failures). */
  reset: (key: string) => Promise<void>;
  readonly limit: number;
};

/**
 * Every key starts with `postdesk:rl:`. Each command of the limiter touches exactly one key (the library's
 * Lua script declares one KEYS entry), so the keys are safe on a Redis Cluster without a hash tag; a shared
 * `{…}` tag would only pile every counter onto one shard.
 */
export const LIMIT_KEY_PREFIX = 'postdesk:rl';

const wrap = (rl: RateLimiterAbstract, limit: number): RateLimiter => {
  const take = async (key: string, points = 1) => {
    try {
      const res = await rl.consume(key, points);
      return { allowed: true, used: res.consumedPoints, msLeft: res.msBeforeNext };
    } catch (err) {
      if (err instanceof RateLimiterRes)
        return { allowed: false, used: err.consumedPoints, msLeft: err.msBeforeNext };
      throw err;
    }
  };
  return {
    limit,
    take,
    consume: async (key, points = 1) => (await take(key, points)).allowed,
    peek: async (key) => {
      const res = await rl.get(key);
      return { used: res?.consumedPoints ?? 0, msLeft: res?.msBeforeNext ?? 0 };
    },
    block: async (key, ms) => {
      await rl.block(key, Math.max(1, Math.ceil(ms / 1000)));
    },
    reset: async (key) => {
      await rl.delete(key);
    },
  };
};

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export const createMemoryLimitStore = (prefix = LIMIT_KEY_PREFIX): LimitStore => ({
  kind: 'memory',
  limiter: (name, opts) =>
    wrap(
      new RateLimiterMemory({
        keyPrefix: `${prefix}:${name}`,
        points: opts.limit,
        duration: seconds(opts.windowMs),
      }),
      opts.limit,
    ),
  close: async () => undefined,
});

/**
 * Counters in Redis (the full URL: `rediss://` for TLS, `user:password@` for an ACL user). While Redis is
 * unreachable each process counts in memory instead (the library's insurance limiter) rather than letting
 * every request through or refusing every citizen.
 */
export const createRedisLimitStore = (opts: {
  url: string;
  prefix?: string;
  onError?: (err: Error) => void;
}): LimitStore => {
  // Commands wait for the connection at start-up; during an outage each gives up after a short timeout and
  // the insurance limiter answers, so no request hangs on Redis.
  const client = new Redis(opts.url, { maxRetriesPerRequest: 1, commandTimeout: 1_000 });
  client.on('error', (err: Error) => opts.onError?.(err));
  const prefix = opts.prefix ?? LIMIT_KEY_PREFIX;
  return {
    kind: 'redis',
    limiter: (name, o) => {
      const common = { keyPrefix: `${prefix}:${name}`, points: o.limit, duration: seconds(o.windowMs) };
      return wrap(
        new RateLimiterRedis({
          ...common,
          storeClient: client,
          insuranceLimiter: new RateLimiterMemory(common),
        }),
        o.limit,
      );
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
};

export const createLimitStore = (opts: { redisUrl?: string | undefined; onError?: (err: Error) => void }) =>
  opts.redisUrl
    ? createRedisLimitStore({ url: opts.redisUrl, ...(opts.onError ? { onError: opts.onError } : {}) })
    : createMemoryLimitStore();

/** Per-address budgets of the public doors, in one place. */
export const LIMITS = {
  /** Sign-in attempts per address, whatever the account. */
  login: { limit: 20, windowMs: 5 * 60_000 },
  // A citizen checks a few times a day; 30 tries in 10 minutes is far above that and far below guessing.
  track: { limit: 30, windowMs: 10 * 60_000 },
  /** Text messages (one-time codes) one address may cause: a family's few requests, not a flood. */
  smsPerAddress: { limit: 10, windowMs: 60 * 60_000 },
  // One dossier's code or one phone, from any number of addresses: a holder retypes a few times, a guesser
  // trying phones for a code (or codes for a phone) stops after these. The receipt's QR needs neither.
  trackCode: { limit: 10, windowMs: 15 * 60_000 },
  trackPhone: { limit: 20, windowMs: 15 * 60_000 },
  /** Id-number look-ups per clerk: a desk serves one citizen every few minutes, not one a second. */
  lookup: { limit: 60, windowMs: 60 * 60_000 },
  /** Queue numbers one address takes from phones (a family's visit, not a flood of fake numbers). */
  ticketAddress: { limit: 5, windowMs: 60 * 60_000 },
  /** Queue numbers and bookings one phone takes in a day, whatever the address. */
  ticketPhone: { limit: 4, windowMs: 24 * 3_600_000 },
  /** Numbers one office's kiosks print in an hour: a busy morning, not a script pressing the button. */
  kiosk: { limit: 300, windowMs: 60 * 60_000 },
} as const;

/** The limiters the procedures use (`ctx.limits`), all over one store. */
export const createLimits = (
  store: LimitStore,
  budgets: { [K in keyof typeof LIMITS]?: { limit: number; windowMs: number } } & {
    /** Text messages the public may cause in the whole province per day (SMS_DAILY_BUDGET). */
    smsPerDay: number;
  },
) => ({
  login: store.limiter('login', budgets.login ?? LIMITS.login),
  track: store.limiter('track', budgets.track ?? LIMITS.track),
  trackCode: store.limiter('track-code', budgets.trackCode ?? LIMITS.trackCode),
  trackPhone: store.limiter('track-phone', budgets.trackPhone ?? LIMITS.trackPhone),
  lookup: store.limiter('lookup', budgets.lookup ?? LIMITS.lookup),
  ticketAddress: store.limiter('ticket-ip', budgets.ticketAddress ?? LIMITS.ticketAddress),
  ticketPhone: store.limiter('ticket-phone', budgets.ticketPhone ?? LIMITS.ticketPhone),
  kiosk: store.limiter('kiosk', budgets.kiosk ?? LIMITS.kiosk),
  smsPerAddress: store.limiter('sms-ip', budgets.smsPerAddress ?? LIMITS.smsPerAddress),
  /** Codes per phone (keyed by an HMAC of the number), whatever the purpose and whoever asks. */
  smsPerPhone: store.limiter('sms-phone', { limit: OTP_MAX_SENDS, windowMs: OTP_SEND_WINDOW_MS }),
  /** The province's day (keyed by the Vietnamese date), so a flood spread over numbers and addresses ends too. */
  smsPerDay: store.limiter('sms-day', { limit: budgets.smsPerDay, windowMs: 26 * 3_600_000 }),
  /** Failed sign-ins per (account, address), counted over a day: the back-off grows with each one. */
  loginFailures: store.limiter('login-fail', { limit: 1_000_000, windowMs: 24 * 3_600_000 }),
  /** The lock of one (account, address): blocked for the back-off's length. */
  loginLock: store.limiter('login-lock', { limit: 1, windowMs: 24 * 3_600_000 }),
  store,
});

export type Limits = ReturnType<typeof createLimits>;
