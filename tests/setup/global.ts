import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/src/db/client';
import { seedDemo, seedHolidays } from '../../server/src/seed/seed';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    runId: string;
  }
}

const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * One run = one migrated, seeded template database; each test file copies it into a database of its own
 * (tests/helpers/db.ts). Everything this run created is dropped at the end.
 */
export default async function setup(project: TestProject) {
  const runId = `pdt_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const template = `${runId}_tpl`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${template}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${template}`;
  const database = await openDatabase({ url: url.toString() });
  await database.migrate();
  await seedHolidays(database.db);
  // The demo dossiers in flight stay out of the template: tests count what they make themselves.
  await seedDemo(database.db, { dossiers: false });
  await database.close();
  project.provide('pgAdminUrl', ADMIN_URL);
  project.provide('pgTemplate', template);
  project.provide('runId', runId);

  return async () => {
    const dbs = await admin<
      { datname: string }[]
    >`select datname from pg_database where datname like ${`${runId}%`}`;
    for (const { datname } of dbs) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.end();
  };
}
