import { For, Show } from 'solid-js';
import { t } from '../i18n';
import { CheckIcon } from '../icons';

/** A bill's state as a chip: the word always, colour as the second cue. */
export const BillStateChip = (props: {
  state: 'pending' | 'paid' | 'failed' | 'cancelled';
  icon?: boolean;
}) => (
  <span
    class="pay-state"
    classList={{
      'pay-state-paid': props.state === 'paid',
      'pay-state-off': props.state !== 'paid' && props.state !== 'pending',
    }}
  >
    <Show when={props.icon && props.state === 'paid'}>
      <CheckIcon size={16} />
    </Show>
    {props.state === 'paid'
      ? t('payments.pay.paid')
      : props.state === 'pending'
        ? t('payments.pay.pending')
        : t('payments.pay.cancelled')}
  </span>
);

/** A table's column heads; amounts align right, and a column may be named for screen readers only. */
export const TableHead = (props: { cols: { label: string; numeric?: boolean; hidden?: boolean }[] }) => (
  <thead>
    <tr>
      <For each={props.cols}>
        {(c) => (
          <th scope="col" class={c.numeric ? 'numeric' : undefined}>
            {c.hidden ? <span class="visually-hidden">{c.label}</span> : c.label}
          </th>
        )}
      </For>
    </tr>
  </thead>
);
