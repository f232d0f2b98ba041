import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents, memberships, users } from '../../server/src/db/schema';
import { closeTokens, createSigner, type DevPki, setupDevPki } from '../../server/src/signing';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { intakeFor } from '../helpers/intake';

// One token at the desk, one key per clerk, no PIN in the configuration: each clerk types it. Before, once
// anyone had typed it the token stayed logged in and every other clerk signed with no PIN at all.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
let pki: DevPki;
let officeId: string;
let hang: string;
let linh: string;
let clock = Date.parse('2026-12-07T08:00:00Z');

const UNLOCK_MINUTES = 10;

const login = async (username: string) => {
  const res = await server.app.request('/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'postdesk-demo' } }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
};

const trpc = async (cookie: string, path: string, input: unknown) => {
  const res = await server.app.request(`/trpc/${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-office-id': officeId },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as {
    result?: { data: { json: unknown } };
    error?: { json: { data: { appCode: string; details: Record<string, unknown> | null } } };
  };
  return { status: res.status, code: body.error?.json.data.appCode, details: body.error?.json.data.details };
};

const finish = (cookie: string, documentId: string, pin?: string) =>
  trpc(cookie, 'digitize.finishComponent', { documentId, ...(pin === undefined ? {} : { pin }) });

const isSigned = async (documentId: string) => {
  const [doc] = await database.db.select().from(documents).where(eq(documents.id, documentId));
  return doc!.signedFileSha256 !== null;
};

const page = async () =>
  new Uint8Array(
    await sharp({ create: { width: 620, height: 877, channels: 3, background: '#f4f1ea' } })
      .jpeg()
      .toBuffer(),
  );

/** A received dossier with one processed page in each required component: the documents to sign. */
const documentsToSign = async () => {
  const clerk = await server.callerAs('gdv.hang');
  const procedure = await clerk.catalog.procedure({ code: '3.000333' });
  const commune = (await clerk.catalog.communes())[0]!.code;
  const input = intakeFor(procedure, commune, {
    absent: procedure.components.filter((c) => !c.required).map((c) => c.code),
  });
  input.applicant.citizenId = `0461950${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  const { dossierId } = await clerk.intake.submit(input);
  for (const component of procedure.components.filter((c) => c.required)) {
    const form = new FormData();
    form.append('file', new Blob([await page()]), 'scan.jpg');
    const res = await server.app.request(`/desk/dossiers/${dossierId}/components/${component.code}/pages`, {
      method: 'POST',
      body: form,
      headers: { cookie: hang },
    });
    expect(res.status).toBe(201);
  }
  await server.jobs.idle();
  const view = await clerk.digitize.dossier({ dossierId });
  return view.components.filter((c) => c.documentId).map((c) => c.documentId!);
};

beforeAll(async () => {
  database = await createTestDatabase();
  pki = await setupDevPki({
    dir: mkdtempSync(join(tmpdir(), 'pd-pin-pki-')),
    tokenLabel: `pd-pin-${randomBytes(3).toString('hex')}`,
    clerks: [
      { keyLabel: 'gdv.hang', fullName: 'Nguyễn Thị Thu Hằng', office: 'Bưu điện thành phố Huế' },
      { keyLabel: 'gdv.linh', fullName: 'Tôn Nữ Khánh Linh', office: 'Bưu điện thành phố Huế' },
    ],
  });
  const signer = createSigner(
    {
      NODE_ENV: 'test',
      PKCS11_MODULE: pki.module,
      PKCS11_TOKEN_LABEL: pki.tokenLabel,
      SIGNING_PIN_UNLOCK_MINUTES: String(UNLOCK_MINUTES),
      SIGNING_PIN_ATTEMPTS: '3',
    } as never,
    { now: () => clock },
  );
  server = createTestServer(database.db, { signer });
  const [row] = await database.db
    .select({ officeId: memberships.officeId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(users.username, 'gdv.hang'));
  officeId = row!.officeId;
  hang = await login('gdv.hang');
  linh = await login('gdv.linh');
});

afterAll(async () => {
  closeTokens();
  await database.close();
});

describe('the PIN a clerk types at the desk', () => {
  it('unlocks signing for that clerk’s session only, and only for a while', async () => {
    const [first, second, third] = [...(await documentsToSign()), ...(await documentsToSign())];
    expect(await finish(hang, first!, pki.pin)).toMatchObject({ status: 200 });

    // Linh, right after, sends no PIN: the token is logged in, but not for her.
    expect(await finish(linh, second!)).toMatchObject({
      status: 401,
      code: 'TOKEN_PIN_INVALID',
      details: { reason: 'PIN required' },
    });
    expect(await isSigned(second!)).toBe(false);

    // Hằng herself signs the next one without typing it again (no extra step within the window).
    clock += (UNLOCK_MINUTES - 1) * 60_000;
    expect(await finish(hang, second!)).toMatchObject({ status: 200 });

    // Another session of the same clerk (another browser) is not unlocked either.
    const hangElsewhere = await login('gdv.hang');
    expect(await finish(hangElsewhere, third!)).toMatchObject({ code: 'TOKEN_PIN_INVALID' });

    // After the window, Hằng must type it again.
    clock += 2 * 60_000;
    expect(await finish(hang, third!)).toMatchObject({ status: 401, code: 'TOKEN_PIN_INVALID' });
    expect(await isSigned(third!)).toBe(false);
    expect(await finish(hang, third!, pki.pin)).toMatchObject({ status: 200 });
    expect(await isSigned(third!)).toBe(true);
  }, 120_000);

  it('wrong PINs: three per clerk, then refused without asking the token; others are not locked out', async () => {
    const [mine, hers] = await documentsToSign();
    clock += 60 * 60_000;
    expect(await finish(hang, mine!, pki.pin)).toMatchObject({ status: 200 });

    const wrong = [];
    for (const pin of ['0000', '1111', '2222']) wrong.push(await finish(linh, hers!, pin));
    expect(wrong.map((r) => r.code)).toEqual(['TOKEN_PIN_INVALID', 'TOKEN_PIN_INVALID', 'TOKEN_PIN_INVALID']);
    expect(wrong.map((r) => r.details?.attemptsLeft)).toEqual([2, 1, 0]);
    // The fourth try is refused even with the right PIN: it never reaches the token, which stays usable.
    expect(await finish(linh, hers!, pki.pin)).toMatchObject({
      status: 429,
      code: 'TOKEN_PIN_ATTEMPTS_EXCEEDED',
    });
    // A new login does not buy a new budget: it belongs to the user.
    const linhAgain = await login('gdv.linh');
    expect(await finish(linhAgain, hers!, pki.pin)).toMatchObject({ code: 'TOKEN_PIN_ATTEMPTS_EXCEEDED' });
    expect(await isSigned(hers!)).toBe(false);

    // Linh's wrong PINs did not log the token out under Hằng, who is still within her window.
    const [next] = await documentsToSign();
    expect(await finish(hang, next!)).toMatchObject({ status: 200 });

    // Once the attempt window has passed, Linh may try again, and the right PIN signs.
    clock += 16 * 60_000;
    expect(await finish(linh, hers!, pki.pin)).toMatchObject({ status: 200 });
    expect(await isSigned(hers!)).toBe(true);
  }, 120_000);
});
