import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossiers, memberships, procedures, users } from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import { closeTokens, createSigner, type DevPki, setupDevPki } from '../../server/src/signing';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

// The token's PIN is not in the configuration: the official types it, as the desk's clerks do. Before, the
// agency desk's decide/release passed neither the PIN nor the session, so signing a result in PostDesk always
// answered "PIN required" and no official could ever sign.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let pki: DevPki;
let official: { username: string; fullName: string };

const resultPdf = async (text: string) => {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(text, { x: 60, y: 760, size: 14, font });
  return new Uint8Array(await doc.save({ useObjectStreams: false }));
};

const login = async (username: string) => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

/** A dossier received at the Huế desk, forwarded and accepted: in review at the official's agency. */
const inReview = async () => {
  const clerk = await server.callerAs('gdv.hang');
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const input = intakeFor(procedure, commune);
  input.applicant.citizenId = `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const received = await clerk.intake.submit(input);
  const clerkActor = { kind: 'clerk' as const, role: 'clerk' as const };
  const officialActor = { kind: 'agency_official' as const, role: 'agency_official' as const };
  for (const [event, actor] of [
    ['complete_digitization', clerkActor],
    ['forward', clerkActor],
    ['accept', officialActor],
  ] as const) {
    await recordEvent(database.db, { dossierId: received.dossierId, event, actor });
  }
  return received.dossierId;
};

const decide = async (cookie: string, dossierId: string, pin?: string) => {
  const form = new FormData();
  form.append('outcome', 'approved');
  form.append('resultNumber', `KQ-${randomBytes(2).toString('hex')}`);
  form.append('signInPostDesk', 'true');
  if (pin !== undefined) form.append('pin', pin);
  form.append(
    'file',
    new Blob([await resultPdf('Phieu ly lich tu phap')], { type: 'application/pdf' }),
    'ket-qua.pdf',
  );
  const res = await server.app.request(`/agency-desk/dossiers/${dossierId}/decide`, {
    method: 'POST',
    body: form,
    headers: { cookie },
  });
  const body = (await res.json()) as { code?: string; state?: string; details?: Record<string, unknown> };
  return { status: res.status, ...body };
};

const stateOf = async (dossierId: string) => {
  const [row] = await database.db
    .select({ state: dossiers.state, result: dossiers.resultFileSha256 })
    .from(dossiers)
    .where(eq(dossiers.id, dossierId));
  return row!;
};

beforeAll(async () => {
  database = await createTestDatabase();
  const [agency] = await database.db
    .select({ agencyId: procedures.agencyId })
    .from(procedures)
    .where(eq(procedures.code, '3.000333'));
  const [row] = await database.db
    .select({ username: users.username, fullName: users.fullName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.role, 'agency_official'), eq(memberships.officeId, agency!.agencyId)))
    .limit(1);
  official = row!;
  pki = await setupDevPki({
    dir: mkdtempSync(join(tmpdir(), 'pd-agpin-pki-')),
    tokenLabel: `pd-agpin-${randomBytes(3).toString('hex')}`,
    clerks: [{ keyLabel: official.username, fullName: official.fullName, office: 'Công an thành phố Huế' }],
  });
  // No PKCS11_PIN: whoever signs types it.
  const signer = createSigner({
    NODE_ENV: 'test',
    PKCS11_MODULE: pki.module,
    PKCS11_TOKEN_LABEL: pki.tokenLabel,
    SIGNING_PIN_ATTEMPTS: '3',
  } as never);
  server = createTestServer(database.db, { signer });
  await database.db
    .update(users)
    .set({ signingKeyLabel: official.username })
    .where(eq(users.username, official.username));
}, 90_000);
afterAll(async () => {
  closeTokens();
  await database.close();
});

describe('an agency official signing a result with the token PIN', () => {
  it('asks for the PIN, refuses a wrong one, signs with the right one, and the unlock is this session’s only', async () => {
    const desk = await login(official.username);
    const first = await inReview();

    const none = await decide(desk, first);
    expect(none.status).toBe(401);
    expect(none.code).toBe('TOKEN_PIN_INVALID');
    expect(await stateOf(first)).toEqual({ state: 'in_review', result: null });

    const wrong = await decide(desk, first, `${pki.pin}9`);
    expect(wrong.code).toBe('TOKEN_PIN_INVALID');
    expect(wrong.details?.attemptsLeft).toBe(2);
    expect(await stateOf(first)).toEqual({ state: 'in_review', result: null });

    const signed = await decide(desk, first, pki.pin);
    expect(signed.status).toBe(201);
    const after = await stateOf(first);
    expect(after.state).toBe('decided');
    expect(after.result).toMatch(/^[0-9a-f]{64}$/);

    // Within the unlock window the same session signs the next result without typing the PIN again…
    const second = await inReview();
    expect((await decide(desk, second)).status).toBe(201);
    expect((await stateOf(second)).state).toBe('decided');

    // …but the same official's other session (another computer) must type it.
    const elsewhere = await login(official.username);
    const third = await inReview();
    const other = await decide(elsewhere, third);
    expect(other.code).toBe('TOKEN_PIN_INVALID');
    expect(await stateOf(third)).toEqual({ state: 'in_review', result: null });
    expect((await decide(elsewhere, third, pki.pin)).status).toBe(201);
  });

  it('refuses a PIN that is not 4 to 32 characters with a validation error and changes nothing', async () => {
    const desk = await login(official.username);
    const dossierId = await inReview();
    const res = await decide(desk, dossierId, 'x'.repeat(40));
    expect(res.status).toBe(400);
    expect(res.code).toBe('VALIDATION_FAILED');
    expect(await stateOf(dossierId)).toEqual({ state: 'in_review', result: null });
  });
});
