import { createHash, randomBytes } from 'node:crypto';
import { appError } from '@postdesk/shared';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { agencyApiKeys, agencyWebhooks, offices } from '../db/schema';
import { generateWebhookSecret } from './webhooks';

const KEY_PREFIX = 'pdk_';

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** The agency office, or an error naming what is wrong: unknown office (404) or not an agency (400). */
export const requireAgency = async (db: Db, agencyId: string) => {
  const [office] = await db
    .select({ id: offices.id, code: offices.code, name: offices.name, kind: offices.kind })
    .from(offices)
    .where(eq(offices.id, agencyId));
  if (!office) throw appError('NOT_FOUND', { agencyId });
  if (office.kind !== 'agency' && office.kind !== 'commune_committee')
    throw appError('AGENCY_API_NOT_AN_AGENCY', { agencyId });
  return office;
};

/**
 * A new key for an agency's system: `pdk_` + 32 random bytes. Only its sha256 is stored; the key itself is in
 * this return value and nowhere else, so the admin must copy it now.
 */
export const createApiKey = async (db: Db, input: { agencyId: string; label: string }) => {
  await requireAgency(db, input.agencyId);
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const [row] = await db
    .insert(agencyApiKeys)
    .values({
      agencyId: input.agencyId,
      label: input.label,
      keyPrefix: key.slice(0, 12),
      keyHash: hashApiKey(key),
    })
    .returning({
      id: agencyApiKeys.id,
      label: agencyApiKeys.label,
      keyPrefix: agencyApiKeys.keyPrefix,
      createdAt: agencyApiKeys.createdAt,
    });
  return { ...row!, key };
};

export const listApiKeys = (db: Db, agencyId: string) =>
  db
    .select({
      id: agencyApiKeys.id,
      label: agencyApiKeys.label,
      keyPrefix: agencyApiKeys.keyPrefix,
      createdAt: agencyApiKeys.createdAt,
      lastUsedAt: agencyApiKeys.lastUsedAt,
      revokedAt: agencyApiKeys.revokedAt,
    })
    .from(agencyApiKeys)
    .where(eq(agencyApiKeys.agencyId, agencyId))
    .orderBy(desc(agencyApiKeys.createdAt));

export const revokeApiKey = async (db: Db, input: { id: string; now?: Date }) => {
  const [row] = await db
    .update(agencyApiKeys)
    .set({ revokedAt: input.now ?? new Date() })
    .where(and(eq(agencyApiKeys.id, input.id), isNull(agencyApiKeys.revokedAt)))
    .returning({ id: agencyApiKeys.id, revokedAt: agencyApiKeys.revokedAt });
  if (!row) throw appError('NOT_FOUND', { keyId: input.id });
  return row;
};

export type ApiCaller = { keyId: string; agencyId: string };

/** The agency a presented key belongs to, or null (unknown or revoked). Touches `last_used_at` at most once a minute. */
export const authenticateApiKey = async (
  db: Db,
  key: string,
  now = new Date(),
): Promise<ApiCaller | null> => {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const [row] = await db
    .select({ id: agencyApiKeys.id, agencyId: agencyApiKeys.agencyId, revokedAt: agencyApiKeys.revokedAt })
    .from(agencyApiKeys)
    .where(eq(agencyApiKeys.keyHash, hashApiKey(key)));
  if (!row || row.revokedAt) return null;
  await db
    .update(agencyApiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(agencyApiKeys.id, row.id),
        or(isNull(agencyApiKeys.lastUsedAt), lt(agencyApiKeys.lastUsedAt, new Date(now.getTime() - 60_000))),
      ),
    );
  return { keyId: row.id, agencyId: row.agencyId };
};

/** Sets (or replaces) where the agency's system hears of forwarded dossiers; a secret is generated when none is given. */
export const setWebhook = async (
  db: Db,
  input: { agencyId: string; url: string; secret?: string | null; active?: boolean; allowHttp: boolean },
) => {
  await requireAgency(db, input.agencyId);
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw appError('AGENCY_WEBHOOK_URL_INVALID');
  }
  if (url.protocol !== 'https:' && !(input.allowHttp && url.protocol === 'http:'))
    throw appError('AGENCY_WEBHOOK_URL_INVALID');
  if (input.secret && input.secret.length < 32) throw appError('AGENCY_WEBHOOK_SECRET_WEAK');
  const secret = input.secret || generateWebhookSecret();
  const values = { url: url.toString(), secret, active: input.active ?? true };
  await db
    .insert(agencyWebhooks)
    .values({ agencyId: input.agencyId, ...values })
    .onConflictDoUpdate({ target: agencyWebhooks.agencyId, set: values });
  // The secret is shown once, like a key; afterwards only whether one is set.
  return { agencyId: input.agencyId, url: values.url, active: values.active, secret };
};

export const getWebhook = async (db: Db, agencyId: string) => {
  const [hook] = await db
    .select({
      url: agencyWebhooks.url,
      active: agencyWebhooks.active,
      createdAt: agencyWebhooks.createdAt,
    })
    .from(agencyWebhooks)
    .where(eq(agencyWebhooks.agencyId, agencyId));
  return hook ?? null;
};
