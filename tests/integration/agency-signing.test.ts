import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossiers, memberships, procedures, users } from '../../server/src/db/schema';
import { recordEvent } from '../../server/src/dossiers/engine';
import { closeTokens, createSigner, type DevPki, setupDevPki, signPdf } from '../../server/src/signing';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

// The official's own key signs the result "in PostDesk": pdfsig names the official, not PostDesk's base key;
// a result the agency already signed is counter-signed, and both signatures stay valid.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let pki: DevPki;
let official: { username: string; fullName: string; agencyId: string };
let cookie: string;

const AGENCY_SEAL = {
  keyLabel: 'agency-seal',
  fullName: 'Công an thành phố Huế',
  office: 'Công an thành phố Huế',
};

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

const decide = (dossierId: string, bytes: Uint8Array, resultNumber: string) => {
  const form = new FormData();
  form.append('outcome', 'approved');
  form.append('resultNumber', resultNumber);
  form.append('signInPostDesk', 'true');
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'ket-qua.pdf');
  return server.app.request(`/agency-desk/dossiers/${dossierId}/decide`, {
    method: 'POST',
    body: form,
    headers: { cookie },
  });
};

const pdfsigOf = async (dossierId: string) => {
  const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, dossierId));
  const path = join(mkdtempSync(join(tmpdir(), 'pd-agsig-')), 'result.pdf');
  writeFileSync(path, await server.files.get(row!.resultFileSha256!));
  return execFileSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, path], { encoding: 'utf8' });
};

const setLabel = (username: string, label: string | null) =>
  database.db.update(users).set({ signingKeyLabel: label }).where(eq(users.username, username));

beforeAll(async () => {
  database = await createTestDatabase();
  // The agency of procedure 3.000333 and one of its officials, from the seed.
  const [agency] = await database.db
    .select({ username: users.username, fullName: users.fullName, agencyId: memberships.officeId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.role, 'agency_official'),
        eq(
          memberships.officeId,
          (
            await database.db
              .select({ agencyId: procedures.agencyId })
              .from(procedures)
              .where(eq(procedures.code, '3.000333'))
          )[0]!.agencyId,
        ),
      ),
    )
    .limit(1);
  official = agency!;
  pki = await setupDevPki({
    dir: mkdtempSync(join(tmpdir(), 'pd-agsig-pki-')),
    tokenLabel: `pd-agsig-${randomBytes(3).toString('hex')}`,
    clerks: [
      { keyLabel: official.username, fullName: official.fullName, office: AGENCY_SEAL.office },
      AGENCY_SEAL,
    ],
  });
  // No PKCS11_KEY_LABEL: PostDesk signs only with the key of the person who signs.
  const signer = createSigner({
    NODE_ENV: 'test',
    PKCS11_MODULE: pki.module,
    PKCS11_TOKEN_LABEL: pki.tokenLabel,
    PKCS11_PIN: pki.pin,
  });
  server = createTestServer(database.db, { signer });
  await setLabel(official.username, official.username);
  cookie = await login(official.username);
}, 90_000);
afterAll(async () => {
  closeTokens();
  await database.close();
});

describe('an agency result signed in PostDesk', () => {
  it('is signed with the official’s own key: pdfsig names the official', async () => {
    const dossierId = await inReview();
    const res = await decide(dossierId, await resultPdf('Phieu ly lich tu phap so 101/2026'), '101/2026');
    expect(res.status).toBe(201);
    const out = await pdfsigOf(dossierId);
    expect(out).toContain(`Signer Certificate Common Name: ${official.fullName}`);
    expect(out).toContain('Signature is Valid.');
    expect(out).not.toContain('Signature #2');
  }, 60_000);

  it('counter-signs a result the agency already signed: both signatures valid, both names shown', async () => {
    const dossierId = await inReview();
    const sealed = await signPdf(
      await resultPdf('Phieu ly lich tu phap so 102/2026'),
      server.signer.forKey(AGENCY_SEAL.keyLabel, {
        commonName: AGENCY_SEAL.fullName,
        organization: AGENCY_SEAL.office,
      }),
      { reason: 'Kết quả giải quyết', location: AGENCY_SEAL.office, name: AGENCY_SEAL.fullName },
    );
    const res = await decide(dossierId, sealed, '102/2026');
    expect(res.status).toBe(201);
    const out = await pdfsigOf(dossierId);
    const [first, second] = out.split('Signature #2');
    expect(first).toContain(`Signer Certificate Common Name: ${AGENCY_SEAL.fullName}`);
    expect(first).toContain('Signature is Valid.');
    expect(second).toContain(`Signer Certificate Common Name: ${official.fullName}`);
    expect(second).toContain('Signature is Valid.');
    expect(second).toContain('Total document signed');
    const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, dossierId));
    expect(row!.state).toBe('decided');
  }, 60_000);

  it('an official with no key of their own is told to ask the administrator, and nothing changes', async () => {
    const dossierId = await inReview();
    for (const label of ['khong.co.khoa', null]) {
      await setLabel(official.username, label);
      const res = await decide(dossierId, await resultPdf('Phieu ly lich tu phap so 103/2026'), '103/2026');
      expect(res.status).toBeGreaterThanOrEqual(400);
      const body = (await res.json()) as { code: string; details?: { reason?: string } };
      expect(body).toMatchObject({ code: 'TOKEN_NOT_FOUND', details: { reason: 'no_signing_key' } });
    }
    await setLabel(official.username, official.username);
    const [row] = await database.db.select().from(dossiers).where(eq(dossiers.id, dossierId));
    expect(row).toMatchObject({ state: 'in_review', resultFileSha256: null });
  }, 60_000);
});
