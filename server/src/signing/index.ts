export { buildCadesSignature } from './cms';
export { countersignPdf } from './countersign';
export { tokenError } from './errors';
export { longTermVerifyOptions, validateLongTerm } from './long-term';
export { type SignPdfOptions, signPdf, signPdfDocument } from './pades';
export { type DevPki, type DevPkiOptions, ensureSoftwareKey, setupDevPki, trustInNss } from './pki';
export { createSigner, type Signer, type SigningConfig, signingEnvSchema } from './signer';
export { closeTokens, openTokenKey, SOFTHSM_MODULE, type TokenConfig, type TokenKeyConfig } from './token';
export {
  readTrustRoots,
  type VerifiedSignature,
  type VerifyOptions,
  type VerifyResult,
  verifyPdf,
} from './verify';
