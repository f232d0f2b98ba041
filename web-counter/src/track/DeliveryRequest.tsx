import { createSignal, Show } from 'solid-js';
import { api } from '../api';
import {
  AddressFields,
  createCitizenRun,
  createCommunes,
  firstMissing,
  OtpField,
  type Point,
  type Window,
} from '../citizen/fields';
import { formatMoney } from '../format';
import { t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import type { Holder } from './store';

/** "Deliver my result home": the address, a code to the phone on file, then the request. */
export const DeliveryRequest = (props: {
  holder: Holder;
  tariff: number;
  onDone: () => void;
  onCancel: () => void;
}) => {
  const [communes] = createCommunes();
  const [line, setLine] = createSignal('');
  const [communeCode, setCommuneCode] = createSignal('');
  const [window, setWindow] = createSignal<Window>('morning');
  const [point, setPoint] = createSignal<Point>();
  const [otp, setOtp] = createSignal('');
  const [sentTo, setSentTo] = createSignal<string>();
  const [invalid, setInvalid] = createSignal<'line' | 'commune' | 'otp'>();
  const { problem, busy, run } = createCitizenRun();

  const addressInvalid = () => {
    const field = invalid();
    return field === 'otp' ? undefined : field;
  };

  const sendCode = () =>
    run(async () => {
      const sent = await api.citizen.deliveryCode.mutate(props.holder);
      setSentTo(sent.sentTo);
      setOtp('');
      queueMicrotask(() => document.getElementById('delivery-otp')?.focus());
    });

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const missing = firstMissing(
      'delivery',
      [
        ['line', !line().trim()],
        ['commune', !communeCode()],
        ['otp', Boolean(sentTo()) && otp().length !== 6],
      ],
      setInvalid,
    );
    if (missing) return;
    if (!sentTo()) return void sendCode();
    void run(async () => {
      await api.citizen.requestDelivery.mutate({
        ...props.holder,
        otp: otp(),
        address: { line: line().trim(), communeCode: communeCode() },
        ...(point() ?? {}),
        window: window(),
      });
      props.onDone();
    });
  };

  return (
    <form class="citizen-panel" onSubmit={submit} noValidate aria-labelledby="delivery-title">
      <h3 id="delivery-title" class="track-subtitle">
        {t('citizen.delivery.title')}
      </h3>
      <p class="track-hint">{t('citizen.delivery.intro')}</p>
      <AddressFields
        idPrefix="delivery"
        communes={communes() ?? []}
        line={line()}
        onLine={setLine}
        communeCode={communeCode()}
        onCommune={setCommuneCode}
        window={window()}
        onWindow={setWindow}
        point={point()}
        onPoint={setPoint}
        invalid={addressInvalid()}
      />
      <p class="citizen-tariff">{t('citizen.delivery.tariff', { tariff: formatMoney(props.tariff) })}</p>
      <Show when={sentTo()}>
        {(phone) => (
          <OtpField
            id="delivery-otp"
            value={otp()}
            onInput={setOtp}
            invalid={invalid() === 'otp'}
            note={t('citizen.delivery.codeSent', { phone: phone() })}
          />
        )}
      </Show>
      <Show when={problem()}>{(p) => <ProblemNote problem={p()} id="delivery-problem" />}</Show>
      <div class="citizen-actions">
        <button type="submit" class="button button-primary track-submit" disabled={busy()}>
          {sentTo()
            ? busy()
              ? t('citizen.delivery.confirming')
              : t('citizen.delivery.confirm')
            : busy()
              ? t('citizen.delivery.sending')
              : t('citizen.delivery.sendCode')}
        </button>
        <Show when={sentTo()}>
          <button type="button" class="button button-quiet" disabled={busy()} onClick={() => void sendCode()}>
            {t('citizen.otp.resend')}
          </button>
        </Show>
        <button type="button" class="button button-quiet" onClick={() => props.onCancel()}>
          {t('citizen.delivery.cancel')}
        </button>
      </div>
    </form>
  );
};
