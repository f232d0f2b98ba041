import { For, Show } from 'solid-js';
import { formatMoney } from '../format';
import { t } from '../i18n';
import { DeliveryIcon, DeskIcon } from '../icons';
import { CommunePicker } from './CommunePicker';
import { DeliveryMap } from './DeliveryMap';
import { FieldError } from './FieldError';
import { type DeliveryForm, type Intake, pointOf } from './store';
import type { DeliveryWindow } from './types';

/** Five decimals is about a metre: as close as a courier needs. */
const coordinate = (value: number) => String(Number(value.toFixed(5)));

/** The applicant's address as the courier reads it; a line read from an id card already ends with its commune. */
const applicantAddress = (intake: Intake) => {
  const line = intake.applicant.line;
  const commune = intake.communeName(intake.applicant.communeCode);
  return commune && !line.includes(commune) ? `${line}, ${commune}` : line;
};

const NumberField = (props: { intake: Intake; name: 'lat' | 'lng'; label: string }) => {
  const id = `delivery-${props.name}`;
  const error = () => props.intake.errors()[`delivery.${props.name}`];
  return (
    <div class="field">
      <label class="field-label" for={id}>
        {props.label}
      </label>
      <input
        id={id}
        inputmode="decimal"
        autocomplete="off"
        value={props.intake.delivery[props.name]}
        onInput={(event) =>
          props.intake.setDelivery({ [props.name]: event.currentTarget.value } as Partial<DeliveryForm>)
        }
        onChange={() => props.intake.checkPoint()}
        aria-invalid={Boolean(error())}
        aria-describedby={error() ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} problem={error()} />
    </div>
  );
};

const DeliveryFields = (props: { intake: Intake }) => (
  <div class="delivery-grid">
    <label class="check-field span-4">
      <input
        id="delivery-same"
        type="checkbox"
        checked={props.intake.delivery.sameAsApplicant}
        onChange={(event) => props.intake.setDelivery({ sameAsApplicant: event.currentTarget.checked })}
      />
      {t('delivery.same')}
      <Show when={props.intake.delivery.sameAsApplicant && props.intake.applicant.line}>
        <span class="muted"> ({applicantAddress(props.intake)})</span>
      </Show>
    </label>
    <Show when={!props.intake.delivery.sameAsApplicant}>
      <div class="field span-2">
        <label class="field-label" for="delivery-line">
          {t('delivery.line')}
        </label>
        <input
          id="delivery-line"
          autocomplete="off"
          value={props.intake.delivery.line}
          onInput={(event) => props.intake.setDelivery({ line: event.currentTarget.value })}
          aria-invalid={Boolean(props.intake.errors()['delivery.line'])}
          aria-describedby={props.intake.errors()['delivery.line'] ? 'delivery-line-error' : undefined}
        />
        <FieldError id="delivery-line-error" problem={props.intake.errors()['delivery.line']} />
      </div>
      <div class="span-2">
        <CommunePicker
          id="delivery-communeCode"
          label={t('delivery.commune')}
          value={props.intake.delivery.communeCode}
          communes={props.intake.communeList()}
          onChange={(code) => props.intake.setDelivery({ communeCode: code })}
          error={props.intake.errors()['delivery.communeCode']}
        />
      </div>
    </Show>
    <div class="delivery-point span-2">
      <div class="field">
        <label class="field-label" for="delivery-window">
          {t('delivery.window')}
        </label>
        <select
          id="delivery-window"
          value={props.intake.delivery.window}
          onChange={(event) =>
            props.intake.setDelivery({ window: event.currentTarget.value as DeliveryWindow })
          }
        >
          <option value="any">{t('window.any')}</option>
          <option value="morning">{t('window.morning')}</option>
          <option value="afternoon">{t('window.afternoon')}</option>
        </select>
        <FieldError id="delivery-window-error" problem={props.intake.errors()['delivery.window']} />
      </div>
      <div class="coordinate-pair">
        <NumberField intake={props.intake} name="lat" label={t('delivery.lat')} />
        <NumberField intake={props.intake} name="lng" label={t('delivery.lng')} />
      </div>
    </div>
    <div class="span-2">
      <DeliveryMap
        communes={props.intake.communeList()}
        centre={props.intake.deliveryCommune()}
        point={pointOf(props.intake.delivery.lat, props.intake.delivery.lng)}
        onPick={(point) =>
          props.intake.setDelivery({ lat: coordinate(point.lat), lng: coordinate(point.lng) })
        }
      />
    </div>
  </div>
);

export const FeesSection = (props: { intake: Intake }) => (
  <div class="fees-layout">
    <div class="fees-money">
      <h3>{t('fees.lines')}</h3>
      <ul class="money-list">
        <For each={props.intake.feeLines()} fallback={<li>{t('fee.free')}</li>}>
          {(fee) => (
            <li>
              <span>{fee.label}</span>
              <span class="amount">{formatMoney(fee.amount)}</span>
            </li>
          )}
        </For>
        <Show when={props.intake.returnMethod() === 'post'}>
          <li>
            <span>{t('fees.postalTariff')}</span>
            <span class="amount">{formatMoney(props.intake.postalTariff())}</span>
          </li>
        </Show>
        <li class="money-total">
          <span>{t('fees.total')}</span>
          <span class="amount" id="fees-total">
            {formatMoney(props.intake.total())}
          </span>
        </li>
      </ul>
    </div>
    <fieldset
      class="return-choice"
      aria-describedby={props.intake.errors().returnMethod ? 'return-error' : undefined}
    >
      <legend>{t('return.title')}</legend>
      <label class="radio-field">
        <input
          id="return-desk"
          type="radio"
          name="returnMethod"
          value="desk"
          checked={props.intake.returnMethod() === 'desk'}
          onChange={() => props.intake.setReturnMethod('desk')}
        />
        <DeskIcon />
        {t('return.desk')}
      </label>
      <label class="radio-field" classList={{ disabled: !props.intake.deliveryAllowed() }}>
        <input
          id="return-post"
          type="radio"
          name="returnMethod"
          value="post"
          disabled={!props.intake.deliveryAllowed()}
          checked={props.intake.returnMethod() === 'post'}
          onChange={() => props.intake.setReturnMethod('post')}
          aria-keyshortcuts="Alt+P"
          aria-describedby={props.intake.deliveryAllowed() ? undefined : 'return-post-reason'}
        />
        <DeliveryIcon />
        {t('return.post')}
        <Show when={props.intake.deliveryAllowed()}>
          <span class="muted">+{formatMoney(props.intake.postalTariff())}</span>
          <kbd>Alt+P</kbd>
        </Show>
      </label>
      <Show when={props.intake.procedure.state === 'ready' && !props.intake.deliveryAllowed()}>
        <p class="hint" id="return-post-reason">
          {t('return.postNotAllowed')}
        </p>
      </Show>
      <FieldError id="return-error" problem={props.intake.errors().returnMethod} />
      <Show when={props.intake.returnMethod() === 'post'}>
        <DeliveryFields intake={props.intake} />
      </Show>
    </fieldset>
  </div>
);
