import { createResource, Show } from 'solid-js';
import { api } from '../api';
import { t } from '../i18n';

/**
 * On test servers only (the server says so; never in production): where the texts "sent" to citizens are, so
 * a newcomer can read the OTP code a page asks for.
 */
export const DevMailboxLink = () => {
  const [info] = createResource(() => api.notify.mailboxShown.query().catch(() => ({ shown: false })));
  return (
    <Show when={info()?.shown}>
      <footer class="dev-mailbox">
        <a href="/mailbox">{t('citizen.mailbox.link')}</a>
        <span class="hint"> — {t('citizen.mailbox.linkHint')}</span>
      </footer>
    </Show>
  );
};
