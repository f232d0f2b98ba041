// The national e-ID (VNeID) as a real OpenID Provider on 127.0.0.1: `oidc-provider` (a certified OP library)
// with keys of its own (an RSA key made at start, served at its jwks_uri), one registered confidential client
// that must use PKCE (S256), and a login page of its own that asks for a test person's 12-digit id number
// (no password: it stands in for the VNeID app's confirmation). The ID token carries `name` and the id-number
// claim (`citizen_id`, or the name given). Faults for tests: the next ID token re-signed with a key the
// provider never published, expired, for another audience, with another nonce or issuer, or without the number.
// Used by the integration and e2e tests and, when EID_ISSUER_URL is unset, by `npm start` in development.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export type IdTokenFault =
  | 'forged'
  | 'expired'
  | 'wrong-audience'
  | 'wrong-nonce'
  | 'wrong-issuer'
  | 'no-id-number';

export type EidProviderSim = {
  /** The issuer (also the base URL): discovery at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Sign-ins finished on the login page, with the id number typed. */
  logins: { citizenId: string; at: Date }[];
  /** Token requests the provider answered, and how many it refused (a used or unknown code). */
  tokenRequests: { ok: number; refused: number };
  /** The ID token of the next successful token request is spoiled this way (once). */
  spoilNextIdToken: (fault: IdTokenFault) => void;
  close: () => Promise<void>;
};

/** Test persons the login page knows by name; any other valid number signs in as "Công dân thử nghiệm". */
const KNOWN: Record<string, string> = {
  '046090001234': 'Nguyễn Văn An',
  '046195001234': 'Trần Thị Mỹ Hạnh',
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const loginPage = (opts: { uid: string; client: string; error?: string; value?: string }) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập VNeID (máy chủ thử nghiệm)</title>
<style>
body{font-family:system-ui,sans-serif;background:#f3f5f8;margin:0;color:#1b1f24}
main{max-width:26rem;margin:3rem auto;background:#fff;border-radius:12px;padding:1.5rem 1.75rem;box-shadow:0 2px 12px #0002}
h1{font-size:1.35rem;margin:0 0 .25rem;color:#a3161c}p{line-height:1.45}
label{display:block;font-weight:600;margin:1rem 0 .35rem}
input{font-size:1.25rem;padding:.6rem .7rem;width:100%;box-sizing:border-box;border:1px solid #8a94a3;border-radius:8px;letter-spacing:.08em}
.err{color:#a3161c;font-weight:600}.row{display:flex;gap:.75rem;margin-top:1.25rem}
button{font-size:1.05rem;padding:.65rem 1.1rem;border-radius:8px;border:1px solid #a3161c;background:#a3161c;color:#fff;cursor:pointer}
button.quiet{background:#fff;color:#1b1f24;border-color:#8a94a3}.note{font-size:.85rem;color:#5a6472}
</style></head><body><main>
<h1>VNeID — Đăng nhập</h1>
<p class="note">Máy chủ định danh thử nghiệm (không phải VNeID thật). Ứng dụng <strong>${escapeHtml(opts.client)}</strong> đề nghị xác thực danh tính của bạn.</p>
<form method="post" action="/interaction/${opts.uid}/login">
<label for="citizenId">Số định danh cá nhân</label>
<input id="citizenId" name="citizenId" inputmode="numeric" autocomplete="off" maxlength="12" value="${escapeHtml(opts.value ?? '')}" aria-describedby="hint${opts.error ? ' err' : ''}" autofocus>
<p id="hint" class="note">12 chữ số trên thẻ căn cước.</p>
${opts.error ? `<p id="err" class="err" role="alert">${escapeHtml(opts.error)}</p>` : ''}
<div class="row"><button type="submit">Đăng nhập</button>
<button type="submit" class="quiet" formaction="/interaction/${opts.uid}/abort">Hủy</button></div>
</form></main></body></html>`;

const readForm = (req: IncomingMessage) =>
  new Promise<URLSearchParams>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 16_384) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });

/** The provider's subject for a person: opaque and stable, never the id number itself. */
const subjectOf = (citizenId: string) =>
  `vneid-${createHash('sha256').update(`sim-subject:${citizenId}`).digest('hex').slice(0, 20)}`;

export const startEidProviderSim = async (opts: {
  /** Where the provider may send the browser back to (the relying party's callback). */
  redirectUris: string[];
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** The claim that carries the id number (the relying party's EID_ID_CLAIM). */
  idClaim?: string;
}): Promise<EidProviderSim> => {
  const clientId = opts.clientId ?? 'postdesk-sim';
  const clientSecret = opts.clientSecret ?? randomBytes(24).toString('base64url');
  const idClaim = opts.idClaim ?? 'citizen_id';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, use: 'sig', alg: 'RS256' };
  // A key the provider never published, with the same kid: what a forger would sign with.
  const { privateKey: forgerKey } = await generateKeyPair('RS256');

  const people = new Map<string, { citizenId: string; name: string }>();
  const logins: EidProviderSim['logins'] = [];
  const tokenRequests = { ok: 0, refused: 0 };
  const faults: IdTokenFault[] = [];

  const http = createServer();
  await new Promise<void>((resolve) => http.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  // Loaded here, not at the top: the server's bundle carries this file for the embedded default, and every
  // other start should not load (or warn about) the provider library.
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', idClaim] },
    // The id number and name go into the ID token itself (VNeID's relying parties read them there).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: {
      AuthorizationCode: 60,
      IdToken: 600,
      AccessToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const person = people.get(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, name: person.name, [idClaim]: person.citizenId }),
      };
    },
    // First-party sign-in: the grant is made without a consent screen, for what was asked.
    loadExistingGrant: async (ctx) => {
      const oidc = ctx.oidc;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client!.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      if (!oidc.session?.accountId) return undefined;
      const grant = new oidc.provider.Grant({
        clientId: oidc.client!.clientId,
        accountId: oidc.session.accountId,
      });
      grant.addOIDCScope([...(oidc.requestParamScopes ?? new Set(['openid']))].join(' '));
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', () => {});

  const respoil = async (idToken: string, fault: IdTokenFault) => {
    const claims = { ...decodeJwt(idToken) } as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    if (fault === 'expired') Object.assign(claims, { iat: now - 3600, exp: now - 1800 });
    if (fault === 'wrong-audience') claims.aud = 'another-relying-party';
    if (fault === 'wrong-nonce') claims.nonce = randomBytes(16).toString('base64url');
    if (fault === 'wrong-issuer') claims.iss = 'https://vneid.example.invalid';
    if (fault === 'no-id-number') delete claims[idClaim];
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .sign(fault === 'forged' ? forgerKey : privateKey);
  };

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/token') return;
    if (ctx.status !== 200) {
      tokenRequests.refused += 1;
      return;
    }
    tokenRequests.ok += 1;
    const body = ctx.body as { id_token?: string } | undefined;
    const fault = faults.shift();
    if (fault && body?.id_token) body.id_token = await respoil(body.id_token, fault);
  });

  const oidc = provider.callback();
  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, action: string) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const client = String(details.params.client_id ?? '');
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(loginPage({ uid, client }));
      return;
    }
    if (action === 'abort') {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'the person cancelled the sign-in',
      });
      return;
    }
    const typed = ((await readForm(req)).get('citizenId') ?? '').replace(/\s+/g, '');
    if (!/^\d{12}$/.test(typed)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(
        loginPage({ uid, client, value: typed, error: 'Số định danh cá nhân phải gồm đúng 12 chữ số.' }),
      );
      return;
    }
    const sub = subjectOf(typed);
    people.set(sub, { citizenId: typed, name: KNOWN[typed] ?? 'Công dân thử nghiệm' });
    logins.push({ citizenId: typed, at: new Date() });
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub } },
      { mergeWithLastSubmission: false },
    );
  };

  http.on('request', (req, res) => {
    const m = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!m) {
      oidc(req, res);
      return;
    }
    interaction(req, res, m[1]!, m[2] ?? '').catch(() => {
      if (res.headersSent) return res.end();
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Phiên đăng nhập đã hết hạn. Vui lòng quay lại trang dịch vụ và đăng nhập lại.');
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    logins,
    tokenRequests,
    spoilNextIdToken: (fault) => {
      faults.push(fault);
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
};
