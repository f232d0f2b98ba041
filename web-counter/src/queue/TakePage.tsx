import { DECLARED_CLAIMS, type DeclaredClaim } from '@postdesk/shared';
import { useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { api } from '../api';
import { describeError, type Problem } from '../errors';
import { formatDateTime, vietnamToday } from '../format';
import { lang, type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import './queue.css';

const hhmm = (d: Date) => formatDateTime(d).slice(-5);

/** /queue/take/:officeId — the desk's QR code opens it on the citizen's phone: a number now, or a slot booked ahead. */
export const TakePage = () => {
  const params = useParams<{ officeId: string }>();
  const navigate = useNavigate();
  // A link that already knows the procedure (the portal, the track page) sends it along to the desk.
  const [search] = useSearchParams<{ procedure?: string }>();
  const procedureCode = () =>
    String(search.procedure ?? '')
      .trim()
      .slice(0, 16);
  const [office] = createResource(() => api.queue.office.query({ officeId: params.officeId }));
  const [mode, setMode] = createSignal<'now' | 'book'>('now');
  const [groupId, setGroupId] = createSignal('');
  const [fullName, setFullName] = createSignal('');
  const [phone, setPhone] = createSignal('');
  const [claims, setClaims] = createSignal<DeclaredClaim[]>([]);
  const [date, setDate] = createSignal(vietnamToday());
  const [slot, setSlot] = createSignal<Date>();
  const [problem, setProblem] = createSignal<Problem>();
  const [busy, setBusy] = createSignal(false);
  const group = () => groupId() || office()?.groups[0]?.id || '';
  const [slots] = createResource(
    () =>
      mode() === 'book' && group() ? { officeId: params.officeId, groupId: group(), date: date() } : false,
    (q) => api.queue.slots.query(q),
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy()) return;
    setProblem(undefined);
    const base = {
      officeId: params.officeId,
      groupId: group(),
      phone: phone(),
      claims: claims(),
      ...(fullName().trim() ? { fullName: fullName() } : {}),
      ...(procedureCode() ? { procedureCode: procedureCode() } : {}),
    };
    const chosen = slot();
    if (mode() === 'book' && !chosen) {
      setProblem({ vi: t('queue.take.chooseSlot'), en: t('queue.take.chooseSlot') });
      return;
    }
    setBusy(true);
    try {
      const ticket =
        mode() === 'book' && chosen
          ? await api.queue.book.mutate({ ...base, slotStart: chosen })
          : await api.queue.phoneTicket.mutate(base);
      navigate(`/queue/ticket/${ticket.id}`);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="track-page">
      <header class="public-header">
        <span class="public-brand">{office()?.name}</span>
        <LanguageSwitch />
      </header>
      <main class="track-main">
        <h1 class="track-heading">{t('queue.take.title')}</h1>
        <Show when={office.error}>
          <ProblemNote problem={describeError(office.error)} />
        </Show>
        <div class="queue-modes" role="tablist">
          <For each={['now', 'book'] as const}>
            {(m) => (
              <button
                type="button"
                role="tab"
                aria-selected={mode() === m}
                class={`button ${mode() === m ? 'button-primary' : ''}`}
                onClick={() => setMode(m)}
              >
                {t(m === 'now' ? 'queue.take.now' : 'queue.take.book')}
              </button>
            )}
          </For>
        </div>
        <form class="track-form" onSubmit={submit}>
          <label class="track-field">
            <span class="track-label">{t('queue.take.group')}</span>
            <select class="track-input" value={group()} onChange={(e) => setGroupId(e.currentTarget.value)}>
              <For each={office()?.groups ?? []}>
                {(g) => (
                  <option value={g.id}>{`${g.code} — ${lang() === 'en' ? g.nameEn : g.nameVi}`}</option>
                )}
              </For>
            </select>
          </label>
          <label class="track-field">
            <span class="track-label">{t('queue.take.name')}</span>
            <input
              class="track-input"
              autocomplete="name"
              value={fullName()}
              onInput={(e) => setFullName(e.currentTarget.value)}
            />
          </label>
          <label class="track-field">
            <span class="track-label">{t('queue.take.phone')}</span>
            <input
              class="track-input"
              type="tel"
              inputmode="tel"
              autocomplete="tel"
              required
              value={phone()}
              onInput={(e) => setPhone(e.currentTarget.value)}
            />
            <span class="track-hint">{t('queue.take.phoneHint')}</span>
          </label>
          <fieldset class="citizen-choices">
            <legend class="track-label">{t('queue.kiosk.claims')}</legend>
            <For each={DECLARED_CLAIMS}>
              {(c) => (
                <label class="citizen-choice">
                  <input
                    type="checkbox"
                    checked={claims().includes(c)}
                    onChange={(e) =>
                      setClaims(e.currentTarget.checked ? [...claims(), c] : claims().filter((x) => x !== c))
                    }
                  />
                  <span>{t(`queue.claim.${c}` as MessageKey)}</span>
                </label>
              )}
            </For>
          </fieldset>
          <Show when={mode() === 'book'}>
            <label class="track-field">
              <span class="track-label">{t('queue.take.date')}</span>
              <input
                class="track-input"
                type="date"
                value={date()}
                min={vietnamToday()}
                onInput={(e) => {
                  setDate(e.currentTarget.value);
                  setSlot(undefined);
                }}
              />
            </label>
            <Show when={slots.error}>
              <ProblemNote problem={describeError(slots.error)} />
            </Show>
            <fieldset class="queue-slots">
              <legend class="track-label">{t('queue.take.slots')}</legend>
              <Show when={slots() && slots()!.every((s) => s.left === 0)}>
                <p class="track-hint">{t('queue.take.noSlots')}</p>
              </Show>
              <For each={(slots() ?? []).filter((s) => s.left > 0)}>
                {(s) => (
                  <label class="queue-slot">
                    <input
                      type="radio"
                      name="slot"
                      checked={slot()?.getTime() === s.start.getTime()}
                      onChange={() => setSlot(s.start)}
                    />
                    <span>
                      {hhmm(s.start)} <small>({t('queue.take.slotLeft', { n: s.left })})</small>
                    </span>
                  </label>
                )}
              </For>
            </fieldset>
          </Show>
          <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
          <button type="submit" class="button button-primary track-submit" disabled={busy()}>
            {t(mode() === 'now' ? 'queue.take.now' : 'queue.take.submitBook')}
          </button>
        </form>
      </main>
    </div>
  );
};
