import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { appError } from '@postdesk/shared';
import { isTokenRemoval, pkcs11ReturnName, tokenError } from './errors';
import { x509Certificate } from './parsed';

type Pkcs11Module = typeof import('pkcs11js');
type Pkcs11 = InstanceType<Pkcs11Module['PKCS11']>;
type Handle = Buffer;

export const pkcs11js = createRequire(import.meta.url)('pkcs11js') as Pkcs11Module;

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export type TokenConfig = {
  /** Path of the vendor's PKCS#11 library (SoftHSM2 in development and tests). */
  module: string;
  tokenLabel: string;
  /** From the environment; when absent the clerk types it and it is passed per call. */
  pin?: string;
  /** How long a typed PIN unlocks signing and how many wrong ones a user may type; defaults below. */
  pinPolicy?: Partial<PinPolicy>;
};

export type PinPolicy = {
  /** How long a PIN a user typed keeps signing unlocked for that user's login session (and no other). */
  unlockMs: number;
  /**
   * Wrong PINs one user may type within `attemptWindowMs`; after that the server refuses without passing
   * them to the token, well before the token's own lock-out (often 3 to 10 tries, then the SO must reset it).
   */
  attempts: number;
  attemptWindowMs: number;
  now: () => number;
};

export const DEFAULT_PIN_POLICY: PinPolicy = {
  unlockMs: 10 * 60_000,
  attempts: 3,
  attemptWindowMs: 15 * 60_000,
  now: Date.now,
};

/** Who typed a PIN: the unlock belongs to the login session, the wrong-PIN budget to the user. */
export type PinHolder = { userId: string; sessionId: string };

export type TokenKeyConfig = TokenConfig & {
  /** CKA_LABEL shared by the clerk's private key and certificate on the token. */
  keyLabel?: string;
  /** CKA_ID (hex) shared by the key and certificate, as vendors' tools usually set it; either or both. */
  keyId?: string;
};

const keyTemplate = (config: TokenKeyConfig, objectClass: number) => [
  { type: pkcs11js.CKA_CLASS, value: objectClass },
  ...(config.keyLabel === undefined ? [] : [{ type: pkcs11js.CKA_LABEL, value: config.keyLabel }]),
  ...(config.keyId === undefined ? [] : [{ type: pkcs11js.CKA_ID, value: Buffer.from(config.keyId, 'hex') }]),
];

export type TokenContext = { p: Pkcs11; session: Handle };

type TokenState = {
  module: string;
  label: string;
  session?: Handle;
  /** Salted hash of the PIN the session is logged in with, so a different PIN typed later is checked again. */
  pinHash?: string;
  keys: Map<string, Handle>;
  queue: Promise<unknown>;
  hadSession: boolean;
  /** Login sessions whose user typed the right PIN, and until when that unlocks signing for them. */
  unlocks: Map<string, { userId: string; until: number }>;
  /** When each user (or the configured PIN) last typed a wrong PIN, within the attempt window. */
  failures: Map<string, number[]>;
};

const modules = new Map<string, Pkcs11>();
const tokens = new Map<string, TokenState>();
const pinSalt = randomBytes(16);
const hashPin = (pin: string) => createHash('sha256').update(pinSalt).update(pin).digest('hex');

const loadModule = (path: string): Pkcs11 => {
  const loaded = modules.get(path);
  if (loaded) return loaded;
  const p = new pkcs11js.PKCS11();
  try {
    p.load(path);
  } catch (err) {
    throw appError('TOKEN_NOT_FOUND', {
      module: path,
      cause: err instanceof Error ? err.message : String(err),
    });
  }
  try {
    p.C_Initialize();
  } catch (err) {
    if (pkcs11ReturnName(err) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') throw tokenError(err, { module: path });
  }
  modules.set(path, p);
  return p;
};

const stateFor = (config: TokenConfig): TokenState => {
  const id = `${config.module}\0${config.tokenLabel}`;
  let state = tokens.get(id);
  if (!state) {
    state = {
      module: config.module,
      label: config.tokenLabel,
      keys: new Map(),
      queue: Promise.resolve(),
      hadSession: false,
      unlocks: new Map(),
      failures: new Map(),
    };
    tokens.set(id, state);
  }
  return state;
};

/** Slot ids are not stable (SoftHSM2 gives random ones), so tokens are always found by label. */
const findSlot = (p: Pkcs11, label: string): Handle | undefined =>
  p.C_GetSlotList(true).find((slot) => p.C_GetTokenInfo(slot).label.trim() === label);

const dropSession = (p: Pkcs11, state: TokenState) => {
  if (state.session) {
    try {
      p.C_CloseSession(state.session);
    } catch {
      // The session is already gone with the token; nothing to close.
    }
  }
  state.session = undefined;
  state.pinHash = undefined;
  state.keys.clear();
  state.unlocks.clear();
};

const openSession = (p: Pkcs11, state: TokenState): Handle => {
  if (state.session) return state.session;
  const slot = findSlot(p, state.label);
  if (!slot) {
    throw appError(state.hadSession ? 'TOKEN_REMOVED' : 'TOKEN_NOT_FOUND', { token: state.label });
  }
  state.session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  state.hadSession = true;
  return state.session;
};

// CKS_RO_USER_FUNCTIONS and CKS_RW_USER_FUNCTIONS, which pkcs11js does not export.
const USER_SESSION_STATES = new Set([1, 3]);

const isLoggedIn = (p: Pkcs11, session: Handle) => USER_SESSION_STATES.has(p.C_GetSessionInfo(session).state);

const logout = (p: Pkcs11, state: TokenState, session: Handle) => {
  try {
    p.C_Logout(session);
  } catch (err) {
    if (pkcs11ReturnName(err) !== 'CKR_USER_NOT_LOGGED_IN') throw err;
  }
  state.pinHash = undefined;
  state.keys.clear();
};

/** Budget keys for PINs nobody in particular typed: tools and tests, and the one from the environment. */
const NO_USER = '\0anonymous';
const CONFIGURED = '\0configured';

/**
 * Checks `pin` for `who` against the wrong-PIN budget, then against the token. While the token is logged in
 * with a PIN it accepted, a different PIN is wrong (a token has one user PIN) and is refused without reaching
 * the token, so one user's typo neither logs everyone out nor spends the token's own retry counter.
 */
const checkPin = (
  p: Pkcs11,
  state: TokenState,
  session: Handle,
  pin: string,
  who: string,
  policy: PinPolicy,
  now: number,
) => {
  const recent = (state.failures.get(who) ?? []).filter((at) => at > now - policy.attemptWindowMs);
  if (recent.length >= policy.attempts) {
    throw appError('TOKEN_PIN_ATTEMPTS_EXCEEDED', {
      token: state.label,
      retryAfterSeconds: Math.ceil(((recent[0] ?? now) + policy.attemptWindowMs - now) / 1000),
    });
  }
  const wrong = (details: Record<string, unknown>) => {
    state.failures.set(who, [...recent, now]);
    return appError('TOKEN_PIN_INVALID', {
      token: state.label,
      attemptsLeft: Math.max(0, policy.attempts - recent.length - 1),
      ...details,
    });
  };
  const pinHash = hashPin(pin);
  if (isLoggedIn(p, session)) {
    if (state.pinHash === pinHash) {
      state.failures.delete(who);
      return;
    }
    if (state.pinHash !== undefined) throw wrong({});
    logout(p, state, session);
  }
  const slot = findSlot(p, state.label);
  const flags = slot ? p.C_GetTokenInfo(slot).flags : 0;
  if (flags & (pkcs11js.CKF_USER_PIN_LOCKED | pkcs11js.CKF_USER_PIN_FINAL_TRY)) {
    // One more wrong PIN would lock the token for every clerk: only its security officer may go on.
    throw appError('TOKEN_PIN_ATTEMPTS_EXCEEDED', {
      token: state.label,
      locked: Boolean(flags & pkcs11js.CKF_USER_PIN_LOCKED),
      finalTry: true,
    });
  }
  state.keys.clear();
  try {
    p.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (err) {
    const ckr = pkcs11ReturnName(err);
    if (ckr === 'CKR_USER_ALREADY_LOGGED_IN') {
      state.pinHash = pinHash;
      return;
    }
    if (ckr !== undefined && PIN_REFUSALS.has(ckr))
      throw wrong({ pkcs11: ckr, locked: ckr === 'CKR_PIN_LOCKED' });
    throw err;
  }
  state.pinHash = pinHash;
  state.failures.delete(who);
};

const PIN_REFUSALS = new Set(['CKR_PIN_INCORRECT', 'CKR_PIN_INVALID', 'CKR_PIN_LEN_RANGE', 'CKR_PIN_LOCKED']);

/**
 * Lets the call use the private keys, or throws. A PIN the user typed unlocks signing for their login session
 * only, for `unlockMs`; after that, or from any other session, the PIN must be typed again even though the
 * token itself is still logged in. The PIN from the environment (an unattended server) is the only one that
 * needs no typing. When no session holds an unlock, the token is logged out.
 */
const authorise = (
  p: Pkcs11,
  state: TokenState,
  session: Handle,
  config: TokenConfig,
  options: { pin?: string; holder?: PinHolder },
) => {
  const policy = { ...DEFAULT_PIN_POLICY, ...config.pinPolicy };
  const now = policy.now();
  for (const [id, unlock] of state.unlocks) if (unlock.until <= now) state.unlocks.delete(id);
  if (config.pin === undefined && state.unlocks.size === 0 && isLoggedIn(p, session)) {
    logout(p, state, session);
  }
  const { holder } = options;
  if (options.pin !== undefined) {
    checkPin(p, state, session, options.pin, holder?.userId ?? NO_USER, policy, now);
    if (holder) state.unlocks.set(holder.sessionId, { userId: holder.userId, until: now + policy.unlockMs });
    return;
  }
  const unlock = holder ? state.unlocks.get(holder.sessionId) : undefined;
  if (unlock && unlock.userId === holder?.userId && isLoggedIn(p, session)) return;
  if (config.pin !== undefined) {
    checkPin(p, state, session, config.pin, CONFIGURED, policy, now);
    return;
  }
  throw appError('TOKEN_PIN_INVALID', { token: state.label, reason: 'PIN required' });
};

/**
 * Runs `fn` on the token's one session, after every earlier call on that token has finished: a PKCS#11
 * session runs one operation at a time (CKR_OPERATION_ACTIVE otherwise). Private objects need the PIN typed
 * by `holder` now or within their unlock window, else the configured one (see `authorise`); `login: false`
 * is for public objects only.
 */
export const withToken = <T>(
  config: TokenConfig,
  fn: (ctx: TokenContext) => Promise<T> | T,
  options: { pin?: string; holder?: PinHolder; login?: boolean } = {},
): Promise<T> => {
  const state = stateFor(config);
  const run = async () => {
    const p = loadModule(config.module);
    try {
      const session = openSession(p, state);
      if (options.login !== false) authorise(p, state, session, config, options);
      return await fn({ p, session });
    } catch (err) {
      if (isTokenRemoval(err)) {
        dropSession(p, state);
        // A finalized module must be initialized again before the next call: load it afresh then, and
        // forget every session opened through it.
        if (pkcs11ReturnName(err) === 'CKR_CRYPTOKI_NOT_INITIALIZED' && modules.get(config.module) === p) {
          modules.delete(config.module);
          for (const other of tokens.values()) {
            if (other.module === config.module) {
              other.session = undefined;
              other.pinHash = undefined;
              other.keys.clear();
              other.unlocks.clear();
            }
          }
        }
        throw appError('TOKEN_REMOVED', { token: state.label, pkcs11: pkcs11ReturnName(err) });
      }
      throw tokenError(err, { token: state.label });
    }
  };
  const result = state.queue.then(run, run);
  state.queue = result.catch(() => undefined);
  return result;
};

export const findObjects = (
  { p, session }: TokenContext,
  template: { type: number; value?: number | boolean | string | Buffer }[],
): Handle[] => {
  p.C_FindObjectsInit(session, template);
  try {
    return p.C_FindObjects(session, 64);
  } finally {
    p.C_FindObjectsFinal(session);
  }
};

export const readValue = ({ p, session }: TokenContext, object: Handle): Uint8Array => {
  const [attr] = p.C_GetAttributeValue(session, object, [{ type: pkcs11js.CKA_VALUE }]);
  return new Uint8Array(attr?.value ?? []);
};

/** Every X.509 certificate object on the token, as DER. */
export const tokenCertificates = (ctx: TokenContext, label?: string): Uint8Array[] =>
  findObjects(ctx, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    ...(label === undefined ? [] : [{ type: pkcs11js.CKA_LABEL, value: label }]),
  ]).map((handle) => readValue(ctx, handle));

const issuedPairs = new Map<string, boolean>();
/** Whether `issuer`'s key signed `subject`: one signature check per pair and process. */
const signedBy = (subject: X509Certificate, issuer: X509Certificate) => {
  const key = `${subject.fingerprint256}>${issuer.fingerprint256}`;
  let value = issuedPairs.get(key);
  if (value === undefined) {
    value = subject.verify(issuer.publicKey);
    if (issuedPairs.size >= 5_000) issuedPairs.delete(issuedPairs.keys().next().value as string);
    issuedPairs.set(key, value);
  }
  return value;
};

/**
 * How a certificate's key signs: RSA PKCS#1 v1.5 with SHA-256, or ECDSA with the hash that matches the curve
 * (SHA-256 on P-256, SHA-384 on P-384, as RFC 5480 §4 pairs them).
 */
export const signatureScheme = (
  certificate: Uint8Array,
): { kind: 'rsa'; hash: 'sha256' } | { kind: 'ecdsa'; hash: 'sha256' | 'sha384' } => {
  const key = x509Certificate(certificate).publicKey;
  if (key.asymmetricKeyType !== 'ec') return { kind: 'rsa', hash: 'sha256' };
  return { kind: 'ecdsa', hash: key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'sha384' : 'sha256' };
};

/** ECDSA-Sig-Value (SEQUENCE of two INTEGERs) from the raw r‖s a PKCS#11 token or a CSC service returns. */
export const ecdsaDer = (raw: Uint8Array): Uint8Array => {
  const half = raw.length / 2;
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
    const trimmed = bytes.subarray(start);
    // A leading 1 bit would read as negative: DER puts a zero byte before it.
    const body = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : Buffer.from(trimmed);
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const content = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  const length = content.length < 0x80 ? Buffer.from([content.length]) : Buffer.from([0x81, content.length]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30]), length, content]));
};

/** The issuers of `leaf` among `pool`, nearest first, stopping at a self-signed certificate. */
export const chainFrom = (leaf: Uint8Array, pool: Uint8Array[]): Uint8Array[] => {
  const parsed = pool.map((der) => ({ der, x509: x509Certificate(der) }));
  const chain: Uint8Array[] = [];
  let current = x509Certificate(leaf);
  while (chain.length < 8 && current.subject !== current.issuer) {
    const subject = current;
    const issuer = parsed.find((c) => subject.checkIssued(c.x509) && signedBy(subject, c.x509));
    if (!issuer) break;
    chain.push(issuer.der);
    current = issuer.x509;
  }
  return chain;
};

/** The CA certificates the token carries (public objects, no login), for the chain when no key is named. */
export const tokenAuthorities = (config: TokenConfig): Promise<Uint8Array[]> =>
  withToken(config, (ctx) => tokenCertificates(ctx).filter((der) => new X509Certificate(der).ca), {
    login: false,
  });

export type TokenKey = {
  certificate: () => Promise<Uint8Array>;
  /** The CA certificates the token carries for the clerk's certificate, nearest issuer first. */
  chain: () => Promise<Uint8Array[]>;
  /** sha256WithRSAEncryption (PKCS#1 v1.5) over `data`, hashed on the token. */
  sign: (data: Uint8Array, options?: { pin?: string; holder?: PinHolder }) => Promise<Uint8Array>;
};

export const openTokenKey = (config: TokenKeyConfig): TokenKey => {
  if (config.keyLabel === undefined && config.keyId === undefined) {
    throw appError('TOKEN_NOT_FOUND', { token: config.tokenLabel, reason: 'no key label or id configured' });
  }
  const state = stateFor(config);
  const keyName = `${config.keyLabel ?? ''}#${config.keyId ?? ''}`;
  const notFound = () =>
    appError('TOKEN_NOT_FOUND', { token: config.tokenLabel, key: config.keyLabel, keyId: config.keyId });
  let certs: Promise<{ certificate: Uint8Array; chain: Uint8Array[] }> | undefined;
  const loadCerts = () => {
    certs ??= withToken(
      config,
      (ctx) => {
        const [handle] = findObjects(ctx, keyTemplate(config, pkcs11js.CKO_CERTIFICATE));
        if (!handle) throw notFound();
        const certificate = readValue(ctx, handle);
        return { certificate, chain: chainFrom(certificate, tokenCertificates(ctx)) };
      },
      { login: false },
    );
    certs.catch(() => {
      certs = undefined;
    });
    return certs;
  };
  const keyHandle = (ctx: TokenContext): Handle => {
    const cached = state.keys.get(keyName);
    if (cached) return cached;
    const [key] = findObjects(ctx, keyTemplate(config, pkcs11js.CKO_PRIVATE_KEY));
    if (!key) throw notFound();
    state.keys.set(keyName, key);
    return key;
  };
  return {
    certificate: async () => (await loadCerts()).certificate,
    chain: async () => (await loadCerts()).chain,
    // The certificate says which mechanism the key takes; it is read (once) before the signing operation
    // queues on the token, since reading it queues there too.
    sign: async (data, options = {}) => {
      const scheme = signatureScheme((await loadCerts()).certificate);
      return withToken(
        config,
        async (ctx) => {
          if (scheme.kind === 'rsa') {
            ctx.p.C_SignInit(ctx.session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, keyHandle(ctx));
            const signature = await ctx.p.C_SignAsync(ctx.session, Buffer.from(data), Buffer.alloc(1024));
            return new Uint8Array(signature);
          }
          // CKM_ECDSA signs a digest made here and answers r‖s, each the curve's size; CMS wants DER.
          const digest = createHash(scheme.hash).update(data).digest();
          ctx.p.C_SignInit(ctx.session, { mechanism: pkcs11js.CKM_ECDSA }, keyHandle(ctx));
          const raw = await ctx.p.C_SignAsync(ctx.session, digest, Buffer.alloc(2 * 66));
          return ecdsaDer(new Uint8Array(raw));
        },
        options,
      );
    },
  };
};

/** Closes every session and unloads the modules (tests, shutdown). */
export const closeTokens = () => {
  for (const state of tokens.values()) {
    const p = modules.get(state.module);
    if (p) dropSession(p, state);
  }
  tokens.clear();
  for (const p of modules.values()) {
    try {
      p.C_Finalize();
    } catch {
      // Already finalized by another owner of the same library.
    }
  }
  modules.clear();
};
