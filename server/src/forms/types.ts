/** The office that issues a form: a post office acting as (or for) the one-stop desk. */
export type FormOffice = {
  name: string;
  code: string;
  address?: string;
  phone?: string;
  /** The line above the office name in the header, e.g. 'BƯU ĐIỆN THÀNH PHỐ HUẾ'. */
  parentName?: string;
  /** The place in the "…, ngày … tháng … năm …" line, e.g. 'Huế'. */
  place?: string;
};
export type FormApplicant = {
  fullName: string;
  citizenId?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
};
export type FormComponent = {
  name: string;
  form: 'original' | 'copy' | 'original_or_certified_copy';
  copies: number;
  reused?: boolean;
};
export type FormFee = { label: string; amount: number };

/** Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả */
export type ReceiptData = {
  /** The issuer: the state one-stop department the dossier was received for. */
  office: FormOffice;
  /** The post office that received it on the department's behalf (Decision 468), when it was one. */
  provider?: { name: string; code: string };
  dossierCode: string;
  applicant: FormApplicant;
  procedure: { code: string; name: string };
  components: FormComponent[];
  sets: number;
  processingWorkingDays: number;
  /** The legal processing time in its procedure's unit ("3,5 giờ làm việc"); absent = working days. */
  processingTime?: string;
  receivedAt: Date;
  dueAt: Date;
  channel: 'direct' | 'postal';
  returnMethod: { kind: 'desk' } | { kind: 'post'; address: string };
  fees: FormFee[];
  postalTariff: number | null;
  book: { volume: string; entry: number };
  clerkName: string;
  trackingUrl: string;
};

/** Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ */
export type SupplementData = {
  office: FormOffice;
  applicant: FormApplicant;
  procedure: { code: string; name: string };
  missing: { item: string; note?: string }[];
  issuedAt: Date;
  clerkName: string;
  helpPhone?: string;
};

/** Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ */
export type RefusalData = {
  office: FormOffice;
  applicant: FormApplicant;
  procedure: { code: string; name: string };
  reasons: string[];
  issuedAt: Date;
  clerkName: string;
};

export type TrackingBookRow = {
  dossierCode: string;
  procedureName: string;
  sets: number;
  applicantName: string;
  applicantContact: string;
  agencyName: string;
  receivedAt: Date;
  dueAt: Date | null;
  forwardedAt: Date | null;
  resultReceivedAt: Date | null;
  returnedAt: Date | null;
  note: string;
};

/** Mẫu 06 — Sổ theo dõi hồ sơ */
export type TrackingBookData = {
  office: FormOffice;
  /** YYYY-MM-DD */
  from: string;
  /** YYYY-MM-DD */
  to: string;
  volume: string;
  rows: TrackingBookRow[];
  printedAt: Date;
};

/** Phiếu hướng dẫn thực hiện thủ tục hành chính — what to bring, given to a citizen before submitting. */
export type GuidanceData = {
  office: FormOffice;
  procedure: {
    code: string;
    name: string;
    field: string;
    agencyName: string;
    processingWorkingDays: number;
    components: (FormComponent & { required: boolean; note?: string })[];
    fees: FormFee[];
    postalTariff: number;
    pickupAllowed: boolean;
    deliveryAllowed: boolean;
    legalBasis: string[];
    resultName: string;
  };
  catalogUrl: string;
  printedAt: Date;
};
