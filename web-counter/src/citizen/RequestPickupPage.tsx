import { createEffect, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api, type Outputs } from '../api';
import { formatDate, formatDateTime, formatMoney } from '../format';
import { t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { citizenProblem } from '../track/store';
import {
  AddressFields,
  createCitizenRun,
  createCommunes,
  firstMissing,
  OtpField,
  PhoneField,
  type Point,
  type Window,
} from './fields';
import './citizen.css';
import { DevMailboxLink } from './DevMailboxLink';

type Summary = Outputs['catalog']['procedures'][number];
type Procedure = Outputs['catalog']['procedure'];
type Booked = Outputs['citizen']['requestPickup'];
type Field = 'procedure' | 'name' | 'phone' | 'line' | 'commune' | 'otp';

const FORM_WORDS = {
  original: 'citizen.pickup.original',
  copy: 'citizen.pickup.copy',
  original_or_certified_copy: 'citizen.pickup.originalOrCopy',
} as const;

const weekday = (day: string) =>
  new Intl.DateTimeFormat('vi-VN', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

/** /request-pickup — public, phone first: the post comes to collect a new dossier at home. */
export const RequestPickupPage = () => {
  const [communes] = createCommunes();
  const [days] = createResource(() => api.citizen.pickupDays.query());
  const [query, setQuery] = createSignal('');
  const [results] = createResource(query, (q) =>
    q.trim().length >= 2 ? api.catalog.procedures.query({ q: q.trim() }) : Promise.resolve([] as Summary[]),
  );
  const [procedure, setProcedure] = createSignal<Procedure>();
  const [name, setName] = createSignal('');
  const [phone, setPhone] = createSignal('');
  const [line, setLine] = createSignal('');
  const [communeCode, setCommuneCode] = createSignal('');
  const [window, setWindow] = createSignal<Window>('morning');
  const [point, setPoint] = createSignal<Point>();
  const [day, setDay] = createSignal('');
  const [deliverResult, setDeliverResult] = createSignal(false);
  const [otp, setOtp] = createSignal('');
  const [sentTo, setSentTo] = createSignal<string>();
  const [invalid, setInvalid] = createSignal<Field>();
  const { problem, setProblem, busy, run } = createCitizenRun();
  const [booked, setBooked] = createSignal<Booked>();
  // One key per booking: a retried request finds the first dossier instead of making a second one.
  let clientKey = crypto.randomUUID();

  const previousTitle = document.title;
  createEffect(() => {
    document.title = `${t('citizen.pickup.title')} — ${t('app.name')}`;
  });
  onCleanup(() => {
    document.title = previousTitle;
  });
  createEffect(() => {
    const first = days()?.[0];
    if (first && !day()) setDay(first);
  });

  const choose = async (code: string) => {
    setProblem(undefined);
    try {
      setProcedure(await api.catalog.procedure.query({ code }));
      setDeliverResult(false);
    } catch (error) {
      setProblem(citizenProblem(error));
    }
  };

  const tariff = () => {
    const p = procedure();
    if (!p) return 0;
    return p.postalTariff * (deliverResult() ? 2 : 1);
  };
  const fees = () => (procedure()?.fees ?? []).reduce((sum, f) => sum + f.amount, 0);

  const sendCode = () =>
    run(async () => {
      const sent = await api.citizen.pickupCode.mutate({
        procedureCode: procedure()!.code,
        phone: phone().trim(),
      });
      setSentTo(sent.sentTo);
      setOtp('');
      queueMicrotask(() => document.getElementById('pickup-otp')?.focus());
    });

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const missing = firstMissing<Field>(
      'pickup',
      [
        ['procedure', !procedure()],
        ['name', !name().trim()],
        ['phone', !phone().trim()],
        ['line', !line().trim()],
        ['commune', !communeCode()],
        ['otp', Boolean(sentTo()) && otp().length !== 6],
      ],
      setInvalid,
    );
    if (missing) return;
    if (!sentTo()) return void sendCode();
    void run(async () => {
      const result = await api.citizen.requestPickup.mutate({
        procedureCode: procedure()!.code,
        fullName: name().trim(),
        phone: phone().trim(),
        otp: otp(),
        address: { line: line().trim(), communeCode: communeCode() },
        ...(point() ?? {}),
        day: day(),
        window: window(),
        deliverResult: deliverResult(),
        clientKey,
      });
      setBooked(result);
      window_scrollTop();
    });
  };

  const window_scrollTop = () => document.querySelector('.track-main')?.scrollIntoView({ block: 'start' });

  const again = () => {
    clientKey = crypto.randomUUID();
    setBooked(undefined);
    setSentTo(undefined);
    setOtp('');
    setProcedure(undefined);
    setQuery('');
  };

  const addressInvalid = () => {
    const field = invalid();
    return field === 'line' || field === 'commune' ? field : undefined;
  };

  return (
    <div class="track-page">
      <header class="public-header">
        <span class="public-brand">{t('citizen.pickup.title')}</span>
        <LanguageSwitch />
      </header>
      <main class="track-main">
        <h1 class="track-heading">{t('citizen.pickup.heading')}</h1>
        <Show
          when={!booked()}
          fallback={
            <section class="track-card" role="status" aria-live="polite">
              <p class="citizen-done">
                {t('citizen.pickup.done', {
                  from: formatDateTime(booked()!.windowStart ?? null),
                  to: formatDateTime(booked()!.windowEnd ?? null).slice(-5),
                })}
              </p>
              <Show when={booked()!.officeName}>
                {(office) => <p>{t('citizen.pickup.doneOffice', { office: office() })}</p>}
              </Show>
              <p class="citizen-tariff">
                {t('citizen.pickup.tariff', { tariff: formatMoney(booked()!.postalTariff ?? 0) })}
              </p>
              <button type="button" class="button button-quiet citizen-link" onClick={again}>
                {t('citizen.pickup.another')}
              </button>
            </section>
          }
        >
          <p class="track-intro">{t('citizen.pickup.intro')}</p>
          <form class="track-form" onSubmit={submit} noValidate aria-label={t('citizen.pickup.title')}>
            <Show
              when={procedure()}
              fallback={
                <div class="track-field">
                  <label class="track-label" for="pickup-procedure">
                    {t('citizen.pickup.procedure')}
                  </label>
                  <input
                    id="pickup-procedure"
                    class="track-input"
                    type="search"
                    placeholder={t('citizen.pickup.search')}
                    value={query()}
                    onInput={(e) => setQuery(e.currentTarget.value)}
                    aria-invalid={invalid() === 'procedure'}
                  />
                  <ul class="citizen-procedures">
                    <For each={(results() ?? []).slice(0, 8)}>
                      {(p) => (
                        <li>
                          <button type="button" class="citizen-procedure" onClick={() => void choose(p.code)}>
                            <span>{p.name}</span>
                            <span class="citizen-muted">{p.agency.name}</span>
                          </button>
                        </li>
                      )}
                    </For>
                  </ul>
                </div>
              }
            >
              {(p) => (
                <section class="citizen-chosen" aria-labelledby="pickup-procedure-name">
                  <p class="track-label">{t('citizen.pickup.procedure')}</p>
                  <p id="pickup-procedure-name" class="citizen-section-title">
                    {p().name}
                  </p>
                  <button
                    type="button"
                    class="button button-quiet citizen-link"
                    onClick={() => {
                      setProcedure(undefined);
                      setSentTo(undefined);
                    }}
                  >
                    {t('citizen.pickup.change')}
                  </button>
                  <Show
                    when={p().pickupAllowed}
                    fallback={<p class="track-error">{t('citizen.pickup.noPickup')}</p>}
                  >
                    <h2 class="track-subtitle">{t('citizen.pickup.components')}</h2>
                    <ul class="citizen-list">
                      <For each={p().components}>
                        {(c) => (
                          <li>
                            {c.name}{' '}
                            <span class="citizen-muted">
                              ({t(FORM_WORDS[c.form])}, {t('citizen.pickup.copies', { n: c.copies })}
                              {c.required ? '' : `, ${t('citizen.pickup.optional')}`})
                            </span>
                          </li>
                        )}
                      </For>
                    </ul>
                    <p>
                      {fees() > 0
                        ? t('citizen.pickup.fees', { fees: formatMoney(fees()) })
                        : t('citizen.pickup.free')}
                    </p>
                  </Show>
                </section>
              )}
            </Show>
            <Show when={procedure()?.pickupAllowed}>
              <label class="track-field">
                <span class="track-label">{t('citizen.pickup.name')}</span>
                <input
                  id="pickup-name"
                  class="track-input"
                  autocomplete="name"
                  value={name()}
                  onInput={(e) => setName(e.currentTarget.value)}
                  aria-invalid={invalid() === 'name'}
                />
                <Show when={invalid() === 'name'}>
                  <span class="track-error">{t('citizen.pickup.nameRequired')}</span>
                </Show>
              </label>
              <PhoneField
                id="pickup-phone"
                label={t('citizen.pickup.phone')}
                value={phone()}
                onInput={(v) => {
                  setPhone(v);
                  setSentTo(undefined);
                }}
                invalid={invalid() === 'phone'}
                error={t('citizen.pickup.phoneRequired')}
                hint={t('citizen.pickup.phoneHint')}
              />
              <h2 class="track-subtitle">{t('citizen.pickup.address')}</h2>
              <AddressFields
                idPrefix="pickup"
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
              <label class="track-field">
                <span class="track-label">{t('citizen.pickup.day')}</span>
                <select
                  id="pickup-day"
                  class="track-input citizen-select"
                  value={day()}
                  onChange={(e) => setDay(e.currentTarget.value)}
                >
                  <For each={days() ?? []}>
                    {(d) => (
                      <option value={d}>
                        {weekday(d)}, {formatDate(d)}
                      </option>
                    )}
                  </For>
                </select>
              </label>
              <Show when={procedure()?.deliveryAllowed}>
                <label class="citizen-choice">
                  <input
                    type="checkbox"
                    checked={deliverResult()}
                    onChange={(e) => setDeliverResult(e.currentTarget.checked)}
                  />
                  <span>{t('citizen.pickup.deliverResult')}</span>
                </label>
              </Show>
              <p class="citizen-tariff" id="pickup-tariff">
                {deliverResult()
                  ? t('citizen.pickup.tariffBoth', { tariff: formatMoney(tariff()) })
                  : t('citizen.pickup.tariff', { tariff: formatMoney(tariff()) })}
              </p>
              <Show when={sentTo()}>
                {(to) => (
                  <OtpField
                    id="pickup-otp"
                    value={otp()}
                    onInput={setOtp}
                    invalid={invalid() === 'otp'}
                    note={t('citizen.delivery.codeSent', { phone: to() })}
                  />
                )}
              </Show>
            </Show>
            <Show when={problem()}>{(p) => <ProblemNote problem={p()} id="pickup-problem" />}</Show>
            <Show when={procedure()?.pickupAllowed}>
              <div class="citizen-actions">
                <button type="submit" class="button button-primary track-submit" disabled={busy()}>
                  {sentTo()
                    ? t('citizen.pickup.confirm')
                    : busy()
                      ? t('citizen.delivery.sending')
                      : t('citizen.delivery.sendCode')}
                </button>
                <Show when={sentTo()}>
                  <button
                    type="button"
                    class="button button-quiet"
                    disabled={busy()}
                    onClick={() => void sendCode()}
                  >
                    {t('citizen.otp.resend')}
                  </button>
                </Show>
              </div>
            </Show>
          </form>
        </Show>
      </main>
      <DevMailboxLink />
    </div>
  );
};
