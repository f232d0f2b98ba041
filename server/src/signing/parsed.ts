// pkijs parsing is what a validation spends its time on: each certificate (and each OCSP answer, CRL, CMS
// and timestamp token) is parsed once per process, found again by the hash of its bytes. Parsed objects are
// read, never changed.
import { createHash, X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';

export const memo = <T>(make: (der: Uint8Array) => T, limit = 2_000) => {
  const cache = new Map<string, T>();
  return (der: Uint8Array): T => {
    const key = createHash('sha1').update(der).digest('base64');
    let value = cache.get(key);
    if (value === undefined) {
      value = make(der);
      if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
      cache.set(key, value);
    }
    return value;
  };
};

/** The certificate parsed by pkijs, once per process. */
export const parseCertificate = memo((der) => pkijs.Certificate.fromBER(new Uint8Array(der)));
/** The certificate as node:crypto reads it, once per process. */
export const x509Certificate = memo((der) => new X509Certificate(der));
