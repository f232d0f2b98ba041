import { useLocation, useSearchParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { api, type Outputs } from '../api';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { CheckIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import './citizen.css';
import { createCitizenRun, OtpField, PhoneField } from './fields';

type Status = Outputs['feedback']['status'];

export const REASONS = [
  'late',
  'extra_documents',
  'many_trips',
  'staff_attitude',
  'unclear_guidance',
  'delivery',
  'fees',
  'other',
] as const;
type Reason = (typeof REASONS)[number];

const firstOf = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() ?? '';

const ReasonPicker = (props: { name: string; chosen: Reason[]; onChange: (r: Reason[]) => void }) => (
  <fieldset class="citizen-choices">
    <legend class="track-label">{t('citizen.feedback.reasons')}</legend>
    <For each={REASONS}>
      {(reason) => (
        <label class="citizen-choice">
          <input
            type="checkbox"
            name={props.name}
            value={reason}
            checked={props.chosen.includes(reason)}
            onChange={(e) =>
              props.onChange(
                e.currentTarget.checked
                  ? [...props.chosen, reason]
                  : props.chosen.filter((r) => r !== reason),
              )
            }
          />
          <span>{t(`citizen.reason.${reason}`)}</span>
        </label>
      )}
    </For>
  </fieldset>
);

/** /feedback — public; the desk's QR code opens it (?desk=…), the track page opens it with the code filled. */
export const FeedbackPage = () => {
  const [params] = useSearchParams();
  const location = useLocation<{ phone?: string; token?: string; eid?: boolean } | undefined>();
  const deskId = firstOf(params.desk);
  const [desk] = createResource(
    () => (/^[0-9a-f-]{36}$/i.test(deskId) ? deskId : undefined),
    (id) => api.feedback.desk.query({ deskId: id }).catch(() => null),
  );
  const [code, setCode] = createSignal(firstOf(params.code));
  const [phone, setPhone] = createSignal(location.state?.phone ?? '');
  // The receipt's token (when the track page was opened from its QR code) is the proof; without it, a code by text.
  const token = location.state?.token ?? '';
  // Opened from "My dossiers": the VNeID session proves the holder, with the code alone.
  const eid = Boolean(location.state?.eid);
  const [otp, setOtp] = createSignal('');
  const [sentTo, setSentTo] = createSignal<string>();
  const [status, setStatus] = createSignal<Status>();
  const { problem, busy, run } = createCitizenRun();
  const [satisfied, setSatisfied] = createSignal<boolean>();
  const [reasons, setReasons] = createSignal<Reason[]>([]);
  const [comment, setComment] = createSignal('');
  const [thanks, setThanks] = createSignal(false);
  const [complaintReasons, setComplaintReasons] = createSignal<Reason[]>([]);
  const [complaint, setComplaint] = createSignal('');
  const [complaintDue, setComplaintDue] = createSignal<Date>();
  const [invalid, setInvalid] = createSignal<string>();

  const previousTitle = document.title;
  createEffect(() => {
    document.title = `${t('citizen.feedback.title')} — ${t('app.name')}`;
  });
  onCleanup(() => {
    document.title = previousTitle;
  });

  const holder = () =>
    token
      ? { code: code().trim(), token }
      : eid
        ? { code: code().trim() }
        : { code: code().trim(), phone: phone().trim() };
  const proofHeld = () => Boolean(status()?.proofHeld);

  const sendCode = () =>
    run(async () => {
      const sent = await api.feedback.code.mutate(holder());
      setSentTo(sent.sentTo);
      setOtp('');
      queueMicrotask(() => document.getElementById('feedback-otp')?.focus());
    });

  /** Without the receipt's token, a sent and typed code goes with the rating or complaint; else it asks for one. */
  const proof = () => {
    if (proofHeld()) return {};
    if (!sentTo()) {
      void sendCode();
      return undefined;
    }
    if (otp().length !== 6) {
      setInvalid('otp');
      document.getElementById('feedback-otp')?.focus();
      return undefined;
    }
    return { otp: otp() };
  };
  const spent = () => {
    setOtp('');
    setSentTo(undefined);
  };
  const open = () =>
    run(async () => {
      setStatus(await api.feedback.status.mutate(holder()));
    });

  onMount(() => {
    if (code() && (phone() || token || eid)) void open();
    else document.getElementById(code() ? 'feedback-phone' : 'feedback-code')?.focus();
  });

  const submitHolder = (event: SubmitEvent) => {
    event.preventDefault();
    const missing = !code().trim() ? 'code' : !phone().trim() ? 'phone' : undefined;
    setInvalid(missing);
    if (missing) return document.getElementById(`feedback-${missing}`)?.focus();
    void open();
  };

  const submitRating = (event: SubmitEvent) => {
    event.preventDefault();
    if (satisfied() === undefined) return;
    if (satisfied() === false && reasons().length === 0) {
      setInvalid('reasons');
      return;
    }
    setInvalid(undefined);
    const given = proof();
    if (!given) return;
    void run(async () => {
      await api.feedback.rate.mutate({
        ...holder(),
        ...given,
        satisfied: satisfied()!,
        reasons: satisfied() ? [] : reasons(),
        ...(comment().trim() ? { comment: comment().trim() } : {}),
        ...(desk() ? { deskId } : {}),
      });
      spent();
      setThanks(true);
      setStatus(await api.feedback.status.mutate(holder()));
    });
  };

  const submitComplaint = (event: SubmitEvent) => {
    event.preventDefault();
    if (complaint().trim().length < 10) {
      setInvalid('complaint');
      return document.getElementById('feedback-complaint')?.focus();
    }
    setInvalid(undefined);
    const given = proof();
    if (!given) return;
    void run(async () => {
      const filed = await api.feedback.complain.mutate({
        ...holder(),
        ...given,
        reasons: complaintReasons(),
        text: complaint().trim(),
        ...(desk() ? { deskId } : {}),
      });
      spent();
      setComplaintDue(filed.answerDueAt);
      setComplaint('');
      setComplaintReasons([]);
      setStatus(await api.feedback.status.mutate(holder()));
    });
  };

  return (
    <div class="track-page">
      <header class="public-header">
        <span class="public-brand">{t('citizen.feedback.title')}</span>
        <LanguageSwitch />
      </header>
      <main class="track-main">
        <h1 class="track-heading">{t('citizen.feedback.heading')}</h1>
        <Show when={desk()}>
          {(d) => (
            <p class="track-intro">
              {t('citizen.feedback.desk', { desk: d().deskName, office: d().officeName })}
            </p>
          )}
        </Show>
        <Show when={!status()}>
          <p class="track-intro">{t('citizen.feedback.intro')}</p>
          <form
            class="track-form"
            onSubmit={submitHolder}
            noValidate
            aria-label={t('citizen.feedback.title')}
          >
            <label class="track-field">
              <span class="track-label">{t('track.code')}</span>
              <input
                id="feedback-code"
                class="track-input track-input-code"
                autocomplete="off"
                autocapitalize="characters"
                spellcheck={false}
                value={code()}
                onInput={(e) => setCode(e.currentTarget.value)}
                aria-invalid={invalid() === 'code'}
              />
              <Show when={invalid() === 'code'}>
                <span class="track-error">{t('track.codeRequired')}</span>
              </Show>
            </label>
            <PhoneField
              id="feedback-phone"
              label={t('track.phone')}
              value={phone()}
              onInput={setPhone}
              invalid={invalid() === 'phone'}
              error={t('track.phoneRequired')}
            />
            <Show when={problem()}>{(p) => <ProblemNote problem={p()} id="feedback-problem" />}</Show>
            <button type="submit" class="button button-primary track-submit" disabled={busy()}>
              {t('citizen.feedback.open')}
            </button>
          </form>
        </Show>
        <Show when={status()}>
          {(s) => (
            <>
              <p class="track-code">
                {t('track.dossier')} <span class="track-code-value">{s().code}</span>
              </p>
              <Show when={!s().proofHeld}>
                <section class="track-form" aria-labelledby="feedback-proof-title">
                  <p id="feedback-proof-title" class="track-hint">
                    {t('citizen.feedback.proof')}
                  </p>
                  <Show
                    when={sentTo()}
                    fallback={
                      <button
                        type="button"
                        class="button button-quiet citizen-outline"
                        onClick={sendCode}
                        disabled={busy()}
                      >
                        {t('citizen.delivery.sendCode')}
                      </button>
                    }
                  >
                    {(to) => (
                      <>
                        <p class="track-hint" role="status">
                          {t('citizen.delivery.codeSent', { phone: to() })}
                        </p>
                        <OtpField
                          id="feedback-otp"
                          value={otp()}
                          onInput={setOtp}
                          invalid={invalid() === 'otp'}
                        />
                      </>
                    )}
                  </Show>
                </section>
              </Show>
              <Show when={thanks()}>
                <p class="citizen-done" role="status">
                  <CheckIcon size={22} />
                  {t('citizen.feedback.thanks')}
                </p>
              </Show>
              <Show when={s().rating && !thanks()}>
                <p class="citizen-done">
                  {t('citizen.feedback.already', {
                    rating: s().rating!.satisfied
                      ? t('citizen.feedback.satisfied')
                      : t('citizen.feedback.dissatisfied'),
                  })}
                </p>
              </Show>
              <Show when={!s().finished}>
                <p class="track-hint">{t('citizen.feedback.notYet')}</p>
              </Show>
              <Show when={s().canRate && !thanks()}>
                <form
                  class="track-form"
                  onSubmit={submitRating}
                  noValidate
                  aria-label={t('citizen.next.rate')}
                >
                  <fieldset class="citizen-rate-buttons">
                    <legend class="visually-hidden-legend">{t('citizen.feedback.heading')}</legend>
                    <button
                      type="button"
                      class="citizen-rate"
                      aria-pressed={satisfied() === true}
                      onClick={() => setSatisfied(true)}
                    >
                      <span class="citizen-rate-face" aria-hidden="true">
                        ☺
                      </span>
                      {t('citizen.feedback.satisfied')}
                    </button>
                    <button
                      type="button"
                      class="citizen-rate"
                      aria-pressed={satisfied() === false}
                      onClick={() => setSatisfied(false)}
                    >
                      <span class="citizen-rate-face" aria-hidden="true">
                        ☹
                      </span>
                      {t('citizen.feedback.dissatisfied')}
                    </button>
                  </fieldset>
                  <Show when={satisfied() === false}>
                    <ReasonPicker name="rating-reasons" chosen={reasons()} onChange={setReasons} />
                    <Show when={invalid() === 'reasons'}>
                      <span class="track-error">{t('citizen.feedback.reasons')}</span>
                    </Show>
                  </Show>
                  <Show when={satisfied() !== undefined}>
                    <label class="track-field">
                      <span class="track-label">{t('citizen.feedback.comment')}</span>
                      <textarea
                        class="track-input citizen-textarea"
                        maxlength={1000}
                        value={comment()}
                        onInput={(e) => setComment(e.currentTarget.value)}
                      />
                    </label>
                    <button type="submit" class="button button-primary track-submit" disabled={busy()}>
                      {t('citizen.feedback.send')}
                    </button>
                  </Show>
                </form>
              </Show>
              <Show when={problem()}>{(p) => <ProblemNote problem={p()} id="feedback-problem" />}</Show>
              <details class="track-form citizen-details" open={!s().finished || Boolean(complaintDue())}>
                <summary id="complaint-title" class="citizen-section-title">
                  {t('citizen.feedback.complaintTitle')}
                </summary>
                <form
                  class="citizen-complaint-form"
                  onSubmit={submitComplaint}
                  noValidate
                  aria-labelledby="complaint-title"
                >
                  <Show when={complaintDue()}>
                    {(due) => (
                      <p class="citizen-done" role="status">
                        {t('citizen.feedback.complaintSent', { due: formatDateTime(due()) })}
                      </p>
                    )}
                  </Show>
                  <ReasonPicker
                    name="complaint-reasons"
                    chosen={complaintReasons()}
                    onChange={setComplaintReasons}
                  />
                  <label class="track-field">
                    <span class="track-label">{t('citizen.feedback.complaintText')}</span>
                    <textarea
                      id="feedback-complaint"
                      class="track-input citizen-textarea"
                      maxlength={2000}
                      value={complaint()}
                      onInput={(e) => setComplaint(e.currentTarget.value)}
                      aria-invalid={invalid() === 'complaint'}
                      aria-describedby="feedback-complaint-hint"
                    />
                    <span class="track-hint" id="feedback-complaint-hint">
                      {invalid() === 'complaint' ? (
                        <span class="track-error">{t('citizen.feedback.complaintTooShort')}</span>
                      ) : (
                        t('citizen.feedback.complaintHint')
                      )}
                    </span>
                  </label>
                  <button
                    type="submit"
                    class="button button-quiet track-submit citizen-outline"
                    disabled={busy()}
                  >
                    {t('citizen.feedback.complaintSend')}
                  </button>
                </form>
              </details>
              <Show when={s().complaints.length > 0}>
                <section aria-labelledby="my-complaints">
                  <h2 id="my-complaints" class="track-subtitle">
                    {t('citizen.feedback.yourComplaints')}
                  </h2>
                  <ul class="complaints-list">
                    <For each={s().complaints}>
                      {(c) => (
                        <li class={`complaint ${c.answer ? 'complaint-answered' : ''}`}>
                          <span class="complaint-head">{formatDateTime(c.createdAt)}</span>
                          <p>{c.text}</p>
                          <Show
                            when={c.answer}
                            fallback={
                              <p class="citizen-muted">
                                {t('citizen.feedback.waiting', { due: formatDateTime(c.answerDueAt) })}
                              </p>
                            }
                          >
                            {(answer) => (
                              <p class="complaint-answer">
                                {t('citizen.feedback.answer', { answer: answer() })}
                              </p>
                            )}
                          </Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </section>
              </Show>
            </>
          )}
        </Show>
      </main>
    </div>
  );
};
