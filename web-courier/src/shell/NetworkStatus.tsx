import { Show } from 'solid-js';
import { t } from '../i18n';
import { OfflineIcon, OnlineIcon } from '../icons';
import { online } from '../network';

export const NetworkStatus = () => (
  <span classList={{ network: true, offline: !online() }} role="status">
    <Show when={online()} fallback={<OfflineIcon />}>
      <OnlineIcon />
    </Show>
    {online() ? t('network.online') : t('network.offline')}
  </span>
);
