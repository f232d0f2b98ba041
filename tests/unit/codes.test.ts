import {
  AppError,
  CITIZEN_PROVINCES,
  detectScheme,
  formatDigitizedCode,
  formatDigitizedResultCode,
  formatDossierCode,
  isAgencyId,
  isOnlineServiceCode,
  isProcedureCode,
  isResultTypeCode,
  parseAgencyId,
  parseDossierCode,
  parseIdCardQr,
  parseProcedureCode,
  parseResultTypeCode,
  validateCitizenId,
} from '@postdesk/shared';
import { describe, expect, it } from 'vitest';

const vn = (local: string) => new Date(`${local}:00+07:00`);

const catchError = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, got a result');
};

describe('agency electronic ids', () => {
  it('reads a legacy (QCVN 102) id right to left', () => {
    expect(parseAgencyId('000.00.01.H22')).toEqual({
      id: '000.00.01.H22',
      scheme: 'legacy',
      level1: 'H22',
      parts: ['H22', '01', '00', '000'],
    });
  });

  it('reads a Decision 20/2020 id left to right', () => {
    expect(parseAgencyId('H42.01')).toEqual({
      id: 'H42.01',
      scheme: 'qd20',
      level1: 'H42',
      parts: ['H42', '01'],
    });
    expect(parseAgencyId('H42.01.05')).toEqual({
      id: 'H42.01.05',
      scheme: 'qd20',
      level1: 'H42',
      parts: ['H42', '01', '05'],
    });
    expect(parseAgencyId('H55.242').parts).toEqual(['H55', '242']);
    expect(parseAgencyId('G15')).toEqual({ id: 'G15', scheme: 'qd20', level1: 'G15', parts: ['G15'] });
  });

  it('accepts a typed id with spaces around or in lower case, and gives it back canonical', () => {
    expect(parseAgencyId('  h42.01 ').id).toBe('H42.01');
  });

  it('detects the scheme without throwing', () => {
    expect(detectScheme('000.00.00.G10')).toBe('legacy');
    expect(detectScheme('H57.90.01')).toBe('qd20');
    expect(detectScheme('H57-90')).toBeNull();
    expect(isAgencyId('000.00.13.H57')).toBe(true);
    expect(isAgencyId('nope')).toBe(false);
  });

  it('accepts exactly 35 characters and no more', () => {
    const id35 = `H42.${'1'.repeat(31)}`;
    expect(id35).toHaveLength(35);
    expect(parseAgencyId(id35).level1).toBe('H42');
    expect(catchError(() => parseAgencyId(`${id35}1`)).code).toBe('AGENCY_ID_INVALID');
  });

  it.each([
    'Z01.01',
    'H4.01',
    'H420.01',
    'H42..01',
    'H42.',
    '.H42',
    'H42-01',
    'H42.01 02',
    '00.00.01.H22',
    '000.00.01.Z22',
    '000.00.01.H22.01',
    '000.0A.01.H22',
    '',
  ])('refuses %j with AGENCY_ID_INVALID', (s) => {
    expect(catchError(() => parseAgencyId(s)).code).toBe('AGENCY_ID_INVALID');
    expect(detectScheme(s)).toBeNull();
  });

  it('refuses a value that is not a string', () => {
    expect(catchError(() => parseAgencyId(null as unknown as string)).code).toBe('AGENCY_ID_INVALID');
  });
});

describe('dossier codes', () => {
  it('formats <agency id>-<YYMMDD>-<NNNN> in both schemes', () => {
    expect(formatDossierCode({ agencyId: '000.00.01.H22', date: vn('2023-08-15T09:00'), seq: 1 })).toBe(
      '000.00.01.H22-230815-0001',
    );
    expect(formatDossierCode({ agencyId: 'H42.01', date: vn('2023-08-15T16:59'), seq: 1 })).toBe(
      'H42.01-230815-0001',
    );
    expect(formatDossierCode({ agencyId: 'H57.90.01', date: vn('2026-02-13T10:00'), seq: 9999 })).toBe(
      'H57.90.01-260213-9999',
    );
  });

  it('dates the code by the Vietnam day: 00:30 on 14/2 in Vietnam is still 13/2 in UTC', () => {
    expect(formatDossierCode({ agencyId: 'H42.01', date: new Date('2026-02-13T17:30:00Z'), seq: 42 })).toBe(
      'H42.01-260214-0042',
    );
    expect(formatDossierCode({ agencyId: 'H42.01', date: new Date('2026-02-13T16:59:59Z'), seq: 42 })).toBe(
      'H42.01-260213-0042',
    );
  });

  it.each([0, 10_000, 1.5, -1, Number.NaN])('refuses daily sequence number %s', (seq) => {
    const err = catchError(() =>
      formatDossierCode({ agencyId: 'H42.01', date: vn('2023-08-15T09:00'), seq }),
    );
    expect(err.code).toBe('DOSSIER_CODE_INVALID');
    expect(err.details).toMatchObject({ field: 'seq' });
  });

  it('refuses a bad agency id or date when formatting', () => {
    expect(
      catchError(() => formatDossierCode({ agencyId: 'H42-01', date: vn('2023-08-15T09:00'), seq: 1 })).code,
    ).toBe('AGENCY_ID_INVALID');
    expect(
      catchError(() => formatDossierCode({ agencyId: 'H42.01', date: new Date('x'), seq: 1 })).details,
    ).toMatchObject({
      field: 'date',
    });
    expect(
      catchError(() => formatDossierCode({ agencyId: 'H42.01', date: vn('1999-12-31T09:00'), seq: 1 })).code,
    ).toBe('DOSSIER_CODE_INVALID');
  });

  it('parses a code back into its agency, scheme, day and number', () => {
    expect(parseDossierCode('000.00.01.H22-230815-0001')).toEqual({
      code: '000.00.01.H22-230815-0001',
      agencyId: '000.00.01.H22',
      scheme: 'legacy',
      date: '2023-08-15',
      seq: 1,
    });
    expect(parseDossierCode(' h42.01-240229-0120 ')).toEqual({
      code: 'H42.01-240229-0120',
      agencyId: 'H42.01',
      scheme: 'qd20',
      date: '2024-02-29',
      seq: 120,
    });
  });

  it('round-trips', () => {
    const code = formatDossierCode({ agencyId: '000.00.13.H57', date: vn('2026-11-23T08:00'), seq: 37 });
    expect(parseDossierCode(code)).toMatchObject({ agencyId: '000.00.13.H57', date: '2026-11-23', seq: 37 });
  });

  it.each([
    ['000.00.01.H22-231345-0001', 'date'],
    ['000.00.01.H22-230229-0001', 'date'],
    ['000.00.01.H22-230800-0001', 'date'],
    ['000.00.01.H22-230815-0000', 'seq'],
    ['000.00.01.H22-230815-001', 'format'],
    ['000.00.01.H22-230815-12345', 'format'],
    ['H42.01-230815', 'format'],
    ['H42.01230815-0001', 'format'],
    ['Z42.01-230815-0001', 'agencyId'],
    ['-230815-0001', 'format'],
    ['', 'format'],
  ])('refuses %j (%s)', (code, field) => {
    const err = catchError(() => parseDossierCode(code));
    expect(err.code).toBe('DOSSIER_CODE_INVALID');
    expect(err.details).toEqual({ field });
  });
});

describe('procedure, online-service and result-type codes', () => {
  it('parses a procedure code and an online-service code', () => {
    expect(parseProcedureCode('1.000894')).toEqual({
      code: '1.000894',
      kind: 'procedure',
      procedureCode: '1.000894',
      serviceSuffix: null,
    });
    expect(parseProcedureCode(' 1.000894.01 ')).toEqual({
      code: '1.000894.01',
      kind: 'online_service',
      procedureCode: '1.000894',
      serviceSuffix: '01',
    });
  });

  it('tells procedure codes from online-service codes', () => {
    expect(isProcedureCode('2.000635')).toBe(true);
    expect(isProcedureCode('1.000894.01')).toBe(false);
    expect(isOnlineServiceCode('1.000894.01')).toBe(true);
    expect(isOnlineServiceCode('1.000894')).toBe(false);
  });

  it.each([
    '1.00089',
    '10.000894',
    '1.0008945',
    '1.000894.1',
    '1.000894.001',
    '1-000894',
    'a.000894',
    '3.000181.000.00.00.H22',
    '',
  ])('refuses %j with PROCEDURE_CODE_INVALID', (s) => {
    expect(catchError(() => parseProcedureCode(s)).code).toBe('PROCEDURE_CODE_INVALID');
    expect(isProcedureCode(s)).toBe(false);
  });

  it('parses a result-type code', () => {
    expect(parseResultTypeCode('KQ.G15.000031')).toEqual({
      code: 'KQ.G15.000031',
      level1: 'G15',
      number: '000031',
    });
    expect(parseResultTypeCode('kq.g15.000032').code).toBe('KQ.G15.000032');
    expect(isResultTypeCode('KQ.H22.123456')).toBe(true);
  });

  it.each(['KQ.G15.31', 'KQ.G1.000031', 'G15.000031', 'KQ.Z15.000031', 'KQ-G15-000031'])(
    'refuses result-type code %j',
    (s) => {
      expect(catchError(() => parseResultTypeCode(s)).code).toBe('RESULT_TYPE_CODE_INVALID');
      expect(isResultTypeCode(s)).toBe(false);
    },
  );
});

describe('digitized-document codes', () => {
  it('formats a component code {owner}.{procedure}.{component}.{NN}', () => {
    expect(
      formatDigitizedCode({
        ownerId: '001095012345',
        procedureCode: '1.000894',
        componentCode: 'TP01',
        seq: 1,
      }),
    ).toBe('001095012345.1.000894.TP01.01');
    expect(
      formatDigitizedCode({
        ownerId: '0101234567-001',
        procedureCode: '2.000635',
        componentCode: 'GIAY_KS',
        seq: 12,
      }),
    ).toBe('0101234567-001.2.000635.GIAY_KS.12');
  });

  it('formats a result code {owner}.{result type}.{document number}.{NN}', () => {
    expect(
      formatDigitizedResultCode({
        ownerId: '001095012345',
        resultTypeCode: 'KQ.G15.000031',
        documentNumber: '123/GKS',
        seq: 2,
      }),
    ).toBe('001095012345.KQ.G15.000031.123/GKS.02');
    expect(
      formatDigitizedResultCode({
        ownerId: '001095012345',
        resultTypeCode: 'KQ.G15.000032',
        documentNumber: '45/QĐ-UBND',
        seq: 1,
      }),
    ).toBe('001095012345.KQ.G15.000032.45/QĐ-UBND.01');
  });

  it.each([
    [
      { ownerId: 'abc.def', procedureCode: '1.000894', componentCode: 'TP01', seq: 1 },
      'VALIDATION_FAILED',
      'ownerId',
    ],
    [
      { ownerId: '', procedureCode: '1.000894', componentCode: 'TP01', seq: 1 },
      'VALIDATION_FAILED',
      'ownerId',
    ],
    [
      { ownerId: '001095012345', procedureCode: '1.000894', componentCode: 'TP01', seq: 100 },
      'VALIDATION_FAILED',
      'seq',
    ],
    [
      { ownerId: '001095012345', procedureCode: '1.000894', componentCode: 'TP01', seq: 0 },
      'VALIDATION_FAILED',
      'seq',
    ],
    [
      { ownerId: '001095012345', procedureCode: '1.000894', componentCode: 'TP.01', seq: 1 },
      'VALIDATION_FAILED',
      'componentCode',
    ],
    [
      { ownerId: '001095012345', procedureCode: '1.000894', componentCode: '', seq: 1 },
      'VALIDATION_FAILED',
      'componentCode',
    ],
    [
      { ownerId: '001095012345', procedureCode: '1.000894.01', componentCode: 'TP01', seq: 1 },
      'PROCEDURE_CODE_INVALID',
      undefined,
    ],
  ])('refuses %j', (opts, code, field) => {
    const err = catchError(() => formatDigitizedCode(opts));
    expect(err.code).toBe(code);
    if (field) expect(err.details).toMatchObject({ field });
  });

  it('refuses a result code with a bad result type or document number', () => {
    const base = {
      ownerId: '001095012345',
      resultTypeCode: 'KQ.G15.000031',
      documentNumber: '123/GKS',
      seq: 1,
    };
    expect(catchError(() => formatDigitizedResultCode({ ...base, resultTypeCode: 'G15.000031' })).code).toBe(
      'RESULT_TYPE_CODE_INVALID',
    );
    expect(
      catchError(() => formatDigitizedResultCode({ ...base, documentNumber: '12.3' })).details,
    ).toMatchObject({
      field: 'documentNumber',
    });
    expect(
      catchError(() => formatDigitizedResultCode({ ...base, documentNumber: '12 3' })).details,
    ).toMatchObject({
      field: 'documentNumber',
    });
  });
});

describe('citizen id numbers', () => {
  const now = vn('2026-03-01T09:00');

  it('the province list has the 63 birth-province codes, 001 Hà Nội to 096 Cà Mau, with gaps', () => {
    const codes = Object.keys(CITIZEN_PROVINCES);
    expect(codes).toHaveLength(63);
    expect(CITIZEN_PROVINCES['001']).toBe('Hà Nội');
    expect(CITIZEN_PROVINCES['046']).toBe('Thừa Thiên Huế');
    expect(CITIZEN_PROVINCES['079']).toBe('Hồ Chí Minh');
    expect(CITIZEN_PROVINCES['096']).toBe('Cà Mau');
    expect(codes).not.toContain('003');
    expect(codes).not.toContain('097');
  });

  it('reads a man born in Hà Nội in 1995', () => {
    expect(validateCitizenId('001095012345', { now })).toEqual({
      id: '001095012345',
      warnings: [],
      birthProvinceCode: '001',
      birthProvinceName: 'Hà Nội',
      sex: 'male',
      birthCentury: 1900,
      birthYear: 1995,
    });
  });

  it('reads a woman born in Hồ Chí Minh City in 2001 and a man born in Huế in 2003', () => {
    expect(validateCitizenId('079301000123', { now })).toMatchObject({
      sex: 'female',
      birthCentury: 2000,
      birthYear: 2001,
      warnings: [],
    });
    expect(validateCitizenId('046203009999', { now })).toMatchObject({
      sex: 'male',
      birthYear: 2003,
      birthProvinceName: 'Thừa Thiên Huế',
    });
  });

  it('drops spaces typed between the groups', () => {
    expect(validateCitizenId(' 001 095 012 345 ', { now }).id).toBe('001095012345');
  });

  it('only warns about a province code not on the list (e.g. born abroad), and still reads sex and year', () => {
    const check = validateCitizenId('003095012345', { now });
    expect(check.warnings.map((w) => w.code)).toEqual(['UNKNOWN_PROVINCE']);
    expect(check.warnings[0]!.vi).toMatch(/mã tỉnh/);
    expect(check).toMatchObject({
      birthProvinceCode: null,
      birthProvinceName: null,
      sex: 'male',
      birthYear: 1995,
    });
  });

  it('warns about a birth year in the future and trusts nothing it gives', () => {
    const check = validateCitizenId('001230012345', { now });
    expect(check.warnings.map((w) => w.code)).toEqual(['IMPOSSIBLE_CENTURY']);
    expect(check).toMatchObject({
      id: '001230012345',
      sex: null,
      birthCentury: null,
      birthYear: null,
      birthProvinceCode: '001',
    });
  });

  it('takes the current year from `now`', () => {
    expect(
      validateCitizenId('001226012345', { now: vn('2025-12-31T23:00') }).warnings.map((w) => w.code),
    ).toEqual(['IMPOSSIBLE_CENTURY']);
    expect(validateCitizenId('001226012345', { now: vn('2026-01-01T00:30') })).toMatchObject({
      warnings: [],
      birthYear: 2026,
    });
  });

  it('reads 8/9 as the 1800s, and warns beyond 130 years', () => {
    expect(validateCitizenId('001896012345', { now })).toMatchObject({
      warnings: [],
      birthYear: 1896,
      birthCentury: 1800,
    });
    expect(validateCitizenId('001996012345', { now })).toMatchObject({
      warnings: [],
      birthYear: 1896,
      sex: 'female',
    });
    expect(validateCitizenId('001895012345', { now }).warnings.map((w) => w.code)).toEqual([
      'IMPOSSIBLE_CENTURY',
    ]);
  });

  it('warns about the 2100s and later', () => {
    for (const id of ['001400012345', '001500012345', '001600012345', '001700012345']) {
      expect(validateCitizenId(id, { now }).warnings.map((w) => w.code)).toEqual(['IMPOSSIBLE_CENTURY']);
    }
  });

  it('gives both warnings when both apply', () => {
    expect(validateCitizenId('000499012345', { now }).warnings.map((w) => w.code)).toEqual([
      'UNKNOWN_PROVINCE',
      'IMPOSSIBLE_CENTURY',
    ]);
  });

  it.each([
    '00109501234',
    '0010950123456',
    '00109501234a',
    '001-095-012345',
    '',
    '   ',
    '００１０９５０１２３４５',
  ])('refuses %j with CITIZEN_ID_INVALID and does not echo it', (s) => {
    const err = catchError(() => validateCitizenId(s, { now }));
    expect(err.code).toBe('CITIZEN_ID_INVALID');
    const shown = JSON.stringify(err.details);
    if (s.trim().length >= 4) expect(shown).not.toContain(s.trim().slice(0, 4));
  });

  it('refuses a value that is not a string', () => {
    expect(catchError(() => validateCitizenId(1095012345 as unknown as string)).code).toBe(
      'CITIZEN_ID_INVALID',
    );
  });
});

describe('id card QR', () => {
  const ADDRESS = 'Số 8 Hoàng Hoa Thám, Phường Phú Nhuận, Thành phố Huế';
  const qr = (
    fields: Partial<Record<'id' | 'oldId' | 'name' | 'dob' | 'sex' | 'address' | 'issued', string>> = {},
  ) =>
    [
      fields.id ?? '046095012345',
      fields.oldId ?? '191234567',
      fields.name ?? 'Nguyễn Thị Hồng Nhung',
      fields.dob ?? '15031995',
      fields.sex ?? 'Nữ',
      fields.address ?? ADDRESS,
      fields.issued ?? '20042021',
    ].join('|');

  it('fills the intake form from the card', () => {
    expect(parseIdCardQr(qr())).toEqual({
      id: '046095012345',
      oldId: '191234567',
      fullName: 'Nguyễn Thị Hồng Nhung',
      dateOfBirth: '1995-03-15',
      sex: 'female',
      address: ADDRESS,
      issuedOn: '2021-04-20',
    });
  });

  it('accepts a card without an old id', () => {
    expect(parseIdCardQr(qr({ oldId: '' })).oldId).toBeNull();
  });

  it('accepts a 12-digit old id', () => {
    expect(parseIdCardQr(qr({ oldId: '046095012345' })).oldId).toBe('046095012345');
  });

  it('reads Nam as male, and Nữ however it is cased or stripped of its accent', () => {
    expect(parseIdCardQr(qr({ sex: 'Nam' })).sex).toBe('male');
    expect(parseIdCardQr(qr({ sex: 'NỮ' })).sex).toBe('female');
    expect(parseIdCardQr(qr({ sex: 'Nu' })).sex).toBe('female');
  });

  it('normalises decomposed Vietnamese (NFD) to NFC and tidies spaces', () => {
    const parsed = parseIdCardQr(
      `${qr({ name: '  Nguyễn   Thị Hồng Nhung '.normalize('NFD'), address: ` ${ADDRESS.normalize('NFD')} ` })}\r\n`,
    );
    expect(parsed.fullName).toBe('Nguyễn Thị Hồng Nhung');
    expect(parsed.fullName).toBe(parsed.fullName.normalize('NFC'));
    expect(parsed.address).toBe(ADDRESS);
  });

  it.each([
    [
      'too few fields',
      qr().split('|').slice(0, 6).join('|'),
      { field: 'qr', reason: 'field_count', expected: 7, got: 6 },
    ],
    ['too many fields', `${qr()}|extra`, { field: 'qr', reason: 'field_count', expected: 7, got: 8 }],
    ['an empty scan', '', { field: 'qr', reason: 'empty' }],
    ['an id of 11 digits', qr({ id: '04609501234' }), { field: 'id', reason: 'not_12_digits' }],
    ['an old id of 5 digits', qr({ oldId: '12345' }), { field: 'oldId', reason: 'not_9_or_12_digits' }],
    ['no name', qr({ name: ' ' }), { field: 'fullName', reason: 'empty' }],
    ['31 February', qr({ dob: '31021995' }), { field: 'dateOfBirth', reason: 'date_not_real' }],
    [
      'an ISO birth date',
      qr({ dob: '1995-03-15' }),
      { field: 'dateOfBirth', reason: 'date_format', expected: 'ddMMyyyy' },
    ],
    ['a 13th month', qr({ issued: '01132021' }), { field: 'issuedOn', reason: 'date_not_real' }],
    ['sex in English', qr({ sex: 'Female' }), { field: 'sex', reason: 'not_nam_or_nu' }],
    ['no address', qr({ address: '' }), { field: 'address', reason: 'empty' }],
    ['issued before birth', qr({ issued: '01011990' }), { field: 'issuedOn', reason: 'before_birth' }],
  ])('refuses %s with QR_INVALID saying which field', (_label, s, details) => {
    const err = catchError(() => parseIdCardQr(s));
    expect(err.code).toBe('QR_INVALID');
    expect(err.details).toEqual(details);
  });
});
