import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '@postdesk/server/trpc/router';
import type { Outputs } from '../api';

/** The courier's day as `courier.today` gives it (contract in server/src/courier/router.ts). */
export type Today = Outputs['courier']['today'];
export type Task = Today['tasks'][number];
export type Component = NonNullable<Task['components']>[number];

export type SyncAction = inferRouterInputs<AppRouter>['courier']['sync']['actions'][number];
export type SyncResult = Outputs['courier']['sync']['results'][number];
export type ActionType = SyncAction['type'];

export type Position = { lat: number; lng: number; accuracyM: number | null };
