import { type CitizenIdCheck, ERRORS, isAppError, parseIdCardQr, validateCitizenId } from '@postdesk/shared';
import { batch, createEffect, createMemo, createResource, createSignal, on } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, type Outputs } from '../api';
import { describeError, type Problem } from '../errors';
import { formatDate, parseDisplayDate } from '../format';
import { foldDiacritics } from '../search';
import { type FieldErrors, fieldErrorsOf, fieldMessage, missingComponentsOf } from './fieldErrors';
import type {
  ApplicantLookup,
  DeliveryWindow,
  Outcome,
  Reusable,
  ReturnMethod,
  Sex,
  SubmitInput,
  SubmitResult,
  Warning,
} from './types';

export type Commune = {
  code: string;
  name: string;
  kind: string;
  lat: number | null;
  lng: number | null;
  provinceCode: string;
  provinceName: string;
};

export type ComponentEntry = {
  code: string;
  name: string;
  note?: string;
  required: boolean;
  expectedForm: string;
  expectedCopies: number;
  present: boolean;
  form: 'original' | 'copy';
  copies: number;
  reuse?: Reusable;
};

export type ApplicantForm = {
  citizenId: string;
  fullName: string;
  dateOfBirth: string;
  sex: '' | Sex;
  phone: string;
  email: string;
  line: string;
  provinceCode: string;
  communeCode: string;
};

export type DeliveryForm = {
  sameAsApplicant: boolean;
  line: string;
  communeCode: string;
  window: DeliveryWindow;
  lat: string;
  lng: string;
};

const emptyApplicant = (): ApplicantForm => ({
  citizenId: '',
  fullName: '',
  dateOfBirth: '',
  sex: '',
  phone: '',
  email: '',
  line: '',
  provinceCode: '',
  communeCode: '',
});

const problemOf = (code: keyof typeof ERRORS): Problem => ({
  code,
  vi: ERRORS[code].vi,
  en: ERRORS[code].en,
});

const numberOrUndefined = (text: string) => {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? undefined : Number(trimmed);
};

/** Viet Nam's extent, mainland and islands: a point outside it is a typing slip. */
export const VIETNAM_BOUNDS = { lat: [8, 24], lng: [102, 118] } as const;

const within = (value: number, [min, max]: readonly [number, number]) => value >= min && value <= max;

/** The delivery point as numbers, when both are typed and inside Viet Nam. */
export const pointOf = (lat: string, lng: string) => {
  const latitude = numberOrUndefined(lat);
  const longitude = numberOrUndefined(lng);
  if (latitude === undefined || longitude === undefined) return undefined;
  if (!within(latitude, VIETNAM_BOUNDS.lat) || !within(longitude, VIETNAM_BOUNDS.lng)) return undefined;
  return { lat: latitude, lng: longitude };
};

/** The commune whose name appears in a free-text address (an id card's QR address ends with commune and province). */
const communeInAddress = (address: string, communes: Commune[]) => {
  const folded = foldDiacritics(address);
  // The longest name that appears: "Thuận Hóa" must not lose to a commune called "Hóa".
  return communes
    .filter((commune) => folded.includes(foldDiacritics(commune.name)))
    .sort((a, b) => b.name.length - a.name.length)[0];
};

/** A dossier a courier collected at home, as `courier.pickedUp` lists it for the desk. */
export type PickedUp = Outputs['courier']['pickedUp'][number];

/** The picked-up dossier `pickedUpDossierId` names, or null when it no longer waits at the desk. */
const findPickedUp = async (dossierId: string): Promise<PickedUp | null> =>
  (await api.courier.pickedUp.query()).find((entry) => entry.dossierId === dossierId) ?? null;

/**
 * The wizard's state. With `pickedUpDossierId` it receives a dossier a courier collected at home: the fields are
 * filled in from the courier's dispatch note and the submission records the hand-over on that dossier.
 */
type Routing = {
  decidingAgency?: { code: string; reason: string } | undefined;
  departmentId?: string | undefined;
};

export const createIntake = (procedureCode: string, pickedUpDossierId?: string) => {
  /** One key per wizard: a double click or a retry after a network error is the same request to the server. */
  const clientKey = crypto.randomUUID();
  const [procedure] = createResource(
    () => procedureCode,
    (code) => api.catalog.procedure.query({ code }),
  );
  const [communes] = createResource(() => api.catalog.communes.query());
  /** The clerk's change of deciding agency (with a reason) and the department chosen (RoutingBox). */
  const [routing, setRoutingSignal] = createSignal<Routing>({});
  const [pickedUp] = createResource(() => pickedUpDossierId ?? false, findPickedUp);
  const [applicant, setApplicant] = createStore<ApplicantForm>(emptyApplicant());
  const [components, setComponents] = createStore<ComponentEntry[]>([]);
  const [delivery, setDelivery] = createStore<DeliveryForm>({
    sameAsApplicant: true,
    line: '',
    communeCode: '',
    window: 'any',
    lat: '',
    lng: '',
  });
  const [idCheck, setIdCheck] = createSignal<CitizenIdCheck>();
  const [fromQr, setFromQr] = createSignal(false);
  const [lookup, setLookup] = createSignal<ApplicantLookup>();
  const [lookingUp, setLookingUp] = createSignal(false);
  const [returnMethod, setReturnMethod] = createSignal<ReturnMethod>('desk');
  const [mode, setMode] = createSignal<Outcome | undefined>();
  const [extraItems, setExtraItems] = createSignal('');
  const [reason, setReason] = createSignal('');
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [absentByServer, setAbsentByServer] = createSignal<{ code: string; name: string }[]>([]);
  const [busy, setBusy] = createSignal(false);
  const [result, setResult] = createSignal<SubmitResult>();
  let lookedUpId: string | undefined;

  const communeList = (): Commune[] => (communes.state === 'ready' ? communes() : []);

  const provinces = createMemo(() => {
    const seen = new Map<string, string>();
    for (const commune of communeList()) seen.set(commune.provinceCode, commune.provinceName);
    return [...seen].map(([code, name]) => ({ code, name }));
  });

  createEffect(() => {
    const first = provinces()[0];
    if (first && !applicant.provinceCode) setApplicant('provinceCode', first.code);
  });

  createEffect(
    on(
      () => (procedure.state === 'ready' ? procedure() : undefined),
      (loaded) => {
        if (!loaded) return;
        setComponents(
          loaded.components.map((component) => ({
            code: component.code,
            name: component.name,
            note: component.note ?? undefined,
            required: component.required,
            expectedForm: component.form,
            expectedCopies: component.copies,
            present: false,
            form: component.form === 'original' ? 'original' : 'copy',
            copies: component.copies,
          })),
        );
        if (!loaded.deliveryAllowed) setReturnMethod('desk');
      },
    ),
  );

  /** The courier's dispatch note fills in the contact and the checklist; the clerk checks them against the bag. */
  createEffect(
    on(
      () =>
        [
          procedure.state === 'ready' ? procedure() : undefined,
          pickedUp.state === 'ready' ? pickedUp() : undefined,
          communes.state === 'ready' ? communes() : undefined,
        ] as const,
      ([loaded, entry, communeRows]) => {
        if (!loaded || !entry || !communeRows) return;
        batch(() => {
          if (!applicant.fullName && entry.contactName) setApplicant('fullName', entry.contactName);
          if (!applicant.phone && entry.contactPhone) setApplicant('phone', entry.contactPhone);
          if (!applicant.line && entry.address) {
            const commune = communeInAddress(entry.address, communeRows);
            setApplicant('line', entry.address);
            if (commune && !applicant.communeCode)
              setApplicant({ communeCode: commune.code, provinceCode: commune.provinceCode });
          }
          for (const item of entry.checklist) {
            const index = components.findIndex((component) => component.code === item.code);
            if (index < 0) continue;
            setComponents(index, {
              present: item.present,
              form: item.form,
              copies: item.copies ?? components[index]!.copies,
            });
          }
        });
      },
    ),
  );

  const clearError = (...keys: string[]) =>
    setErrors((current) => {
      if (!keys.some((key) => key in current)) return current;
      const next = { ...current };
      for (const key of keys) delete next[key];
      return next;
    });

  const setError = (key: string, problem: Problem) =>
    setErrors((current) => ({ ...current, [key]: problem }));

  /** The commune was read from the typed address line (not picked): the line may keep changing it. */
  let communeFromLine = false;

  const editApplicant = <K extends keyof ApplicantForm>(key: K, value: ApplicantForm[K]) => {
    setApplicant(key, value);
    clearError(key, 'general');
    if (key === 'communeCode' || key === 'provinceCode') communeFromLine = false;
    if (key === 'line' && (communeFromLine || !applicant.communeCode)) {
      // An address typed in full ("…, Phường Thuận Hóa, Thành phố Huế") names its commune: no second field to fill.
      const commune = communeInAddress(String(value), communeList());
      batch(() => {
        if (commune) setApplicant({ communeCode: commune.code, provinceCode: commune.provinceCode });
        else if (communeFromLine) setApplicant('communeCode', '');
        clearError('communeCode');
      });
      communeFromLine = Boolean(commune);
    }
  };

  const prefill = (found: ApplicantLookup['applicant']) => {
    if (!found) return;
    batch(() => {
      if (!applicant.fullName) setApplicant('fullName', found.fullName);
      if (!applicant.dateOfBirth && found.dateOfBirth)
        setApplicant('dateOfBirth', formatDate(found.dateOfBirth));
      if (!applicant.sex && found.sex) setApplicant('sex', found.sex);
      if (!applicant.line && found.address?.line) setApplicant('line', found.address.line);
      if (found.address?.communeCode && !applicant.communeCode) {
        setApplicant('communeCode', found.address.communeCode);
        if (found.address.provinceCode) setApplicant('provinceCode', found.address.provinceCode);
      }
    });
  };

  const lookUp = async (citizenId: string) => {
    if (lookedUpId === citizenId) return;
    lookedUpId = citizenId;
    setLookingUp(true);
    try {
      const found: ApplicantLookup = await api.intake.lookupApplicant.query({ citizenId, procedureCode });
      if (lookedUpId !== citizenId) return;
      setLookup(found);
      prefill(found.applicant);
    } catch (error) {
      lookedUpId = undefined;
      setError('lookup', describeError(error));
    } finally {
      setLookingUp(false);
    }
  };

  /** Exactly 12 digits or an inline error; the structure only warns. Resolves once any known applicant is filled in. */
  const acceptCitizenId = async () => {
    clearError('citizenId', 'lookup');
    let check: CitizenIdCheck;
    try {
      check = validateCitizenId(applicant.citizenId);
    } catch (error) {
      setIdCheck(undefined);
      setError('citizenId', isAppError(error) ? problemOf(error.code) : fieldMessage('citizenId'));
      return false;
    }
    batch(() => {
      setApplicant('citizenId', check.id);
      setIdCheck(check);
      if (!applicant.sex && check.sex) setApplicant('sex', check.sex);
    });
    if (lookedUpId !== check.id) {
      setLookup(undefined);
      for (const [index, component] of components.entries()) {
        if (component.reuse) setComponents(index, { reuse: undefined, present: false });
      }
    }
    await lookUp(check.id);
    return true;
  };

  /** A scanned or pasted id-card QR fills the card's fields; whatever the clerk typed for those is replaced. */
  const acceptQr = async (raw: string) => {
    try {
      const card = parseIdCardQr(raw);
      const commune = communeInAddress(card.address, communeList());
      batch(() => {
        setApplicant({
          citizenId: card.id,
          fullName: card.fullName,
          dateOfBirth: formatDate(card.dateOfBirth),
          sex: card.sex,
          line: card.address,
        });
        if (commune) setApplicant({ communeCode: commune.code, provinceCode: commune.provinceCode });
        setFromQr(true);
        clearError('citizenId', 'fullName', 'dateOfBirth', 'sex', 'line', 'communeCode');
      });
    } catch (error) {
      setFromQr(false);
      setError('citizenId', isAppError(error) ? problemOf(error.code) : problemOf('QR_INVALID'));
      return false;
    }
    return acceptCitizenId();
  };

  const warnings = createMemo<Warning[]>(() => {
    const all = [...(idCheck()?.warnings ?? []), ...(lookup()?.warnings ?? [])];
    return all.filter((warning, index) => all.findIndex((other) => other.code === warning.code) === index);
  });

  const reusableFor = (componentCode: string) =>
    (lookup()?.reusable ?? []).filter((document) => document.componentCode === componentCode);

  const setComponent = (index: number, patch: Partial<ComponentEntry>) => {
    setComponents(index, patch);
    clearError('components');
    setAbsentByServer([]);
  };

  const reuse = (document: Reusable) => {
    const index = components.findIndex((component) => component.code === document.componentCode);
    if (index < 0) return;
    setComponent(index, { reuse: document, present: true });
  };

  const stopReusing = (index: number) => setComponent(index, { reuse: undefined });

  /** Everything on the checklist handed in: one key instead of one per row; the clerk unticks what is missing. */
  const allPresent = () => {
    batch(() => {
      for (const index of components.keys()) setComponents(index, 'present', true);
    });
    clearError('components');
    setAbsentByServer([]);
  };

  const absentRequired = createMemo(() =>
    components.filter((component) => component.required && !component.present),
  );

  const feeLines = () => (procedure.state === 'ready' ? procedure()?.fees : undefined) ?? [];
  const postalTariff = () => (procedure.state === 'ready' ? (procedure()?.postalTariff ?? 0) : 0);
  const deliveryAllowed = () => procedure.state === 'ready' && Boolean(procedure()?.deliveryAllowed);
  const total = createMemo(
    () =>
      feeLines().reduce((sum, fee) => sum + fee.amount, 0) + (returnMethod() === 'post' ? postalTariff() : 0),
  );

  const communeName = (code: string) => communeList().find((commune) => commune.code === code)?.name ?? '';

  const missingDetails = createMemo(() => {
    const missing: string[] = [];
    if (!idCheck()) missing.push('missing.citizenId');
    if (!applicant.fullName.trim()) missing.push('missing.fullName');
    if (!applicant.phone.trim()) missing.push('missing.phone');
    if (!applicant.line.trim()) missing.push('missing.address');
    if (!applicant.communeCode) missing.push('missing.commune');
    if (
      returnMethod() === 'post' &&
      !delivery.sameAsApplicant &&
      (!delivery.line.trim() || !delivery.communeCode)
    )
      missing.push('missing.deliveryAddress');
    return missing;
  });

  const pointErrors = (): FieldErrors => {
    const found: FieldErrors = {};
    const lat = numberOrUndefined(delivery.lat);
    const lng = numberOrUndefined(delivery.lng);
    if (lat !== undefined && !within(lat, VIETNAM_BOUNDS.lat))
      found['delivery.lat'] = fieldMessage('delivery.lat');
    if (lng !== undefined && !within(lng, VIETNAM_BOUNDS.lng))
      found['delivery.lng'] = fieldMessage('delivery.lng');
    return found;
  };

  /** Checked when the clerk leaves a coordinate field, not on every keystroke. */
  const checkPoint = () => setErrors((current) => ({ ...current, ...pointErrors() }));

  /** The commune the map opens on: the delivery commune, or the applicant's. */
  const deliveryCommune = () => {
    const code = delivery.sameAsApplicant
      ? applicant.communeCode
      : delivery.communeCode || applicant.communeCode;
    return communeList().find((commune) => commune.code === code);
  };

  const deliveryAddress = () =>
    delivery.sameAsApplicant
      ? { line: applicant.line.trim(), communeCode: applicant.communeCode }
      : { line: delivery.line.trim(), communeCode: delivery.communeCode };

  const buildInput = (outcome: Outcome): { input: SubmitInput } | { errors: FieldErrors } => {
    const local: FieldErrors = {};
    const dateOfBirth = applicant.dateOfBirth.trim() ? parseDisplayDate(applicant.dateOfBirth) : undefined;
    if (dateOfBirth === null) local.dateOfBirth = fieldMessage('dateOfBirth');
    const lat = numberOrUndefined(delivery.lat);
    const lng = numberOrUndefined(delivery.lng);
    if (returnMethod() === 'post') Object.assign(local, pointErrors());
    if (outcome === 'refuse' && !reason().trim()) local.reason = fieldMessage('reason');
    if (Object.keys(local).length > 0) return { errors: local };
    const extra = extraItems()
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((item) => ({ item }));
    const input: SubmitInput = {
      clientKey,
      outcome,
      procedureCode,
      applicant: {
        citizenId: applicant.citizenId,
        fullName: applicant.fullName.trim(),
        dateOfBirth: dateOfBirth ?? undefined,
        sex: applicant.sex || undefined,
        phone: applicant.phone.trim(),
        email: applicant.email.trim() || undefined,
        address: { line: applicant.line.trim(), communeCode: applicant.communeCode },
      },
      components: components.map((component) => ({
        code: component.code,
        present: component.present,
        form: component.form,
        copies: component.copies,
        reuseDocumentId: component.reuse?.documentId,
      })),
      returnMethod: returnMethod(),
      delivery:
        returnMethod() === 'post'
          ? { address: deliveryAddress(), lat, lng, window: delivery.window }
          : undefined,
      missing: outcome === 'request_supplement' ? extra : undefined,
      reason: outcome === 'refuse' ? reason().trim() : undefined,
      pickedUpDossierId,
      decidingAgency: routing().decidingAgency?.code ? routing().decidingAgency : undefined,
      departmentId: routing().departmentId,
    };
    return { input };
  };

  /** Resolves to the field keys in error (empty on success), so the page can put focus on the first one. */
  const submit = async (outcome: Outcome): Promise<string[]> => {
    if (busy() || result()) return [];
    setErrors({});
    setAbsentByServer([]);
    const idAccepted = await acceptCitizenId();
    const built = buildInput(outcome);
    if (!idAccepted || 'errors' in built) {
      if ('errors' in built) setErrors((current) => ({ ...current, ...built.errors }));
      return Object.keys(errors());
    }
    setBusy(true);
    try {
      const done = await api.intake.submit.mutate(built.input);
      setResult(done);
      return [];
    } catch (error) {
      const found = fieldErrorsOf(error);
      setErrors(found);
      setAbsentByServer(missingComponentsOf(error));
      return Object.keys(found);
    } finally {
      setBusy(false);
    }
  };

  return {
    procedureCode,
    clientKey,
    routing,
    setRouting: (patch: Partial<Routing>) => setRoutingSignal((current) => ({ ...current, ...patch })),
    procedure,
    pickedUpDossierId,
    pickedUp,
    communes,
    communeList,
    communeName,
    provinces,
    applicant,
    editApplicant,
    acceptCitizenId,
    acceptQr,
    fromQr,
    idCheck,
    warnings,
    lookup,
    lookingUp,
    components,
    setComponent,
    reusableFor,
    reuse,
    stopReusing,
    allPresent,
    absentRequired,
    absentByServer,
    delivery,
    setDelivery: (patch: Partial<DeliveryForm>) => {
      setDelivery(patch);
      const edited = Object.keys(patch).map((key) => `delivery.${key}`);
      if ('sameAsApplicant' in patch) edited.push('delivery.line', 'delivery.communeCode');
      clearError(...edited);
    },
    checkPoint,
    deliveryCommune,
    returnMethod,
    setReturnMethod: (method: ReturnMethod) => {
      setReturnMethod(method);
      clearError('returnMethod');
    },
    deliveryAllowed,
    feeLines,
    postalTariff,
    total,
    missingDetails,
    mode,
    setMode,
    extraItems,
    setExtraItems: (text: string) => {
      setExtraItems(text);
      clearError('missing');
    },
    reason,
    setReason: (text: string) => {
      setReason(text);
      clearError('reason');
    },
    errors,
    busy,
    submit,
    result,
  };
};

export type Intake = ReturnType<typeof createIntake>;
