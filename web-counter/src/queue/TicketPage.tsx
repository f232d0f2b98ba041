import { useParams } from '@solidjs/router';
import { createResource, onCleanup, onMount, Show } from 'solid-js';
import { api } from '../api';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { lang, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import './queue.css';

/** /queue/ticket/:ticketId — the citizen's own number on their phone, updating itself. */
export const TicketPage = () => {
  const params = useParams<{ ticketId: string }>();
  const [ticket, { refetch }] = createResource(
    () => params.ticketId,
    (ticketId) => api.queue.ticket.query({ ticketId }),
  );
  onMount(() => {
    const timer = setInterval(() => void refetch(), 5_000);
    onCleanup(() => clearInterval(timer));
  });
  return (
    <div class="track-page">
      <header class="public-header">
        <span class="public-brand">{ticket()?.officeName}</span>
        <LanguageSwitch />
      </header>
      <main class="track-main">
        <h1 class="track-heading">{t('queue.ticket.title')}</h1>
        <Show when={ticket.error}>
          <ProblemNote problem={describeError(ticket.error)} />
        </Show>
        <Show when={ticket()}>
          {(tk) => (
            <section class="track-card queue-ticket" aria-live="polite">
              <p class="queue-ticket-number">{tk().label}</p>
              <p>{lang() === 'en' ? tk().groupEn : tk().groupVi}</p>
              <Show when={tk().slotStart}>
                {(s) => <p>{t('queue.ticket.booked', { when: formatDateTime(s()) })}</p>}
              </Show>
              <p class="queue-ticket-status">
                {tk().status === 'waiting'
                  ? t('queue.ticket.ahead', { n: tk().ahead })
                  : tk().status === 'called'
                    ? t('queue.ticket.called', { desk: tk().deskName ?? '' })
                    : t(tk().status === 'done' ? 'queue.ticket.done' : 'queue.ticket.no_show')}
              </p>
              <p class="track-hint">{t('queue.ticket.keep')}</p>
            </section>
          )}
        </Show>
      </main>
    </div>
  );
};
