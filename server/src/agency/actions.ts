import { createHash } from 'node:crypto';
import {
  appError,
  type DossierEvent,
  type DossierState,
  processingDue,
  processingTimeOf,
  isProvisionalSpan,
  isAppError,
  workingHoursBetween,
} from '@postdesk/shared';
import { and, desc, eq } from 'drizzle-orm';
import { queueAgencyWebhook } from '../agency-api/webhooks';
import type { Db } from '../db/client';
import {
  applicants,
  documents,
  dossierEvents,
  dossiers,
  type IntakeComponent,
  procedureVersions,
  users,
} from '../db/schema';
import { type EventActor, recordEvent } from '../dossiers/engine';
import type { FileStore } from '../files/store';
import { recordProvisionalDue } from '../intake/holidays';
import {
  countersignPdf,
  longTermVerifyOptions,
  readTrustRoots,
  type Signer,
  signPdf,
  verifyPdf,
} from '../signing';
import { NO_SIGNING_KEY } from '../signing/signer';
import type { PinHolder } from '../signing/token';
import { boundWorkingHours, calendarFor, paperHandOverBy } from './clock';
import { onResultReleased } from './delivery';

/**
 * The agency hand-off as domain functions: the desk forwards and hands back, the agency official accepts,
 * asks for a supplement, decides, releases and apologises. The tRPC router (the official's inbox), the desk
 * page and the agency API (`/api/agency/*`) all call these, so the rules live once.
 *
 * Every function:
 * - checks scope first: agency actions need `agencyId` = the dossier's deciding agency, desk actions need
 *   `officeId` = the dossier's receiving office; otherwise DOSSIER_NOT_FOUND (another agency's dossier is not
 *   even confirmed to exist);
 * - runs in one transaction holding the dossier row lock, so two identical requests are serialised;
 * - is idempotent where a retry is likely: the same request again returns the first answer with
 *   `replayed: true` and changes nothing; a different request for a step already taken is refused.
 */

type DossierRow = typeof dossiers.$inferSelect;

export type ActionResult = {
  dossierId: string;
  code: string | null;
  state: DossierState;
  dueAt: Date | null;
  /** True when this request repeated one already applied: nothing changed. */
  replayed: boolean;
};

type Base = {
  dossierId: string;
  /** Who acts; `officeId` defaults to the agency (agency actions) or the receiving office (desk actions). */
  actor: EventActor;
  now?: Date;
};
/** An agency official's (or an agency system's) action: `agencyId` is the caller's agency. */
export type AgencyActionInput = Base & { agencyId: string };
/** A clerk's action at the receiving office: `officeId` is the caller's office. */
export type DeskActionInput = Base & { officeId: string };

export type SupplementItem = { item: string; note?: string };

/** A result document: a PDF the agency signed (verified here), or one PostDesk signs with `signer`. */
export type ResultUpload = {
  bytes: Uint8Array;
  /** Sign the (unsigned) PDF in PostDesk with the agency's key (`signer`) instead of verifying a signature. */
  signInPostDesk?: boolean;
  /** The name written in the signature when signing in PostDesk (the official's name). */
  signerName?: string;
  /** The token PIN the official typed (when the server has none configured). */
  pin?: string;
  /** The official's login session: a PIN typed there unlocks signing for that session only, for a while. */
  session?: PinHolder;
};

export type ResultOptions = {
  files: FileStore;
  /** Needed when `result.signInPostDesk`; its chain's root is also trusted when verifying. */
  signer?: Signer;
  /** CA certificates (DER) trusted for agency signatures; see `agencyTrustRoots`. */
  trustRoots?: Uint8Array[];
};

const summary = (row: DossierRow, replayed: boolean): ActionResult => ({
  dossierId: row.id,
  code: row.code,
  state: row.state,
  dueAt: row.dueAt,
  replayed,
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Trust roots for agency-signed results: the configured roots plus the root of PostDesk's own signer. */
export const agencyTrustRoots = async (opts: {
  signingTrustRoots?: string | undefined;
  signer?: Signer | undefined;
}) => [
  ...readTrustRoots(opts.signingTrustRoots),
  ...(opts.signer ? (await opts.signer.chain()).slice(-1) : []),
];

/** Runs `fn` in a transaction holding the dossier's row lock. */
const withDossier = <T>(db: Db, dossierId: string, fn: (tx: Db, row: DossierRow) => Promise<T>) =>
  db.transaction(async (tx) => {
    const [row] = await tx.select().from(dossiers).where(eq(dossiers.id, dossierId)).for('update');
    if (!row) throw appError('DOSSIER_NOT_FOUND');
    return fn(tx as unknown as Db, row);
  });

const checkAgency = (row: DossierRow, agencyId: string) => {
  if (row.agencyId !== agencyId) throw appError('DOSSIER_NOT_FOUND');
};
const checkDesk = (row: DossierRow, officeId: string) => {
  if (row.receivingOfficeId !== officeId) throw appError('DOSSIER_NOT_FOUND');
};

const lastEvent = async (tx: Db, dossierId: string, event?: DossierEvent) => {
  const [row] = await tx
    .select()
    .from(dossierEvents)
    .where(
      event
        ? and(eq(dossierEvents.dossierId, dossierId), eq(dossierEvents.event, event))
        : eq(dossierEvents.dossierId, dossierId),
    )
    .orderBy(desc(dossierEvents.seq))
    .limit(1);
  return row ?? null;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const actorFor = (actor: EventActor, officeId: string): EventActor => ({
  ...actor,
  officeId: actor.officeId ?? officeId,
});

const cleanText = (s: string) => s.normalize('NFC').trim();

// ---------------------------------------------------------------------------------------------------------
// Desk: forward
// ---------------------------------------------------------------------------------------------------------

export type ForwardResult = ActionResult & {
  forwardedAt: Date;
  /** The paper dossier's expected hand-over (15:00 rule), null for an online dossier without paper. */
  paperHandOverBy: Date | null;
};

/**
 * `forward` (digitized → forwarded): electronically at once; the paper dossier by the 15:00 rule, counted from
 * the receipt (its deadline, for Mẫu 05's early/on-time/late) and from now (when the hand-over is expected).
 */
export const forwardDossier = (db: Db, input: DeskActionInput): Promise<ForwardResult> =>
  withDossier(db, input.dossierId, async (tx, row) => {
    checkDesk(row, input.officeId);
    const previous = await lastEvent(tx, row.id);
    if (row.state === 'forwarded' && previous?.event === 'forward') {
      const p = previous.payload as { paperHandOverBy?: string | null };
      return {
        ...summary(row, true),
        forwardedAt: row.forwardedAt ?? previous.at,
        paperHandOverBy: p.paperHandOverBy ? new Date(p.paperHandOverBy) : null,
      };
    }
    const now = input.now ?? new Date();
    const cal = await calendarFor(tx, row.receivingOfficeId);
    const paper = row.channel !== 2;
    const expected = paper ? paperHandOverBy(now, cal) : null;
    const deadline = paper && row.receivedAt ? paperHandOverBy(row.receivedAt, cal) : null;
    const updated = await recordEvent(tx, {
      dossierId: row.id,
      event: 'forward',
      actor: actorFor(input.actor, input.officeId),
      now,
      payload: {
        fromOfficeId: row.receivingOfficeId,
        toAgencyId: row.agencyId,
        electronicAt: now.toISOString(),
        paper,
        paperHandOverBy: expected?.toISOString() ?? null,
        paperDueBy: deadline?.toISOString() ?? null,
      },
      patch: { forwardedAt: now },
    });
    // The agency's system hears of it (signed webhook), queued in this same transaction.
    await queueAgencyWebhook(tx, {
      dossierId: row.id,
      agencyId: row.agencyId,
      event: 'dossier.forwarded',
      now,
    });
    return { ...summary(updated, false), forwardedAt: now, paperHandOverBy: expected };
  });

// ---------------------------------------------------------------------------------------------------------
// Agency: accept, supplement, decide, release, apologise
// ---------------------------------------------------------------------------------------------------------

/** `accept` (forwarded → in_review). Accepting again is a replay. */
export const acceptDossier = (db: Db, input: AgencyActionInput): Promise<ActionResult> =>
  withDossier(db, input.dossierId, async (tx, row) => {
    checkAgency(row, input.agencyId);
    if (row.state === 'in_review') return summary(row, true);
    const updated = await recordEvent(tx, {
      dossierId: row.id,
      event: 'accept',
      actor: actorFor(input.actor, input.agencyId),
      now: input.now ?? new Date(),
      payload: {},
    });
    return summary(updated, false);
  });

export type SupplementResult = ActionResult & {
  /** 1 for the first request; a second one counts the dossier as late (Decision 766). */
  round: number;
  countsLate: boolean;
  /** The component codes the desk digitizes for this round (`BS<round>_<n>`; digitized codes use dots as separators). */
  componentCodes: string[];
};

/** Component code of the n-th (1-based) item of supplement round `round`. */
export const supplementComponentCode = (round: number, n: number) => `BS${round}_${n}`;

/**
 * `request_supplement` (forwarded/in_review → agency_supplement_requested): everything missing, listed once.
 * The clock pauses (`clockPausedAt`), the count goes up (a second request counts late), and the items become
 * components of the dossier so the desk can scan them; Mẫu 02 with these items goes back through the desk.
 */
export const requestAgencySupplement = (
  db: Db,
  input: AgencyActionInput & { items: SupplementItem[]; officialName?: string },
): Promise<SupplementResult> => {
  const items = input.items
    .map((i) => ({
      item: cleanText(i.item),
      ...(i.note?.trim() ? { note: cleanText(i.note) } : {}),
    }))
    .filter((i) => i.item.length > 0);
  if (items.length === 0) throw appError('AGENCY_SUPPLEMENT_ITEMS_REQUIRED');
  return withDossier(db, input.dossierId, async (tx, row) => {
    checkAgency(row, input.agencyId);
    if (row.state === 'agency_supplement_requested') {
      const previous = await lastEvent(tx, row.id, 'request_supplement');
      const p = previous?.payload as { items?: SupplementItem[]; round?: number } | undefined;
      if (p && same(p.items, items)) {
        const round = p.round ?? row.supplementCount;
        return {
          ...summary(row, true),
          round,
          countsLate: round > 1,
          componentCodes: items.map((_, i) => supplementComponentCode(round, i + 1)),
        };
      }
    }
    const now = input.now ?? new Date();
    const round = row.supplementCount + 1;
    const added: IntakeComponent[] = items.map((i, n) => ({
      code: supplementComponentCode(round, n + 1),
      name: i.item,
      form: 'copy',
      copies: 1,
      present: true,
      required: true,
    }));
    const intake = row.intake
      ? {
          ...row.intake,
          components: [...row.intake.components.filter((c) => !c.code.startsWith(`BS${round}_`)), ...added],
        }
      : row.intake;
    const updated = await recordEvent(tx, {
      dossierId: row.id,
      event: 'request_supplement',
      actor: actorFor(input.actor, input.agencyId),
      now,
      payload: {
        round,
        items,
        countsLate: round > 1,
        pausedAt: now.toISOString(),
        componentCodes: added.map((c) => c.code),
        ...(input.officialName ? { officialName: input.officialName } : {}),
      },
      patch: { clockPausedAt: now, supplementCount: round, intake },
    });
    return {
      ...summary(updated, false),
      round,
      countsLate: round > 1,
      componentCodes: added.map((c) => c.code),
    };
  });
};

/**
 * The official's own key (users.signingKeyLabel, on the same token as the desk's keys), as the desk's clerks
 * sign digitized copies: no key of one's own is a clear error (ask the administrator), never a signature with
 * PostDesk's base key in the official's name. The embedded demo's software transport makes a key per user.
 */
export const officialSigner = async (
  db: Db,
  signer: Signer,
  actor: EventActor | undefined,
  organization: string,
) => {
  const [official] = actor?.userId
    ? await db
        .select({ id: users.id, label: users.signingKeyLabel, fullName: users.fullName })
        .from(users)
        .where(eq(users.id, actor.userId))
    : [];
  const label = official?.label ?? (signer.kind === 'software' && official ? `user:${official.id}` : null);
  if (!official || !label) throw appError('TOKEN_NOT_FOUND', { reason: NO_SIGNING_KEY });
  return {
    label,
    fullName: official.fullName,
    signer: signer.forKey(label, { commonName: official.fullName, organization: organization || 'PostDesk' }),
  };
};

/**
 * A result signed here (no earlier signature) is archived as PDF/A-2b like a digitized copy, carrying the
 * dossier's code; a result with fonts not embedded keeps its form and only gains the metadata (pdfa.ts).
 */
const resultArchivalMeta = async (
  db: Db,
  dossierId: string | undefined,
  o: { reason: string; author: string; signingTime?: Date },
) => {
  const [row] = dossierId
    ? await db.select({ code: dossiers.code }).from(dossiers).where(eq(dossiers.id, dossierId))
    : [];
  return {
    title: row?.code ? `${o.reason} — ${row.code}` : o.reason,
    author: o.author || 'PostDesk',
    createdAt: o.signingTime ?? new Date(),
    ...(row?.code ? { dossierCode: row.code } : {}),
    kind: 'result',
  };
};

/**
 * Verifies an uploaded result (or signs it in PostDesk with the official's own key) and stores it; nothing is
 * written when it fails. A result the agency already signed and the official also asks PostDesk to sign is
 * counter-signed (an incremental update), so both signatures stay valid.
 */
export const prepareResultFile = async (
  db: Db,
  result: ResultUpload,
  opts: ResultOptions & {
    reason: string;
    location: string;
    now?: Date;
    actor?: EventActor;
    /** The dossier the result answers: its code goes into the archival metadata of a result signed here. */
    dossierId?: string;
  },
) => {
  const head = Buffer.from(result.bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw appError('PDF_INVALID', { reason: 'no %PDF- header' });
  const sourceSha256 = sha256(result.bytes);
  const trustRoots = opts.trustRoots ?? (await agencyTrustRoots({ signer: opts.signer }));
  let bytes = result.bytes;
  if (result.signInPostDesk) {
    if (!opts.signer) throw appError('AGENCY_RESULT_UNSIGNED', { reason: 'no signer available' });
    const own = await officialSigner(db, opts.signer, opts.actor, opts.location);
    const signer = result.session ? own.signer.forSession(result.session) : own.signer;
    const options = {
      reason: opts.reason,
      location: opts.location,
      name: result.signerName ?? own.fullName,
      ...(opts.now ? { signingTime: opts.now } : {}),
      ...(result.pin ? { pin: result.pin } : {}),
    };
    const already = (await verifyPdf(result.bytes, { trustRoots })).signatures.length > 0;
    bytes = await (already
      ? countersignPdf(result.bytes, signer, options)
      : signPdf(result.bytes, signer, {
          ...options,
          archival: await resultArchivalMeta(db, opts.dossierId, { ...options, author: opts.location }),
        })
    ).catch((err: unknown) => {
      // A label with no key behind it on the token: the same "ask the administrator" as no label at all.
      if (isAppError(err) && err.code === 'TOKEN_NOT_FOUND' && err.details?.key === own.label) {
        throw appError('TOKEN_NOT_FOUND', { ...err.details, reason: NO_SIGNING_KEY });
      }
      throw err;
    });
  }
  const verified = await verifyPdf(bytes, { trustRoots, ...longTermVerifyOptions() });
  if (verified.signatures.length === 0) throw appError('AGENCY_RESULT_UNSIGNED');
  // The same verdict as /verify: every signature TOTAL-PASSED (ETSI EN 319 102-1), nothing changed after any.
  const bad = verified.signatures.find((s) => s.indication !== 'TOTAL-PASSED');
  if (bad || verified.modifiedAfterSigning) {
    throw appError('AGENCY_RESULT_SIGNATURE_INVALID', {
      modifiedAfterSigning: verified.modifiedAfterSigning,
      signatureValid: bad?.signatureValid ?? true,
      trusted: bad?.chain.trusted ?? true,
      indication: bad?.indication ?? 'TOTAL-PASSED',
      subIndication: bad?.subIndication ?? null,
      reason: bad?.findings.map((f) => f.detail).join('; ') || null,
    });
  }
  const stored = await opts.files.put(db, { bytes, allowed: ['application/pdf'] });
  const first = verified.signatures[0]!;
  return {
    sha256: stored.sha256,
    sourceSha256,
    signedInPostDesk: Boolean(result.signInPostDesk),
    signer: first.signer.commonName,
    signedAt: first.signedAt?.toISOString() ?? null,
  };
};

export type DecideInput = AgencyActionInput &
  ResultOptions & {
    outcome: 'approved' | 'refused';
    /** Written reasons: required when refused (printed Mẫu 03-style). */
    reasons?: string[];
    /** The result document's number, e.g. `123/GCN-UBND`. */
    resultNumber?: string;
    /** The signed result; when approved it may instead come with `releaseResult` (see `requireResult`). */
    result?: ResultUpload;
    /** Refuse an approval without its result file (the official's upload form); default false. */
    requireResult?: boolean;
    /** The agency also issues a paper result, to be collected by the post. */
    paperResult?: boolean;
    /** For the signature's location line when signing in PostDesk. */
    agencyName?: string;
  };

export type DecideResult = ActionResult & {
  outcome: 'approved' | 'refused';
  resultFileSha256: string | null;
};

type DecidePayload = {
  outcome: 'approved' | 'refused';
  reasons: string[];
  resultNumber: string | null;
  sourceSha256: string | null;
  resultFileSha256: string | null;
  paperResult: boolean;
};

const DECIDED_OR_LATER: readonly DossierState[] = [
  'decided',
  'result_ready',
  'out_for_delivery',
  'delivery_failed',
  'returned_to_agency',
  'delivered',
  'returned',
];

/**
 * `decide` (in_review → decided): approved with a signed result PDF (verified on upload: unsigned or tampered
 * is refused, nothing changes), or signed here with the agency's key; or refused with written reasons. The
 * same decision posted again returns the first answer; a different one is AGENCY_ALREADY_DECIDED.
 */
export const decideDossier = async (db: Db, input: DecideInput): Promise<DecideResult> => {
  const reasons = (input.reasons ?? []).map(cleanText).filter((r) => r.length > 0);
  if (input.outcome === 'refused' && reasons.length === 0) throw appError('AGENCY_REASONS_REQUIRED');
  const resultNumber = input.resultNumber?.trim() ? cleanText(input.resultNumber) : null;
  const sourceSha256 = input.result ? sha256(input.result.bytes) : null;
  const wanted = {
    outcome: input.outcome,
    reasons,
    resultNumber,
    sourceSha256,
    paperResult: Boolean(input.paperResult),
  };
  // Replay check before the (slow) verification.
  const replay = await findDecisionReplay(db, input, wanted);
  if (replay) return replay;
  const prepared =
    input.outcome === 'approved' && input.result
      ? await prepareResultFile(db, input.result, {
          ...input,
          reason: `Kết quả giải quyết hồ sơ${resultNumber ? ` số ${resultNumber}` : ''}`,
          location: input.agencyName ?? '',
        })
      : null;
  return withDossier(db, input.dossierId, async (tx, row) => {
    checkAgency(row, input.agencyId);
    if (DECIDED_OR_LATER.includes(row.state)) {
      const again = await decisionReplay(tx, row, wanted);
      if (again) return again;
      throw appError('AGENCY_ALREADY_DECIDED');
    }
    const now = input.now ?? new Date();
    const payload: DecidePayload = { ...wanted, resultFileSha256: prepared?.sha256 ?? null };
    const updated = await recordEvent(tx, {
      dossierId: row.id,
      event: 'decide',
      actor: actorFor(input.actor, input.agencyId),
      now,
      payload: {
        ...payload,
        ...(prepared ? { signer: prepared.signer, signedInPostDesk: prepared.signedInPostDesk } : {}),
      },
      patch: {
        decision: {
          outcome: input.outcome,
          ...(reasons.length ? { reasons } : {}),
          ...(resultNumber ? { resultNumber } : {}),
          decidedAt: now.toISOString(),
        },
        paperResult: Boolean(input.paperResult),
        ...(prepared ? { resultFileSha256: prepared.sha256 } : {}),
      },
    });
    return {
      ...summary(updated, false),
      outcome: input.outcome,
      resultFileSha256: updated.resultFileSha256,
    };
  });
};

const decisionReplay = async (
  tx: Db,
  row: DossierRow,
  wanted: Omit<DecidePayload, 'resultFileSha256'>,
): Promise<DecideResult | null> => {
  const decided = await lastEvent(tx, row.id, 'decide');
  if (!decided) return null;
  const p = decided.payload as Partial<DecidePayload>;
  const matches =
    p.outcome === wanted.outcome &&
    same(p.reasons ?? [], wanted.reasons) &&
    (p.resultNumber ?? null) === wanted.resultNumber &&
    // A retry without the file (or with the same file) is the same decision.
    (wanted.sourceSha256 === null || (p.sourceSha256 ?? null) === wanted.sourceSha256);
  if (!matches) return null;
  return { ...summary(row, true), outcome: wanted.outcome, resultFileSha256: row.resultFileSha256 };
};

const findDecisionReplay = async (
  db: Db,
  input: DecideInput,
  wanted: Omit<DecidePayload, 'resultFileSha256'>,
) => {
  const [row] = await db.select().from(dossiers).where(eq(dossiers.id, input.dossierId));
  if (!row) throw appError('DOSSIER_NOT_FOUND');
  checkAgency(row, input.agencyId);
  if (!DECIDED_OR_LATER.includes(row.state)) {
    if (input.requireResult && input.outcome === 'approved' && !input.result)
      throw appError('AGENCY_RESULT_REQUIRED');
    return null;
  }
  const again = await decisionReplay(db, row, wanted);
  if (!again) throw appError('AGENCY_ALREADY_DECIDED');
  return again;
};

export type ReleaseInput = Base &
  Partial<ResultOptions> & {
    /** The agency official's agency, or … */
    agencyId?: string;
    /** … the clerk's receiving office (a clerk may release a result the agency delivered on paper). */
    officeId?: string;
    /** The result file, if it did not come with the decision. */
    result?: ResultUpload;
    paperResult?: boolean;
    agencyName?: string;
  };

export type ReleaseResult = ActionResult & {
  resultFileSha256: string | null;
  /** A delivery task was created (the result goes by post). */
  deliveryTask: boolean;
};

/**
 * `release_result` (decided → result_ready): the e-result is stored (`resultFileSha256`) and the paper result,
 * if any, is handed to the post (a Mẫu 05 row). When the citizen chose delivery by post, a courier task is
 * made in the same transaction. Releasing again is a replay.
 */
export const releaseResult = async (db: Db, input: ReleaseInput): Promise<ReleaseResult> => {
  if (!input.agencyId && !input.officeId) throw appError('FORBIDDEN');
  const prepared = input.result
    ? await prepareResultFile(
        db,
        input.result,
        input.files
          ? {
              files: input.files,
              ...(input.signer ? { signer: input.signer } : {}),
              ...(input.trustRoots ? { trustRoots: input.trustRoots } : {}),
              reason: 'Kết quả giải quyết hồ sơ',
              location: input.agencyName ?? '',
              actor: input.actor,
              dossierId: input.dossierId,
              ...(input.now ? { now: input.now } : {}),
            }
          : (() => {
              throw appError('INTERNAL', { reason: 'files store missing' });
            })(),
      )
    : null;
  return withDossier(db, input.dossierId, async (tx, row) => {
    if (input.agencyId) checkAgency(row, input.agencyId);
    else checkDesk(row, input.officeId!);
    if (row.state !== 'decided' && DECIDED_OR_LATER.includes(row.state)) {
      return { ...summary(row, true), resultFileSha256: row.resultFileSha256, deliveryTask: false };
    }
    const resultSha = prepared?.sha256 ?? row.resultFileSha256;
    if (row.state === 'decided' && row.decision?.outcome === 'approved' && !resultSha)
      throw appError('AGENCY_RESULT_REQUIRED');
    const now = input.now ?? new Date();
    const paperResult = input.paperResult ?? row.paperResult;
    const updated = await recordEvent(tx, {
      dossierId: row.id,
      event: 'release_result',
      actor: actorFor(input.actor, input.agencyId ?? input.officeId!),
      now,
      payload: {
        resultFileSha256: resultSha ?? null,
        paperResult,
        fromAgencyId: row.agencyId,
        toOfficeId: row.receivingOfficeId,
        outcome: row.decision?.outcome ?? null,
      },
      patch: { resultFileSha256: resultSha ?? null, paperResult },
    });
    const deliveryTask =
      updated.returnMethod === 1 ? await onResultReleased(tx, { dossierId: row.id, now }) : false;
    return { ...summary(updated, false), resultFileSha256: updated.resultFileSha256, deliveryTask };
  });
};

export type ApologyResult = ActionResult & { previousDueAt: Date | null };

/**
 * `apologize_and_extend` (Mẫu 04): a reason and a new due time, at least one working day before the current
 * due time and at most once (the lifecycle guard). The same apology again is a replay.
 */
export const apologizeAndExtend = (
  db: Db,
  input: AgencyActionInput & { reason: string; newDueAt: Date; officialName?: string },
): Promise<ApologyResult> => {
  const reason = cleanText(input.reason);
  if (!reason) throw appError('VALIDATION_FAILED', { fields: [{ path: 'reason', message: 'required' }] });
  return withDossier(db, input.dossierId, async (tx, row) => {
    checkAgency(row, input.agencyId);
    if (row.apologyCount >= 1) {
      const previous = await lastEvent(tx, row.id, 'apologize_and_extend');
      const p = previous?.payload as
        | { reason?: string; newDueAt?: string; previousDueAt?: string }
        | undefined;
      if (p && p.reason === reason && p.newDueAt === input.newDueAt.toISOString()) {
        return { ...summary(row, true), previousDueAt: p.previousDueAt ? new Date(p.previousDueAt) : null };
      }
    }
    if (row.dueAt && input.newDueAt.getTime() <= row.dueAt.getTime())
      throw appError('AGENCY_NEW_DUE_INVALID');
    const cal = await calendarFor(tx, row.receivingOfficeId);
    const updated = await recordEvent(tx, {
      dossierId: row.id,
      event: 'apologize_and_extend',
      actor: actorFor(input.actor, input.agencyId),
      now: input.now ?? new Date(),
      guard: {
        dueAt: row.dueAt,
        apologyCount: row.apologyCount,
        workingHoursBetween: boundWorkingHours(cal),
      },
      payload: {
        reason,
        previousDueAt: row.dueAt?.toISOString() ?? null,
        newDueAt: input.newDueAt.toISOString(),
        ...(input.officialName ? { officialName: input.officialName } : {}),
      },
      patch: { dueAt: input.newDueAt, apologyCount: row.apologyCount + 1 },
    });
    return { ...summary(updated, false), previousDueAt: row.dueAt };
  });
};

/**
 * `stop` (in_review / awaiting_payment → stopped): the agency stops processing for a written reason (the
 * applicant asked it to, the matter turned out to be another authority's, a court case decides it first…).
 * Terminal: the portal sees status 8, the applicant gets a text and reads the reason on the tracking page. The
 * same stop again is a replay; any other action on a stopped dossier is refused by the lifecycle.
 */
export const stopProcessing = async (db: Db, input: AgencyActionInput & { reason: string }) => {
  const reason = cleanText(input.reason);
  if (!reason) throw appError('AGENCY_STOP_REASON_REQUIRED');
  return withDossier(db, input.dossierId, async (tx, row) => {
    checkAgency(row, input.agencyId);
    if (row.state === 'stopped') {
      const previous = await lastEvent(tx, row.id, 'stop');
      if ((previous?.payload as { reason?: string } | undefined)?.reason === reason)
        return summary(row, true);
    }
    const updated = await recordEvent(tx, {
      dossierId: row.id,
      event: 'stop',
      actor: actorFor(input.actor, input.agencyId),
      now: input.now ?? new Date(),
      payload: { reason },
    });
    return summary(updated, false);
  });
};

// ---------------------------------------------------------------------------------------------------------
// Desk: complete a supplement, hand back
// ---------------------------------------------------------------------------------------------------------

export type CompleteSupplementResult = ActionResult & {
  /** Working hours the clock stood still (subtracted by the on-time indicator). */
  pausedHours: number;
  previousDueAt: Date | null;
};

/**
 * `complete_supplement` (agency_supplement_requested → forwarded): every item of the latest request is
 * digitized and signed; the dossier goes back to the agency and `clockPausedAt` is cleared. The legal
 * processing time restarts from zero when the complete dossier arrives (Decree 61 Art. 19.4, DOMAIN.md):
 * the new due time is the procedure's full processing time from now. The paused hours are recorded too,
 * because the on-time indicator subtracts supplement time instead.
 */
export const completeSupplement = (db: Db, input: DeskActionInput): Promise<CompleteSupplementResult> =>
  withDossier(db, input.dossierId, async (tx, row) => {
    checkDesk(row, input.officeId);
    if (row.state === 'forwarded') {
      const previous = await lastEvent(tx, row.id);
      if (previous?.event === 'complete_supplement') {
        const p = previous.payload as { pausedHours?: number; previousDueAt?: string | null };
        return {
          ...summary(row, true),
          pausedHours: p.pausedHours ?? 0,
          previousDueAt: p.previousDueAt ? new Date(p.previousDueAt) : null,
        };
      }
    }
    if (row.state !== 'agency_supplement_requested')
      throw appError('TRANSITION_NOT_ALLOWED', { event: 'complete_supplement', from: row.state });
    const prefix = `BS${row.supplementCount}_`;
    const wanted = (row.intake?.components ?? []).filter((c) => c.code.startsWith(prefix)).map((c) => c.code);
    const docs = await tx
      .select({
        code: documents.componentCode,
        signed: documents.signedFileSha256,
        source: documents.source,
      })
      .from(documents)
      .where(eq(documents.dossierId, row.id));
    const missing = wanted.filter(
      (code) => !docs.some((d) => d.code === code && (d.signed || d.source === 'reuse')),
    );
    if (missing.length > 0) throw appError('AGENCY_SUPPLEMENT_NOT_DIGITIZED', { missing });
    const now = input.now ?? new Date();
    const cal = await calendarFor(tx, row.receivingOfficeId);
    const pausedHours = row.clockPausedAt ? Math.max(0, workingHoursBetween(row.clockPausedAt, now, cal)) : 0;
    const [version] = await tx
      .select({
        hours: procedureVersions.processingHours,
        processingHours: procedureVersions.processingHours,
        processingUnit: procedureVersions.processingUnit,
        processingAmount: procedureVersions.processingAmount,
      })
      .from(procedureVersions)
      .where(eq(procedureVersions.id, row.procedureVersionId));
    // The legal appointment restarts from the complete dossier, in the version's own unit.
    const newDue = row.dueAt && version ? processingDue(now, processingTimeOf(version), cal) : row.dueAt;
    // The restarted appointment is a new due time: provisional too when it reaches an unpublished year.
    if (newDue && version && isProvisionalSpan(now, newDue, cal.holidays))
      await recordProvisionalDue(tx, {
        dossierId: row.id,
        dueAt: newDue,
        countedFrom: now,
        workingHours: version.hours,
      });
    const updated = await recordEvent(tx, {
      dossierId: row.id,
      event: 'complete_supplement',
      actor: actorFor(input.actor, input.officeId),
      now,
      payload: {
        round: row.supplementCount,
        documents: wanted,
        pausedAt: row.clockPausedAt?.toISOString() ?? null,
        pausedHours,
        previousDueAt: row.dueAt?.toISOString() ?? null,
        dueAt: newDue?.toISOString() ?? null,
        fromOfficeId: row.receivingOfficeId,
        toAgencyId: row.agencyId,
      },
      patch: { dueAt: newDue, clockPausedAt: null, forwardedAt: now },
    });
    // Back at the agency: its system hears of it like of the first forward.
    await queueAgencyWebhook(tx, {
      dossierId: row.id,
      agencyId: row.agencyId,
      event: 'dossier.forwarded',
      now,
    });
    return { ...summary(updated, false), pausedHours, previousDueAt: row.dueAt };
  });

/** Who collects the result at the desk: the applicant with their own id, or a proxy with an authorisation. */
export type HandBackRecipient =
  | { kind: 'applicant'; citizenId: string }
  | { kind: 'proxy'; citizenId: string; fullName: string; authorisation: string };

const maskId = (id: string) => `********${id.slice(-4)}`;

/**
 * `hand_back` (result_ready/returned_to_agency → returned): the clerk types the id number from the card; it
 * must be the applicant's, or the proxy shows an authorisation letter and their own id. Only the last four
 * digits of a proxy's id go into the event log.
 */
export const handBack = (
  db: Db,
  input: DeskActionInput & { recipient: HandBackRecipient },
): Promise<ActionResult> =>
  withDossier(db, input.dossierId, async (tx, row) => {
    checkDesk(row, input.officeId);
    if (row.state === 'returned') return summary(row, true);
    const r = input.recipient;
    const typed = r.citizenId.replace(/\s+/g, '');
    if (!/^\d{12}$/.test(typed)) throw appError('CITIZEN_ID_INVALID');
    let recipient: Record<string, unknown>;
    if (r.kind === 'applicant') {
      const [applicant] = row.applicantId
        ? await tx
            .select({ citizenId: applicants.citizenId })
            .from(applicants)
            .where(eq(applicants.id, row.applicantId))
        : [];
      if (!applicant?.citizenId || applicant.citizenId !== typed) throw appError('AGENCY_IDENTITY_MISMATCH');
      recipient = { kind: 'applicant', idChecked: true };
    } else {
      const fullName = cleanText(r.fullName);
      const authorisation = cleanText(r.authorisation);
      if (!fullName || !authorisation) throw appError('AGENCY_AUTHORISATION_REQUIRED');
      recipient = { kind: 'proxy', fullName, authorisation, citizenId: maskId(typed), idChecked: true };
    }
    const updated = await recordEvent(tx, {
      dossierId: row.id,
      event: 'hand_back',
      actor: actorFor(input.actor, input.officeId),
      now: input.now ?? new Date(),
      payload: { recipient },
    });
    return summary(updated, false);
  });
