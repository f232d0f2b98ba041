/**
 * Shapes of the demo seed data. Pure data, no I/O: the seeder maps these onto the
 * `provinces`, `communes`, `offices`, `desks`, `procedures`, `procedure_versions`,
 * `users` and `memberships` tables.
 */

export type SeedCommune = {
  /** Official 5-digit code of the commune-level unit in force from 1 July 2025. */
  code: string;
  /** Full name with its kind, e.g. 'Phường Thuận Hóa'. */
  name: string;
  kind: 'phuong' | 'xa' | 'dac_khu';
  lat: number;
  lng: number;
};

export type SeedProvince = {
  /** 2-digit province code (post-2025 list of 34 units). */
  code: string;
  name: string;
  communes: SeedCommune[];
};

export type SeedOffice = {
  /** Electronic id code of the unit (dossier-code prefix). */
  code: string;
  scheme: 'legacy' | 'qd20';
  name: string;
  kind: 'service_centre' | 'post_office' | 'agency' | 'commune_committee' | 'commune_service_centre';
  communeCode: string;
  address: string;
  lat: number;
  lng: number;
  phone?: string;
  /** Names of the one-stop desks (quầy) for offices that have them. */
  desks?: string[];
  /**
   * For a post office: the one-stop departments (service centres, by code) it receives for under Decision 468,
   * the first being its default.
   */
  serves?: string[];
};

export type SeedFee = {
  label: string;
  /** VND. */
  amount: number;
  /** 'fee' = lệ phí (state levy), 'charge' = phí (charge for a service). */
  kind: 'fee' | 'charge';
};

export type SeedComponent = {
  /** e.g. 'TP01'; unique within its procedure. */
  code: string;
  name: string;
  form: 'original' | 'copy' | 'original_or_certified_copy';
  copies: number;
  required: boolean;
  note?: string;
};

export type SeedProcedure = {
  /** Words citizens use that the official name lacks, for search ("bằng lái"). */
  keywords?: string[];
  /** National TTHC code `d.dddddd`. */
  code: string;
  name: string;
  /** Lĩnh vực. */
  field: string;
  /** A SeedOffice.code of kind 'agency' or 'commune_committee': the body that decides. */
  agencyCode: string;
  level: 'province' | 'commune';
  /** Legal processing time in working days (8 working hours each). */
  processingWorkingDays: number;
  fees: SeedFee[];
  /** Postal tariff, VND, one way. */
  postalTariff: number;
  pickupAllowed: boolean;
  deliveryAllowed: boolean;
  legalBasis: string[];
  resultName: string;
  /** Whether the result is a physical document (counts for the electronic-result rate). */
  resultIsPaper: boolean;
  components: SeedComponent[];
  /** 'YYYY-MM-DD'. */
  effectiveFrom: string;
};

export type SeedRole = 'clerk' | 'courier' | 'agency_official' | 'supervisor' | 'admin';

export type SeedUser = {
  username: string;
  fullName: string;
  /** Demo only: plain text here, hashed by the seeder. */
  password: string;
  memberships: { officeCode: string; role: SeedRole }[];
};
