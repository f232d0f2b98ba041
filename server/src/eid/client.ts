import { appError, isAppError } from '@postdesk/shared';
import * as oidc from 'openid-client';
import type { Env } from '../env';
import type { Logger } from '../logger';

/** What the relying party is configured with (env.ts: EID_*). */
export type EidSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  scopes: string;
  idClaim: string;
  sessionMinutes: number;
  /** Plain http to the provider: only the local test provider outside production. */
  allowHttp: boolean;
};

export const eidSettings = (env: Env): EidSettings | null => {
  if (!env.EID_ISSUER_URL || !env.EID_CLIENT_ID || !env.EID_CLIENT_SECRET) return null;
  return {
    issuer: env.EID_ISSUER_URL,
    clientId: env.EID_CLIENT_ID,
    clientSecret: env.EID_CLIENT_SECRET,
    redirectUrl: env.EID_REDIRECT_URL ?? `${env.PUBLIC_URL.replace(/\/+$/, '')}/auth/eid/callback`,
    scopes: env.EID_SCOPES,
    idClaim: env.EID_ID_CLAIM,
    sessionMinutes: env.EID_SESSION_MINUTES,
    allowHttp: env.NODE_ENV !== 'production' && env.EID_ISSUER_URL.startsWith('http://'),
  };
};

/** Who signed in, as the provider's checked ID token says. */
export type EidIdentity = { citizenId: string; issuer: string; subject: string; fullName: string | null };

/** An ID token is refused when it was issued further in the future than this, or longer ago than MAX_AGE. */
const CLOCK_SKEW_S = 60;
const MAX_AGE_S = 10 * 60;

const tokenInvalid = (check: string) => appError('EID_TOKEN_INVALID', { check });

/**
 * Which check an ID token failed, from openid-client's (oauth4webapi's) error: its code and, for a claim
 * comparison, the claim. Anything unrecognised still refuses the sign-in, as `invalid`.
 */
const explain = (err: unknown) => {
  if (isAppError(err)) return err;
  type Failure = { code?: string; error?: string; message?: string; claim?: string; cause?: Failure };
  const e = err as Failure;
  if (err instanceof oidc.ResponseBodyError) {
    return e.error === 'invalid_grant' ? appError('EID_CODE_REJECTED') : appError('EID_PROVIDER_UNAVAILABLE');
  }
  // openid-client wraps oauth4webapi's error, whose own cause names the claim compared.
  const chain: Failure[] = [];
  for (let f: Failure | undefined = e; f && chain.length < 4; f = f.cause) chain.push(f);
  const claim = chain.find((f) => typeof f.claim === 'string')?.claim;
  const message = chain.map((f) => f.message ?? '').join(' ');
  if (e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return tokenInvalid('expired');
  if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
    return tokenInvalid(
      claim === 'aud' || claim === 'azp' ? 'audience' : claim === 'iss' ? 'issuer' : (claim ?? 'claim'),
    );
  }
  if (/signature/i.test(message)) return tokenInvalid('signature');
  if (/"state"/.test(message)) return appError('EID_STATE_MISMATCH');
  if (/"iss"/.test(message)) return tokenInvalid('issuer');
  if (e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || e.code === 'OAUTH_HTTP_REQUEST_FORBIDDEN')
    return appError('EID_PROVIDER_UNAVAILABLE');
  if (err instanceof TypeError || e.code === 'ECONNREFUSED' || (err as Error)?.name === 'TimeoutError')
    return appError('EID_PROVIDER_UNAVAILABLE');
  return tokenInvalid('invalid');
};

/**
 * The relying party: the provider's discovery document (fetched once, again after a failure), authorization
 * code flow with PKCE (S256), state and nonce; the ID token's signature checked against the provider's JWKS
 * (openid-client's non-repudiation checks: without them it trusts the TLS channel alone), its iss, aud (and
 * azp), exp and nonce by openid-client, its iat here. The code is redeemed once: the provider refuses a second
 * redemption, and the callback's one-time sign-in row (sessions.ts) refuses a replayed callback before that.
 */
export const createEidClient = (settings: EidSettings, log: Logger) => {
  let config: Promise<oidc.Configuration> | null = null;
  const configuration = () => {
    config ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        timeout: 10,
        ...(settings.allowHttp ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .then((c) => {
        oidc.enableNonRepudiationChecks(c);
        return c;
      })
      .catch((err: Error) => {
        config = null;
        log.warn({ err: err.message }, 'e-ID provider discovery failed');
        throw appError('EID_PROVIDER_UNAVAILABLE');
      });
    return config;
  };

  /** Where the browser goes to sign in, and what the callback must find again. */
  const begin = async () => {
    const c = await configuration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(c, {
      redirect_uri: settings.redirectUrl,
      scope: settings.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      // The person proves who they are at every sign-in: signing out here does not end the provider's own
      // session, and on a shared phone or a post-office kiosk the next person must not ride it.
      prompt: 'login',
    });
    return { url, state, nonce, codeVerifier };
  };

  /** The provider sent the browser back to `callbackUrl`: redeem the code, check the ID token, read the person. */
  const finish = async (
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<EidIdentity> => {
    const error = callbackUrl.searchParams.get('error');
    if (error) throw appError(error === 'access_denied' ? 'EID_CANCELLED' : 'EID_CODE_REJECTED', { error });
    if (callbackUrl.searchParams.get('state') !== expected.state) throw appError('EID_STATE_MISMATCH');
    const c = await configuration();
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(c, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      throw explain(err);
    }
    if (!claims) throw tokenInvalid('missing');
    const now = Math.floor(Date.now() / 1000);
    if (claims.iat > now + CLOCK_SKEW_S || claims.iat < now - MAX_AGE_S) throw tokenInvalid('issued-at');
    const number = claims[settings.idClaim];
    if (typeof number !== 'string' || !/^\d{12}$/.test(number)) throw tokenInvalid('id-number');
    return {
      citizenId: number,
      issuer: claims.iss,
      subject: claims.sub,
      fullName: typeof claims.name === 'string' ? claims.name.normalize('NFC').slice(0, 120) : null,
    };
  };

  return { settings, begin, finish };
};

export type EidClient = ReturnType<typeof createEidClient>;
