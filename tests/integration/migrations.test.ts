import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { MIGRATIONS_DIR, migrateWithLock, openDatabase, rows, sqlState } from '../../server/src/db/client';
import { createDossier } from '../../server/src/dossiers/engine';
import { offices, procedures, procedureVersions } from '../../server/src/db/schema';
import { seedDemo, seedHolidays } from '../../server/src/seed/seed';
import { createTestDatabase } from '../helpers/db';

const TABLES = [
  'provinces',
  'communes',
  'offices',
  'desks',
  'users',
  'memberships',
  'sessions',
  'procedures',
  'procedure_versions',
  'applicants',
  'dossiers',
  'dossier_events',
  'dossier_counters',
  'documents',
  'files',
  'courier_tasks',
  'routes',
  'payments',
  'outbox',
  'feedback',
  'holidays',
  'audit_log',
];

const tablesOf = async (db: Parameters<typeof rows>[0]) =>
  (
    await rows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
    )
  )
    .map((r) => r.table_name)
    .sort();

/** A dossier with one event, to try to rewrite history on. */
const dossierWithEvent = async (db: Parameters<typeof rows>[0]) => {
  const [procedure] = await db
    .select({ id: procedures.id, agencyId: procedures.agencyId })
    .from(procedures)
    .limit(1);
  const [version] = await db.select({ id: procedureVersions.id }).from(procedureVersions).limit(1);
  const [office] = await db.select({ id: offices.id }).from(offices).limit(1);
  return createDossier(db, {
    event: 'start_intake',
    actor: { kind: 'clerk' },
    values: {
      procedureId: procedure!.id,
      procedureVersionId: version!.id,
      receivingOfficeId: office!.id,
      agencyId: procedure!.agencyId,
      channel: 1,
    },
  });
};

const expectRefused = async (attempt: () => Promise<unknown>) => {
  const err = await attempt().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the database must refuse this').not.toBeNull();
  expect(sqlState(err)).toBe('P0001');
  expect(String((err as { cause?: Error }).cause?.message ?? err)).toMatch(/append-only/);
};

describe('on PostgreSQL 15', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('has every table of the design', async () => {
    expect(await tablesOf(database.db)).toEqual(expect.arrayContaining(TABLES));
  });

  it('is PostgreSQL 15, the production version', async () => {
    const [v] = await rows<{ server_version: string }>(database.db, sql`show server_version`);
    expect(v!.server_version).toMatch(/^15\./);
  });

  it('re-running the migrations changes nothing', async () => {
    await database.migrate();
    expect(await tablesOf(database.db)).toEqual(expect.arrayContaining(TABLES));
  });

  it('refuses UPDATE and DELETE on dossier_events', async () => {
    const dossier = await dossierWithEvent(database.db);
    await expectRefused(() =>
      database.db.execute(sql`update dossier_events set event = 'forged' where dossier_id = ${dossier.id}`),
    );
    await expectRefused(() =>
      database.db.execute(sql`delete from dossier_events where dossier_id = ${dossier.id}`),
    );
    const [still] = await rows<{ event: string }>(
      database.db,
      sql`select event from dossier_events where dossier_id = ${dossier.id}`,
    );
    expect(still!.event).toBe('start_intake');
  });
});

describe('on PGlite (the embedded default)', () => {
  let database: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    database = await openDatabase({});
    await database.migrate();
    await seedHolidays(database.db);
    await seedDemo(database.db);
  }, 120_000);
  afterAll(() => database.close());

  it('applies the same migrations unchanged and takes the demo seed', async () => {
    expect(await tablesOf(database.db)).toEqual(expect.arrayContaining(TABLES));
    const [n] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from procedures`);
    expect(Number(n!.n)).toBeGreaterThanOrEqual(15);
  });

  it('refuses UPDATE and DELETE on dossier_events there too', async () => {
    const dossier = await dossierWithEvent(database.db);
    await expectRefused(() =>
      database.db.execute(sql`update dossier_events set payload = '{}' where dossier_id = ${dossier.id}`),
    );
    await expectRefused(() =>
      database.db.execute(sql`delete from dossier_events where dossier_id = ${dossier.id}`),
    );
  });
});

describe('two processes starting a new release at once', () => {
  it('one applies the migrations, the other waits for it and finds nothing to do', async () => {
    const admin = postgres(inject('pgAdminUrl'), { max: 1, onnotice: () => {} });
    const name = `${inject('runId')}_fresh_${randomBytes(3).toString('hex')}`;
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(inject('pgAdminUrl'));
    url.pathname = `/${name}`;
    try {
      const total = (
        JSON.parse(readFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }
      ).entries.length;
      // Each run has its own connection, as two processes would; without the lock both create the same tables.
      const applied = await Promise.all([migrateWithLock(url.toString()), migrateWithLock(url.toString())]);
      expect(applied.sort()).toEqual([0, total]);
      const database = await openDatabase({ url: url.toString() });
      try {
        expect(await tablesOf(database.db)).toEqual(expect.arrayContaining(TABLES));
        expect(await database.pendingMigrations()).toBe(0);
        const [n] = await rows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        );
        expect(Number(n!.n)).toBe(total);
      } finally {
        await database.close();
      }
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  }, 120_000);
});
