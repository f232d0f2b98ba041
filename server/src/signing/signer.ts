import { sign as rsaSign } from 'node:crypto';
import { resolve } from 'node:path';
import { appError } from '@postdesk/shared';
import { z } from 'zod';
import { ensureSoftwareKey, type SoftwareKey } from './pki';
import { openTokenKey, SOFTHSM_MODULE } from './token';

/** Whoever holds the clerk's key: a PKCS#11 token, or the embedded demo's software key. */
export type Signer = {
  kind: 'pkcs11' | 'software';
  certificate: () => Promise<Uint8Array>;
  /** Issuers of the certificate, nearest first, to embed in the CMS. */
  chain: () => Promise<Uint8Array[]>;
  /** sha256WithRSAEncryption over `data`. `pin` is the one the clerk typed; else the configured one is used. */
  sign: (data: Uint8Array, options?: { pin?: string }) => Promise<Uint8Array>;
};

// To merge into server/src/env.ts; kept here while signing is the only reader.
export const signingEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATA_DIR: z.string().default('./data'),
  /** Vendor PKCS#11 library of the clerks' tokens; unset = the embedded demo's software key. */
  PKCS11_MODULE: z.string().min(1).optional(),
  PKCS11_TOKEN_LABEL: z.string().min(1).optional(),
  /** CKA_LABEL of the key and certificate on the token. */
  PKCS11_KEY_LABEL: z.string().min(1).optional(),
  /** CKA_ID (hex) of the key and certificate, instead of or with the label. */
  PKCS11_KEY_ID: z
    .string()
    .regex(/^([0-9a-fA-F]{2})+$/)
    .optional(),
  /** Unset = the clerk types the PIN for each signing. */
  PKCS11_PIN: z.string().min(1).optional(),
  /** Colon-separated certificate files (DER or PEM) that verification trusts. */
  SIGNING_TRUST_ROOTS: z.string().optional(),
});

export type SigningConfig = z.input<typeof signingEnvSchema>;

const softwareSigner = (dataDir: string): Signer => {
  let key: SoftwareKey | undefined;
  const load = () => {
    key ??= ensureSoftwareKey(resolve(dataDir));
    return key;
  };
  return {
    kind: 'software',
    certificate: async () => load().certificate,
    chain: async () => load().chain,
    sign: async (data) => new Uint8Array(rsaSign('sha256', data, load().key)),
  };
};

/**
 * Picks the signing transport once from configuration: PKCS#11 when a module is configured (tests may rely on
 * SoftHSM2's default path), otherwise the software key, which production refuses.
 */
export const createSigner = (config: SigningConfig = process.env as SigningConfig): Signer => {
  const env = signingEnvSchema.parse(config);
  const module =
    env.PKCS11_MODULE ?? (env.NODE_ENV === 'test' && env.PKCS11_TOKEN_LABEL ? SOFTHSM_MODULE : undefined);
  if (module === undefined) {
    if (env.NODE_ENV === 'production') throw appError('SOFTWARE_KEY_IN_PRODUCTION');
    return softwareSigner(env.DATA_DIR);
  }
  if (!env.PKCS11_TOKEN_LABEL || !(env.PKCS11_KEY_LABEL || env.PKCS11_KEY_ID)) {
    throw appError('TOKEN_NOT_FOUND', {
      reason: 'PKCS11_TOKEN_LABEL and PKCS11_KEY_LABEL or PKCS11_KEY_ID must be set',
      module,
    });
  }
  const key = openTokenKey({
    module,
    tokenLabel: env.PKCS11_TOKEN_LABEL,
    ...(env.PKCS11_KEY_LABEL ? { keyLabel: env.PKCS11_KEY_LABEL } : {}),
    ...(env.PKCS11_KEY_ID ? { keyId: env.PKCS11_KEY_ID } : {}),
    ...(env.PKCS11_PIN ? { pin: env.PKCS11_PIN } : {}),
  });
  return { kind: 'pkcs11', ...key };
};
