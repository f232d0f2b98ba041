import { useParams, useSearchParams } from '@solidjs/router';
import { DECLARED_CLAIMS, type DeclaredClaim } from '@postdesk/shared';
import QRCode from 'qrcode';
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError, type Problem } from '../errors';
import { lang, type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import './queue.css';

type Issued = Outputs['queue']['kioskTicket'] & { qr: string };

/** /queue/kiosk/:officeId?key=… — the touch screen at the office's door that prints numbers. */
export const KioskPage = () => {
  const params = useParams<{ officeId: string }>();
  const [search] = useSearchParams<{ key?: string }>();
  const [office] = createResource(() => api.queue.office.query({ officeId: params.officeId }));
  const [claims, setClaims] = createSignal<DeclaredClaim[]>([]);
  const [issued, setIssued] = createSignal<Issued>();
  const [problem, setProblem] = createSignal<Problem>();
  const [busy, setBusy] = createSignal(false);
  let reset: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(reset));

  const done = () => {
    clearTimeout(reset);
    setIssued(undefined);
    setClaims([]);
  };

  const take = async (groupId: string) => {
    if (busy()) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const ticket = await api.queue.kioskTicket.mutate({
        officeId: params.officeId,
        key: String(search.key ?? ''),
        groupId,
        claims: claims(),
      });
      const qr = await QRCode.toDataURL(`${location.origin}/queue/ticket/${ticket.id}`, {
        margin: 1,
        width: 220,
      });
      setIssued({ ...ticket, qr });
      reset = setTimeout(done, 20_000);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="kiosk-page">
      <header class="kiosk-header">
        <span class="kiosk-office">{office()?.name}</span>
        <LanguageSwitch />
      </header>
      <main class="kiosk-main">
        <Show when={office.error}>
          <ProblemNote problem={describeError(office.error)} />
        </Show>
        <Show
          when={issued()}
          fallback={
            <>
              <h1 class="kiosk-title">{t('queue.kiosk.choose')}</h1>
              <Show when={office() && !office()!.open}>
                <p class="queue-note kiosk-closed">{t('queue.kiosk.closed')}</p>
              </Show>
              <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
              <div class="kiosk-groups">
                <For each={office()?.groups ?? []}>
                  {(g) => (
                    <button
                      type="button"
                      class="kiosk-group"
                      disabled={busy()}
                      onClick={() => void take(g.id)}
                    >
                      <span class="kiosk-group-code" aria-hidden="true">
                        {g.code}
                      </span>
                      <span class="kiosk-group-name">{lang() === 'en' ? g.nameEn : g.nameVi}</span>
                    </button>
                  )}
                </For>
              </div>
              <fieldset class="kiosk-claims">
                <legend>{t('queue.kiosk.claims')}</legend>
                <For each={DECLARED_CLAIMS}>
                  {(c) => (
                    <label class="kiosk-claim">
                      <input
                        type="checkbox"
                        checked={claims().includes(c)}
                        onChange={(e) =>
                          setClaims(
                            e.currentTarget.checked ? [...claims(), c] : claims().filter((x) => x !== c),
                          )
                        }
                      />
                      <span>{t(`queue.claim.${c}` as MessageKey)}</span>
                    </label>
                  )}
                </For>
              </fieldset>
            </>
          }
        >
          {(ticket) => (
            <section class="kiosk-issued" aria-live="polite">
              <p class="kiosk-issued-caption">{t('queue.kiosk.yourNumber')}</p>
              <p class="kiosk-issued-number" data-ticket={ticket().label}>
                {ticket().label}
              </p>
              <p class="kiosk-issued-group">
                {lang() === 'en' ? ticket().groupName.en : ticket().groupName.vi}
              </p>
              <img src={ticket().qr} alt={t('queue.kiosk.scan')} width="220" height="220" />
              <p class="queue-hint">{t('queue.kiosk.scan')}</p>
              <button type="button" class="button button-primary kiosk-again" onClick={done}>
                {t('queue.kiosk.again')}
              </button>
            </section>
          )}
        </Show>
      </main>
    </div>
  );
};
