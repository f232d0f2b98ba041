import { useLocation, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, onCleanup, onMount, Show } from 'solid-js';
import { DevMailboxLink } from '../citizen/DevMailboxLink';
import { t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { createTracking, tokenFromHash } from './store';
import { TrackResult } from './TrackResult';

type Field = 'code' | 'phone';

const firstOf = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() ?? '';

/**
 * The citizen's page: the receipt's QR opens it with the code and the receipt's token, which show the dossier
 * at once; typed by hand, the code and the phone on file unlock it.
 */
export const TrackPage = () => {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const qrCode = firstOf(params.code);
  const qrToken = tokenFromHash(location.hash);
  const [code, setCode] = createSignal(qrCode);
  const [phone, setPhone] = createSignal('');
  const [missing, setMissing] = createSignal<Field>();
  const tracking = createTracking();
  let codeInput!: HTMLInputElement;
  let phoneInput!: HTMLInputElement;
  let resultRegion!: HTMLDivElement;

  const previousTitle = document.title;
  createEffect(() => {
    document.title = `${t('track.title')} — ${t('app.name')}`;
  });
  onCleanup(() => {
    document.title = previousTitle;
  });
  onMount(() => {
    if (qrCode && qrToken) {
      void tracking.lookUp({ code: qrCode, token: qrToken }).then((found) => {
        if (!found) phoneInput.focus();
      });
      return;
    }
    (qrCode ? phoneInput : codeInput).focus();
  });

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const input = { code: code().trim(), phone: phone().trim() };
    const empty: Field | undefined = !input.code ? 'code' : !input.phone ? 'phone' : undefined;
    setMissing(empty);
    if (empty) {
      (empty === 'code' ? codeInput : phoneInput).focus();
      return;
    }
    if (input.code !== firstOf(params.code)) setParams({ code: input.code }, { replace: true });
    if (await tracking.lookUp(input)) resultRegion.scrollIntoView({ block: 'start' });
  };

  const invalid = (field: Field) => missing() === field;
  const describedBy = (field: Field) =>
    [`track-${field}-hint`, invalid(field) && `track-${field}-error`].filter(Boolean).join(' ');

  return (
    <div class="track-page">
      <header class="public-header">
        <span class="public-brand">{t('track.title')}</span>
        <LanguageSwitch />
      </header>
      <main class="track-main">
        <h1 class="track-heading">{t('track.heading')}</h1>
        <p class="track-intro">{t('track.intro')}</p>
        <p class="track-hint">
          <a class="citizen-link" href="/my">
            {t('track.orVneid')}
          </a>
        </p>
        <form class="track-form" onSubmit={submit} noValidate aria-label={t('track.title')}>
          <label class="track-field">
            <span class="track-label">{t('track.code')}</span>
            <input
              ref={codeInput}
              id="track-code"
              class="track-input track-input-code"
              classList={{ 'track-input-prefilled': Boolean(qrCode) && code() === qrCode }}
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              value={code()}
              onInput={(event) => setCode(event.currentTarget.value)}
              aria-invalid={invalid('code')}
              aria-describedby={describedBy('code')}
            />
            <span class="track-hint" id="track-code-hint">
              {qrCode ? t('track.codeFromQr') : t('track.codeHint')}
            </span>
            <Show when={invalid('code')}>
              <span class="track-error" id="track-code-error">
                {t('track.codeRequired')}
              </span>
            </Show>
          </label>
          <label class="track-field">
            <span class="track-label">{t('track.phone')}</span>
            <input
              ref={phoneInput}
              id="track-phone"
              class="track-input"
              type="tel"
              inputmode="tel"
              autocomplete="tel"
              value={phone()}
              onInput={(event) => setPhone(event.currentTarget.value)}
              aria-invalid={invalid('phone')}
              aria-describedby={describedBy('phone')}
            />
            <span class="track-hint" id="track-phone-hint">
              {t('track.phoneHint')}
            </span>
            <Show when={invalid('phone')}>
              <span class="track-error" id="track-phone-error">
                {t('track.phoneRequired')}
              </span>
            </Show>
          </label>
          <Show when={tracking.problem()}>
            {(problem) => <ProblemNote problem={problem()} id="track-problem" />}
          </Show>
          <button type="submit" class="button button-primary track-submit" disabled={tracking.busy()}>
            {tracking.busy() ? t('track.submitting') : t('track.submit')}
          </button>
        </form>
        <div ref={resultRegion} class="track-result" aria-live="polite" aria-busy={tracking.busy()}>
          <Show when={tracking.dossier()}>
            {(dossier) => (
              <TrackResult dossier={dossier()} holder={tracking.holder()} onChanged={tracking.refresh} />
            )}
          </Show>
        </div>
      </main>
      <DevMailboxLink />
    </div>
  );
};
