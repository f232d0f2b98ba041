// Who signs with a key of their own: clerks (digitized copies) and agency officials (results, counter-
// signatures). Each gets a key labelled with their username on the signing token (users.signingKeyLabel);
// the development PKI (scripts/dev-pki.ts) makes those keys and certificates in their names.
import { offices, type SeedUser, users } from './data';

const SIGNING_ROLES = new Set(['clerk', 'agency_official']);

/** The CKA_LABEL of a seeded user's signing key, or null for users who do not sign. */
export const signingKeyLabelFor = (user: Pick<SeedUser, 'username' | 'memberships'>) =>
  user.memberships.some((m) => SIGNING_ROLES.has(m.role)) ? user.username : null;

/** Every seeded signer with the name and organisation their certificate carries. */
export const seededSigners = (): { keyLabel: string; fullName: string; office: string }[] =>
  users.flatMap((user) => {
    const keyLabel = signingKeyLabelFor(user);
    if (!keyLabel) return [];
    const membership = user.memberships.find((m) => SIGNING_ROLES.has(m.role))!;
    const office = offices.find((o) => o.code === membership.officeCode)?.name ?? 'PostDesk';
    return [{ keyLabel, fullName: user.fullName, office }];
  });
