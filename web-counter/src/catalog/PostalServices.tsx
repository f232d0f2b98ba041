import { Show } from 'solid-js';
import { t } from '../i18n';
import { DeliveryIcon, DeskIcon, PickupIcon } from '../icons';

export const PostalServices = (props: { pickupAllowed: boolean; deliveryAllowed: boolean }) => (
  <span class="postal">
    <Show when={props.pickupAllowed}>
      <span class="postal-chip">
        <PickupIcon />
        {t('postal.pickup')}
      </span>
    </Show>
    <Show when={props.deliveryAllowed}>
      <span class="postal-chip">
        <DeliveryIcon />
        {t('postal.delivery')}
      </span>
    </Show>
    <Show when={!props.pickupAllowed && !props.deliveryAllowed}>
      <span class="postal-chip postal-chip-muted">
        <DeskIcon />
        {t('postal.deskOnly')}
      </span>
    </Show>
  </span>
);
