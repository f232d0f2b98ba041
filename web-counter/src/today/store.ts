import { createResource } from 'solid-js';
import { api, type Outputs } from '../api';
import type { TodayDossier } from '../intake/types';
import { session } from '../session';

export const trackingBookUrl = (opts: { from: string; to: string; officeId: string }) =>
  `/forms/tracking-book?${new URLSearchParams({ from: opts.from, to: opts.to, office: opts.officeId })}`;

/** Today's dossiers of the office chosen in the header; refetched when the clerk switches office. */
export const createToday = () => {
  const [dossiers, { refetch }] = createResource(
    () => session.membership()?.officeId ?? false,
    async (): Promise<TodayDossier[]> => api.intake.today.query(),
  );
  return { dossiers, refetch };
};

export type Today = ReturnType<typeof createToday>;

export type PickedUpDossier = Outputs['courier']['pickedUp'][number];

/** Dossiers couriers collected for the office chosen in the header, waiting to be handed over at the desk. */
export const createPickedUp = () => {
  const [list, { refetch }] = createResource(
    () => (session.membership()?.role === 'clerk' ? session.membership()!.officeId : false),
    async (): Promise<PickedUpDossier[]> => api.courier.pickedUp.query(),
  );
  return { list, refetch };
};
