import type { CalendarOptions } from '../calendar';

/** One request for supplement after reception (Mẫu 02 from the agency, Decree 61/2018 Art. 19.4). */
export type Supplement = {
  /** `request_supplement` event: portal status 5. */
  requestedAt: Date;
  /** `complete_supplement` event; null while the citizen has not brought the documents yet. */
  completedAt: Date | null;
};

/** Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả. At most once per dossier (lifecycle apologyGuard). */
export type Extension = {
  /** `apologize_and_extend` event. */
  issuedAt: Date;
  /** The new due time the apology promises. */
  dueAt: Date;
};

/**
 * What the indicators need to know about one dossier, read from its event log. Every time is an instant;
 * the formulas never read the clock, so the same facts always give the same figures.
 */
export type DossierFact = {
  id: string;
  /** The post office (desk) that received it. */
  officeId: string;
  /** The agency that decides it. */
  agencyId: string;
  /** Commune of the receiving office (two-tier local government), for the per-commune ranking. */
  communeCode?: string | null;
  /** `d.dddddd`, e.g. `1.000894`. */
  procedureCode: string;
  /** `KenhThucHien`: 1 in person, 2 online, 3 via public postal service. */
  channel: 1 | 2 | 3;
  /** `receive` event (Mẫu 01, portal status 2; for postal dossiers the signed hand-over). Null: never received. */
  receivedAt: Date | null;
  /** Due time printed on Mẫu 01 (or the restarted one when Art. 19.4 restarts the clock), without pauses. */
  dueAt: Date | null;
  /** Mẫu 04, if the agency apologised and set a new date. */
  extension: Extension | null;
  /** `decide` event: portal status 9 (processed). */
  processedAt: Date | null;
  /** `deliver` or `hand_back` event: portal status 10 (result returned). */
  returnedAt: Date | null;
  /** `stop` event: portal status 8. */
  stoppedAt: Date | null;
  /** Refusal after appraisal (Mẫu 03 from the agency, Art. 19.8). A desk refusal has no `receivedAt`. */
  refusedAt: Date | null;
  /** `withdraw` event: portal status 7. */
  withdrawnAt: Date | null;
  /** Agency supplement requests in order; each pauses the clock until completed. */
  supplements: readonly Supplement[];
  /** Components with a digitized file (`complete_digitization`), whatever the channel. */
  digitizedComponents: number;
  /** Components re-used from earlier dossiers or the data warehouse (`DuocSoHoa`/`DuocLayTuKhoDMQG`). */
  reusedComponents: number;
  /** The procedure's result is a paper document (licence, certificate), so an electronic copy is expected. */
  resultIsPaper: boolean;
  /** A signed result file is attached (`MaKetQua` + `DuongDanTepTinKetQua`). */
  hasElectronicResult: boolean;
  /** Sum of the procedure's fee lines in VND; 0 when the procedure is free or the applicant is exempt. */
  feeTotal: number;
  /** `DuocThanhToanTrucTuyen` 1 (DVCQG) or 2 (local payment gateway). */
  paidOnline: boolean;
  /** The citizen's rating of the dossier, if any. */
  feedback: 'satisfied' | 'dissatisfied' | null;
  /** Complaints (phản ánh, kiến nghị) lodged about this dossier. */
  complaints: number;
};

/**
 * The reporting period, half-open: an event at `periodEnd` belongs to the next one. `now` bounds a period still
 * running; a finished period is judged at its end, so last month's figures never change afterwards.
 */
export type Period = { periodStart: Date; periodEnd: Date; now: Date };

/**
 * How pauses are measured. Without a calendar, supplement time is elapsed time (as the portal's date
 * arithmetic does); with one, only the office's working hours inside the pause are given back, so a
 * supplement across Tết returns the working days it cost, not the holiday.
 */
export type ClockOptions = { calendarOf?: (fact: DossierFact) => Omit<CalendarOptions, 'pauses'> };
