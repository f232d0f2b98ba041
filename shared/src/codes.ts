import { portalDateTime } from './calendar';
import { CITIZEN_PROVINCES, isCitizenProvinceCode } from './citizen-provinces';
import { appError } from './errors';

// ── Agency electronic identifiers ─────────────────────────────────────────────────────────────────────────

/**
 * `legacy`: QCVN 102:2016, `V1V2V3.Z1Z2.Y1Y2.MX1X2`, read right to left (level 1 last).
 * `qd20`: Decision 20/2020/QĐ-TTg, `MX1X2.level2.level3…`, read left to right.
 */
export type AgencyIdScheme = 'legacy' | 'qd20';

export type AgencyId = {
  /** Canonical form (upper case, trimmed). */
  id: string;
  scheme: AgencyIdScheme;
  /** `MX1X2`: a letter A–Y and two digits, e.g. H22 (a province) or G15 (a ministry). */
  level1: string;
  /** The groups from level 1 down, whatever the scheme's written order: `000.00.01.H22` → H22, 01, 00, 000. */
  parts: string[];
};

const AGENCY_ID_MAX_LENGTH = 35;
const LEGACY_AGENCY_ID = /^(\d{3})\.(\d{2})\.(\d{2})\.([A-Y]\d{2})$/;
// Decision 20/2020 fixes the alphabet (0–9, A–Z, '.') and the level-1 shape, not the width of later
// groups: real ids have two digits (H42.01) and three (H55.242), so any non-empty group is accepted.
const QD20_AGENCY_ID = /^[A-Y]\d{2}(\.[0-9A-Z]+)*$/;

const canonical = (s: unknown) => (typeof s === 'string' ? s.trim().toUpperCase() : '');

const matchAgencyId = (s: unknown): AgencyId | null => {
  const id = canonical(s);
  if (id.length === 0 || id.length > AGENCY_ID_MAX_LENGTH) return null;
  const legacy = LEGACY_AGENCY_ID.exec(id);
  if (legacy) {
    const [, v, z, y, m] = legacy as unknown as [string, string, string, string, string];
    return { id, scheme: 'legacy', level1: m, parts: [m, y, z, v] };
  }
  if (!QD20_AGENCY_ID.test(id)) return null;
  const parts = id.split('.');
  return { id, scheme: 'qd20', level1: parts[0]!, parts };
};

export const detectScheme = (s: string): AgencyIdScheme | null => matchAgencyId(s)?.scheme ?? null;

export const isAgencyId = (s: string) => matchAgencyId(s) !== null;

export const parseAgencyId = (s: string): AgencyId => {
  const parsed = matchAgencyId(s);
  if (!parsed) throw appError('AGENCY_ID_INVALID');
  return parsed;
};

// ── Dossier code ──────────────────────────────────────────────────────────────────────────────────────────

export type DossierCode = {
  code: string;
  agencyId: string;
  scheme: AgencyIdScheme;
  /** The receipt date, local `YYYY-MM-DD`. */
  date: string;
  /** That agency's sequence number on that day, 1–9999. */
  seq: number;
};

const DOSSIER_CODE = /^(.+)-(\d{2})(\d{2})(\d{2})-(\d{4})$/;
/** A code has four digits for the day's number (TT 01/2018/TT-VPCP Art. 19). */
export const MAX_DAILY_SEQ = 9999;
/** From this number on, the desk is told how many of the day's numbers are left. */
export const DAILY_SEQ_WARNING = 9000;

const isRealDate = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** `<receiving agency id>-<YYMMDD>-<NNNN>` (TT 01/2018/TT-VPCP Art. 19); the date is the receipt day in Vietnam. */
export const formatDossierCode = (opts: { agencyId: string; date: Date; seq: number }) => {
  const agency = parseAgencyId(opts.agencyId);
  if (!Number.isInteger(opts.seq) || opts.seq < 1 || opts.seq > MAX_DAILY_SEQ) {
    throw appError('DOSSIER_CODE_INVALID', { field: 'seq', min: 1, max: MAX_DAILY_SEQ });
  }
  if (!(opts.date instanceof Date) || Number.isNaN(opts.date.getTime())) {
    throw appError('DOSSIER_CODE_INVALID', { field: 'date' });
  }
  const local = portalDateTime(opts.date);
  // YYMMDD cannot tell centuries apart; refuse rather than print a code that parses to another year.
  if (!local.startsWith('20')) throw appError('DOSSIER_CODE_INVALID', { field: 'date' });
  return `${agency.id}-${local.slice(2, 8)}-${String(opts.seq).padStart(4, '0')}`;
};

export const parseDossierCode = (s: string): DossierCode => {
  const code = canonical(s);
  const m = DOSSIER_CODE.exec(code);
  if (!m) throw appError('DOSSIER_CODE_INVALID', { field: 'format' });
  const [, agencyPart, yy, mm, dd, nnnn] = m as unknown as [string, string, string, string, string, string];
  const agency = matchAgencyId(agencyPart);
  if (!agency) throw appError('DOSSIER_CODE_INVALID', { field: 'agencyId' });
  const year = 2000 + Number(yy);
  if (!isRealDate(year, Number(mm), Number(dd))) throw appError('DOSSIER_CODE_INVALID', { field: 'date' });
  const seq = Number(nnnn);
  if (seq < 1) throw appError('DOSSIER_CODE_INVALID', { field: 'seq' });
  return { code, agencyId: agency.id, scheme: agency.scheme, date: `${year}-${mm}-${dd}`, seq };
};

// ── Procedure, online-service and result-type codes ──────────────────────────────────────────────────────

const PROCEDURE_CODE = /^\d\.\d{6}$/;
const ONLINE_SERVICE_CODE = /^(\d\.\d{6})\.(\d{2})$/;

/** A procedure in the national TTHC database, `d.dddddd` (e.g. 1.000894). */
export const isProcedureCode = (s: string) => typeof s === 'string' && PROCEDURE_CODE.test(s.trim());

/** An online public service of a procedure, `d.dddddd.dd` (e.g. 1.000894.01). */
export const isOnlineServiceCode = (s: string) => typeof s === 'string' && ONLINE_SERVICE_CODE.test(s.trim());

export type ProcedureCode = {
  code: string;
  kind: 'procedure' | 'online_service';
  /** The `d.dddddd` procedure the code belongs to. */
  procedureCode: string;
  /** The two-digit service number of an online-service code, else null. */
  serviceSuffix: string | null;
};

export const parseProcedureCode = (s: string): ProcedureCode => {
  const code = typeof s === 'string' ? s.trim() : '';
  if (PROCEDURE_CODE.test(code)) return { code, kind: 'procedure', procedureCode: code, serviceSuffix: null };
  const service = ONLINE_SERVICE_CODE.exec(code);
  if (!service) throw appError('PROCEDURE_CODE_INVALID');
  return { code, kind: 'online_service', procedureCode: service[1]!, serviceSuffix: service[2]! };
};

const RESULT_TYPE_CODE = /^KQ\.([A-Y]\d{2})\.(\d{6})$/;

export type ResultTypeCode = { code: string; level1: string; number: string };

/** `KQ.<level-1 code>.<6 digits>` from the national TTHC database, e.g. KQ.G15.000031 (birth certificate). */
export const parseResultTypeCode = (s: string): ResultTypeCode => {
  const code = canonical(s);
  const m = RESULT_TYPE_CODE.exec(code);
  if (!m) throw appError('RESULT_TYPE_CODE_INVALID');
  return { code, level1: m[1]!, number: m[2]! };
};

export const isResultTypeCode = (s: string) => RESULT_TYPE_CODE.test(canonical(s));

// ── Digitized-document codes (observed practice, not law: domain brief §4.5) ─────────────────────────────

// Dots separate the groups of the code, so no group may contain one.
const OWNER_ID = /^[0-9A-Z][0-9A-Z-]{0,34}$/;
const COMPONENT_CODE = /^[0-9A-Za-z_-]{1,50}$/;
const DOCUMENT_NUMBER = /^[^.\s]{1,50}$/u;
const MAX_DOCUMENT_SEQ = 99;

const checkOwnerAndSeq = (ownerId: string, seq: number) => {
  const owner = canonical(ownerId);
  if (!OWNER_ID.test(owner)) throw appError('VALIDATION_FAILED', { field: 'ownerId' });
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_DOCUMENT_SEQ) {
    throw appError('VALIDATION_FAILED', { field: 'seq', min: 1, max: MAX_DOCUMENT_SEQ });
  }
  return { owner, nn: String(seq).padStart(2, '0') };
};

/** A digitized component: `{owner id}.{procedure code}.{component code}.{NN}`, NN numbering copies per prefix. */
export const formatDigitizedCode = (opts: {
  ownerId: string;
  procedureCode: string;
  componentCode: string;
  seq: number;
}) => {
  const { owner, nn } = checkOwnerAndSeq(opts.ownerId, opts.seq);
  if (!isProcedureCode(opts.procedureCode)) throw appError('PROCEDURE_CODE_INVALID');
  const component = typeof opts.componentCode === 'string' ? opts.componentCode.trim() : '';
  if (!COMPONENT_CODE.test(component)) throw appError('VALIDATION_FAILED', { field: 'componentCode' });
  return `${owner}.${opts.procedureCode.trim()}.${component}.${nn}`;
};

/** A digitized result: `{owner id}.{result-type code}.{document number}.{NN}`. */
export const formatDigitizedResultCode = (opts: {
  ownerId: string;
  resultTypeCode: string;
  documentNumber: string;
  seq: number;
}) => {
  const { owner, nn } = checkOwnerAndSeq(opts.ownerId, opts.seq);
  const resultType = parseResultTypeCode(opts.resultTypeCode);
  const documentNumber =
    typeof opts.documentNumber === 'string' ? opts.documentNumber.normalize('NFC').trim() : '';
  if (!DOCUMENT_NUMBER.test(documentNumber)) throw appError('VALIDATION_FAILED', { field: 'documentNumber' });
  return `${owner}.${resultType.code}.${documentNumber}.${nn}`;
};

// ── Citizen id number ─────────────────────────────────────────────────────────────────────────────────────

export type CitizenIdWarningCode = 'UNKNOWN_PROVINCE' | 'IMPOSSIBLE_CENTURY';

export type CitizenIdWarning = { code: CitizenIdWarningCode; vi: string; en: string };

const CITIZEN_ID_WARNINGS: Record<CitizenIdWarningCode, CitizenIdWarning> = {
  UNKNOWN_PROVINCE: {
    code: 'UNKNOWN_PROVINCE',
    vi: 'Ba chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh. Vui lòng đối chiếu lại với thẻ căn cước.',
    en: 'The first three digits are not a birth-province code. Please check the number against the ID card.',
  },
  IMPOSSIBLE_CENTURY: {
    code: 'IMPOSSIBLE_CENTURY',
    vi: 'Chữ số thứ tư và năm sinh trong số định danh cho ra năm sinh không thể có. Vui lòng đối chiếu lại với thẻ căn cước.',
    en: 'The fourth digit and the birth year give an impossible year of birth. Please check the number against the ID card.',
  },
};

export type CitizenIdCheck = {
  id: string;
  /** Structure checks only: the Identity Law 2023 guarantees 12 digits and nothing more, so these never refuse. */
  warnings: CitizenIdWarning[];
  birthProvinceCode: string | null;
  birthProvinceName: string | null;
  /** The rest is null when the structure gives an impossible year, because then it is not to be trusted. */
  sex: 'male' | 'female' | null;
  /** First year of the birth century: 1900 means born 1900–1999. */
  birthCentury: number | null;
  birthYear: number | null;
};

const CENTURY_BY_DIGIT = [1900, 1900, 2000, 2000, 2100, 2100, 2200, 2200, 1800, 1800] as const;
const OLDEST_PLAUSIBLE_AGE = 130;

/**
 * Exactly 12 digits is enforced (spaces anywhere are dropped first, since ids are often typed in groups);
 * `PPP G YY NNNNNN` (Decree 137/2015 Art. 13) is checked only as warnings.
 */
export const validateCitizenId = (s: string, opts: { now?: Date } = {}): CitizenIdCheck => {
  const id = typeof s === 'string' ? s.replace(/\s+/g, '') : '';
  // The number itself is personal data: details say what is wrong, never what was typed.
  if (!/^\d{12}$/.test(id))
    throw appError('CITIZEN_ID_INVALID', { length: id.length, digitsOnly: /^\d*$/.test(id) });
  const warnings: CitizenIdWarning[] = [];
  const province = id.slice(0, 3);
  const provinceName = isCitizenProvinceCode(province) ? CITIZEN_PROVINCES[province] : null;
  if (provinceName === null) warnings.push(CITIZEN_ID_WARNINGS.UNKNOWN_PROVINCE);
  const g = Number(id[3]);
  const century = CENTURY_BY_DIGIT[g]!;
  const year = century + Number(id.slice(4, 6));
  const thisYear = Number(portalDateTime(opts.now ?? new Date()).slice(0, 4));
  const possible = year <= thisYear && thisYear - year <= OLDEST_PLAUSIBLE_AGE;
  if (!possible) warnings.push(CITIZEN_ID_WARNINGS.IMPOSSIBLE_CENTURY);
  return {
    id,
    warnings,
    birthProvinceCode: provinceName === null ? null : province,
    birthProvinceName: provinceName,
    sex: possible ? (g % 2 === 0 ? 'male' : 'female') : null,
    birthCentury: possible ? century : null,
    birthYear: possible ? year : null,
  };
};

// ── Citizen id card QR ────────────────────────────────────────────────────────────────────────────────────

export type IdCardQr = {
  id: string;
  /** The old 9- or 12-digit id (CMND), when the card carries one. */
  oldId: string | null;
  fullName: string;
  dateOfBirth: string;
  sex: 'male' | 'female';
  address: string;
  issuedOn: string;
};

const QR_FIELDS = ['id', 'oldId', 'fullName', 'dateOfBirth', 'sex', 'address', 'issuedOn'] as const;

const qrInvalid = (field: string, reason: string, extra: Record<string, unknown> = {}) =>
  appError('QR_INVALID', { field, reason, ...extra });

const text = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ');

const qrDate = (s: string, field: string) => {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  if (!m) throw qrInvalid(field, 'date_format', { expected: 'ddMMyyyy' });
  const [, dd, mm, yyyy] = m as unknown as [string, string, string, string];
  if (!isRealDate(Number(yyyy), Number(mm), Number(dd))) throw qrInvalid(field, 'date_not_real');
  return `${yyyy}-${mm}-${dd}`;
};

/** The QR on the chip id card: `id|old id|full name|ddMMyyyy|sex|address|issue ddMMyyyy`. */
export const parseIdCardQr = (s: string): IdCardQr => {
  const raw = typeof s === 'string' ? s.normalize('NFC').trim() : '';
  if (raw.length === 0) throw qrInvalid('qr', 'empty');
  const fields = raw.split('|').map(text);
  if (fields.length !== QR_FIELDS.length) {
    throw qrInvalid('qr', 'field_count', { expected: QR_FIELDS.length, got: fields.length });
  }
  const [id, oldId, fullName, dob, sex, address, issued] = fields as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^\d{12}$/.test(id)) throw qrInvalid('id', 'not_12_digits');
  if (oldId !== '' && !/^(\d{9}|\d{12})$/.test(oldId)) throw qrInvalid('oldId', 'not_9_or_12_digits');
  if (fullName === '') throw qrInvalid('fullName', 'empty');
  const dateOfBirth = qrDate(dob, 'dateOfBirth');
  const sexKey = sex.toLowerCase();
  // Some scanners drop diacritics, so "Nu" is read as "Nữ".
  const parsedSex = sexKey === 'nam' ? 'male' : sexKey === 'nữ' || sexKey === 'nu' ? 'female' : null;
  if (!parsedSex) throw qrInvalid('sex', 'not_nam_or_nu');
  if (address === '') throw qrInvalid('address', 'empty');
  const issuedOn = qrDate(issued, 'issuedOn');
  if (issuedOn < dateOfBirth) throw qrInvalid('issuedOn', 'before_birth');
  return { id, oldId: oldId === '' ? null : oldId, fullName, dateOfBirth, sex: parsedSex, address, issuedOn };
};
