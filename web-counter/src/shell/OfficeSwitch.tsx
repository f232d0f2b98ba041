import { For, Match, Switch } from 'solid-js';
import { t } from '../i18n';
import { type Membership, session } from '../session';

const label = (membership: Membership) => `${membership.officeName} · ${t(`role.${membership.role}`)}`;

export const OfficeSwitch = () => (
  <Switch fallback={<span class="chip chip-muted">{t('shell.noOffice')}</span>}>
    <Match when={session.memberships().length > 1}>
      <label class="office-select">
        <span class="visually-hidden">{t('shell.office')}</span>
        <select
          value={session.membership() ? session.membershipKey(session.membership()!) : ''}
          onChange={(event) => session.chooseMembership(event.currentTarget.value)}
        >
          <For each={session.memberships()}>
            {(membership) => <option value={session.membershipKey(membership)}>{label(membership)}</option>}
          </For>
        </select>
      </label>
    </Match>
    <Match when={session.membership()}>
      {(membership) => (
        <span class="chip" title={t('shell.office')}>
          {label(membership())}
        </span>
      )}
    </Match>
  </Switch>
);
