import { appError, dueAt as dueAfter } from '@postdesk/shared';
import { asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { applicants, dossierEvents, dossiers, procedures, users } from '../db/schema';
import {
  type HandOverRow,
  renderApology,
  renderControlSlip,
  renderRefusal,
  renderSupplementRequest,
} from '../forms';
import { assertFormVisible, formApplicant, formOffice } from '../intake/form-parties';
import { joinAddressOf } from './address';
import { calendarFor, timelinessOf } from './clock';

export type AgencyForm = 'mau02-agency' | 'mau03-agency' | 'mau04' | 'mau05';

/** Art. 19.4 of Decree 61/2018: an agency returns an ineligible dossier within 3 working days. */
const SUPPLEMENT_WITHIN_HOURS = 3 * 8;

type Loaded = Awaited<ReturnType<typeof load>>;

const load = async (db: Db, opts: { dossierId: string; officeIds: string[]; isAdmin: boolean }) => {
  const [row] = await db
    .select({
      dossier: dossiers,
      procedure: { code: procedures.code, name: procedures.name },
      applicant: {
        fullName: applicants.fullName,
        citizenId: applicants.citizenId,
        phone: applicants.phone,
        email: applicants.email,
        address: applicants.address,
      },
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .leftJoin(applicants, eq(applicants.id, dossiers.applicantId))
    .where(eq(dossiers.id, opts.dossierId));
  assertFormVisible(row, opts);
  const actor = alias(users, 'actor');
  const events = await db
    .select({
      seq: dossierEvents.seq,
      event: dossierEvents.event,
      at: dossierEvents.at,
      payload: dossierEvents.payload,
      actorName: actor.fullName,
      actorKind: dossierEvents.actorKind,
    })
    .from(dossierEvents)
    .leftJoin(actor, eq(actor.id, dossierEvents.actorUserId))
    .where(eq(dossierEvents.dossierId, opts.dossierId))
    .orderBy(asc(dossierEvents.seq));
  return { ...row, events };
};

/** The hand-over rows of Mẫu 05, read from the event log. */
export const handOverRows = async (db: Db, data: Loaded): Promise<HandOverRow[]> => {
  const d = data.dossier;
  const [desk, agency] = await Promise.all([formOffice(db, d.receivingOfficeId), formOffice(db, d.agencyId)]);
  const deskName = `Bộ phận TN&TKQ - ${desk.name}`;
  const cal = await calendarFor(db, d.receivingOfficeId);
  const citizen = data.applicant?.fullName ? `Công dân ${data.applicant.fullName}` : 'Công dân';
  const rows: HandOverRow[] = [];
  const nextActor = (fromSeq: number, event: string) =>
    data.events.find((e) => e.seq > fromSeq && e.event === event)?.actorName ?? null;
  let lastForwardAt: Date | null = null;
  for (const e of data.events) {
    const p = e.payload as Record<string, unknown>;
    switch (e.event) {
      case 'forward':
      case 'complete_supplement': {
        lastForwardAt = e.at;
        const dueBy = typeof p.paperDueBy === 'string' ? new Date(p.paperDueBy) : null;
        const note =
          e.event === 'forward'
            ? p.paper
              ? `Chuyển hồ sơ điện tử ngay; hồ sơ giấy giao trước ${
                  typeof p.paperHandOverBy === 'string' ? formatShort(new Date(p.paperHandOverBy)) : '…'
                }`
              : 'Chuyển hồ sơ điện tử'
            : `Đã bổ sung hồ sơ (lần ${String(p.round ?? 1)}); thời gian tạm dừng ${String(p.pausedHours ?? 0)} giờ làm việc`;
        rows.push({
          from: deskName,
          to: agency.name,
          at: e.at,
          giver: e.actorName,
          receiver: nextActor(e.seq, 'accept'),
          dueBy,
          timeliness: dueBy ? timelinessOf(e.at, dueBy) : null,
          note,
        });
        break;
      }
      case 'request_supplement': {
        const items = (p.items as { item: string }[] | undefined) ?? [];
        let dueBy: Date | null = null;
        try {
          dueBy = lastForwardAt ? dueAfter(lastForwardAt, SUPPLEMENT_WITHIN_HOURS, cal) : null;
        } catch {
          dueBy = null;
        }
        rows.push({
          from: agency.name,
          to: deskName,
          at: e.at,
          giver: e.actorName,
          receiver: nextActor(e.seq, 'complete_supplement'),
          dueBy,
          timeliness: dueBy ? timelinessOf(e.at, dueBy) : null,
          note: `Yêu cầu bổ sung lần ${String(p.round ?? 1)} (Mẫu 02): ${items.map((i) => i.item).join('; ')}${
            p.countsLate ? '. Yêu cầu bổ sung lần thứ hai: tính là trễ hạn' : ''
          }`,
        });
        break;
      }
      case 'apologize_and_extend':
        rows.push({
          from: agency.name,
          to: deskName,
          at: e.at,
          giver: e.actorName,
          note: `Phiếu xin lỗi (Mẫu 04), hẹn lại: ${
            typeof p.newDueAt === 'string' ? formatShort(new Date(p.newDueAt)) : '…'
          }. Lý do: ${String(p.reason ?? '')}`,
        });
        break;
      case 'release_result': {
        const outcome = p.outcome === 'refused' ? 'Không giải quyết (có văn bản nêu lý do)' : 'Có kết quả';
        rows.push({
          from: agency.name,
          to: deskName,
          at: e.at,
          giver: e.actorName,
          receiver: nextActor(e.seq, 'hand_back') ?? nextActor(e.seq, 'dispatch'),
          dueBy: d.dueAt,
          timeliness: timelinessOf(e.at, d.dueAt),
          note: `${outcome}${d.decision?.resultNumber ? `, số ${d.decision.resultNumber}` : ''}${
            p.paperResult ? '; bản giấy do bưu điện nhận' : ''
          }`,
        });
        break;
      }
      case 'hand_back':
        rows.push({
          from: deskName,
          to: citizen,
          at: e.at,
          giver: e.actorName,
          dueBy: d.dueAt,
          timeliness: timelinessOf(e.at, d.dueAt),
          note: 'Trả kết quả tại Bộ phận một cửa',
        });
        break;
      case 'deliver':
        rows.push({
          from: `Bưu điện - ${desk.name}`,
          to: citizen,
          at: e.at,
          giver: e.actorName,
          dueBy: d.dueAt,
          timeliness: timelinessOf(e.at, d.dueAt),
          note: 'Trả kết quả tại nhà qua dịch vụ bưu chính công ích',
        });
        break;
      default:
        break;
    }
  }
  return rows;
};

const formatShort = (d: Date) => {
  const t = new Date(d.getTime() + 7 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(t.getUTCHours())}:${two(t.getUTCMinutes())} ${two(t.getUTCDate())}/${two(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`;
};

/**
 * Mẫu 02 (the agency's supplement request, printed at the desk), Mẫu 04 (the apology) and Mẫu 05 (the
 * control slip) of a dossier, rendered from the event log. Staff see them only from the receiving office or
 * the deciding agency.
 */
export const renderAgencyForm = async (
  db: Db,
  opts: { dossierId: string; form: AgencyForm; officeIds: string[]; isAdmin: boolean; now?: Date },
) => {
  const data = await load(db, opts);
  const d = data.dossier;
  const applicant = await formApplicant(data.applicant, (address) => joinAddressOf(db, address));
  if (opts.form === 'mau02-agency') {
    const request = data.events.filter((e) => e.event === 'request_supplement').at(-1);
    if (!request) throw appError('AGENCY_FORM_NOT_AVAILABLE');
    const p = request.payload as { items?: { item: string; note?: string }[] };
    const [agency, desk] = await Promise.all([
      formOffice(db, d.agencyId),
      formOffice(db, d.receivingOfficeId),
    ]);
    return renderSupplementRequest({
      office: agency,
      applicant,
      procedure: data.procedure,
      missing: p.items ?? [],
      issuedAt: request.at,
      clerkName: request.actorName ?? agency.name,
      ...(desk.phone ? { helpPhone: desk.phone } : {}),
    });
  }
  if (opts.form === 'mau03-agency') {
    // The agency's refusal after appraisal, with its written reasons (Decree 61/2018 Art. 19.8).
    const decided = data.events.filter((e) => e.event === 'decide').at(-1);
    const reasons = d.decision?.outcome === 'refused' ? (d.decision.reasons ?? []) : [];
    if (!decided || reasons.length === 0) throw appError('AGENCY_FORM_NOT_AVAILABLE');
    const agency = await formOffice(db, d.agencyId);
    return renderRefusal({
      office: agency,
      applicant,
      procedure: data.procedure,
      reasons,
      issuedAt: decided.at,
      clerkName: decided.actorName ?? agency.name,
    });
  }
  if (opts.form === 'mau04') {
    const apology = data.events.find((e) => e.event === 'apologize_and_extend');
    if (!apology || !d.code || !d.receivedAt) throw appError('AGENCY_FORM_NOT_AVAILABLE');
    const p = apology.payload as { reason?: string; newDueAt?: string; previousDueAt?: string };
    const [agency, desk] = await Promise.all([
      formOffice(db, d.agencyId),
      formOffice(db, d.receivingOfficeId),
    ]);
    return renderApology({
      agency,
      desk,
      applicant,
      procedure: data.procedure,
      dossierCode: d.code,
      receivedAt: d.receivedAt,
      previousDueAt: new Date(p.previousDueAt ?? d.dueAt ?? apology.at),
      newDueAt: new Date(p.newDueAt ?? d.dueAt ?? apology.at),
      reason: p.reason ?? '',
      issuedAt: apology.at,
      officialName: apology.actorName ?? agency.name,
    });
  }
  if (!d.code || !d.receivedAt) throw appError('AGENCY_FORM_NOT_AVAILABLE');
  const [desk, agency] = await Promise.all([formOffice(db, d.receivingOfficeId), formOffice(db, d.agencyId)]);
  return renderControlSlip({
    desk,
    dossierCode: d.code,
    applicantName: applicant.fullName,
    procedure: data.procedure,
    receivedAt: d.receivedAt,
    dueAt: d.dueAt,
    agencyName: agency.name,
    rows: await handOverRows(db, data),
    printedAt: opts.now ?? new Date(),
  });
};
