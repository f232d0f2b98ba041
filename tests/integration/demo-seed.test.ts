import { and, count, eq, gt, notInArray } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyTrustRoots } from '../../server/src/agency/actions';
import type { Db } from '../../server/src/db/client';
import { documents, dossierEvents, dossiers, feedback, payments } from '../../server/src/db/schema';
import { verifyChain } from '../../server/src/dossiers/engine';
import { seedDemoDossiers } from '../../server/src/seed/demo-dossiers';
import { verifyPdf } from '../../server/src/signing/verify';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { inspectPdf } from '../helpers/pdf';

/**
 * The demo's dossiers in flight (npm start): seeded on a fresh copy of the template (which holds the demo
 * offices and users but, by choice, no demo dossiers), through the real domain functions.
 */
describe('demo dossiers', () => {
  let db: Db;
  let close: () => Promise<void>;
  let server: ReturnType<typeof createTestServer>;
  let counts: Record<string, number>;

  beforeAll(async () => {
    const t = await createTestDatabase();
    db = t.db;
    close = t.close;
    server = createTestServer(db);
    counts = await seedDemoDossiers(db, {
      scans: { files: server.files, jobs: server.jobs, signer: server.signer },
    });
  }, 120_000);
  afterAll(() => close?.());

  it('gives every digitized dossier signed copies of its components, as the desk would have made them', async () => {
    const forwarded = await db.select().from(dossiers).where(eq(dossiers.state, 'forwarded'));
    expect(forwarded.length).toBeGreaterThan(0);
    const trustRoots = await agencyTrustRoots({ signer: server.signer });
    for (const d of forwarded) {
      const docs = await db.select().from(documents).where(eq(documents.dossierId, d.id));
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(doc.signedFileSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(doc.digitizedCode).toBeTruthy();
      }
      const pdf = new Uint8Array(await server.files.get(docs[0]!.signedFileSha256!));
      const [signature] = (await verifyPdf(pdf, { trustRoots })).signatures;
      expect(signature).toMatchObject({ signatureValid: true, chain: { trusted: true } });
      // A scanned image (no text layer): the dossier's code is in the metadata, as the desk writes it.
      expect(inspectPdf(pdf).qpdfOk).toBe(true);
      expect((await PDFDocument.load(pdf, { updateMetadata: false })).getKeywords()).toContain(d.code!);
    }
  });

  it('sends out approvals whose result PDF the official signed, not refusal letters', async () => {
    const out = await db.select().from(dossiers).where(eq(dossiers.state, 'out_for_delivery'));
    expect(out).toHaveLength(5);
    const trustRoots = await agencyTrustRoots({ signer: server.signer });
    for (const d of out) {
      expect(d.decision).toMatchObject({ outcome: 'approved' });
      const pdf = new Uint8Array(await server.files.get(d.resultFileSha256!));
      const [signature] = (await verifyPdf(pdf, { trustRoots })).signatures;
      expect(signature).toMatchObject({
        signer: { commonName: 'Tôn Thất Bảo' },
        signatureValid: true,
        chain: { trusted: true },
      });
      const text = inspectPdf(pdf);
      expect(text.qpdfOk).toBe(true);
      expect(text.flat).toContain('TRÍCH LỤC KHAI TỬ');
      expect(text.flat).toContain(d.code!);
    }
  });

  it('puts dossiers in every stage a demo walks through', async () => {
    expect(counts.out_for_delivery).toBe(5);
    const byState = Object.fromEntries(
      (await db.select({ state: dossiers.state, n: count() }).from(dossiers).groupBy(dossiers.state)).map(
        (r) => [r.state, Number(r.n)],
      ),
    );
    expect(byState).toMatchObject({
      received: 3,
      digitized: 2,
      forwarded: 4,
      in_review: 6,
      agency_supplement_requested: 2,
      awaiting_payment: 1,
      decided: 2,
      out_for_delivery: 5,
      result_ready: 1,
      pickup_assigned: 2,
      pickup_requested: 1,
    });
    // The four finished here plus the demo citizen's earlier dossier.
    expect(byState.returned).toBe(5);
    const total = Object.values(byState).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(25);
    expect(total).toBeLessThanOrEqual(40);
    const [bill] = await db.select().from(payments).where(eq(payments.kind, 'financial_obligation'));
    expect(bill?.amount).toBe(250_000);
    const kinds = await db.select({ kind: feedback.kind }).from(feedback);
    expect(kinds.filter((k) => k.kind === 'rating')).toHaveLength(3);
    expect(kinds.filter((k) => k.kind === 'complaint')).toHaveLength(1);
  });

  it("verifies every dossier's hash chain", async () => {
    const all = await db.select({ id: dossiers.id }).from(dossiers);
    for (const d of all) expect(await verifyChain(db, d.id)).toMatchObject({ ok: true });
  });

  it('gives buuta.hung a round today, ubnd.phuxuan an inbox and giamsat.nguyet an overdue dossier', async () => {
    const courier = await server.callerAs('buuta.hung');
    const today = await courier.courier.today({});
    expect(JSON.stringify(today)).toContain('delivery');
    const official = await server.callerAs('ubnd.phuxuan');
    const inbox = await official.agency.inbox({});
    expect(JSON.stringify(inbox).length).toBeGreaterThan(100);
    const supervisor = await server.callerAs('giamsat.nguyet');
    const board = await supervisor.board.deadlines();
    expect(board.counts.overdue).toBeGreaterThan(0);
  });
});

describe('demo dossiers at any hour', () => {
  // npm start may run at night, on a Sunday or just after midnight: every step still lies in the past and
  // every chain verifies.
  const last = (weekday: number, hhmm: string) => {
    const d = new Date(Date.now() - 7 * 86_400_000);
    while (new Date(d.getTime() + 7 * 3_600_000).getUTCDay() !== weekday) d.setTime(d.getTime() + 86_400_000);
    return new Date(`${new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)}T${hhmm}:00+07:00`);
  };
  for (const [label, weekday, hhmm] of [
    ['Monday 00:20', 1, '00:20'],
    ['Sunday 10:00', 0, '10:00'],
    ['Wednesday 07:40', 3, '07:40'],
  ] as const) {
    it(`seeds on ${label}`, async () => {
      const t = await createTestDatabase();
      try {
        const now = last(weekday, hhmm);
        const counts = await seedDemoDossiers(t.db, { now });
        expect(counts.out_for_delivery).toBe(5);
        const all = await t.db.select({ id: dossiers.id }).from(dossiers);
        expect(all.length).toBeGreaterThanOrEqual(25);
        for (const d of all) expect(await verifyChain(t.db, d.id)).toMatchObject({ ok: true });
        const late = await t.db
          .select({ n: count() })
          .from(dossierEvents)
          .where(
            and(
              gt(dossierEvents.at, now),
              // Dispatching to the courier happens at the real clock (assignTask has no `now`).
              notInArray(dossierEvents.event, ['assign_pickup', 'dispatch']),
            ),
          );
        expect(Number(late[0]!.n)).toBe(0);
      } finally {
        await t.close();
      }
    }, 120_000);
  }
});
