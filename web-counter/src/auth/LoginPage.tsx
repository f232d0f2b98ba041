import { useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { DevMailboxLink } from '../citizen/DevMailboxLink';
import { describeError, type Problem } from '../errors';
import { type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { isOtherApp, session } from '../session';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { GoHome } from './GoHome';

type Missing = { field: 'username' | 'password' | 'totp'; message: MessageKey };

export const LoginPage = () => {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  /** The page asked for before signing in: a path of this app only (never `//host` or a full address). */
  const next = () => {
    const path = typeof search.next === 'string' ? search.next : '';
    return /^\/(?![/\\])/.test(path) && !path.startsWith('/courier/') ? path : null;
  };
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [missing, setMissing] = createSignal<Missing>();
  const [problem, setProblem] = createSignal<Problem>();
  const [busy, setBusy] = createSignal(false);
  /** Shown only after the server answers TOTP_REQUIRED: users without a second factor never see it. */
  const [askCode, setAskCode] = createSignal(false);
  const [code, setCode] = createSignal('');
  let usernameInput!: HTMLInputElement;
  let passwordInput!: HTMLInputElement;
  let codeInput: HTMLInputElement | undefined;

  onMount(() => usernameInput.focus());

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setProblem(undefined);
    if (!username().trim()) {
      setMissing({ field: 'username', message: 'login.usernameRequired' });
      usernameInput.focus();
      return;
    }
    if (!password()) {
      setMissing({ field: 'password', message: 'login.passwordRequired' });
      passwordInput.focus();
      return;
    }
    if (askCode() && !/^\d{6}$/.test(code().replace(/\s/g, ''))) {
      setMissing({ field: 'totp', message: 'login.totpRequired' });
      codeInput?.focus();
      return;
    }
    setMissing(undefined);
    setBusy(true);
    try {
      // Read before signing in: once signed in, the page may already have moved on (and lost `?next=`).
      const target = next();
      await session.login({
        username: username().trim(),
        password: password(),
        ...(askCode() ? { totp: code().replace(/\s/g, '') } : {}),
      });
      const home = target ?? session.homePath();
      if (isOtherApp(home)) window.location.replace(home);
      else navigate(home, { replace: true });
    } catch (error) {
      const found = describeError(error);
      setCode('');
      if (found.code === 'TOTP_REQUIRED' || (found.code === 'TOTP_INVALID' && askCode())) {
        // The password was right: keep it and ask for (another) code.
        setAskCode(true);
        setProblem(found.code === 'TOTP_INVALID' ? found : undefined);
        codeInput?.focus();
      } else {
        setProblem(found);
        setPassword('');
        setAskCode(false);
        passwordInput.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  const invalid = (field: Missing['field']) => missing()?.field === field;

  return (
    <Show when={!(session.user.state === 'ready' && session.user())} fallback={<GoHome to={next()} />}>
      <div class="login-page">
        <header class="login-top">
          <LanguageSwitch />
        </header>
        <main class="login-main">
          <form class="login-card" onSubmit={submit} noValidate>
            <h1 class="brand-large">{t('app.name')}</h1>
            <p class="login-subtitle">{t('login.subtitle')}</p>
            <h2 class="login-title">{t('login.title')}</h2>
            <label class="field">
              <span class="field-label">{t('login.username')}</span>
              <input
                ref={usernameInput}
                name="username"
                autocomplete="username"
                autocapitalize="none"
                spellcheck={false}
                value={username()}
                onInput={(event) => setUsername(event.currentTarget.value)}
                aria-invalid={invalid('username')}
                aria-describedby={invalid('username') ? 'username-error' : undefined}
              />
              <Show when={invalid('username') && missing()}>
                {(current) => (
                  <span class="field-error" id="username-error">
                    {t(current().message)}
                  </span>
                )}
              </Show>
            </label>
            <label class="field">
              <span class="field-label">{t('login.password')}</span>
              <input
                ref={passwordInput}
                name="password"
                type="password"
                autocomplete="current-password"
                value={password()}
                onInput={(event) => setPassword(event.currentTarget.value)}
                aria-invalid={invalid('password')}
                aria-describedby={invalid('password') ? 'password-error' : undefined}
              />
              <Show when={invalid('password') && missing()}>
                {(current) => (
                  <span class="field-error" id="password-error">
                    {t(current().message)}
                  </span>
                )}
              </Show>
            </label>
            <Show when={askCode()}>
              <label class="field">
                <span class="field-label">{t('login.totp')}</span>
                <input
                  ref={(el) => {
                    codeInput = el;
                    queueMicrotask(() => el.focus());
                  }}
                  name="totp"
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  maxlength={7}
                  value={code()}
                  onInput={(event) => setCode(event.currentTarget.value)}
                  aria-invalid={invalid('totp')}
                  aria-describedby={invalid('totp') ? 'totp-error' : 'totp-hint'}
                />
                <span class="field-hint" id="totp-hint">
                  {t('login.totpHint')}
                </span>
                <Show when={invalid('totp') && missing()}>
                  {(current) => (
                    <span class="field-error" id="totp-error">
                      {t(current().message)}
                    </span>
                  )}
                </Show>
              </label>
            </Show>
            <Show when={problem()}>
              {(current) => <ProblemNote problem={current()} id="login-problem" />}
            </Show>
            <button type="submit" class="button button-primary button-block" disabled={busy()}>
              {busy() ? t('login.submitting') : t('login.submit')}
              <kbd>Enter</kbd>
            </button>
          </form>
        </main>
        <DevMailboxLink />
      </div>
    </Show>
  );
};
