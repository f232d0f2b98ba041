import { createEffect, createMemo, createResource, createRoot, createSignal, onCleanup } from 'solid-js';
import { api, type Outputs } from '../api';

export type ProcedureSummary = Outputs['catalog']['procedures'][number];
export type ProcedureDetail = Outputs['catalog']['procedure'];
export type SortKey = 'code' | 'name' | 'agency' | 'days' | 'fees';
export type Sort = { key: SortKey; direction: 'asc' | 'desc' } | undefined;
export type Level = '' | 'province' | 'commune';

const SEARCH_DEBOUNCE_MS = 150;

export const totalFees = (procedure: ProcedureSummary) =>
  procedure.fees.reduce((sum, fee) => sum + fee.amount, 0);

const sortValue: Record<SortKey, (procedure: ProcedureSummary) => string | number> = {
  code: (procedure) => procedure.code,
  name: (procedure) => procedure.name,
  agency: (procedure) => procedure.agency.name,
  days: (procedure) => procedure.processingWorkingDays,
  fees: totalFees,
};

const compare = (left: string | number, right: string | number) =>
  typeof left === 'number' && typeof right === 'number'
    ? left - right
    : String(left).localeCompare(String(right), 'vi');

export const createCatalog = () => {
  const [query, setQueryNow] = createSignal('');
  const [searched, setSearched] = createSignal('');
  const [agencyCode, setAgencyCode] = createSignal('');
  const [level, setLevel] = createSignal<Level>('');
  const [sort, setSort] = createSignal<Sort>();
  const [selectedCode, setSelectedCode] = createSignal<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  const setQuery = (text: string) => {
    setQueryNow(text);
    clearTimeout(timer);
    timer = setTimeout(() => setSearched(text.trim()), SEARCH_DEBOUNCE_MS);
  };

  const filters = () => ({
    q: searched() || undefined,
    agencyCode: agencyCode() || undefined,
    level: level() || undefined,
  });

  const [procedures, { refetch }] = createResource(filters, (input) => api.catalog.procedures.query(input));
  const [everything] = createResource(() => api.catalog.procedures.query({}));

  const all = () => (everything.state === 'errored' ? [] : (everything.latest ?? []));

  const agencies = createMemo(() => {
    const seen = new Map<string, string>();
    for (const procedure of all()) seen.set(procedure.agency.code, procedure.agency.name);
    return [...seen]
      .map(([code, name]) => ({ code, name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  });

  const visible = createMemo(() => {
    const list = procedures.state === 'errored' ? [] : (procedures.latest ?? []);
    const current = sort();
    if (!current) return list;
    const sign = current.direction === 'asc' ? 1 : -1;
    return [...list].sort(
      (left, right) => sign * compare(sortValue[current.key](left), sortValue[current.key](right)),
    );
  });

  const settled = () => !procedures.loading && searched() === query().trim();

  /** Runs `then` once the list shows what is typed now (Enter right after typing must not open a stale row). */
  const whenSettled = (then: () => void) => {
    clearTimeout(timer);
    setSearched(query().trim());
    if (settled()) return then();
    createRoot((dispose) =>
      createEffect(() => {
        if (!settled()) return;
        dispose();
        queueMicrotask(then);
      }),
    );
  };

  const [detail, { refetch: refetchDetail }] = createResource(selectedCode, (code) =>
    api.catalog.procedure.query({ code }),
  );

  const toggleSort = (key: SortKey) =>
    setSort((current) => ({
      key,
      direction: current?.key === key && current.direction === 'asc' ? 'desc' : 'asc',
    }));

  return {
    procedures,
    refetch,
    query,
    setQuery,
    agencyCode,
    setAgencyCode,
    level,
    setLevel,
    agencies,
    sort,
    toggleSort,
    visible,
    whenSettled,
    total: () => all().length,
    selectedCode,
    select: setSelectedCode,
    close: () => setSelectedCode(undefined),
    detail,
    refetchDetail,
  };
};

export type Catalog = ReturnType<typeof createCatalog>;
