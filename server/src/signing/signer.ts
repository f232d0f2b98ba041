import { createHash, sign as rsaSign } from 'node:crypto';
import { resolve } from 'node:path';
import { appError } from '@postdesk/shared';
import { z } from 'zod';
import type { LongTermConfig } from './augment';
import { ensureSoftwareKey, type SoftwareKey, type Subject } from './pki';
import { openTokenKey, type PinHolder, type PinPolicy, SOFTHSM_MODULE, tokenAuthorities } from './token';

/** Whoever holds the clerk's key: a PKCS#11 token, or the embedded demo's software key. */
export type Signer = {
  kind: 'pkcs11' | 'software';
  certificate: () => Promise<Uint8Array>;
  /** Issuers of the certificate, nearest first, to embed in the CMS. */
  chain: () => Promise<Uint8Array[]>;
  /** sha256WithRSAEncryption over `data`. `pin` is the one the clerk typed; else the configured one is used. */
  sign: (data: Uint8Array, options?: { pin?: string }) => Promise<Uint8Array>;
  /**
   * The same transport with the clerk's own key: `label` is users.signingKeyLabel, the CKA_LABEL of the
   * clerk's private key and certificate on the token (one token, one key per clerk, one session serialising
   * them all). The demo's software transport makes a key and certificate in the holder's name instead.
   */
  forKey: (label: string, holder: Subject) => Signer;
  /**
   * The same key for one user's login session: a PIN typed there unlocks signing for that session only,
   * for SIGNING_PIN_UNLOCK_MINUTES, and wrong PINs count against that user's budget.
   */
  forSession: (session: PinHolder) => Signer;
  /**
   * The TSA and validation-data settings when signatures go out as PAdES B-LTA (timestamp, DSS, document
   * timestamp); absent = baseline B only (development without a TSA).
   */
  longTerm?: LongTermConfig;
};

/** The detail that tells the desk a clerk has no key of their own yet (the web shows "ask the admin"). */
export const NO_SIGNING_KEY = 'no_signing_key';

// To merge into server/src/env.ts; kept here while signing is the only reader.
export const signingEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATA_DIR: z.string().default('./data'),
  /** Vendor PKCS#11 library of the clerks' tokens; unset = the embedded demo's software key. */
  PKCS11_MODULE: z.string().min(1).optional(),
  PKCS11_TOKEN_LABEL: z.string().min(1).optional(),
  /**
   * CKA_LABEL of a key and certificate on the token for signing outside the desk (tools, tests). The desk
   * signs with each clerk's own key, users.signingKeyLabel, on the same token.
   */
  PKCS11_KEY_LABEL: z.string().min(1).optional(),
  /** CKA_ID (hex) of the key and certificate, instead of or with the label. */
  PKCS11_KEY_ID: z
    .string()
    .regex(/^([0-9a-fA-F]{2})+$/)
    .optional(),
  /** Unset = the clerk types the PIN, which then unlocks their session for a while (below). */
  PKCS11_PIN: z.string().min(1).optional(),
  /** How long a typed PIN unlocks signing for the session of the clerk who typed it. */
  SIGNING_PIN_UNLOCK_MINUTES: z.coerce
    .number()
    .positive()
    .max(8 * 60)
    .default(10),
  /** Wrong PINs one user may type within SIGNING_PIN_ATTEMPT_WINDOW_MINUTES before the server stops trying. */
  SIGNING_PIN_ATTEMPTS: z.coerce.number().int().min(1).max(5).default(3),
  SIGNING_PIN_ATTEMPT_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  /** Colon-separated certificate files (DER or PEM) that verification trusts. */
  SIGNING_TRUST_ROOTS: z.string().optional(),
  /** RFC 3161 timestamp authority: every signature is timestamped and extended to PAdES B-LTA. */
  TSA_URL: z.url().optional(),
  TSA_USERNAME: z.string().min(1).optional(),
  TSA_PASSWORD: z.string().optional(),
  /** A bearer token instead of basic credentials, as some TSAs' contracts have it. */
  TSA_BEARER: z.string().min(1).optional(),
  TSA_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Longest wait for an OCSP responder or CRL point while collecting validation data. */
  REVOCATION_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /**
   * How long an OCSP answer or CRL fetched while signing serves the following signatures (the issuing CA's
   * and the TSA's certificates are the same for all; 0 asks the responder every time). Never beyond the
   * answer's own validity.
   */
  REVOCATION_REUSE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(300),
  /**
   * Without TSA_URL in production: `refuse` to start signing (the default) or `warn` and sign baseline B,
   * whose signatures cannot be checked once the clerk's certificate expires.
   */
  SIGNING_WITHOUT_TSA: z.enum(['refuse', 'warn']).default('refuse'),
});

/** The TSA settings of the environment, or undefined when no TSA is configured. */
export const longTermConfig = (env: z.output<typeof signingEnvSchema>): LongTermConfig | undefined =>
  env.TSA_URL
    ? {
        tsa: {
          url: env.TSA_URL,
          timeoutMs: env.TSA_TIMEOUT_MS,
          ...(env.TSA_USERNAME ? { username: env.TSA_USERNAME, password: env.TSA_PASSWORD ?? '' } : {}),
          ...(env.TSA_BEARER ? { bearer: env.TSA_BEARER } : {}),
        },
        revocationTimeoutMs: env.REVOCATION_TIMEOUT_MS,
        revocationReuseMs: env.REVOCATION_REUSE_SECONDS * 1000,
      }
    : undefined;

/** The same signer with timestamps and validation data added to every signature it makes (its clerks' too). */
const withLongTerm = (signer: Signer, longTerm: LongTermConfig | undefined): Signer =>
  longTerm
    ? {
        ...signer,
        longTerm,
        forKey: (label, holder) => withLongTerm(signer.forKey(label, holder), longTerm),
        forSession: (session) => withLongTerm(signer.forSession(session), longTerm),
      }
    : signer;

export type SigningConfig = z.input<typeof signingEnvSchema>;

const softwareSigner = (dataDir: string, file?: { name: string; subject: Subject }): Signer => {
  let key: SoftwareKey | undefined;
  const load = () => {
    key ??= file
      ? ensureSoftwareKey(resolve(dataDir), file.subject, file.name)
      : ensureSoftwareKey(resolve(dataDir));
    return key;
  };
  const signer: Signer = {
    kind: 'software',
    certificate: async () => load().certificate,
    chain: async () => load().chain,
    sign: async (data) => new Uint8Array(rsaSign('sha256', data, load().key)),
    forKey: (label, holder) =>
      softwareSigner(dataDir, {
        name: `demo-signer-${createHash('sha256').update(label).digest('hex').slice(0, 16)}`,
        subject: holder,
      }),
    // The demo's software key has no PIN.
    forSession: () => signer,
  };
  return signer;
};

/**
 * Picks the signing transport once from configuration: PKCS#11 when a module is configured (tests may rely on
 * SoftHSM2's default path), otherwise the software key, which production refuses.
 */
export const createSigner = (
  config: SigningConfig = process.env as SigningConfig,
  options: { now?: () => number } = {},
): Signer => {
  const env = signingEnvSchema.parse(config);
  const longTerm = longTermConfig(env);
  const base = createBaseSigner(env, options);
  if (!longTerm && env.NODE_ENV === 'production' && env.SIGNING_WITHOUT_TSA === 'refuse') {
    throw appError('TSA_NOT_CONFIGURED');
  }
  return withLongTerm(base, longTerm);
};

const createBaseSigner = (
  env: z.output<typeof signingEnvSchema>,
  options: { now?: () => number } = {},
): Signer => {
  const module =
    env.PKCS11_MODULE ?? (env.NODE_ENV === 'test' && env.PKCS11_TOKEN_LABEL ? SOFTHSM_MODULE : undefined);
  if (module === undefined) {
    if (env.NODE_ENV === 'production') throw appError('SOFTWARE_KEY_IN_PRODUCTION');
    return softwareSigner(env.DATA_DIR);
  }
  if (!env.PKCS11_TOKEN_LABEL) {
    throw appError('TOKEN_NOT_FOUND', { reason: 'PKCS11_TOKEN_LABEL must be set', module });
  }
  const token = {
    module,
    tokenLabel: env.PKCS11_TOKEN_LABEL,
    ...(env.PKCS11_PIN ? { pin: env.PKCS11_PIN } : {}),
    pinPolicy: {
      unlockMs: env.SIGNING_PIN_UNLOCK_MINUTES * 60_000,
      attempts: env.SIGNING_PIN_ATTEMPTS,
      attemptWindowMs: env.SIGNING_PIN_ATTEMPT_WINDOW_MINUTES * 60_000,
      ...(options.now ? { now: options.now } : {}),
    } satisfies Partial<PinPolicy>,
  };
  const clerks = new Map<string, Signer>();
  const opened = new Map<string, ReturnType<typeof openTokenKey>>();
  const tokenSigner = (key: { keyLabel?: string; keyId?: string }, holder?: PinHolder): Signer => {
    const configured = key.keyLabel !== undefined || key.keyId !== undefined;
    const name = `${key.keyLabel ?? ''}#${key.keyId ?? ''}`;
    let own = opened.get(name);
    if (configured && !own) {
      own = openTokenKey({ ...token, ...key });
      opened.set(name, own);
    }
    const none = () =>
      Promise.reject(appError('TOKEN_NOT_FOUND', { token: token.tokenLabel, reason: NO_SIGNING_KEY }));
    return {
      kind: 'pkcs11',
      certificate: () => own?.certificate() ?? none(),
      // Without a key of its own, the token's CA certificates (what the verify page adds to its trust roots).
      chain: () => own?.chain() ?? tokenAuthorities(token),
      // The session a signer was made for is the only one whose PIN counts: a caller cannot name another.
      sign: (data, options) =>
        own?.sign(data, {
          ...(options?.pin === undefined ? {} : { pin: options.pin }),
          ...(holder ? { holder } : {}),
        }) ?? none(),
      forKey: (label) => {
        if (holder) return tokenSigner({ keyLabel: label }, holder);
        let signer = clerks.get(label);
        if (!signer) {
          signer = tokenSigner({ keyLabel: label });
          clerks.set(label, signer);
        }
        return signer;
      },
      forSession: (session) => tokenSigner(key, session),
    };
  };
  return tokenSigner({
    ...(env.PKCS11_KEY_LABEL ? { keyLabel: env.PKCS11_KEY_LABEL } : {}),
    ...(env.PKCS11_KEY_ID ? { keyId: env.PKCS11_KEY_ID } : {}),
  });
};
