import { resolve } from 'node:path';
import { z } from 'zod';

const DEV_SECRET = 'postdesk-development-secret-do-not-use';
/** Demo payment defaults: never valid in production (see parseEnv). */
export const DEV_PAYMENT_SECRET = 'postdesk-payment-demo-secret-do-not-use';
export const DEMO_VIETQR_BANK_BIN = '970449';
export const DEMO_VIETQR_ACCOUNT = '0000000000';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public address of the web apps, used in QR codes and links; unset = `http://<HOST>:<PORT>` (localhost for 0.0.0.0/::). */
  PUBLIC_URL: z.url().optional(),
  /** PostgreSQL; unset = embedded PGlite in `${DATA_DIR}/pglite`. */
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  /** Redis for BullMQ; unset = jobs run in-process. */
  REDIS_URL: z.string().optional(),
  /** Connections per process to PostgreSQL (each web and worker process has its own pool). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /** A query running longer is cancelled by PostgreSQL (0 = no limit); `worker` processes: no limit unless set. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /** Seconds to wait for a PostgreSQL connection before a request answers 503. */
  DATABASE_CONNECT_TIMEOUT_S: z.coerce.number().int().min(1).max(300).default(10),
  /** DATABASE_URL goes through PgBouncer in transaction mode: no prepared statements. */
  DATABASE_PGBOUNCER: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** A streaming replica the board and reports read from; unset = the primary. */
  DATABASE_REPLICA_URL: z.string().optional(),
  /** A direct (not PgBouncer) address for `postdesk migrate`, which needs a session for its advisory lock. */
  DATABASE_MIGRATE_URL: z.string().optional(),
  /** `host:port,host:port` of Redis Sentinels; with REDIS_SENTINEL_NAME, used instead of REDIS_URL's host. */
  REDIS_SENTINELS: z.string().optional(),
  REDIS_SENTINEL_NAME: z.string().optional(),
  /** BullMQ key prefix; the braces make it a Redis Cluster hash tag (one slot per queue's keys). */
  REDIS_PREFIX: z.string().min(1).default('{postdesk}'),
  /** Page processing and route planning threads (0 = one per core, at most 4). */
  WORKER_THREADS: z.coerce.number().int().min(0).max(64).default(0),
  /** A page left queued or processing this long is put back on the queue (or failed after PAGE_MAX_RECOVERIES). */
  PAGE_STUCK_AFTER_S: z.coerce.number().int().min(10).default(300),
  PAGE_MAX_RECOVERIES: z.coerce.number().int().min(1).max(20).default(3),
  /** Days kept: messages sent from the outbox, the development mailbox, failed jobs. */
  RETENTION_OUTBOX_DAYS: z.coerce.number().int().min(1).default(90),
  RETENTION_MAILBOX_DAYS: z.coerce.number().int().min(1).default(7),
  FILES_DIR: z.string().optional(),
  /** S3-compatible object storage shared by every server; unset bucket = the FILES_DIR directory. */
  S3_BUCKET: z.string().min(3).optional(),
  /** The store's URL (MinIO, Ceph RGW, a provider's endpoint); unset = AWS itself. */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Unset = the SDK's own chain (environment, instance role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** `true` for MinIO, Ceph and most self-hosted stores (bucket in the path, not in the host name). */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Blobs no row refers to are deleted after this long (a phone may upload photos days before its proof). */
  FILE_GC_GRACE_HOURS: z.coerce.number().positive().default(168),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  /** Pages one scan upload may hold (a multi-page PDF or TIFF): each page costs a processing job. */
  DIGITIZE_MAX_PAGES_PER_UPLOAD: z.coerce.number().int().positive().default(200),
  /** Pages one dossier may hold across all its components. */
  DIGITIZE_MAX_PAGES_PER_DOSSIER: z.coerce.number().int().positive().default(1000),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  SESSION_SECRET: z.string().min(32).default(DEV_SECRET),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (for rate limits). */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * How many reverse proxies in front of the server append to X-Forwarded-For; the client is that many hops
   * from the right. 0 = the socket's address. Unset: 1 when TRUST_PROXY=true, else 0.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).optional(),
  /** Largest request body outside the upload routes (JSON of tRPC and the APIs). */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(16 * 1024)
    .default(1024 * 1024),
  /** Text messages (one-time codes) the public may cause in the province per day; the last one alerts. */
  SMS_DAILY_BUDGET: z.coerce.number().int().positive().default(5000),
  /** A staff session ends after this long without a request (on top of SESSION_TTL_HOURS). */
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  /** The national portal's sync endpoint; unset = portal sync off (messages wait in the outbox). */
  PORTAL_SYNC_URL: z.url().optional(),
  PORTAL_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Base URL the portal fetches signed component PDFs from: `<base>/<sha256>`. */
  PORTAL_FILES_URL: z.url().optional(),
  /** The SMS provider's HTTP endpoint and key; unset = the development mailbox (refused in production). */
  SMS_PROVIDER_URL: z.url().optional(),
  /** Zalo (OA/ZNS-style) provider: when set, citizens get Zalo messages first and an SMS when that fails. */
  ZALO_PROVIDER_URL: z.url().optional(),
  ZALO_PROVIDER_KEY: z.string().min(8).optional(),
  SMS_PROVIDER_KEY: z.string().min(8).optional(),
  SMS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Shared secret the portal signs `POST /api/portal/dossiers` with (HMAC-SHA256); unset = inbound off (503). */
  PORTAL_INBOUND_SECRET: z.string().min(32).optional(),
  /** Longest one webhook POST to an agency's system may take before it is retried. */
  AGENCY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Colon-separated PEM/DER files of the CAs whose signatures the verify page trusts (besides our own). */
  SIGNING_TRUST_ROOTS: z.string().optional(),
  /** Payment gateway (PayGov style) base URL; unset = online payment not offered (VietQR and cash remain). */
  PAYMENT_GATEWAY_URL: z.url().optional(),
  PAYMENT_MERCHANT_ID: z.string().min(1).default('POSTDESK-DEMO'),
  /** The gateway's shared HMAC-SHA256 key; production refuses the default (and < 32 characters) with a gateway. */
  PAYMENT_SECRET: z.string().min(16).default(DEV_PAYMENT_SECRET),
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** VietQR bank transfer: the receiving bank's BIN and account. DEMO defaults (LPBank BIN, a made-up account):
   * production shows no VietQR until both are set. */
  PAYMENT_VIETQR_BANK_BIN: z
    .string()
    .regex(/^\d{6}$/)
    .default(DEMO_VIETQR_BANK_BIN),
  PAYMENT_VIETQR_ACCOUNT: z
    .string()
    .regex(/^[0-9A-Za-z]{1,19}$/)
    .default(DEMO_VIETQR_ACCOUNT),
  PAYMENT_VIETQR_ACCOUNT_NAME: z.string().min(1).default('BUU DIEN TP HUE (TAI KHOAN DEMO)'),
  /**
   * Citizen sign-in with the national e-ID (VNeID) as an OpenID Connect relying party: the provider's issuer URL
   * (its discovery document is `<issuer>/.well-known/openid-configuration`), our client id and secret, and the
   * redirect URL registered with it (unset = `<PUBLIC_URL>/auth/eid/callback`). Unset issuer: in development
   * `npm start` starts the local test provider (tests/sim/eid-provider-sim.ts); in production e-ID sign-in is off.
   */
  EID_ISSUER_URL: z.url().optional(),
  EID_CLIENT_ID: z.string().min(1).optional(),
  EID_CLIENT_SECRET: z.string().min(16).optional(),
  EID_REDIRECT_URL: z.url().optional(),
  /** Scopes asked for; the id number must come with one of them. */
  EID_SCOPES: z.string().min(6).default('openid profile'),
  /** The claim that carries the 12-digit personal id number (số định danh cá nhân). */
  EID_ID_CLAIM: z.string().min(1).default('citizen_id'),
  /** A citizen's session ends this long after sign-in (there is no sliding: sign in again). */
  EID_SESSION_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Port of the local test provider the embedded default starts when EID_ISSUER_URL is unset (0 = any free one). */
  EID_DEV_PROVIDER_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /**
   * Road travel times for the route planner: the base URL of an OSRM-compatible server
   * (`<url>/table/v1/driving/{lng,lat;…}?annotations=duration,distance`). Unset, down or too slow = straight
   * lines × ROAD_FACTOR at ROAD_SPEED_KMH, and the plan is marked as estimated.
   */
  ROAD_TABLE_URL: z.url().optional(),
  ROAD_TABLE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /** Coordinates one `/table` request may carry (OSRM's `--max-table-size`, default 100). */
  ROAD_TABLE_MAX_COORDS: z.coerce.number().int().min(2).max(10_000).default(100),
  /** Answers are kept per pair of positions this long (roads change: works, one-way streets). */
  ROAD_CACHE_TTL_HOURS: z.coerce.number().positive().default(168),
  /** Estimates: the straight line times this factor is the road distance, driven at ROAD_SPEED_KMH. */
  ROAD_FACTOR: z.coerce.number().min(1).max(3).default(1.3),
  ROAD_SPEED_KMH: z.coerce.number().positive().max(120).default(25),
  /** Map tiles for the courier app (`https://…/{z}/{x}/{y}.png`); unset = no tiles, plain background. */
  COURIER_TILE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seed the demo province, offices, procedures and users into an empty database. */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export type Env = Omit<z.infer<typeof schema>, 'PUBLIC_URL'> & {
  PUBLIC_URL: string;
  filesDir: string;
  pgliteDir: string;
  /** Trusted reverse proxies (TRUST_PROXY_HOPS, or 1 for TRUST_PROXY=true). */
  proxyHops: number;
};

/** The address links and QR codes use when PUBLIC_URL is unset: where this server itself listens. */
const listeningUrl = (host: string, port: number) => {
  const name = ['', '0.0.0.0', '::', '[::]'].includes(host) ? 'localhost' : host;
  return `http://${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}:${port}`;
};

/** Parses the environment once at start-up; production refuses every development default. */
export const parseEnv = (source: Record<string, string | undefined> = process.env): Env => {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${lines}`);
  }
  const env = result.data;
  if (env.NODE_ENV === 'production') {
    const missing: string[] = [];
    if (!env.DATABASE_URL) missing.push('DATABASE_URL (PostgreSQL 15+)');
    if (!env.REDIS_URL) missing.push('REDIS_URL (Redis 7)');
    if (!source.PUBLIC_URL) missing.push('PUBLIC_URL');
    if (env.SESSION_SECRET === DEV_SECRET) missing.push('SESSION_SECRET (≥ 32 characters)');
    if (!source.FILES_DIR && !env.S3_BUCKET)
      missing.push('S3_BUCKET (shared object storage) or FILES_DIR (a directory, one server only)');
    if (!env.PORTAL_SYNC_URL) missing.push('PORTAL_SYNC_URL (the public-service portal)');
    if (
      env.PAYMENT_GATEWAY_URL &&
      (env.PAYMENT_SECRET === DEV_PAYMENT_SECRET || env.PAYMENT_SECRET.length < 32)
    )
      missing.push(
        "PAYMENT_SECRET (the payment gateway's shared HMAC key, ≥ 32 characters, not the demo one)",
      );
    if (env.PORTAL_INBOUND_SECRET?.includes('demo'))
      missing.push('PORTAL_INBOUND_SECRET (a random secret shared with the portal, not a demo value)');
    if (env.EID_ISSUER_URL) {
      if (!env.EID_ISSUER_URL.startsWith('https://')) missing.push('EID_ISSUER_URL (https)');
      if (!env.EID_CLIENT_ID) missing.push('EID_CLIENT_ID (the client id the e-ID provider gave)');
      if (!env.EID_CLIENT_SECRET || env.EID_CLIENT_SECRET.length < 32)
        missing.push('EID_CLIENT_SECRET (the client secret the e-ID provider gave, ≥ 32 characters)');
    }
    if (env.SEED_DEMO) missing.push('SEED_DEMO=false (demo users must not exist in production)');
    if (missing.length > 0) {
      throw new Error(`Production refuses development defaults. Set:\n  ${missing.join('\n  ')}`);
    }
  }
  const dataDir = resolve(env.DATA_DIR);
  return {
    ...env,
    PUBLIC_URL: env.PUBLIC_URL ?? listeningUrl(env.HOST, env.PORT),
    filesDir: resolve(env.FILES_DIR ?? `${dataDir}/files`),
    pgliteDir: `${dataDir}/pglite`,
    proxyHops: env.TRUST_PROXY_HOPS ?? (env.TRUST_PROXY ? 1 : 0),
  };
};
