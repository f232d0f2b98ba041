import type { Access } from './types';

/** Who may call the procedures of agency API keys and webhooks. */
export const AGENCY_API_ACCESS: Record<string, Access> = {
  'agencyApi.agencies': ['admin'],
  'agencyApi.keys': ['admin'],
  'agencyApi.createKey': ['admin'],
  'agencyApi.revokeKey': ['admin'],
  'agencyApi.webhook': ['admin'],
  'agencyApi.setWebhook': ['admin'],
};
