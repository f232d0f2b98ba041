import { ROLES, type Role } from '@postdesk/shared';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../server/src/trpc/router';
import { createTestServer } from '../helpers/app';
import { createTestDatabase } from '../helpers/db';
import { AGENCY_ACCESS } from './access/agency';
import { AGENCY_API_ACCESS } from './access/agency-api';
import { PAYMENTS_ACCESS } from './access/payments';
import { COURIER_ACCESS } from './access/courier';
import { CITIZEN_ACCESS } from './access/citizen';
import { BOARD_ACCESS } from './access/board';
import { AUTH_ACCESS } from './access/auth';
import { CALENDARS_ACCESS } from './access/calendars';
import { QUEUE_ACCESS } from './access/queue';
import { COMPETENCE_ACCESS } from './access/competence';
import { type Access, STAFF } from './access/types';

type Caller = 'anonymous' | Role;

/**
 * Who may call what. Every procedure of the router must be listed here: a new procedure fails this test
 * until someone decides its access. 'public' = anyone; 'signed-in' = any role.
 */
const CORE_ACCESS: Record<string, Access> = {
  'admin.users': ['admin'],
  'admin.createUser': ['admin'],
  'admin.deactivateUser': ['admin'],
  'admin.setSigningKeyLabel': ['admin'],
  'admin.resetTotp': ['admin'],
  'auth.login': 'public',
  'auth.logout': 'signed-in',
  'auth.me': 'public',
  'catalog.procedures': 'public',
  'catalog.procedure': 'public',
  'catalog.offices': 'public',
  'catalog.communes': 'public',
  'citizen.track': 'public',
  'intake.advise': ['clerk'],
  'intake.lookupApplicant': ['clerk'],
  'intake.submit': ['clerk'],
  'intake.today': ['clerk', 'supervisor'],
  'digitize.dossier': ['clerk'],
  'digitize.changePage': ['clerk'],
  'digitize.deletePage': ['clerk'],
  'digitize.reorderPages': ['clerk'],
  'digitize.finishComponent': ['clerk'],
  'digitize.complete': ['clerk'],
  'digitize.retryPage': ['clerk'],
  'outbox.deadLetters': ['supervisor', 'admin'],
  'outbox.retry': ['supervisor', 'admin'],
  'outbox.backlog': ['supervisor', 'admin'],
  'outbox.sendNow': ['supervisor', 'admin'],
  'dossiers.get': STAFF,
  'dossiers.timeline': STAFF,
};

/** Each feature lists its own procedures in `access/`. */
const ACCESS: Record<string, Access> = {
  ...CORE_ACCESS,
  ...AGENCY_ACCESS,
  ...AGENCY_API_ACCESS,
  ...PAYMENTS_ACCESS,
  ...COURIER_ACCESS,
  ...CITIZEN_ACCESS,
  ...BOARD_ACCESS,
  ...AUTH_ACCESS,
  ...CALENDARS_ACCESS,
  ...QUEUE_ACCESS,
  ...COMPETENCE_ACCESS,
};

const allowed = (rule: (typeof ACCESS)[string], who: Caller) =>
  rule === 'public' ||
  (who !== 'anonymous' && rule !== 'citizen' && (rule === 'signed-in' || rule.includes(who)));

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ReturnType<typeof createTestServer>;
beforeAll(async () => {
  database = await createTestDatabase();
  server = createTestServer(database.db);
});
afterAll(() => database.close());

const procedurePaths = Object.keys(
  (appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures,
).sort();

describe('the authorization matrix', () => {
  it('lists every procedure of the router, and nothing that is not there', () => {
    expect(procedurePaths).toEqual(Object.keys(ACCESS).sort());
  });

  const callers: Caller[] = ['anonymous', ...ROLES];
  for (const path of Object.keys(ACCESS)) {
    for (const who of callers) {
      const expectation = allowed(ACCESS[path]!, who) ? 'passes' : 'is refused';
      it(`${path} as ${who} ${expectation}`, async () => {
        const caller = await server.callerAs(who === 'anonymous' ? null : await server.usernameWithRole(who));
        const fn = path
          .split('.')
          .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
          input: unknown,
        ) => Promise<unknown>;
        // Empty input: an allowed caller gets past the gate (and may then fail validation); a refused one never does.
        const outcome = await fn(undefined).then(
          () => 'ok',
          (err: unknown) => (err instanceof TRPCError ? err.code : 'other'),
        );
        if (allowed(ACCESS[path]!, who)) {
          expect(outcome).not.toBe('UNAUTHORIZED');
          expect(outcome).not.toBe('FORBIDDEN');
        } else {
          expect(outcome).toBe(
            who === 'anonymous' || ACCESS[path] === 'citizen' ? 'UNAUTHORIZED' : 'FORBIDDEN',
          );
        }
      });
    }
  }
});
