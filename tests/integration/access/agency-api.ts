import type { Access } from './types';

/** Who may call the procedures of agency API keys and webhooks. */
export const AGENCY_API_ACCESS: Record<string, Access> = {};
