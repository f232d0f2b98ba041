import { type DeskErrorBody, DeskError, type Outputs } from '../api';
import { session } from '../session';

export type AgencyInbox = Outputs['agency']['inbox'];
export type InboxItem = AgencyInbox['items'][number];
export type DossierView = Outputs['agency']['dossier'];

/** A multipart POST to `/agency-desk/*` (the result PDF travels as a file, beside tRPC). */
const postForm = async <T>(path: string, body: FormData): Promise<T> => {
  const officeId = session.membership()?.officeId;
  const url = officeId ? `${path}?${new URLSearchParams({ office: officeId })}` : path;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body, credentials: 'include' });
  } catch {
    throw new DeskError(null, 0);
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new DeskError(json?.code ? (json as DeskErrorBody) : null, response.status);
  return json as T;
};

export type DecisionForm = {
  outcome: 'approved' | 'refused';
  resultNumber?: string;
  reasons?: string;
  paperResult: boolean;
  signInPostDesk: boolean;
  /** The signing token's PIN, once the server asked for it (TOKEN_PIN_INVALID). */
  pin?: string;
  file?: File | null;
};

export const agencyDesk = {
  decide: (dossierId: string, form: DecisionForm) => {
    const body = new FormData();
    body.append('outcome', form.outcome);
    if (form.resultNumber) body.append('resultNumber', form.resultNumber);
    if (form.reasons) body.append('reasons', form.reasons);
    body.append('paperResult', String(form.paperResult));
    body.append('signInPostDesk', String(form.signInPostDesk));
    if (form.signInPostDesk && form.pin) body.append('pin', form.pin);
    if (form.file) body.append('file', form.file, form.file.name);
    return postForm<{ state: string; replayed: boolean }>(
      `/agency-desk/dossiers/${encodeURIComponent(dossierId)}/decide`,
      body,
    );
  },
};

/** Working hours left, in days and hours of 8-hour working days: "2 ngày 3 giờ". */
export const splitHours = (hours: number) => {
  const abs = Math.abs(hours);
  const days = Math.floor(abs / 8);
  const rest = Math.round((abs - days * 8) * 10) / 10;
  return { days, hours: rest };
};

export const formUrl = (
  dossierId: string,
  form: 'mau01' | 'mau02-agency' | 'mau03-agency' | 'mau04' | 'mau05',
) => `/forms/dossiers/${dossierId}/${form}`;
