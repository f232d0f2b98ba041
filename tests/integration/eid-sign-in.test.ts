import { randomUUID } from 'node:crypto';
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicants, citizenAccounts, citizenSessions, dossiers, outbox } from '../../server/src/db/schema';
import { findCitizenSession } from '../../server/src/eid/sessions';
import { loadPortalSource, toDossierRecord } from '../../server/src/integrations/portal/messages';
import { createLogger } from '../../server/src/logger';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { finishSignIn, receiveFor, signInAtProvider } from '../helpers/eid';
import { textedCode } from '../helpers/texted-code';
import { type EidProviderSim, type IdTokenFault, startEidProviderSim } from '../sim/eid-provider-sim';

const PUBLIC_URL = 'http://postdesk.test';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let sim: EidProviderSim;
const logLines: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startEidProviderSim({ redirectUris: [`${PUBLIC_URL}/auth/eid/callback`] });
  server = createTestServer(database.db, {
    env: {
      PUBLIC_URL,
      EID_ISSUER_URL: sim.issuer,
      EID_CLIENT_ID: sim.clientId,
      EID_CLIENT_SECRET: sim.clientSecret,
    },
    log: createLogger('info', { write: (line: string) => void logLines.push(line) }),
  });
});
afterAll(async () => {
  await sim?.close();
  await database?.close();
});

const idNumber = () => `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

/** A tRPC call over HTTP with the browser's cookies (queries by GET, mutations by POST), as the page makes it. */
const call = async (path: string, cookie: string, input?: unknown, mutation = false) => {
  const res = mutation
    ? await server.app.request(`/trpc/${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ json: input ?? null }),
      })
    : await server.app.request(`/trpc/${path}`, { headers: { cookie } });
  const body = (await res.json()) as {
    result?: { data: { json: unknown } };
    error?: { json: { message: string; data: { appCode: string; messageEn: string } } };
  };
  return { status: res.status, data: body.result?.data.json as never, error: body.error?.json };
};

const signIn = async (citizenId: string) => finishSignIn(server, await signInAtProvider(server, citizenId));

/** A sign-in whose ID token the provider spoils: where the browser lands, and what was left behind. */
const spoiled = async (fault: IdTokenFault) => {
  const citizenId = idNumber();
  await receiveFor(server, { username: 'gdv.hang', citizenId });
  sim.spoilNextIdToken(fault);
  const done = await signIn(citizenId);
  const sessions = await database.db
    .select()
    .from(citizenSessions)
    .where(eq(citizenSessions.citizenId, citizenId));
  return { ...done, sessions };
};

/** The check the server logged for the last refused sign-in (never the token or the number). */
const lastRefusal = () => {
  const line = [...logLines].reverse().find((l) => l.includes('e-ID sign-in refused'));
  return line ? (JSON.parse(line) as { code: string; details: { check?: string } | null }) : null;
};

describe('citizen sign-in with the national e-ID (local OpenID provider)', () => {
  it('signs in with the id number and shows every dossier of that number at two offices, by code alone', async () => {
    const citizenId = idNumber();
    const first = await receiveFor(server, { username: 'gdv.hang', citizenId });
    const second = await receiveFor(server, { username: 'gdv.quang', citizenId });
    const someoneElse = await receiveFor(server, { username: 'gdv.hang', citizenId: idNumber() });

    const done = await signIn(citizenId);
    expect(done.status).toBe(302);
    expect(done.location).toBe('/my');
    const session = done.setCookies.find((c) => c.startsWith('pd_citizen='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Max-Age=1800/);
    expect(session).not.toMatch(/Secure/); // NODE_ENV=test; production adds it
    expect(done.setCookies.some((c) => /^pd_eid_login=;.*Max-Age=0/.test(c))).toBe(true);
    const cookie = done.cookies.header();

    const me = await call('account.me', cookie);
    expect(me.data).toMatchObject({
      signedIn: true,
      available: true,
      idNumber: `046••••••${citizenId.slice(-3)}`,
    });
    const list = await call('account.dossiers', cookie);
    const mine = list.data as { code: string; officeName: string }[];
    expect(mine.map((d) => d.code).sort()).toEqual([first.code, second.code].sort());
    expect(new Set(mine.map((d) => d.officeName)).size).toBe(2);

    // Following, feedback: the code alone opens the person's own dossier, never anyone else's.
    const tracked = await call('citizen.track', cookie, { code: second.code }, true);
    expect(tracked.data).toMatchObject({ code: second.code });
    const status = await call('feedback.status', cookie, { code: first.code }, true);
    expect(status.data).toMatchObject({ proofHeld: true });
    const other = await call('citizen.track', cookie, { code: someoneElse.code }, true);
    expect(other.error?.data.appCode).toBe('TRACK_NOT_FOUND');
    // Without the session, the code alone opens nothing.
    const anonymous = await call('citizen.track', '', { code: second.code }, true);
    expect(anonymous.data).toBeUndefined();
    expect(anonymous.error?.data.appCode).toBe('PHONE_INVALID');

    // The portal record of the person's dossier says the account is e-ID-authenticated; another's does not.
    const record = async (dossierId: string) => {
      const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, dossierId));
      const source = await loadPortalSource(database.db, {
        message: {
          dossierId,
          code: row!.code,
          seq: 1,
          event: 'receive',
          status: 2,
          at: new Date().toISOString(),
        },
        isUpdating: false,
      });
      return toDossierRecord(source!);
    };
    expect((await record(first.dossierId)).TaiKhoanDuocXacThucVoiVNeID).toBe(1);
    expect((await record(someoneElse.dossierId)).TaiKhoanDuocXacThucVoiVNeID).toBe(0);

    // A cross-site form cannot ride the citizen's cookie.
    const crossSite = await server.app.request('/trpc/account.signOut', {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);

    // Signing out ends the session on the server, not only in the browser.
    const out = await server.app.request('/trpc/account.signOut', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.headers.getSetCookie().some((c) => /^pd_citizen=;.*Max-Age=0/.test(c))).toBe(true);
    expect((await call('account.me', cookie)).data).toMatchObject({ signedIn: false });
    expect((await call('account.dossiers', cookie)).error?.data.appCode).toBe('UNAUTHENTICATED');
  });

  it('signs in a person whose id number matches no dossier: an empty list, no error', async () => {
    const done = await signIn(idNumber());
    expect(done.location).toBe('/my');
    const list = await call('account.dossiers', done.cookies.header());
    expect(list.status).toBe(200);
    expect(list.data).toEqual([]);
    expect((await call('account.documents', done.cookies.header())).data).toEqual([]);
  });

  it.each([
    ['forged', 'signature'],
    ['expired', 'expired'],
    ['wrong-audience', 'audience'],
    ['wrong-nonce', 'nonce'],
    ['wrong-issuer', 'issuer'],
    ['no-id-number', 'id-number'],
  ] as const)('refuses an ID token that is %s: no session, the page says why', async (fault, check) => {
    const { location, setCookies, sessions } = await spoiled(fault);
    expect(location).toBe('/my?error=EID_TOKEN_INVALID');
    expect(setCookies.some((c) => c.startsWith('pd_citizen=') && !/Max-Age=0/.test(c))).toBe(false);
    expect(sessions).toHaveLength(0);
    expect(lastRefusal()).toMatchObject({ code: 'EID_TOKEN_INVALID', details: { check } });
  });

  it('refuses a callback whose state is not the one this browser started with, and one without its cookie', async () => {
    const citizenId = idNumber();
    const at = await signInAtProvider(server, citizenId);
    const forgedState = at.callbackPath.replace(/state=[^&]+/, 'state=not-the-state-we-sent');
    const mismatch = await finishSignIn(server, { ...at, callbackPath: forgedState });
    expect(mismatch.location).toBe('/my?error=EID_STATE_MISMATCH');
    // The sign-in row went with the failed attempt: the genuine callback does not work after it either.
    expect((await finishSignIn(server, at)).location).toBe('/my?error=EID_STATE_MISMATCH');

    const other = await signInAtProvider(server, citizenId);
    const res = await server.app.request(other.callbackPath, { headers: { 'x-forwarded-for': other.ip } });
    expect(res.headers.get('location')).toBe('/my?error=EID_STATE_MISMATCH');
    expect(
      await database.db.select().from(citizenAccounts).where(eq(citizenAccounts.citizenId, citizenId)),
    ).toHaveLength(0);
  });

  it('redeems an authorization code once: a replayed callback and a replayed code are both refused', async () => {
    const citizenId = idNumber();
    const at = await signInAtProvider(server, citizenId);
    const loginCookie = at.cookies.header();
    const before = { ...sim.tokenRequests };
    expect((await finishSignIn(server, at)).location).toBe('/my');

    // The same callback again, with the same sign-in cookie (as an attacker who saw both would send it).
    const replay = await server.app.request(at.callbackPath, {
      headers: { cookie: loginCookie, 'x-forwarded-for': at.ip },
    });
    expect(replay.headers.get('location')).toBe('/my?error=EID_STATE_MISMATCH');
    expect(sim.tokenRequests.ok).toBe(before.ok + 1);

    // The used code inside a fresh sign-in of this browser: the provider refuses to redeem it again.
    const fresh = await signInAtProvider(server, citizenId);
    const code = /code=([^&]+)/.exec(at.callbackPath)![1]!;
    const swapped = fresh.callbackPath.replace(/code=[^&]+/, `code=${code}`);
    const refused = await finishSignIn(server, { ...fresh, callbackPath: swapped });
    expect(refused.location).toBe('/my?error=EID_CODE_REJECTED');
    expect(sim.tokenRequests.refused).toBe(before.refused + 1);
  });

  it("downloads the person's own signed e-copy and refuses another citizen's", async () => {
    const owner = idNumber();
    const { documentId } = await receiveFor(server, {
      username: 'gdv.hang',
      citizenId: owner,
      digitize: true,
    });
    const ownerCookie = (await signIn(owner)).cookies.header();
    const docs = (await call('account.documents', ownerCookie)).data as {
      id: string;
      downloadPath: string;
    }[];
    expect(docs.map((d) => d.id)).toEqual([documentId]);
    const mine = await server.app.request(docs[0]!.downloadPath, { headers: { cookie: ownerCookie } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await mine.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const intruderCookie = (await signIn(idNumber())).cookies.header();
    const theirs = await server.app.request(`/citizen/documents/${documentId}`, {
      headers: { cookie: intruderCookie },
    });
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toMatchObject({
      code: 'NOT_FOUND',
      messageEn: expect.stringMatching(/please/i),
    });
    const anonymous = await server.app.request(`/citizen/documents/${documentId}`);
    expect(anonymous.status).toBe(401);
  });

  it("a home pickup asked for while signed in is the person's own dossier: it is in their list before it has a code", async () => {
    const citizenId = idNumber();
    const done = await signIn(citizenId);
    const session = await findCitizenSession(database.db, done.cookies.get('pd_citizen')!);
    const citizen = await server.callerAs(null, { citizen: session });
    const phone = '0388 222 419';
    await citizen.citizen.pickupCode({ procedureCode: '3.000333', phone });
    const otp = await textedCode(
      database.db,
      and(
        eq(outbox.topic, 'notify.sms'),
        like(outbox.idempotencyKey, 'notify.sms:otp:%'),
        eq(sql`${outbox.payload}->>'to'`, '0388222419'),
      )!,
      /\b(\d{6})\b/,
    );
    const days = await citizen.citizen.pickupDays();
    const booked = await citizen.citizen.requestPickup({
      procedureCode: '3.000333',
      fullName: 'Công dân thử nghiệm',
      phone,
      otp: otp!,
      address: { line: '133 Lý Thánh Tông', communeCode: '20107' },
      day: days[1]!,
      window: 'morning',
      deliverResult: false,
      clientKey: randomUUID(),
    });
    const [row] = await database.db
      .select({ citizenId: applicants.citizenId })
      .from(dossiers)
      .innerJoin(applicants, eq(applicants.id, dossiers.applicantId))
      .where(eq(dossiers.id, booked.dossierId));
    expect(row!.citizenId).toBe(citizenId);
    const list = (await call('account.dossiers', done.cookies.header())).data as {
      code: string | null;
      state: string;
    }[];
    expect(list).toEqual([expect.objectContaining({ code: null, state: 'pickup_requested' })]);
  });

  it('sends the person back with a clear reason when they cancel at the provider', async () => {
    const start = await server.app.request('/auth/eid/start', {
      headers: { 'x-forwarded-for': '10.77.0.1' },
    });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const cookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
    const res = await server.app.request(`/auth/eid/callback?error=access_denied&state=${state}`, {
      headers: { cookie, 'x-forwarded-for': '10.77.0.1' },
    });
    expect(res.headers.get('location')).toBe('/my?error=EID_CANCELLED');
  });
});
