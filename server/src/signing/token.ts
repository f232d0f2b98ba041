import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { appError } from '@postdesk/shared';
import { isTokenRemoval, pkcs11ReturnName, tokenError } from './errors';

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
};

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

const login = (p: Pkcs11, state: TokenState, session: Handle, pin: string | undefined) => {
  const loggedIn = isLoggedIn(p, session);
  if (pin === undefined) {
    if (loggedIn) return;
    throw appError('TOKEN_PIN_INVALID', { token: state.label, reason: 'PIN required' });
  }
  const pinHash = hashPin(pin);
  if (loggedIn && state.pinHash === pinHash) return;
  if (loggedIn) p.C_Logout(session);
  state.pinHash = undefined;
  state.keys.clear();
  try {
    p.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (err) {
    if (pkcs11ReturnName(err) !== 'CKR_USER_ALREADY_LOGGED_IN') throw err;
  }
  state.pinHash = pinHash;
};

/**
 * Runs `fn` on the token's one session, after every earlier call on that token has finished: a PKCS#11
 * session runs one operation at a time (CKR_OPERATION_ACTIVE otherwise). Logs in with the per-call PIN, else
 * the configured one; `login: false` is for public objects only.
 */
export const withToken = <T>(
  config: TokenConfig,
  fn: (ctx: TokenContext) => Promise<T> | T,
  options: { pin?: string; login?: boolean } = {},
): Promise<T> => {
  const state = stateFor(config);
  const run = async () => {
    const p = loadModule(config.module);
    try {
      const session = openSession(p, state);
      if (options.login !== false) login(p, state, session, options.pin ?? config.pin);
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

/** The issuers of `leaf` among `pool`, nearest first, stopping at a self-signed certificate. */
export const chainFrom = (leaf: Uint8Array, pool: Uint8Array[]): Uint8Array[] => {
  const parsed = pool.map((der) => ({ der, x509: new X509Certificate(der) }));
  const chain: Uint8Array[] = [];
  let current = new X509Certificate(leaf);
  while (chain.length < 8 && current.subject !== current.issuer) {
    const subject = current;
    const issuer = parsed.find((c) => subject.checkIssued(c.x509) && subject.verify(c.x509.publicKey));
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
  sign: (data: Uint8Array, options?: { pin?: string }) => Promise<Uint8Array>;
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
    sign: (data, options = {}) =>
      withToken(
        config,
        async (ctx) => {
          ctx.p.C_SignInit(ctx.session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, keyHandle(ctx));
          const signature = await ctx.p.C_SignAsync(ctx.session, Buffer.from(data), Buffer.alloc(1024));
          return new Uint8Array(signature);
        },
        options,
      ),
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
