import QRCode from 'qrcode';
import { createSignal, Show } from 'solid-js';
import { api } from '../api';
import { describeError, type Problem } from '../errors';
import { type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { session } from '../session';
import './account.css';

const TOTP_ROLES = new Set(['admin', 'supervisor']);

/** Change password: the current one, the new one twice; the policy itself is the server's (PASSWORD_WEAK). */
const PasswordForm = () => {
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [note, setNote] = createSignal<MessageKey>();
  const [problem, setProblem] = createSignal<Problem>();
  const [done, setDone] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setDone(false);
    if (!current() || !next() || !repeat()) return setNote('account.password.missing');
    if (next().length < 12) return setNote('account.password.short');
    if (next() !== repeat()) return setNote('account.password.mismatch');
    setNote(undefined);
    setBusy(true);
    try {
      await api.auth.changePassword.mutate({ currentPassword: current(), newPassword: next() });
      setDone(true);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setCurrent('');
      setNext('');
      setRepeat('');
      setBusy(false);
    }
  };

  const field = (
    id: string,
    label: MessageKey,
    value: () => string,
    set: (v: string) => void,
    auto: string,
  ) => (
    <label class="field">
      <span class="field-label">{t(label)}</span>
      <input
        id={id}
        type="password"
        autocomplete={auto}
        value={value()}
        onInput={(event) => set(event.currentTarget.value)}
        aria-describedby={note() ? 'password-note' : undefined}
      />
    </label>
  );

  return (
    <section class="account-card" aria-labelledby="password-title">
      <h2 id="password-title" class="section-title">
        {t('account.password.title')}
      </h2>
      <p class="note">{t('account.password.intro')}</p>
      <form onSubmit={submit} noValidate>
        {field('password-current', 'account.password.current', current, setCurrent, 'current-password')}
        {field('password-new', 'account.password.new', next, setNext, 'new-password')}
        {field('password-repeat', 'account.password.repeat', repeat, setRepeat, 'new-password')}
        <Show when={note()}>
          {(key) => (
            <p class="field-error" id="password-note" role="alert">
              {t(key())}
            </p>
          )}
        </Show>
        <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
        <Show when={done()}>
          <p class="account-done" role="status">
            {t('account.password.done')}
          </p>
        </Show>
        <button type="submit" class="button button-primary" disabled={busy()}>
          {busy() ? t('account.password.submitting') : t('account.password.submit')}
        </button>
      </form>
    </section>
  );
};

/** Two-step verification: the server makes the secret; the page shows it as a QR code and as text, then a code confirms. */
const TotpForm = () => {
  const [enrolment, setEnrolment] = createSignal<{ uri: string; secret: string; image: string }>();
  const [code, setCode] = createSignal('');
  const [note, setNote] = createSignal<MessageKey>();
  const [problem, setProblem] = createSignal<Problem>();
  const [done, setDone] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const start = async () => {
    setProblem(undefined);
    setBusy(true);
    try {
      const started = await api.auth.totpEnrol.mutate();
      const image = await QRCode.toDataURL(started.uri, { margin: 1, width: 240, errorCorrectionLevel: 'M' });
      setEnrolment({ ...started, image });
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: SubmitEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const typed = code().replace(/\s/g, '');
    if (!/^\d{6}$/.test(typed)) return setNote('account.totp.codeRequired');
    setNote(undefined);
    setBusy(true);
    try {
      await api.auth.totpConfirm.mutate({ code: typed });
      setEnrolment(undefined);
      setDone(true);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setCode('');
      setBusy(false);
    }
  };

  /** The secret in groups of four, easier to type into a phone. */
  const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

  return (
    <section class="account-card" aria-labelledby="totp-title">
      <h2 id="totp-title" class="section-title">
        {t('account.totp.title')}
      </h2>
      <p class="note">{t('account.totp.intro')}</p>
      <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
      <Show
        when={done()}
        fallback={
          <Show
            when={enrolment()}
            fallback={
              <button
                type="button"
                class="button button-primary"
                disabled={busy()}
                onClick={() => void start()}
              >
                {busy() ? t('account.totp.starting') : t('account.totp.start')}
              </button>
            }
          >
            {(current) => (
              <form onSubmit={confirm} noValidate class="totp-enrol">
                <p>{t('account.totp.scan')}</p>
                <img
                  class="totp-qr"
                  src={current().image}
                  alt={t('account.totp.qrAlt')}
                  width="240"
                  height="240"
                />
                <p class="field">
                  <span class="field-label">{t('account.totp.secret')}</span>
                  <code class="totp-secret" id="totp-secret" data-secret={current().secret}>
                    {grouped(current().secret)}
                  </code>
                </p>
                <label class="field">
                  <span class="field-label">{t('account.totp.code')}</span>
                  <input
                    id="totp-code"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    maxlength={7}
                    value={code()}
                    onInput={(event) => setCode(event.currentTarget.value)}
                    aria-invalid={note() !== undefined}
                    aria-describedby={note() ? 'totp-note' : undefined}
                  />
                </label>
                <Show when={note()}>
                  {(key) => (
                    <p class="field-error" id="totp-note" role="alert">
                      {t(key())}
                    </p>
                  )}
                </Show>
                <button type="submit" class="button button-primary" disabled={busy()}>
                  {busy() ? t('account.totp.confirming') : t('account.totp.confirm')}
                </button>
              </form>
            )}
          </Show>
        }
      >
        <p class="account-done" role="status">
          {t('account.totp.done')}
        </p>
      </Show>
    </section>
  );
};

export const AccountPage = () => {
  const user = () => (session.user.state === 'ready' ? session.user() : undefined);
  const mayEnrol = () => session.memberships().some((m) => TOTP_ROLES.has(m.role));
  return (
    <div class="account">
      <h1 class="page-title">{t('account.title')}</h1>
      <Show when={user()}>
        {(u) => (
          <p class="account-who">
            <strong>{u().fullName}</strong> — {t('account.username')}:{' '}
            <span class="mono">{u().username}</span>
          </p>
        )}
      </Show>
      <PasswordForm />
      <Show when={mayEnrol()}>
        <TotpForm />
      </Show>
    </div>
  );
};
