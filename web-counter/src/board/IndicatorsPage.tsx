import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { lang, type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { ExportLinks } from './BoardPage';
import { colorOf, TrendChart } from './TrendChart';
import './board.css';

type Indicators = Outputs['board']['indicators'];
type IndicatorKey = keyof Indicators['groups'][number]['indicators'];
type GroupBy = 'office' | 'agency' | 'commune' | 'procedure' | 'none';

const KEYS: IndicatorKey[] = [
  'onTime',
  'electronicResult',
  'digitization',
  'reuse',
  'online',
  'onlinePayment',
  'satisfaction',
];
const GROUPS = ['progress', 'digitization', 'onlineServices', 'onlinePayment', 'satisfaction'] as const;

const pct = (v: number | null) =>
  v === null
    ? 'N/A'
    : `${v.toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 })}%`;
const num = (v: number | null) =>
  v === null ? 'N/A' : v.toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 });

const thisMonth = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);

/** The words for a code (`prefix.code`), or the code itself when the page has none for it yet. */
const codeText = (prefix: string, code: string) => {
  const key = `${prefix}.${code}` as MessageKey;
  const text = t(key);
  return text === key ? code : text;
};

/** Why a dossier is outside a numerator; several reasons are joined by "+". */
const reasonText = (r: string | null) =>
  r
    ? r
        .split('+')
        .map((p) => codeText('reason', p))
        .join(', ')
    : '';

type Drill = { key: string; unit: string; indicator: IndicatorKey | 'postal' };

export const IndicatorsPage = () => {
  const [month, setMonth] = createSignal(thisMonth());
  const [groupBy, setGroupBy] = createSignal<GroupBy>('office');
  const [drill, setDrill] = createSignal<Drill | null>(null);
  const params = () => ({ month: month(), groupBy: groupBy() });
  const [data, { refetch }] = createResource(params, (p) => api.board.indicators.query(p));
  const [publicityProblem, setPublicityProblem] = createSignal<unknown>(null);
  const savePublicity = async (officeId: string, value: string) => {
    setPublicityProblem(null);
    const points = Number(value.replace(',', '.'));
    try {
      await api.board.setPublicity.mutate({ month: month(), officeId, points });
      await refetch();
    } catch (err) {
      setPublicityProblem(err);
    }
  };
  const [trendAll] = createResource(month, (m) =>
    api.board.trend.query({ month: m, months: 12, groupBy: 'none' }),
  );
  const [trendOffices] = createResource(month, (m) =>
    api.board.trend.query({ month: m, months: 12, groupBy: 'office' }),
  );
  const [list] = createResource(drill, (d) =>
    api.board.drilldown.query({ month: month(), groupBy: groupBy(), key: d.key, indicator: d.indicator }),
  );

  const allSeries = createMemo(() => {
    const tr = trendAll.latest;
    if (!tr) return [];
    const keys = ['onTime', 'digitization', 'reuse', 'online', 'satisfaction', 'postalShare'] as const;
    return keys.map((k, i) => ({
      label: k === 'postalShare' ? t('ind.k.postal') : t(`ind.k.${k}`),
      color: colorOf(i),
      values: tr.months.map((m) => tr.points.find((p) => p.month === m)?.[k] ?? null),
    }));
  });
  const officeSeries = createMemo(() => {
    const tr = trendOffices.latest;
    if (!tr) return [];
    const keys = [...new Set(tr.points.map((p) => p.key))];
    return keys.map((key, i) => ({
      label: tr.names[key] ?? key,
      color: colorOf(i),
      values: tr.months.map((m) => tr.points.find((p) => p.month === m && p.key === key)?.onTime ?? null),
    }));
  });

  const figure = (g: Indicators['groups'][number], k: IndicatorKey) => {
    const r = g.indicators[k];
    return (
      <td class="ind-cell">
        <button
          type="button"
          class="ind-figure"
          data-indicator={k}
          aria-label={`${t(`ind.k.${k}`)} — ${g.name}: ${pct(r.rate)} (${r.numerator}/${r.denominator})`}
          onClick={() => setDrill({ key: g.key, unit: g.name, indicator: k })}
        >
          <span class="ind-rate">{pct(r.rate)}</span>
          <span class="ind-frac">
            {r.numerator}/{r.denominator} · {num(r.points)}/{r.maxPoints}
          </span>
        </button>
      </td>
    );
  };

  return (
    <section class="indicators" aria-labelledby="ind-title">
      <div class="catalog-toolbar">
        <h1 id="ind-title" class="page-title">
          {t('ind.title')}
        </h1>
        <a
          class="button"
          href={`/reports/monthly.pdf?month=${month()}&groupBy=${groupBy()}`}
          target="_blank"
          rel="noopener"
        >
          {t('ind.pdf')}
        </a>
      </div>
      <p class="board-intro">{t('ind.intro')}</p>
      <div class="board-filters">
        <label>
          {t('ind.month')}
          <input
            type="month"
            value={month()}
            min="2022-08"
            max={thisMonth()}
            onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('ind.groupBy')}
          <select value={groupBy()} onChange={(e) => setGroupBy(e.currentTarget.value as GroupBy)}>
            <For each={['office', 'agency', 'commune', 'procedure', 'none'] as const}>
              {(g) => <option value={g}>{t(`ind.by.${g}`)}</option>}
            </For>
          </select>
        </label>
        <ExportLinks table="indicators" params={params()} />
      </div>

      <Switch fallback={<p class="page-status">{t('ind.loading')}</p>}>
        <Match when={data.state === 'errored'}>
          <ProblemNote problem={describeError(data.error)} />
        </Match>
        <Match when={data.latest}>
          {(d) => (
            <>
              <h2 class="ind-h2">
                {t('ind.ranking', { m: `${d().month.slice(5)}/${d().month.slice(0, 4)}` })}
              </h2>
              <Show when={d().groups.length > 0 && d().rankedOn === 'dossier_groups'}>
                <p class="page-status" data-note="ranked-on-dossier-groups">
                  {t('ind.publicity.rankedOn')}
                </p>
              </Show>
              <Show when={publicityProblem()}>{(p) => <ProblemNote problem={describeError(p())} />}</Show>
              <Show when={d().groups.length > 0} fallback={<p class="page-status">{t('ind.empty')}</p>}>
                <div class="table-scroll">
                  <table class="data-table ind-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('ind.rank')}</th>
                        <th scope="col">{t('ind.unit')}</th>
                        <For each={KEYS}>{(k) => <th scope="col">{t(`ind.k.${k}`)}</th>}</For>
                        <th scope="col">{t('ind.g.publicity')}</th>
                        <For each={GROUPS}>{(g) => <th scope="col">{t(`ind.g.${g}`)}</th>}</For>
                        <th scope="col">{t('ind.points')}</th>
                        <th scope="col">{t('ind.score')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={d().groups}>
                        {(g) => (
                          <tr data-unit={g.key}>
                            <td class="ind-rank">{g.rank ?? '–'}</td>
                            <th scope="row" class="ind-unit">
                              {groupBy() === 'none' ? t('ind.by.none') : g.name}
                            </th>
                            <For each={KEYS}>{(k) => figure(g, k)}</For>
                            <td class="board-num">
                              <Show when={groupBy() === 'office'} fallback={num(g.groupPoints.publicity)}>
                                <form
                                  class="ind-publicity"
                                  onSubmit={(e) => {
                                    e.preventDefault();
                                    const input = e.currentTarget.elements.namedItem(
                                      'points',
                                    ) as HTMLInputElement;
                                    void savePublicity(g.key, input.value);
                                  }}
                                >
                                  <input
                                    name="points"
                                    type="number"
                                    min="0"
                                    max="18"
                                    step="0.01"
                                    aria-label={t('ind.publicity.label', { unit: g.name })}
                                    value={g.groupPoints.publicity ?? ''}
                                  />
                                  <button type="submit" class="button button-small">
                                    {t('ind.publicity.save')}
                                  </button>
                                </form>
                              </Show>
                            </td>
                            <For each={GROUPS}>
                              {(gr) => <td class="board-num">{num(g.groupPoints[gr])}</td>}
                            </For>
                            <td class="board-num">
                              <strong>{num(g.totalPoints)}</strong>/{g.attainablePoints}
                              <Show when={!g.publicityEntered}>
                                <span class="ind-note" data-note="no-publicity">
                                  {' '}
                                  {t('ind.publicity.missing')}
                                </span>
                              </Show>
                            </td>
                            <td class="board-num">
                              <strong>{pct(g.score)}</strong>
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>

              <div class="ind-cards">
                <section class="ind-card" aria-labelledby="ind-postal">
                  <h2 id="ind-postal">{t('ind.postal')}</h2>
                  <button
                    type="button"
                    class="ind-figure ind-big"
                    data-indicator="postal"
                    onClick={() => setDrill({ key: 'all', unit: t('ind.by.none'), indicator: 'postal' })}
                  >
                    <span class="ind-rate">{pct(d().postal.rate)}</span>
                    <span class="ind-frac">
                      {d().postal.postal}/{d().postal.received}
                    </span>
                  </button>
                </section>
                <section class="ind-card" aria-labelledby="ind-courier">
                  <h2 id="ind-courier">{t('ind.courier')}</h2>
                  <Show
                    when={d().courier.deliveries > 0}
                    fallback={<p class="page-status">{t('ind.noDeliveries')}</p>}
                  >
                    <dl class="ind-dl">
                      <dt>{t('ind.firstAttempt')}</dt>
                      <dd>
                        {pct(d().courier.firstAttemptRate)} ({d().courier.firstAttempt}/
                        {d().courier.deliveries})
                      </dd>
                      <dt>{t('ind.level')}</dt>
                      <dd>
                        {pct(d().courier.levelRate)} ({d().courier.levelMet}/{d().courier.withLevel})
                      </dd>
                      <dt>{t('ind.failed')}</dt>
                      <dd>{d().courier.failedAttempts}</dd>
                    </dl>
                    <Show when={d().courier.reasons.length > 0}>
                      <h3>{t('ind.reasons')}</h3>
                      <ul>
                        <For each={d().courier.reasons}>
                          {(r) => (
                            <li>
                              {codeText('ind.failReason', r.reason)}: {r.count}
                            </li>
                          )}
                        </For>
                      </ul>
                    </Show>
                  </Show>
                </section>
                <section class="ind-card ind-moves" aria-labelledby="ind-moves">
                  <h2 id="ind-moves">{t('ind.moves')}</h2>
                  <Show when={d().moves.length > 0} fallback={<p class="page-status">{t('ind.noMoves')}</p>}>
                    <ul>
                      <For each={d().moves.slice(0, 8)}>
                        {(m) => (
                          <li>
                            <strong>{groupBy() === 'none' ? t('ind.by.none') : m.name}</strong> —{' '}
                            {t(`ind.k.${m.indicator}`)}: {lang() === 'vi' ? m.text.vi : m.text.en}
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                </section>
              </div>
            </>
          )}
        </Match>
      </Switch>

      <section class="ind-trends" aria-labelledby="ind-trend">
        <div class="catalog-toolbar">
          <h2 id="ind-trend" class="ind-h2">
            {t('ind.trend')}
          </h2>
          <ExportLinks table="trend" params={{ month: month(), groupBy: 'office' }} />
        </div>
        <Show
          when={(trendAll.latest?.points.length ?? 0) > 0}
          fallback={<p class="page-status">{t('ind.trendEmpty')}</p>}
        >
          <div class="ind-charts">
            <TrendChart
              months={trendAll.latest!.months}
              series={allSeries()}
              title={t('ind.by.none')}
              xLabel={t('ind.month')}
            />
            <TrendChart
              months={trendOffices.latest?.months ?? []}
              series={officeSeries()}
              title={t('ind.trendUnits', { k: t('ind.k.onTime') })}
              xLabel={t('ind.month')}
            />
          </div>
        </Show>
      </section>

      <Show when={drill()}>
        {(dr) => (
          <div class="ind-drill-backdrop">
            <section
              class="ind-drill"
              role="dialog"
              aria-modal="true"
              aria-labelledby="ind-drill-title"
              onKeyDown={(e) => e.key === 'Escape' && setDrill(null)}
            >
              <div class="catalog-toolbar">
                <h2 id="ind-drill-title">
                  {t('ind.drill.title', {
                    k:
                      dr().indicator === 'postal'
                        ? t('ind.k.postal')
                        : t(`ind.k.${dr().indicator as IndicatorKey}`),
                    u: groupBy() === 'none' ? t('ind.by.none') : dr().unit,
                  })}
                </h2>
                <ExportLinks
                  table="drilldown"
                  params={{ month: month(), groupBy: groupBy(), key: dr().key, indicator: dr().indicator }}
                />
                <button
                  type="button"
                  class="button"
                  ref={(el) => queueMicrotask(() => el.focus())}
                  onClick={() => setDrill(null)}
                >
                  {t('ind.drill.close')}
                </button>
              </div>
              <Switch fallback={<p class="page-status">{t('ind.drill.loading')}</p>}>
                <Match when={list.state === 'errored'}>
                  <ProblemNote problem={describeError(list.error)} />
                </Match>
                <Match when={list.state === 'ready' && list()}>
                  {(l) => (
                    <div class="ind-drill-lists">
                      <For
                        each={[
                          {
                            title: t('ind.drill.numerator', { n: l().numerator.length }),
                            rows: l().numerator,
                          },
                          { title: t('ind.drill.excluded', { n: l().excluded.length }), rows: l().excluded },
                        ]}
                      >
                        {(part) => (
                          <div>
                            <h3>{part.title}</h3>
                            <Show
                              when={part.rows.length > 0}
                              fallback={<p class="page-status">{t('ind.drill.none')}</p>}
                            >
                              <table class="data-table ind-drill-table">
                                <thead>
                                  <tr>
                                    <th scope="col">{t('board.col.code')}</th>
                                    <th scope="col">{t('board.col.procedure')}</th>
                                    <th scope="col">{t('ind.drill.received')}</th>
                                    <th scope="col">{t('board.col.due')}</th>
                                    <th scope="col">{t('ind.drill.reason')}</th>
                                  </tr>
                                </thead>
                                <tbody>
                                  <For each={part.rows}>
                                    {(r) => (
                                      <tr data-dossier={r.code ?? r.id}>
                                        <td>
                                          <A href={`/dossiers/${r.id}`}>{r.code ?? r.id.slice(0, 8)}</A>
                                        </td>
                                        <td>
                                          {r.procedureCode} {r.procedureName}
                                        </td>
                                        <td>{formatDateTime(r.receivedAt)}</td>
                                        <td>{formatDateTime(r.dueAt)}</td>
                                        <td>{reasonText(r.reason)}</td>
                                      </tr>
                                    )}
                                  </For>
                                </tbody>
                              </table>
                            </Show>
                          </div>
                        )}
                      </For>
                    </div>
                  )}
                </Match>
              </Switch>
            </section>
          </div>
        )}
      </Show>
    </section>
  );
};
