import type { DossierEvent } from '@postdesk/shared';
import { recordEvent } from '../../server/src/dossiers/engine';
import type { Db } from '../../server/src/db/client';

type Actor = {
  kind: 'clerk' | 'agency_official' | 'supervisor' | 'courier';
  role: 'clerk' | 'agency_official' | 'supervisor' | 'courier';
};
const clerk: Actor = { kind: 'clerk', role: 'clerk' };
const agency: Actor = { kind: 'agency_official', role: 'agency_official' };
const supervisor: Actor = { kind: 'supervisor', role: 'supervisor' };
const courier: Actor = { kind: 'courier', role: 'courier' };

/** The path of a dossier from `received`, event by event, to where a test needs it. */
export const PATH: [DossierEvent, Actor, Record<string, unknown>][] = [
  ['complete_digitization', clerk, {}],
  ['forward', clerk, {}],
  ['accept', agency, {}],
  ['decide', agency, { outcome: 'approved' }],
  ['release_result', agency, {}],
  ['dispatch', supervisor, {}],
  ['deliver', courier, {}],
];

/** Drives a received dossier through the engine up to and including `until`. */
export const driveTo = async (db: Db, dossierId: string, until: DossierEvent) => {
  for (const [event, actor, payload] of PATH) {
    await recordEvent(db, { dossierId, event, actor, payload });
    if (event === until) return;
  }
};
