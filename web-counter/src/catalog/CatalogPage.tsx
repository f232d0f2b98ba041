import { createSignal, Match, onMount, Show, Switch } from 'solid-js';
import { describeError } from '../errors';
import { t } from '../i18n';
import { SearchIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { isTyping, onKey } from '../shell/shortcuts';
import { CatalogFilters } from './CatalogFilters';
import { ProcedureDetail } from './ProcedureDetail';
import { ProcedureTable } from './ProcedureTable';
import { createCatalog } from './store';

export const CatalogPage = () => {
  const catalog = createCatalog();
  const [activeCode, setActiveCode] = createSignal<string>();
  let search!: HTMLInputElement;
  let rows: HTMLTableSectionElement | undefined;

  const focusActiveRow = () =>
    (rows?.querySelector<HTMLTableRowElement>('tr[tabindex="0"]') ?? rows?.querySelector('tr'))?.focus();

  onMount(() => search.focus());

  onKey((event) => {
    if (event.key === '/' && !isTyping(event.target)) {
      event.preventDefault();
      search.focus();
      search.select();
    }
    if (event.key === 'Escape' && catalog.selectedCode() && event.target !== search) {
      catalog.close();
      focusActiveRow();
    }
  });

  const onSearchKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      focusActiveRow();
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      catalog.whenSettled(() => {
        const first = catalog.visible()[0];
        if (!first) return;
        setActiveCode(first.code);
        catalog.select(first.code);
        rows?.querySelector('tr')?.focus();
      });
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      if (catalog.query()) catalog.setQuery('');
      else catalog.close();
    }
  };

  return (
    <section class="catalog" aria-labelledby="catalog-title">
      <div class="catalog-toolbar">
        <h1 id="catalog-title" class="page-title">
          {t('catalog.title')}
        </h1>
        <label class="search-box">
          <SearchIcon />
          <span class="visually-hidden">{t('catalog.search')}</span>
          <input
            ref={search}
            type="search"
            placeholder={t('catalog.search')}
            value={catalog.query()}
            onInput={(event) => catalog.setQuery(event.currentTarget.value)}
            onKeyDown={onSearchKey}
            aria-describedby="catalog-hint"
            aria-keyshortcuts="/"
          />
          <kbd>/</kbd>
        </label>
        <CatalogFilters catalog={catalog} />
        <Show when={catalog.procedures.state !== 'errored' && catalog.procedures.latest}>
          <span class="count" aria-live="polite">
            {catalog.procedures.loading
              ? t('catalog.searching')
              : t('catalog.count', { shown: catalog.visible().length, total: catalog.total() })}
          </span>
        </Show>
      </div>
      <p id="catalog-hint" class="hint">
        {t('catalog.searchHint')}
      </p>
      <div class="catalog-body" classList={{ 'with-detail': Boolean(catalog.selectedCode()) }}>
        <div class="table-scroll">
          <Switch>
            <Match when={catalog.procedures.state === 'errored'}>
              <ProblemNote problem={describeError(catalog.procedures.error)} />
            </Match>
            <Match when={catalog.procedures.latest === undefined}>
              <p class="page-status">{t('catalog.loading')}</p>
            </Match>
            <Match when={catalog.total() === 0 && !catalog.query() && catalog.visible().length === 0}>
              <p class="page-status">{t('catalog.none')}</p>
            </Match>
            <Match when={true}>
              <ProcedureTable
                catalog={catalog}
                showAgency={!catalog.selectedCode()}
                activeCode={activeCode()}
                onActivate={setActiveCode}
                onLeaveTop={() => search.focus()}
                ref={(body) => {
                  rows = body;
                }}
              />
              <Show when={catalog.visible().length === 0 && !catalog.procedures.loading}>
                <p class="page-status">{t('catalog.empty', { q: catalog.query() })}</p>
              </Show>
            </Match>
          </Switch>
        </div>
        <Show when={catalog.selectedCode()}>
          <ProcedureDetail catalog={catalog} />
        </Show>
      </div>
    </section>
  );
};
