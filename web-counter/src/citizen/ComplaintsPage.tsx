import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError, type Problem } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { toasts } from '../toast';
import { DeskQrSheet } from './DeskQrSheet';
import './citizen.css';

type Complaint = Outputs['feedback']['list']['complaints'][number];
type Tab = 'complaints' | 'ratings' | 'qr';

const reasonWords = (code: string) => t(`citizen.reason.${code as 'late'}`) ?? code;

const Reasons = (props: { reasons: string[] }) => (
  <Show when={props.reasons.length > 0}>
    <ul class="complaint-reasons">
      <For each={props.reasons}>{(r) => <li>{reasonWords(r)}</li>}</For>
    </ul>
  </Show>
);

const ComplaintItem = (props: { complaint: Complaint; onAnswered: () => void }) => {
  const [answer, setAnswer] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem>();
  const [tooShort, setTooShort] = createSignal(false);
  const c = () => props.complaint;
  const id = () => `answer-${c().id}`;
  const send = async (event: SubmitEvent) => {
    event.preventDefault();
    if (answer().trim().length < 10) {
      setTooShort(true);
      document.getElementById(id())?.focus();
      return;
    }
    setTooShort(false);
    setBusy(true);
    setProblem(undefined);
    try {
      await api.feedback.answer.mutate({ id: c().id, answer: answer().trim() });
      toasts.show(t('citizen.complaints.sent', { code: c().code ?? '' }));
      props.onAnswered();
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li
      class="complaint"
      classList={{ 'complaint-overdue': c().overdue, 'complaint-answered': Boolean(c().answer) }}
      data-complaint={c().id}
    >
      <div class="complaint-head">
        <span class="complaint-code">{c().code}</span>
        <span>{c().procedureName}</span>
        <Show when={c().deskName}>
          {(desk) => <span>{t('citizen.complaints.desk', { desk: desk() })}</span>}
        </Show>
        <span>
          {t('citizen.complaints.received')}: {formatDateTime(c().createdAt)}
        </span>
        <span>
          {t('citizen.complaints.due')}: {formatDateTime(c().answerDueAt)}
        </span>
        <Show when={c().overdue}>
          <span class="complaint-flag">{t('citizen.complaints.overdue')}</span>
        </Show>
        <Show when={c().answeredLate}>
          <span class="complaint-flag">{t('citizen.complaints.answeredLate')}</span>
        </Show>
      </div>
      <Reasons reasons={c().reasons} />
      <p>{c().text}</p>
      <Show
        when={c().answer}
        fallback={
          <form class="complaint-answer-form" onSubmit={send} noValidate>
            <label for={id()}>{t('citizen.complaints.answer')}</label>
            <textarea
              id={id()}
              value={answer()}
              maxlength={1000}
              onInput={(e) => setAnswer(e.currentTarget.value)}
              aria-invalid={tooShort()}
              aria-describedby={`${id()}-hint`}
            />
            <span class="hint" id={`${id()}-hint`}>
              {tooShort() ? t('citizen.complaints.tooShort') : t('citizen.complaints.answerHint')}
            </span>
            <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
            <div>
              <button type="submit" class="button button-primary" disabled={busy()}>
                {t('citizen.complaints.send')}
              </button>
            </div>
          </form>
        }
      >
        {(text) => (
          <div class="complaint-answer">
            <p class="hint">{t('citizen.complaints.answered', { at: formatDateTime(c().answeredAt) })}</p>
            <p>{text()}</p>
          </div>
        )}
      </Show>
    </li>
  );
};

/** /complaints — supervisors: complaints to answer (overdue first), ratings, and the desks' feedback QR codes. */
export const ComplaintsPage = () => {
  const [data, { refetch }] = createResource(() => api.feedback.list.query());
  const [tab, setTab] = createSignal<Tab>('complaints');
  const tabs: Tab[] = ['complaints', 'ratings', 'qr'];
  const tabLabel = (k: Tab) =>
    k === 'complaints'
      ? t('citizen.complaints.open')
      : k === 'ratings'
        ? t('citizen.complaints.ratings')
        : t('citizen.deskQr.show');
  return (
    <section class="complaints-page" aria-labelledby="complaints-title">
      <div class="catalog-toolbar desk-qr-noprint">
        <h1 id="complaints-title" class="page-title">
          {t('citizen.complaints.title')}
        </h1>
      </div>
      <Show when={data.latest}>
        {(d) => (
          <p class="complaints-summary desk-qr-noprint" id="complaints-summary">
            {t('citizen.complaints.summary', d().summary)}
          </p>
        )}
      </Show>
      <div class="button-row desk-qr-noprint" role="tablist" aria-label={t('citizen.complaints.title')}>
        <For each={tabs}>
          {(k) => (
            <button
              type="button"
              role="tab"
              class="button"
              classList={{ 'button-primary': tab() === k }}
              aria-selected={tab() === k}
              onClick={() => setTab(k)}
            >
              {tabLabel(k)}
            </button>
          )}
        </For>
      </div>
      <Switch>
        <Match when={data.state === 'errored'}>
          <ProblemNote problem={describeError(data.error)} />
        </Match>
        <Match when={tab() === 'qr'}>
          <DeskQrSheet />
        </Match>
        <Match when={tab() === 'complaints' && data.latest}>
          <Show
            when={data.latest!.complaints.length > 0}
            fallback={<p class="page-status">{t('citizen.complaints.none')}</p>}
          >
            <ul class="complaints-list">
              <For each={data.latest!.complaints}>
                {(c) => <ComplaintItem complaint={c} onAnswered={() => void refetch()} />}
              </For>
            </ul>
          </Show>
        </Match>
        <Match when={tab() === 'ratings' && data.latest}>
          <Show
            when={data.latest!.ratings.length > 0}
            fallback={<p class="page-status">{t('citizen.complaints.noRatings')}</p>}
          >
            <div class="table-scroll">
              <table class="ratings-table" id="ratings-table">
                <thead>
                  <tr>
                    <th scope="col">{t('citizen.complaints.code')}</th>
                    <th scope="col">{t('citizen.complaints.received')}</th>
                    <th scope="col">{t('citizen.complaints.ratings')}</th>
                    <th scope="col">{t('citizen.feedback.comment')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={data.latest!.ratings}>
                    {(r) => (
                      <tr>
                        <td>
                          <span class="mono">{r.code}</span>
                          <br />
                          <span class="hint">{r.procedureName}</span>
                          <Show when={r.deskName}>
                            {(desk) => (
                              <>
                                <br />
                                <span class="hint">{t('citizen.complaints.desk', { desk: desk() })}</span>
                              </>
                            )}
                          </Show>
                        </td>
                        <td>{formatDateTime(r.createdAt)}</td>
                        <td>
                          <span class={r.satisfied ? 'rating-good' : 'rating-bad'}>
                            {r.satisfied
                              ? t('citizen.complaints.satisfied')
                              : t('citizen.complaints.dissatisfied')}
                          </span>
                          <Reasons reasons={r.reasons} />
                        </td>
                        <td>{r.comment}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </Match>
      </Switch>
    </section>
  );
};
