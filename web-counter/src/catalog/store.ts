import { createMemo, createResource, createSignal } from 'solid-js';
import { api, type Outputs } from '../api';
import { foldDiacritics, matchesAllWords } from '../search';

export type ProcedureSummary = Outputs['catalog']['procedures'][number];
export type ProcedureDetail = Outputs['catalog']['procedure'];
export type SortKey = 'code' | 'name' | 'agency' | 'days' | 'fees';
export type Sort = { key: SortKey; direction: 'asc' | 'desc' };

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
  const [procedures, { refetch }] = createResource(() => api.catalog.procedures.query({}));
  const [query, setQuery] = createSignal('');
  const [sort, setSort] = createSignal<Sort>({ key: 'code', direction: 'asc' });
  const [selectedCode, setSelectedCode] = createSignal<string>();

  const indexed = createMemo(() =>
    (procedures.state === 'ready' ? procedures() : []).map((procedure) => ({
      procedure,
      haystack: foldDiacritics(`${procedure.code} ${procedure.name}`),
    })),
  );

  const visible = createMemo(() => {
    const { key, direction } = sort();
    const sign = direction === 'asc' ? 1 : -1;
    return indexed()
      .filter((entry) => matchesAllWords(entry.haystack, query()))
      .map((entry) => entry.procedure)
      .sort((left, right) => sign * compare(sortValue[key](left), sortValue[key](right)));
  });

  const [detail] = createResource(selectedCode, (code) => api.catalog.procedure.query({ code }));

  const toggleSort = (key: SortKey) =>
    setSort((current) => ({
      key,
      direction: current.key === key && current.direction === 'asc' ? 'desc' : 'asc',
    }));

  return {
    procedures,
    refetch,
    query,
    setQuery,
    sort,
    toggleSort,
    visible,
    total: () => indexed().length,
    selectedCode,
    select: setSelectedCode,
    close: () => setSelectedCode(undefined),
    detail,
  };
};

export type Catalog = ReturnType<typeof createCatalog>;
