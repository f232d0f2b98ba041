import { t } from '../i18n';
import { SortIcon } from '../icons';
import type { Sort, SortKey } from './store';

export const SortHeader = (props: {
  key: SortKey;
  label: string;
  sort: Sort;
  onSort: (key: SortKey) => void;
  numeric?: boolean;
}) => {
  const direction = () => (props.sort?.key === props.key ? props.sort.direction : 'none');
  return (
    <th
      scope="col"
      classList={{ numeric: props.numeric }}
      aria-sort={direction() === 'none' ? 'none' : direction() === 'asc' ? 'ascending' : 'descending'}
    >
      <button type="button" class="sort-button" onClick={() => props.onSort(props.key)}>
        {props.label}
        <SortIcon direction={direction()} />
        <span class="visually-hidden">
          {direction() === 'none' ? '' : t(direction() === 'asc' ? 'sort.asc' : 'sort.desc')}
        </span>
      </button>
    </th>
  );
};
