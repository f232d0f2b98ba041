import { For } from 'solid-js';
import { t } from '../i18n';
import type { Catalog, Level } from './store';

export const CatalogFilters = (props: { catalog: Catalog }) => (
  <div class="filters">
    <label class="filter">
      <span class="filter-label">{t('catalog.agency')}</span>
      <select
        value={props.catalog.agencyCode()}
        onChange={(event) => props.catalog.setAgencyCode(event.currentTarget.value)}
      >
        <option value="">{t('catalog.agencyAll')}</option>
        <For each={props.catalog.agencies()}>
          {(agency) => <option value={agency.code}>{agency.name}</option>}
        </For>
      </select>
    </label>
    <label class="filter">
      <span class="filter-label">{t('catalog.level')}</span>
      <select
        value={props.catalog.level()}
        onChange={(event) => props.catalog.setLevel(event.currentTarget.value as Level)}
      >
        <option value="">{t('catalog.levelAll')}</option>
        <option value="province">{t('level.province')}</option>
        <option value="commune">{t('level.commune')}</option>
      </select>
    </label>
  </div>
);
