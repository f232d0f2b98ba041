import { randomUUID } from 'node:crypto';
import type { Role } from '@postdesk/shared';
import { and, eq, ne } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/src/agency-api/keys';
import { createSession } from '../../server/src/auth/sessions';
import {
  courierProofs,
  courierTasks,
  documents,
  dossiers,
  memberships,
  offices,
  users,
} from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';
import { type GateRule, isGate, ROUTE_ACCESS, type RouteFixture, type RouteRequest } from './access/routes';

// Every plain HTTP route of the Hono app × every role, at the dossier's own office and at another one, plus
// the agency API's keys and no credentials at all. The route list comes from the app itself (`app.routes`),
// so a new route fails here until its access is declared in access/routes.ts. The tRPC procedures have their
// own matrix (authorization.test.ts).

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let fixture: RouteFixture;

type Caller = {
  label: string;
  kind: 'anonymous' | 'staff' | 'agency-key';
  role?: Role;
  /** Holds the role at the dossier's receiving office (or its deciding agency for officials). */
  own: boolean;
  headers: Record<string, string>;
};
const callers: Caller[] = [];

const userId = async (username: string) => {
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return row!.id;
};

/** A user of its own for this test, holding one role at one office. */
const member = async (role: Role, officeId: string) => {
  const [user] = await database.db
    .insert(users)
    .values({
      username: `route.${role}.${randomUUID().slice(0, 8)}`,
      fullName: 'Người Thử Quyền',
      passwordHash: 'x',
    })
    .returning({ id: users.id });
  await database.db.insert(memberships).values({ userId: user!.id, officeId, role });
  return user!.id;
};

const cookieOf = async (id: string) => {
  const { token } = await createSession(database.db, { userId: id, ttlHours: 1 });
  return { cookie: `pd_session=${token}` };
};

beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
  const db = database.db;
  const clerk = await server.callerAs('gdv.hang');
  const hangCookie = (await cookieOf(await userId('gdv.hang'))).cookie;

  // A dossier received at the Huế post office, one component scanned and signed, a paid bill, a courier's proof.
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const input = intakeFor(procedure, (await clerk.catalog.communes())[0]!.code);
  input.applicant.citizenId = `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const received = await clerk.intake.submit(input);
  const [dossier] = await db.select().from(dossiers).where(eq(dossiers.id, received.dossierId));
  const componentCode = procedure.components.find((c) => c.required)!.code;
  const jpeg = new Uint8Array(
    await sharp({ create: { width: 400, height: 566, channels: 3, background: '#f4f1ea' } })
      .jpeg()
      .toBuffer(),
  );
  const data = new FormData();
  data.append('file', new Blob([jpeg]), 'trang.jpg');
  const uploaded = await server.app.request(
    `/desk/dossiers/${dossier!.id}/components/${componentCode}/pages`,
    { method: 'POST', body: data, headers: { cookie: hangCookie } },
  );
  expect(uploaded.status).toBe(201);
  await server.jobs.idle();
  const view = await clerk.digitize.dossier({ dossierId: dossier!.id });
  const documentId = view.components.find((c) => c.code === componentCode)!.documentId!;
  await clerk.digitize.finishComponent({ documentId });
  const [doc] = await db.select().from(documents).where(eq(documents.id, documentId));
  const { billCode } = await clerk.payments.createBill({
    dossierId: dossier!.id,
    kind: 'postal_tariff',
    amount: 26_000,
  });
  await clerk.payments.recordCash({ billCode: billCode! });
  const hung = await userId('buuta.hung');
  const [task] = await db
    .insert(courierTasks)
    .values({
      dossierId: dossier!.id,
      officeId: dossier!.receivingOfficeId,
      kind: 'delivery',
      address: '12 Lê Lợi',
      courierId: hung,
      state: 'assigned',
    })
    .returning({ id: courierTasks.id });
  const [proof] = await db
    .insert(courierProofs)
    .values({
      clientActionId: randomUUID(),
      taskId: task!.id,
      dossierId: dossier!.id,
      courierId: hung,
      kind: 'delivery',
    })
    .returning({ id: courierProofs.id });
  const clerkActor = { kind: 'clerk' as const, role: 'clerk' as const };
  for (const event of ['complete_digitization', 'forward'] as const) {
    await recordEvent(db, { dossierId: dossier!.id, event, actor: clerkActor });
  }
  // What the forwarding function stamps (the agency API shows forwarded dossiers only).
  await db.update(dossiers).set({ forwardedAt: new Date() }).where(eq(dossiers.id, dossier!.id));
  fixture = {
    dossierId: dossier!.id,
    dossierCode: dossier!.code!,
    componentCode,
    officeId: dossier!.receivingOfficeId,
    signedSha256: doc!.signedFileSha256!,
    billCode: billCode!,
    proofId: proof!.id,
    jpeg,
    signedPdf: new Uint8Array(await server.files.get(doc!.signedFileSha256!)),
  };

  // Own and other office (or agency) for every role.
  const [otherPost] = await db
    .select({ id: offices.id })
    .from(offices)
    .where(and(eq(offices.kind, 'post_office'), ne(offices.id, fixture.officeId)))
    .limit(1);
  const [otherAgency] = await db
    .select({ id: offices.id })
    .from(offices)
    .where(and(eq(offices.kind, 'agency'), ne(offices.id, dossier!.agencyId)))
    .limit(1);
  const place = (role: Role, own: boolean) =>
    role === 'agency_official'
      ? own
        ? dossier!.agencyId
        : otherAgency!.id
      : own
        ? fixture.officeId
        : otherPost!.id;
  callers.push({ label: 'anonymous', kind: 'anonymous', own: false, headers: {} });
  for (const role of ['clerk', 'courier', 'supervisor', 'agency_official'] as const) {
    for (const own of [true, false]) {
      callers.push({
        label: `${role} of ${own ? 'the dossier’s' : 'another'} ${role === 'agency_official' ? 'agency' : 'office'}`,
        kind: 'staff',
        role,
        own,
        headers: await cookieOf(await member(role, place(role, own))),
      });
    }
  }
  // The courier who made the proof is the one whose own proof it is.
  callers.find((c) => c.role === 'courier' && c.own)!.headers = await cookieOf(hung);
  callers.push({
    label: 'admin',
    kind: 'staff',
    role: 'admin',
    own: true,
    headers: await cookieOf(await userId('admin')),
  });
  for (const own of [true, false]) {
    const { key } = await createApiKey(db, {
      agencyId: own ? dossier!.agencyId : otherAgency!.id,
      label: 'route matrix',
    });
    callers.push({
      label: `agency API key of ${own ? 'the dossier’s' : 'another'} agency`,
      kind: 'agency-key',
      own,
      headers: { authorization: `Bearer ${key}` },
    });
  }
}, 180_000);

afterAll(() => database.close());

const send = async (request: RouteRequest, caller: Caller) => {
  // Each request from its own address: the agency API slows down an address that sends wrong keys.
  const headers: Record<string, string> = {
    ...caller.headers,
    ...request.headers,
    'x-forwarded-for': `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`,
  };
  let body: BodyInit | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.body) {
    body = request.body();
  }
  const res = await server.app.request(request.path, {
    method: request.method ?? 'GET',
    headers,
    ...(body ? { body } : {}),
  });
  return { status: res.status, text: await res.text() };
};

/** What the rule says this caller must get: let through, or refused (with 401 when no session counts). */
const verdict = (
  rule: GateRule,
  caller: Caller,
): 'passes' | 'unauthenticated' | 'refused' | 'refused-or-invalid' => {
  if (rule.allow === 'anyone') return 'passes';
  if (rule.allow === 'agency-key') {
    if (caller.kind !== 'agency-key') return 'unauthenticated';
    if (caller.own || rule.everyAgency) return 'passes';
    return rule.validatesFirst ? 'refused-or-invalid' : 'refused';
  }
  if (caller.kind !== 'staff') return 'unauthenticated';
  if (!rule.allow.includes(caller.role!)) return 'refused';
  return rule.scoped && !caller.own ? 'refused' : 'passes';
};

const routesOfApp = () => [...new Set(server.app.routes.map((r) => `${r.method} ${r.path}`))].sort();

describe('the authorization matrix of the HTTP routes', () => {
  it('declares every route of the app, and nothing that is not there', () => {
    expect(routesOfApp()).toEqual(Object.keys(ROUTE_ACCESS).sort());
  });

  for (const [route, rule] of Object.entries(ROUTE_ACCESS)) {
    if (!isGate(rule)) {
      if (!('request' in rule)) continue;
      it(`${route}: a session or an agency key gets no more than no credentials at all`, async () => {
        const anonymous = await send(rule.request(fixture), callers[0]!);
        expect(anonymous.status).toBeGreaterThanOrEqual(400);
        if (rule.allow === 'not-found') expect(anonymous.status).toBe(404);
        for (const caller of callers.slice(1)) {
          expect({
            caller: caller.label,
            status: (await send(rule.request(fixture), caller)).status,
          }).toEqual({
            caller: caller.label,
            status: anonymous.status,
          });
        }
      });
      continue;
    }

    it(`${route}: every caller gets what the rule says`, async () => {
      const outcomes = [];
      for (const caller of callers) {
        const { status, text } = await send(rule.request(fixture), caller);
        const expected = verdict(rule, caller);
        const ok =
          expected === 'passes'
            ? (rule.passes ?? [200]).includes(status)
            : expected === 'unauthenticated'
              ? status === 401
              : expected === 'refused-or-invalid'
                ? status === 400 || status === 404
                : status === 403 || status === 404;
        // The agency API's list answers every agency, but never with another agency's dossier.
        const leaked = caller.kind === 'agency-key' && !caller.own && text.includes(fixture.dossierCode);
        outcomes.push({ caller: caller.label, expected, status, ok: ok && !leaked });
      }
      expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    }, 120_000);
  }
});
