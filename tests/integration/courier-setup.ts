// Shared set-up of the courier tests: dossiers whose result waits for home delivery, couriers, uploads.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { createSession, loadUser } from '../../server/src/auth/sessions';
import type { StaffCtx } from '../../server/src/courier/context';
import type { Db } from '../../server/src/db/client';
import { memberships, offices, outbox, users } from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import type { createTestServer } from '../helpers/app';
import { intakeFor } from '../helpers/intake';
import { textedCode } from '../helpers/texted-code';

type Server = ReturnType<typeof createTestServer>;

export const HUE_OFFICE = 'H57.90.01';

export const officeId = async (db: Db, code = HUE_OFFICE) => {
  const [o] = await db.select({ id: offices.id }).from(offices).where(eq(offices.code, code));
  return o!.id;
};

export const userId = async (db: Db, username: string) => {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return u!.id;
};

/** A second courier at the Huế post office (the seed has one per office). */
export const addCourier = async (db: Db, username: string, office: string) => {
  const id = await userId(db, username);
  await db
    .insert(memberships)
    .values({ userId: id, officeId: office, role: 'courier' })
    .onConflictDoNothing();
  return id;
};

/** A unique citizen id with a valid structure (Huế 046, male born 1988). */
export const newCitizenId = () => `0460880${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;

/** A dossier received at the Huế desk for home delivery, pushed to `result_ready` as the agency would. */
export const resultReadyDossier = async (
  server: Server,
  db: Db,
  opts: {
    citizenId?: string;
    phone?: string;
    lat?: number;
    lng?: number;
    window?: 'morning' | 'afternoon' | 'any';
  } = {},
) => {
  const clerk = await server.callerAs('gdv.hang');
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const citizenId = opts.citizenId ?? newCitizenId();
  const input = intakeFor(procedure, commune, {
    returnMethod: 'post',
    delivery: {
      address: { line: '45 Hùng Vương', communeCode: commune },
      lat: opts.lat ?? 16.4637,
      lng: opts.lng ?? 107.5909,
      window: opts.window ?? 'any',
    },
  });
  input.applicant.citizenId = citizenId;
  input.applicant.phone = opts.phone ?? `0905${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const received = await clerk.intake.submit(input);
  const clerkActor = { kind: 'clerk' as const, role: 'clerk' as const };
  const official = { kind: 'agency_official' as const, role: 'agency_official' as const };
  for (const [event, actor] of [
    ['complete_digitization', clerkActor],
    ['forward', clerkActor],
    ['accept', official],
    ['decide', official],
    ['release_result', official],
  ] as const) {
    await recordEvent(db, { dossierId: received.dossierId, event, actor });
  }
  return { dossierId: received.dossierId, code: received.code!, citizenId, phone: input.applicant.phone };
};

/** The code texted to the recipient when the delivery was dispatched (the SMS is in the outbox). */
export const lastHandoverCode = (db: Db, dossierId: string) =>
  textedCode(
    db,
    sql`${outbox.dossierId} = ${dossierId} and ${outbox.payload}->>'body' like '%Ma xac nhan khi nhan:%'`,
    /Ma xac nhan khi nhan: (\d{6})/,
  );

/** A session cookie for plain HTTP routes. */
export const cookieFor = async (db: Db, username: string) => {
  const { token } = await createSession(db, { userId: await userId(db, username), ttlHours: 1 });
  return `pd_session=${token}`;
};

/** Uploads a small JPEG (distinct per `seed`) as `username`; returns its sha256. */
export const uploadPhoto = async (server: Server, cookie: string, seed = Math.random()) => {
  const bytes = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: Math.floor(seed * 255), g: 120, b: 40 } },
  })
    .jpeg()
    .toBuffer();
  const res = await server.app.request('/field/uploads', {
    method: 'POST',
    body: bytes,
    headers: { cookie, 'content-type': 'image/jpeg' },
  });
  if (res.status !== 201) throw new Error(`upload failed ${res.status} ${await res.text()}`);
  return ((await res.json()) as { sha256: string }).sha256;
};

/** A supervisor's or courier's context as the procedures receive it (for calls that need `now`). */
export const staffCtx = async (
  server: Server,
  db: Db,
  username: string,
  office: string,
  role: 'supervisor' | 'courier',
) => {
  const user = await loadUser(db, await userId(db, username));
  const membership = user!.memberships.find((m) => m.officeId === office && m.role === role)!;
  return { ...server.context(user), user: user!, membership } as StaffCtx;
};

export const actionId = () => randomUUID();
