import { describe, expect, it } from 'vitest';
import { isGsm7, otpText, renderText, SMS_LIMITS, smsSegments, smsText } from '../../server/src/notify/texts';

// The longest a dossier code and a public address may reasonably be: a legacy agency id with the date and
// number (000.00.01.H22-251124-0001 is 25) padded to 30, and a 40-character address.
const CODE = '000.00.01.H22-251124-0001'.padEnd(SMS_LIMITS.maxCodeLength, '9');
const WEB = 'https://dichvucong.buudien.example.vn'.padEnd(SMS_LIMITS.maxWebLength, 'x');
const DUE = new Date('2026-12-31T09:00:00Z');

const KINDS = [
  'received',
  'supplement_needed',
  'result_ready',
  'courier_on_the_way',
  'delivered',
  'stopped',
] as const;

const all = [
  ...KINDS.flatMap((kind) => [
    [kind, smsText(kind, { code: CODE, dueAt: DUE, byPost: true })],
    [`${kind} (desk)`, smsText(kind, { code: CODE, dueAt: null, byPost: false })],
  ]),
  ...['pickup_request', 'delivery_request', 'delivery_handover', 'feedback'].map((p) => [
    `otp ${p}`,
    otpText('123456', p),
  ]),
].map(([name, body]) => [name!, renderText(body!, WEB)] as const);

describe('text messages to citizens', () => {
  // Decision: unaccented Vietnamese in GSM-7, 160 characters a segment (with diacritics a text is UCS-2 and a
  // segment holds only 70: too few for a code, a date and a link).
  it.each(all)('%s fits one GSM-7 segment (160 characters, no diacritics)', (_name, text) => {
    expect(isGsm7(text)).toBe(true);
    expect(text.length).toBeLessThanOrEqual(SMS_LIMITS.gsm7);
    expect(smsSegments(text)).toBe(1);
  });

  it('names the dossier by its code and carries no placeholder', () => {
    for (const [name, text] of all) {
      if (!name.startsWith('otp')) expect(text).toContain(CODE);
      expect(text).not.toContain('{web}');
    }
  });

  it('says the due date as dd/mm/yyyy in Vietnam time', () => {
    expect(smsText('received', { code: 'H57.90.01-251124-0001', dueAt: DUE })).toContain('31/12/2026');
  });

  it('counts segments the way phones do', () => {
    expect(smsSegments('a'.repeat(160))).toBe(1);
    expect(smsSegments('a'.repeat(161))).toBe(2);
    expect(smsSegments('Hồ sơ đã được tiếp nhận')).toBe(1);
    expect(isGsm7('Hồ sơ')).toBe(false);
    expect(smsSegments('ồ'.repeat(71))).toBe(2);
  });
});
