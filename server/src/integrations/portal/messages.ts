import { receivingPartyOf } from '../../intake/departments';
import { EVENT_WORDS, isDossierEvent, portalDateTime, type Role } from '@postdesk/shared';
import { and, asc, eq, lte } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import {
  applicants,
  citizenAccounts,
  documents,
  dossierEvents,
  dossiers,
  type FeeLine,
  offices,
  procedures,
  procedureVersions,
  users,
} from '../../db/schema';

/** What the engine writes on every portal-visible change (`topic: 'portal.progress'`). */
export type PortalProgressPayload = {
  dossierId: string;
  code: string | null;
  seq: number;
  event: string;
  status: number;
  at: string;
};

export type ApplicantKind = 'citizen' | 'business' | 'state_body' | 'other';

/** Everything the two portal messages are made from, read once from the database. */
export type PortalSource = {
  message: PortalProgressPayload;
  /** True once an earlier message of this dossier reached the portal: the dossier record is an update. */
  isUpdating: boolean;
  dossier: {
    code: string | null;
    channel: number;
    returnMethod: number;
    createdAt: Date;
    receivedAt: Date | null;
    dueAt: Date | null;
  };
  procedure: { code: string; name: string; field: string; fees: FeeLine[] };
  agency: { code: string; name: string };
  /** The state one-stop department the dossier was received for (Decision 468): NoiNopHoSo. */
  receivingOffice: { code: string; name: string };
  /** The post office that received it on the department's behalf; null when the department itself did. */
  serviceProvider: { code: string; name: string } | null;
  applicant: {
    kind: ApplicantKind;
    citizenId: string | null;
    fullName: string;
    phone: string | null;
    email: string | null;
    /** The applicant has signed in with the national e-ID (VNeID) under this id number. */
    eidVerified: boolean;
  } | null;
  components: {
    id: string;
    componentCode: string;
    title: string | null;
    source: 'scan' | 'reuse' | 'upload' | 'online';
    signedFileSha256: string | null;
  }[];
  /** The event this message reports, and the events up to it (for end, return and refusal dates). */
  event: {
    actorName: string | null;
    actorKind: string;
    role: Role | null;
    officeName: string | null;
    at: Date;
  };
  history: { event: string; toState: string; at: Date }[];
  /** Where the portal fetches a component's signed PDF: `${filesBaseUrl}/<sha256>`; null = no links. */
  filesBaseUrl: string | null;
};

/** DongBoHoSoMC — the dossier record (create or update). */
export type PortalDossierRecord = {
  MaHoSo: string;
  MaTTHC: string;
  TenTTHC: string;
  MaLinhVuc: string | null;
  TenLinhVuc: string;
  KenhThucHien: number;
  SoGiayToChuHoSo: string | null;
  ChuHoSo: string;
  LoaiDoiTuong: number;
  MaDoiTuong: string | null;
  ThongTinKhac: string | null;
  Email: string | null;
  Fax: string | null;
  SoDienThoai: string | null;
  TrichYeuHoSo: string;
  NgayTiepNhan: string | null;
  NgayHenTra: string | null;
  TrangThaiHoSo: number;
  NgayTra: string | null;
  ThongTinTra: string | null;
  HinhThuc: number;
  NgayKetThucXuLy: string | null;
  DonViXuLy: string;
  GhiChu: string | null;
  NoiNopHoSo: string;
  NgayTuChoi: string | null;
  NgayNopHoSo: string;
  HoSoCoThanhPhanSoHoa: 0 | 1;
  /** The applicant's account is authenticated with VNeID (indicator 4.5, population-data use). */
  TaiKhoanDuocXacThucVoiVNeID: 0 | 1;
  TaiLieuNop: {
    TepDinhKemId: string;
    TenTepDinhKem: string;
    IsDeleted: boolean;
    MaThanhPhanHoSo: string;
    DuongDanTaiTepTin: string | null;
    DuocSoHoa: 0 | 1;
    DuocTaiSuDung: 0 | 1;
    DuocLayTuKhoDMQG: 0 | 1;
    MaKetQuaThayThe: string | null;
  }[];
  DanhSachLePhi: {
    TenPhiLePhi: string;
    MaPhiLePhi: string;
    HinhThucThu: number;
    Gia: number;
    LoaiPhiLePhi: number;
  }[];
};

/** CapNhatTienDoHoSoMC — one progress event. */
export type PortalProgressEvent = {
  MaHoSo: string;
  NguoiXuLy: string;
  ChucDanh: string;
  ThoiDiemXuLy: string;
  PhongBanXuLy: string;
  NoiDungXuLy: string;
  TrangThai: number;
  NgayBatDau: string;
  NgayKetThucTheoQuyDinh: string | null;
};

export type PortalMessages = {
  isUpdating: boolean;
  dossier: PortalDossierRecord;
  progress: PortalProgressEvent;
};

const LOAI_DOI_TUONG: Record<ApplicantKind, number> = { citizen: 1, business: 2, state_body: 3, other: 4 };

// The portal's own code for fee lines is not published; lệ phí (state fee) = 1, phí (service charge) = 2.
const LOAI_PHI: Record<FeeLine['kind'], number> = { fee: 1, charge: 2 };
/** HinhThucThu: collected directly at the desk (the post's own way of collecting). */
const HINH_THUC_THU_TRUC_TIEP = 1;

const TITLES: Record<string, string> = {
  clerk: 'Giao dịch viên bưu điện',
  courier: 'Bưu tá',
  agency_official: 'Cán bộ cơ quan giải quyết',
  supervisor: 'Giám sát viên bưu điện',
  admin: 'Quản trị hệ thống',
  citizen: 'Công dân',
  portal: 'Cổng Dịch vụ công quốc gia',
  payment_gateway: 'Cổng thanh toán',
  system: 'Hệ thống PostDesk',
  planner: 'Hệ thống PostDesk',
};

const when = (d: Date | null) => (d ? portalDateTime(d) : null);
const flag = (b: boolean): 0 | 1 => (b ? 1 : 0);
const firstAt = (history: PortalSource['history'], states: string[]) =>
  history.find((h) => states.includes(h.toState))?.at ?? null;

/** A component counts as digitized when it carries a signed electronic copy or is a reused one (already electronic). */
const isDigitized = (c: PortalSource['components'][number]) =>
  c.signedFileSha256 !== null || c.source === 'reuse';

export const toDossierRecord = (s: PortalSource): PortalDossierRecord => {
  const components = s.components.map((c) => ({
    TepDinhKemId: c.id,
    TenTepDinhKem: c.title ?? c.componentCode,
    IsDeleted: false,
    MaThanhPhanHoSo: c.componentCode,
    DuongDanTaiTepTin:
      c.signedFileSha256 && s.filesBaseUrl ? `${s.filesBaseUrl}/${c.signedFileSha256}` : null,
    DuocSoHoa: flag(isDigitized(c)),
    DuocTaiSuDung: flag(c.source === 'reuse'),
    DuocLayTuKhoDMQG: 0 as const,
    MaKetQuaThayThe: null,
  }));
  const applicantName = s.applicant?.fullName ?? '';
  return {
    MaHoSo: s.dossier.code ?? s.message.dossierId,
    MaTTHC: s.procedure.code,
    TenTTHC: s.procedure.name,
    MaLinhVuc: null,
    TenLinhVuc: s.procedure.field,
    KenhThucHien: s.dossier.channel,
    SoGiayToChuHoSo: s.applicant?.citizenId ?? null,
    ChuHoSo: applicantName,
    LoaiDoiTuong: LOAI_DOI_TUONG[s.applicant?.kind ?? 'citizen'],
    MaDoiTuong: null,
    ThongTinKhac: null,
    Email: s.applicant?.email ?? null,
    Fax: null,
    SoDienThoai: s.applicant?.phone ?? null,
    TrichYeuHoSo: applicantName ? `${s.procedure.name} — ${applicantName}` : s.procedure.name,
    NgayTiepNhan: when(s.dossier.receivedAt),
    NgayHenTra: when(s.dossier.dueAt),
    TrangThaiHoSo: s.message.status,
    NgayTra: when(firstAt(s.history, ['delivered', 'returned'])),
    ThongTinTra: null,
    HinhThuc: s.dossier.returnMethod,
    NgayKetThucXuLy: when(firstAt(s.history, ['decided', 'stopped', 'refused'])),
    DonViXuLy: s.agency.code,
    GhiChu: s.serviceProvider
      ? `Tiếp nhận qua dịch vụ bưu chính công ích: ${s.serviceProvider.name} (${s.serviceProvider.code})`
      : null,
    NoiNopHoSo: s.receivingOffice.name,
    NgayTuChoi: when(firstAt(s.history, ['refused'])),
    NgayNopHoSo: portalDateTime(s.dossier.createdAt),
    HoSoCoThanhPhanSoHoa: flag(components.some((c) => c.DuocSoHoa === 1)),
    TaiKhoanDuocXacThucVoiVNeID: flag(s.applicant?.eidVerified ?? false),
    TaiLieuNop: components,
    DanhSachLePhi: s.procedure.fees.map((f, i) => ({
      TenPhiLePhi: f.label,
      MaPhiLePhi: `${s.procedure.code}-${i + 1}`,
      HinhThucThu: HINH_THUC_THU_TRUC_TIEP,
      Gia: f.amount,
      LoaiPhiLePhi: LOAI_PHI[f.kind],
    })),
  };
};

export const toProgressEvent = (s: PortalSource): PortalProgressEvent => {
  const title = TITLES[s.event.role ?? s.event.actorKind] ?? TITLES.system!;
  const words = isDossierEvent(s.message.event) ? EVENT_WORDS[s.message.event] : null;
  return {
    MaHoSo: s.dossier.code ?? s.message.dossierId,
    NguoiXuLy: s.event.actorName ?? title,
    ChucDanh: title,
    ThoiDiemXuLy: portalDateTime(s.event.at),
    PhongBanXuLy: s.event.officeName ?? s.receivingOffice.name,
    NoiDungXuLy: words?.vi ?? 'Cập nhật hồ sơ',
    TrangThai: s.message.status,
    NgayBatDau: portalDateTime(s.dossier.receivedAt ?? s.dossier.createdAt),
    NgayKetThucTheoQuyDinh: when(s.dossier.dueAt),
  };
};

export const toPortalMessages = (s: PortalSource): PortalMessages => ({
  isUpdating: s.isUpdating,
  dossier: toDossierRecord(s),
  progress: toProgressEvent(s),
});

/**
 * Reads what the two messages need for one outbox message. The status and the event are the message's own
 * (the state at that step), the rest is the dossier as it is now: a late delivery never reports an older
 * status than the portal already holds, because messages go out in order.
 */
export const loadPortalSource = async (
  db: Db,
  opts: { message: PortalProgressPayload; isUpdating: boolean; filesBaseUrl?: string | null },
): Promise<PortalSource | null> => {
  const agency = alias(offices, 'agency');
  const [row] = await db
    .select({
      code: dossiers.code,
      channel: dossiers.channel,
      returnMethod: dossiers.returnMethod,
      createdAt: dossiers.createdAt,
      receivedAt: dossiers.receivedAt,
      dueAt: dossiers.dueAt,
      applicantId: dossiers.applicantId,
      procedureCode: procedures.code,
      procedureName: procedures.name,
      procedureField: procedures.field,
      fees: procedureVersions.fees,
      agencyCode: agency.code,
      agencyName: agency.name,
      receivingOfficeId: dossiers.receivingOfficeId,
      receivingDepartmentId: dossiers.receivingDepartmentId,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(procedureVersions, eq(procedureVersions.id, dossiers.procedureVersionId))
    .innerJoin(agency, eq(agency.id, dossiers.agencyId))
    .where(eq(dossiers.id, opts.message.dossierId));
  if (!row) return null;
  const party = await receivingPartyOf(db, row);

  const [applicant] = row.applicantId
    ? await db
        .select({
          kind: applicants.kind,
          citizenId: applicants.citizenId,
          fullName: applicants.fullName,
          phone: applicants.phone,
          email: applicants.email,
          eidAccount: citizenAccounts.citizenId,
        })
        .from(applicants)
        .leftJoin(citizenAccounts, eq(citizenAccounts.citizenId, applicants.citizenId))
        .where(eq(applicants.id, row.applicantId))
    : [];
  const components = await db
    .select({
      id: documents.id,
      componentCode: documents.componentCode,
      title: documents.title,
      source: documents.source,
      signedFileSha256: documents.signedFileSha256,
    })
    .from(documents)
    .where(eq(documents.dossierId, opts.message.dossierId))
    .orderBy(asc(documents.componentCode), asc(documents.createdAt));
  const history = await db
    .select({
      seq: dossierEvents.seq,
      event: dossierEvents.event,
      toState: dossierEvents.toState,
      at: dossierEvents.at,
      actorKind: dossierEvents.actorKind,
      role: dossierEvents.role,
      actorName: users.fullName,
      officeName: offices.name,
    })
    .from(dossierEvents)
    .leftJoin(users, eq(users.id, dossierEvents.actorUserId))
    .leftJoin(offices, eq(offices.id, dossierEvents.officeId))
    .where(and(eq(dossierEvents.dossierId, opts.message.dossierId), lte(dossierEvents.seq, opts.message.seq)))
    .orderBy(asc(dossierEvents.seq));
  const event = history.find((h) => h.seq === opts.message.seq);

  return {
    message: opts.message,
    isUpdating: opts.isUpdating,
    dossier: {
      code: row.code ?? opts.message.code,
      channel: row.channel,
      returnMethod: row.returnMethod,
      createdAt: row.createdAt,
      receivedAt: row.receivedAt,
      dueAt: row.dueAt,
    },
    procedure: {
      code: row.procedureCode,
      name: row.procedureName,
      field: row.procedureField,
      fees: row.fees,
    },
    agency: { code: row.agencyCode, name: row.agencyName },
    receivingOffice: { code: party.department.code, name: party.department.name },
    serviceProvider: party.provider ? { code: party.provider.code, name: party.provider.name } : null,
    applicant: applicant
      ? {
          kind: applicant.kind,
          citizenId: applicant.citizenId,
          fullName: applicant.fullName,
          phone: applicant.phone,
          email: applicant.email,
          eidVerified: applicant.eidAccount !== null,
        }
      : null,
    components,
    event: {
      actorName: event?.actorName ?? null,
      actorKind: event?.actorKind ?? 'system',
      role: event?.role ?? null,
      officeName: event?.officeName ?? null,
      at: event?.at ?? new Date(opts.message.at),
    },
    history: history.map((h) => ({ event: h.event, toState: h.toState, at: h.at })),
    filesBaseUrl: opts.filesBaseUrl ?? null,
  };
};
