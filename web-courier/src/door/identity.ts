import { isAppError, parseIdCardQr } from '@postdesk/shared';

export type IdentitySource = 'typed' | 'qr';

export type IdentityReading = { idNumber: string; name: string | null; source: IdentitySource };

export const digitsOnly = (text: string) => text.replace(/\D/g, '').slice(0, 12);

/** The id-card QR read with the shared parser; null when it is not a chip id card's QR. */
export const readIdQr = (text: string): IdentityReading | null => {
  try {
    const card = parseIdCardQr(text);
    return { idNumber: card.id, name: card.fullName, source: 'qr' };
  } catch (error) {
    if (isAppError(error)) return null;
    throw error;
  }
};

const fold = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

export type IdentityMatch = 'match' | 'mismatch' | 'incomplete' | 'unknown';

/**
 * Compares what the person shows with the dossier's recipient: the phone only knows the last 4 digits, so
 * that is what it checks here; the server compares the full number at sync.
 */
export const compareWithRecipient = (
  reading: { idNumber: string; name: string | null },
  recipient: { name: string; idLast4: string | null } | null | undefined,
): IdentityMatch => {
  if (reading.idNumber.length !== 12) return 'incomplete';
  if (!recipient?.idLast4) return 'unknown';
  if (!reading.idNumber.endsWith(recipient.idLast4)) return 'mismatch';
  if (reading.name && recipient.name && fold(reading.name) !== fold(recipient.name)) return 'mismatch';
  return 'match';
};
