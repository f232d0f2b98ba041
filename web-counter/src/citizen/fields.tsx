import { createResource, createSignal, For, Show } from 'solid-js';
import { api } from '../api';
import type { Problem } from '../errors';
import { t } from '../i18n';
import { DeliveryMap } from '../intake/DeliveryMap';
import type { Commune } from '../intake/store';
import { citizenProblem } from '../track/store';

export type Window = 'morning' | 'afternoon';
export type Point = { lat: number; lng: number };

/** The communes, once per page (public catalogue). */
export const createCommunes = () => createResource(() => api.catalog.communes.query() as Promise<Commune[]>);

/** Address line, commune, time window and an optional map pin: the citizen's side of a courier visit. */
export const AddressFields = (props: {
  idPrefix: string;
  communes: Commune[];
  line: string;
  onLine: (v: string) => void;
  communeCode: string;
  onCommune: (v: string) => void;
  window: Window;
  onWindow: (v: Window) => void;
  point?: Point | undefined;
  onPoint: (p: Point) => void;
  invalid?: 'line' | 'commune' | undefined;
}) => {
  const centre = () => props.communes.find((c) => c.code === props.communeCode);
  return (
    <>
      <label class="track-field">
        <span class="track-label">{t('citizen.delivery.line')}</span>
        <input
          id={`${props.idPrefix}-line`}
          class="track-input"
          autocomplete="street-address"
          value={props.line}
          onInput={(e) => props.onLine(e.currentTarget.value)}
          aria-invalid={props.invalid === 'line'}
          aria-describedby={`${props.idPrefix}-line-hint`}
        />
        <span class="track-hint" id={`${props.idPrefix}-line-hint`}>
          {props.invalid === 'line' ? (
            <span class="track-error">{t('citizen.delivery.lineRequired')}</span>
          ) : (
            t('citizen.delivery.lineHint')
          )}
        </span>
      </label>
      <label class="track-field">
        <span class="track-label">{t('citizen.delivery.commune')}</span>
        <select
          id={`${props.idPrefix}-commune`}
          class="track-input citizen-select"
          value={props.communeCode}
          onChange={(e) => props.onCommune(e.currentTarget.value)}
          aria-invalid={props.invalid === 'commune'}
        >
          <option value="">{t('citizen.delivery.communeChoose')}</option>
          <For each={props.communes}>{(c) => <option value={c.code}>{c.name}</option>}</For>
        </select>
        <Show when={props.invalid === 'commune'}>
          <span class="track-error">{t('citizen.delivery.communeRequired')}</span>
        </Show>
      </label>
      <fieldset class="citizen-choices">
        <legend class="track-label">{t('citizen.delivery.window')}</legend>
        <For each={['morning', 'afternoon'] as const}>
          {(w) => (
            <label class="citizen-choice">
              <input
                type="radio"
                name={`${props.idPrefix}-window`}
                value={w}
                checked={props.window === w}
                onChange={() => props.onWindow(w)}
              />
              <span>{t(`citizen.window.${w}`)}</span>
            </label>
          )}
        </For>
      </fieldset>
      <div class="citizen-map">
        <p class="track-hint">{props.point ? t('citizen.map.pinned') : t('citizen.map.hint')}</p>
        <DeliveryMap communes={props.communes} centre={centre()} point={props.point} onPick={props.onPoint} />
      </div>
    </>
  );
};

/** The 6-digit code from the text message: numeric keyboard, filled from the SMS by phones that can. */
export const OtpField = (props: {
  id: string;
  value: string;
  onInput: (v: string) => void;
  invalid?: boolean;
  note?: string | undefined;
}) => (
  <label class="track-field">
    <span class="track-label">{t('citizen.otp.label')}</span>
    <input
      id={props.id}
      class="track-input citizen-otp"
      inputmode="numeric"
      autocomplete="one-time-code"
      maxlength={6}
      pattern="[0-9]*"
      value={props.value}
      onInput={(e) => props.onInput(e.currentTarget.value.replace(/\D/g, ''))}
      aria-invalid={Boolean(props.invalid)}
      aria-describedby={`${props.id}-hint`}
    />
    <span class="track-hint" id={`${props.id}-hint`}>
      {props.invalid ? (
        <span class="track-error">{t('citizen.otp.required')}</span>
      ) : (
        (props.note ?? t('citizen.otp.hint'))
      )}
    </span>
  </label>
);

/** One request at a time: `busy` while it runs, and its problem in plain words when it fails. */
export const createCitizenRun = () => {
  const [problem, setProblem] = createSignal<Problem>();
  const [busy, setBusy] = createSignal(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await work();
    } catch (error) {
      setProblem(citizenProblem(error));
    } finally {
      setBusy(false);
    }
  };
  return { problem, setProblem, busy, run };
};

/** The citizen's phone: phone keyboard, filled by the browser; the error replaces the hint when there is one. */
export const PhoneField = (props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  invalid: boolean;
  error: string;
  hint?: string;
}) => (
  <label class="track-field">
    <span class="track-label">{props.label}</span>
    <input
      id={props.id}
      class="track-input"
      type="tel"
      inputmode="tel"
      autocomplete="tel"
      value={props.value}
      onInput={(e) => props.onInput(e.currentTarget.value)}
      aria-invalid={props.invalid}
    />
    <Show
      when={props.hint}
      fallback={
        <Show when={props.invalid}>
          <span class="track-error">{props.error}</span>
        </Show>
      }
    >
      {(hint) => (
        <span class="track-hint">
          {props.invalid ? <span class="track-error">{props.error}</span> : hint()}
        </span>
      )}
    </Show>
  </label>
);

/**
 * The first field of the form still to fill, in the order the citizen reads them: marked invalid and
 * focused (its element id is `<prefix>-<field>`). Undefined when every field is filled.
 */
export const firstMissing = <F extends string>(
  prefix: string,
  checks: [field: F, missing: boolean][],
  mark: (field: F | undefined) => void,
) => {
  const missing = checks.find(([, isMissing]) => isMissing)?.[0];
  mark(missing);
  if (missing) document.getElementById(`${prefix}-${missing}`)?.focus();
  return missing;
};
