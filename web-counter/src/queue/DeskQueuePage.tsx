import { useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError, type Problem } from '../errors';
import { lang, type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { isTyping, onKey } from '../shell/shortcuts';
import { calledTicket, saveDesk, savedDesk } from './current';
import './queue.css';

type Board = Outputs['queue']['desks'];
type Ticket = NonNullable<Board['desks'][number]['serving']>;

/** /queue — the clerk's desk: "Gọi số tiếp theo" (F2), recall, skip, transfer, and intake with the number's data. */
export const DeskQueuePage = () => {
  const navigate = useNavigate();
  const [deskId, setDeskId] = createSignal(savedDesk());
  const [board, { refetch }] = createResource(() => api.queue.desks.query());
  const [links] = createResource(() => api.queue.links.query());
  const [problem, setProblem] = createSignal<Problem>();
  const [note, setNote] = createSignal<MessageKey>();
  const [busy, setBusy] = createSignal(false);
  const [transferTo, setTransferTo] = createSignal('');

  const desk = () => board()?.desks.find((d) => d.id === deskId());
  const serving = () => desk()?.serving ?? null;
  const groupName = (id: string) => {
    const g = board()?.groups.find((x) => x.id === id);
    return g ? `${g.code} ${lang() === 'en' ? g.nameEn : g.nameVi}` : '';
  };

  const act = async (work: () => Promise<unknown>) => {
    if (busy()) return;
    setBusy(true);
    setProblem(undefined);
    setNote(undefined);
    try {
      await work();
      await refetch();
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  const remember = (ticket: Ticket) =>
    calledTicket.set({
      id: ticket.id,
      label: ticket.label,
      fullName: ticket.fullName,
      phone: ticket.phone,
      procedureCode: ticket.procedureCode,
    });

  const openIntake = (ticket: Ticket) => {
    remember(ticket);
    navigate(ticket.procedureCode ? `/intake/${encodeURIComponent(ticket.procedureCode)}` : '/');
  };

  const callNext = () =>
    act(async () => {
      const next = await api.queue.callNext.mutate({ deskId: deskId() });
      if (!next) {
        calledTicket.set(null);
        setNote('queue.desk.nobody');
        return;
      }
      remember(next);
      if (next.procedureCode) navigate(`/intake/${encodeURIComponent(next.procedureCode)}`);
    });

  const onCurrent = (work: (ids: { deskId: string; ticketId: string }) => Promise<unknown>) => {
    const ticket = serving();
    if (ticket) void act(() => work({ deskId: deskId(), ticketId: ticket.id }));
  };

  onKey((event) => {
    if (event.key === 'F2' && deskId() && !isTyping(event.target)) {
      event.preventDefault();
      void callNext();
    }
  });
  onMount(() => {
    const timer = setInterval(() => void refetch(), 5_000);
    onCleanup(() => clearInterval(timer));
  });

  return (
    <section class="queue-desk" aria-labelledby="queue-desk-title">
      <h1 id="queue-desk-title" class="page-title">
        {t('queue.desk.title')}
      </h1>
      <Show when={board.error}>
        <ProblemNote problem={describeError(board.error)} />
      </Show>
      <div class="queue-desk-layout">
        <div class="queue-desk-main">
          <label class="queue-desk-choose">
            <span>{t('queue.desk.choose')}</span>
            <select
              value={deskId()}
              onChange={(e) => {
                setDeskId(e.currentTarget.value);
                saveDesk(e.currentTarget.value);
              }}
            >
              <option value="">—</option>
              <For each={board()?.desks ?? []}>
                {(d) => (
                  <option value={d.id} selected={d.id === deskId()}>
                    {d.name}
                  </option>
                )}
              </For>
            </select>
            <span class="queue-hint">
              <Show when={desk()} fallback={t('queue.desk.chooseHint')}>
                {(d) => t('queue.desk.groups', { groups: d().groupIds.map(groupName).join(', ') })}
              </Show>
            </span>
          </label>
          <button
            type="button"
            class="button button-primary queue-call-next"
            disabled={!deskId() || busy()}
            onClick={() => void callNext()}
            aria-keyshortcuts="F2"
          >
            {t('queue.desk.callNext')} <kbd>F2</kbd>
          </button>
          <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
          <Show when={note()}>
            {(k) => (
              <p class="queue-note" role="status">
                {t(k())}
              </p>
            )}
          </Show>
          <Show when={serving()}>
            {(ticket) => (
              <article class="queue-serving" aria-labelledby="queue-serving-label">
                <p class="queue-serving-caption">{t('queue.desk.serving')}</p>
                <p id="queue-serving-label" class="queue-serving-number">
                  {ticket().label}
                </p>
                <dl class="queue-facts">
                  <Show when={ticket().fullName}>
                    <dt>{t('queue.desk.name')}</dt>
                    <dd>{ticket().fullName}</dd>
                  </Show>
                  <Show when={ticket().phone}>
                    <dt>{t('queue.desk.phone')}</dt>
                    <dd>{ticket().phone}</dd>
                  </Show>
                  <Show when={ticket().procedureCode}>
                    <dt>{t('queue.desk.procedure')}</dt>
                    <dd>{ticket().procedureCode}</dd>
                  </Show>
                  <Show when={ticket().claims.length > 0}>
                    <dt>{t('queue.desk.claims')}</dt>
                    <dd class="queue-claims">
                      {ticket()
                        .claims.map((c) => t(`queue.claim.${c}` as MessageKey))
                        .join(', ')}
                    </dd>
                  </Show>
                  <dt>{t('queue.desk.waited')}</dt>
                  <dd>
                    {t('queue.minutes', {
                      n: Math.max(
                        0,
                        Math.round(
                          (new Date(ticket().calledAt ?? 0).getTime() -
                            new Date(ticket().waitFrom).getTime()) /
                            60_000,
                        ),
                      ),
                    })}
                  </dd>
                </dl>
                <div class="queue-actions">
                  <button type="button" class="button button-primary" onClick={() => openIntake(ticket())}>
                    {t('queue.desk.intake')}
                  </button>
                  <button
                    type="button"
                    class="button"
                    onClick={() => onCurrent((ids) => api.queue.recall.mutate(ids))}
                  >
                    {t('queue.desk.recall')}
                  </button>
                  <button
                    type="button"
                    class="button"
                    onClick={() => onCurrent((ids) => api.queue.skip.mutate(ids))}
                  >
                    {t('queue.desk.skip')}
                  </button>
                  <button
                    type="button"
                    class="button"
                    onClick={() => onCurrent((ids) => api.queue.finish.mutate(ids))}
                  >
                    {t('queue.desk.finish')}
                  </button>
                </div>
                <form
                  class="queue-transfer"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (transferTo())
                      onCurrent((ids) => api.queue.transfer.mutate({ ...ids, groupId: transferTo() }));
                  }}
                >
                  <label>
                    <span>{t('queue.desk.transfer')}</span>
                    <select value={transferTo()} onChange={(e) => setTransferTo(e.currentTarget.value)}>
                      <option value="">—</option>
                      <For each={board()?.groups ?? []}>
                        {(g) => <option value={g.id}>{groupName(g.id)}</option>}
                      </For>
                    </select>
                  </label>
                  <button type="submit" class="button" disabled={!transferTo()}>
                    {t('queue.desk.transferDo')}
                  </button>
                </form>
              </article>
            )}
          </Show>
        </div>
        <aside class="queue-desk-side">
          <h2 class="queue-side-title">{t('queue.desk.waitingPerGroup')}</h2>
          <ul class="queue-groups">
            <For each={board()?.groups ?? []}>
              {(g) => (
                <li>
                  <span>{groupName(g.id)}</span>
                  <strong data-group={g.code}>{g.waiting}</strong>
                </li>
              )}
            </For>
          </ul>
          <Show when={links()}>
            {(l) => (
              <>
                <h2 class="queue-side-title">{t('queue.desk.links')}</h2>
                <ul class="queue-links">
                  <li>
                    <a href={l().screen} target="_blank" rel="noopener">
                      {t('queue.desk.screenLink')}
                    </a>
                  </li>
                  <Show when={desk() && l().desks.find((d) => d.id === deskId())}>
                    {(d) => (
                      <li>
                        <a href={d().url} target="_blank" rel="noopener">
                          {t('queue.desk.qrLink')}
                        </a>
                      </li>
                    )}
                  </Show>
                </ul>
              </>
            )}
          </Show>
        </aside>
      </div>
    </section>
  );
};
