import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '@postdesk/server/trpc/router';
import type { Outputs } from '../api';

export type SubmitInput = inferRouterInputs<AppRouter>['intake']['submit'];
export type SubmitResult = Outputs['intake']['submit'];
export type ApplicantLookup = Outputs['intake']['lookupApplicant'];
export type Reusable = ApplicantLookup['reusable'][number];
export type Warning = ApplicantLookup['warnings'][number];
export type TodayDossier = Outputs['intake']['today'][number];

export type Sex = 'male' | 'female';
export type Outcome = SubmitInput['outcome'];
export type ReturnMethod = SubmitInput['returnMethod'];
export type DeliveryWindow = NonNullable<SubmitInput['delivery']>['window'];
