import { QueueFigures } from './QueueFigures';
import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError } from '../errors';
import { formatDate, formatDateTime } from '../format';
import { type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import './board.css';

type Board = Outputs['board']['deadlines'];
type Row = Board['rows'][number];
type SortKey = 'code' | 'procedure' | 'office' | 'due' | 'left' | 'where' | 'risk';

/** Hours while they matter for acting today (≤ 2 working days); beyond that, working days (8 h each). */
const hoursText = (h: number) => {
  const abs = Math.abs(h);
  if (abs > 16) {
    const d = (abs / 8).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
    return h < 0 ? t('board.overByDays', { d }) : t('board.days', { d });
  }
  const shown = abs.toLocaleString('vi-VN', { maximumFractionDigits: 1 });
  return h < 0 ? t('board.overBy', { h: shown }) : t('board.hours', { h: shown });
};

/** Export links of a table: same filters as the page, downloaded with the session cookie. */
export const ExportLinks = (props: { table: string; params: Record<string, string | undefined> }) => {
  const href = (ext: string) => {
    const q = new URLSearchParams(
      Object.entries(props.params).filter((e): e is [string, string] => Boolean(e[1])),
    ).toString();
    return `/reports/${props.table}.${ext}${q ? `?${q}` : ''}`;
  };
  return (
    <span class="board-export">
      <span class="board-export-label">{t('board.export')}</span>
      <a class="button button-small" href={href('csv')} download="">
        CSV
      </a>
      <a class="button button-small" href={href('xlsx')} download="">
        XLSX
      </a>
    </span>
  );
};

const PAGE = 100;

export const BoardPage = () => {
  const [officeId, setOfficeId] = createSignal('');
  const [risk, setRisk] = createSignal('');
  const [where, setWhere] = createSignal('');
  const [q, setQ] = createSignal('');
  const [sort, setSort] = createSignal<{ key: SortKey; dir: 1 | -1 }>({ key: 'left', dir: 1 });
  const [offset, setOffset] = createSignal(0);
  const [offices] = createResource(() => api.board.offices.query());
  // Filters, order and paging run on the server: a province has tens of thousands of open dossiers.
  const query = createMemo(() => ({
    officeId: officeId() || undefined,
    risk: (risk() || undefined) as Row['risk'] | undefined,
    where: (where() || undefined) as Row['where'] | undefined,
    q: q().trim() || undefined,
    sort: sort().key,
    dir: sort().dir,
    offset: offset(),
    limit: PAGE,
  }));
  const [board, { refetch }] = createResource(query, (input) => api.board.deadlines.query(input));
  const rows = () => board.latest?.rows ?? [];
  const filter = (set: (v: string) => void) => (v: string) => {
    setOffset(0);
    set(v);
  };

  const header = (key: SortKey, label: MessageKey) => (
    <th scope="col" aria-sort={sort().key === key ? (sort().dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        class="board-sort"
        title={t('board.sortBy', { col: t(label) })}
        onClick={() => {
          setOffset(0);
          setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : 1 }));
        }}
      >
        {t(label)}
        <span aria-hidden="true">{sort().key === key ? (sort().dir === 1 ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );

  return (
    <section class="board" aria-labelledby="board-title">
      <div class="catalog-toolbar">
        <h1 id="board-title" class="page-title">
          {t('board.title')}
        </h1>
        <Show when={board.latest}>
          {(b) => (
            <span class="board-counts">
              <span class="risk risk-overdue">
                {t('risk.overdue')}: {b().counts.overdue}
              </span>
              <span class="risk risk-at_risk">
                {t('risk.at_risk')}: {b().counts.at_risk}
              </span>
              <span class="risk risk-on_track">
                {t('risk.on_track')}: {b().counts.on_track}
              </span>
            </span>
          )}
        </Show>
        <button type="button" class="button" onClick={() => refetch()}>
          {t('board.refresh')}
        </button>
      </div>
      <p class="board-intro">{t('board.intro')}</p>
      <div class="board-filters">
        <label>
          {t('board.office')}
          <select value={officeId()} onChange={(e) => filter(setOfficeId)(e.currentTarget.value)}>
            <option value="">{t('board.allOffices')}</option>
            <For each={offices() ?? []}>{(o) => <option value={o.id}>{o.name}</option>}</For>
          </select>
        </label>
        <label>
          {t('board.risk')}
          <select value={risk()} onChange={(e) => filter(setRisk)(e.currentTarget.value)}>
            <option value="">{t('board.allRisks')}</option>
            <option value="overdue">{t('risk.overdue')}</option>
            <option value="at_risk">{t('risk.at_risk')}</option>
            <option value="on_track">{t('risk.on_track')}</option>
          </select>
        </label>
        <label>
          {t('board.where')}
          <select value={where()} onChange={(e) => filter(setWhere)(e.currentTarget.value)}>
            <option value="">{t('board.allPlaces')}</option>
            <For each={['desk', 'agency', 'courier', 'citizen'] as const}>
              {(w) => <option value={w}>{t(`where.${w}`)}</option>}
            </For>
          </select>
        </label>
        <label class="board-search">
          {t('board.search')}
          <input type="search" value={q()} onInput={(e) => filter(setQ)(e.currentTarget.value)} />
        </label>
        <span class="count">{t('board.count', { n: board.latest?.total ?? 0 })}</span>
        <ExportLinks table="deadlines" params={{ officeId: officeId() || undefined }} />
      </div>
      <p class="board-explain">{t('board.riskExplain')}</p>
      <div class="table-scroll">
        <Switch fallback={<p class="page-status">{t('board.loading')}</p>}>
          <Match when={board.state === 'errored'}>
            <ProblemNote problem={describeError(board.error)} />
          </Match>
          <Match when={board.latest && rows().length === 0}>
            <p class="page-status">{t('board.empty')}</p>
          </Match>
          <Match when={board.latest}>
            <table class="data-table board-table">
              <thead>
                <tr>
                  {header('code', 'board.col.code')}
                  {header('procedure', 'board.col.procedure')}
                  {header('office', 'board.col.office')}
                  {header('due', 'board.col.due')}
                  {header('left', 'board.col.left')}
                  {header('where', 'board.col.where')}
                  {header('risk', 'board.col.risk')}
                  <th scope="col">{t('board.col.note')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(r) => (
                    <tr class={`board-row board-row-${r.risk}`} data-dossier={r.code ?? r.id}>
                      <td>
                        <A href={`/dossiers/${r.id}`} class="board-code">
                          {r.code ?? r.id.slice(0, 8)}
                        </A>
                      </td>
                      <td>
                        <span class="board-proc-code">{r.procedureCode}</span> {r.procedureName}
                        <div class="board-sub">{r.agencyName}</div>
                      </td>
                      <td>{r.officeName}</td>
                      <td class="board-num">
                        {formatDateTime(r.effectiveDueAt)}
                        <Show when={r.dueProvisional}>
                          <span
                            class="ind-note"
                            data-note="provisional-due"
                            title={t('board.dueProvisional.hint')}
                          >
                            {t('board.dueProvisional')}
                          </span>
                        </Show>
                        <Show when={r.measureDueAt !== r.effectiveDueAt || r.measureLate}>
                          <div class="board-sub" data-note="measure-due">
                            {r.measureLate
                              ? t('board.measureLate')
                              : t('board.measureDue', { at: formatDateTime(r.measureDueAt) })}
                          </div>
                        </Show>
                      </td>
                      <td class="board-num">{hoursText(r.hoursLeft)}</td>
                      <td>{t(`where.${r.where}`)}</td>
                      <td>
                        <span class={`risk risk-${r.risk}`}>{t(`risk.${r.risk}`)}</span>
                      </td>
                      <td class="board-note">
                        <Show when={r.paused}>
                          <div>{t('board.paused')}</div>
                        </Show>
                        <Show when={r.reason === 'second_supplement'}>
                          <div>{t('board.secondSupplement')}</div>
                        </Show>
                        <Show when={r.extended}>
                          <div>{t('board.extended')}</div>
                        </Show>
                        <Show when={r.apologyDue}>
                          <div class="board-apology">
                            {t('board.apologyBy', { d: formatDate(r.apologyBy) })}
                          </div>
                        </Show>
                        <Show when={r.lastWarning}>
                          {(w) => (
                            <div class="board-sub">{t('board.warned', { at: formatDateTime(w().at) })}</div>
                          )}
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Match>
        </Switch>
      </div>
      <Show when={(board.latest?.total ?? 0) > PAGE}>
        <nav class="board-pages" aria-label={t('board.pages')}>
          <button
            type="button"
            class="button button-small"
            disabled={offset() === 0}
            onClick={() => setOffset((o) => Math.max(0, o - PAGE))}
          >
            {t('board.prevPage')}
          </button>
          <span>
            {t('board.pageOf', {
              from: offset() + 1,
              to: Math.min(offset() + PAGE, board.latest?.total ?? 0),
              n: board.latest?.total ?? 0,
            })}
          </span>
          <button
            type="button"
            class="button button-small"
            disabled={offset() + PAGE >= (board.latest?.total ?? 0)}
            onClick={() => setOffset((o) => o + PAGE)}
          >
            {t('board.nextPage')}
          </button>
        </nav>
      </Show>
      <Show when={board.latest}>
        {(b) => (
          <section class="board-warnings" aria-labelledby="board-warnings-title">
            <h2 id="board-warnings-title">{t('board.warnings')}</h2>
            <Show
              when={b().warnings.length > 0}
              fallback={<p class="page-status">{t('board.noWarnings')}</p>}
            >
              <ul>
                <For each={b().warnings}>
                  {(w) => {
                    const d = w.details as { kind?: string; code?: string; dueAt?: string };
                    const kind = (
                      ['overdue', 'at_risk', 'apology_due'].includes(d.kind ?? '') ? d.kind : 'at_risk'
                    ) as 'overdue' | 'at_risk' | 'apology_due';
                    return (
                      <li>
                        <span class="board-sub">{formatDateTime(w.at)}</span> ·{' '}
                        <strong>{t(`board.warning.${kind}`)}</strong> ·{' '}
                        <A href={`/dossiers/${w.target}`}>{d.code ?? w.target.slice(0, 8)}</A>
                        <Show when={d.dueAt}> · {formatDateTime(d.dueAt)}</Show>
                      </li>
                    );
                  }}
                </For>
              </ul>
            </Show>
          </section>
        )}
      </Show>
      <QueueFigures officeId={officeId()} />
    </section>
  );
};
