import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token a receipt's QR code carries: whoever holds the receipt may follow and rate the dossier without its
 * phone. It is an HMAC of the dossier's id under a key derived from the server secret for this one use, so it
 * is unguessable, needs no storage and a reprinted receipt carries the same one. Rotating SESSION_SECRET voids
 * the QR codes already printed; the code and the phone still open the dossier.
 */
const VERSION = 'r1';
const LENGTH = 27; // base64url characters: 162 bits

const keyOf = (secret: string) => createHmac('sha256', secret).update('postdesk/receipt-token/v1').digest();

export const receiptToken = (secret: string, dossierId: string) =>
  `${VERSION}${createHmac('sha256', keyOf(secret)).update(dossierId).digest('base64url').slice(0, LENGTH)}`;

/** Constant-time: a near miss takes as long as a far one. */
export const receiptTokenMatches = (secret: string, dossierId: string, token: string) => {
  const expected = Buffer.from(receiptToken(secret, dossierId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
};

export const RECEIPT_TOKEN_PATTERN = /^r1[A-Za-z0-9_-]{27}$/;

/**
 * The address the receipt's QR opens. The token rides in the fragment, which the browser never sends to a
 * server, so it stays out of access logs and Referer headers; the page hands it to the API in a POST body.
 */
export const receiptTrackingUrl = (opts: {
  publicUrl: string;
  secret: string;
  dossierId: string;
  code: string;
}) =>
  `${opts.publicUrl.replace(/\/+$/, '')}/track?code=${encodeURIComponent(opts.code)}#t=${receiptToken(opts.secret, opts.dossierId)}`;
