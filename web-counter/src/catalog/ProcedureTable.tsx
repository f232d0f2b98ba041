import { For, Show } from 'solid-js';
import { formatMoney } from '../format';
import { t } from '../i18n';
import { PostalServices } from './PostalServices';
import { SortHeader } from './SortHeader';
import { type Catalog, totalFees } from './store';

const pageStep = 10;

export const ProcedureTable = (props: {
  catalog: Catalog;
  showAgency: boolean;
  activeCode?: string;
  onActivate: (code: string) => void;
  onLeaveTop: () => void;
  ref: (body: HTMLTableSectionElement) => void;
}) => {
  let body!: HTMLTableSectionElement;
  const focusRow = (index: number) => {
    const rows = body.querySelectorAll<HTMLTableRowElement>('tr');
    rows[Math.max(0, Math.min(rows.length - 1, index))]?.focus();
  };

  const onRowKey = (event: KeyboardEvent, index: number, code: string) => {
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusRow(index + 1),
      ArrowUp: () => (index === 0 ? props.onLeaveTop() : focusRow(index - 1)),
      PageDown: () => focusRow(index + pageStep),
      PageUp: () => focusRow(index - pageStep),
      Home: () => focusRow(0),
      End: () => focusRow(Number.MAX_SAFE_INTEGER),
      Enter: () => props.catalog.select(code),
      ' ': () => props.catalog.select(code),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  };

  const tabStop = (code: string, index: number) =>
    code === props.activeCode || (!props.activeCode && index === 0) ? 0 : -1;

  const header = (key: Parameters<typeof props.catalog.toggleSort>[0], label: string, numeric = false) => (
    <SortHeader
      key={key}
      label={label}
      sort={props.catalog.sort()}
      onSort={props.catalog.toggleSort}
      numeric={numeric}
    />
  );

  return (
    <table class="data-table">
      <thead>
        <tr>
          {header('code', t('col.code'))}
          {header('name', t('col.name'))}
          <Show when={props.showAgency}>{header('agency', t('col.agency'))}</Show>
          {header('days', t('col.days'), true)}
          {header('fees', t('col.fees'), true)}
          <th scope="col" class="postal-cell">
            {t('col.postal')}
          </th>
        </tr>
      </thead>
      <tbody
        ref={(element) => {
          body = element;
          props.ref(element);
        }}
      >
        <For each={props.catalog.visible()}>
          {(procedure, index) => (
            <tr
              tabindex={tabStop(procedure.code, index())}
              aria-selected={procedure.code === props.catalog.selectedCode()}
              onFocus={() => props.onActivate(procedure.code)}
              onClick={() => props.catalog.select(procedure.code)}
              onKeyDown={(event) => onRowKey(event, index(), procedure.code)}
            >
              <td class="code">{procedure.code}</td>
              <td>{procedure.name}</td>
              <Show when={props.showAgency}>
                <td class="agency-cell">{procedure.agency.name}</td>
              </Show>
              <td class="numeric">{procedure.processingWorkingDays}</td>
              <td class="numeric">
                {totalFees(procedure) > 0 ? formatMoney(totalFees(procedure)) : t('fee.free')}
              </td>
              <td class="postal-cell">
                <PostalServices
                  pickupAllowed={procedure.pickupAllowed}
                  deliveryAllowed={procedure.deliveryAllowed}
                />
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
};
