import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError, type Problem } from '../errors';
import { formatDateTime } from '../format';
import { type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { toasts } from '../toast';

type Calendars = Outputs['admin']['calendars'];
type Year = Calendars['years'][number];
type Kind = 'holiday' | 'compensatory' | 'swap_off' | 'working_weekend';
const KINDS: Kind[] = ['holiday', 'compensatory', 'swap_off', 'working_weekend'];

/** /admin/calendars: load, correct and publish each year's holidays and make-up days (administrators). */
export const CalendarsPage = () => {
  const [data, { refetch }] = createResource(() => api.admin.calendars.query());
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [newYear, setNewYear] = createSignal('');

  const run = async (action: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await action();
      await refetch();
    } catch (err) {
      setProblem(describeError(err));
    }
  };

  const publish = (y: Year) =>
    run(async () => {
      const r = await api.admin.publishCalendar.mutate({ year: y.year, version: y.draft!.version });
      toasts.show(t('cal.publishedResult', { y: r.year, v: r.version, n: r.recomputed }));
    });

  const saveDay = (year: number, form: HTMLFormElement) => {
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    return run(() =>
      api.admin.setCalendarDay.mutate({
        year,
        date: value('date'),
        day: { kind: value('kind') as Kind, nameVi: value('nameVi'), nameEn: value('nameEn') },
      }),
    );
  };

  return (
    <section class="calendars" aria-labelledby="calendars-title">
      <h1 id="calendars-title" class="page-title">
        {t('cal.title')}
      </h1>
      <p>{t('cal.intro')}</p>
      <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
      <Switch fallback={<p class="page-status">…</p>}>
        <Match when={data.state === 'errored'}>
          <ProblemNote problem={describeError(data.error)} />
        </Match>
        <Match when={data.latest}>
          {(d) => (
            <>
              <Show
                when={d().runway.lastPublishedYear !== null}
                fallback={<p role="alert">{t('cal.runway.none')}</p>}
              >
                <Show
                  when={d().runway.warn}
                  fallback={
                    <p data-runway="ok">
                      {t('cal.runway', { until: d().runway.coveredUntil ?? '', n: d().runway.daysLeft })}
                    </p>
                  }
                >
                  <p role="alert" class="calendars-warning" data-runway="warn">
                    {t('cal.runway.warn', {
                      n: d().runway.daysLeft,
                      next: (d().runway.lastPublishedYear ?? 0) + 1,
                      last: d().runway.lastPublishedYear ?? '',
                    })}
                  </p>
                </Show>
              </Show>
              <Show when={d().provisionalDueTimes > 0}>
                <p>{t('cal.provisional', { n: d().provisionalDueTimes })}</p>
              </Show>
              <form
                class="calendars-open"
                onSubmit={(e) => {
                  e.preventDefault();
                  void run(() => api.admin.openCalendarYear.mutate({ year: Number(newYear()) }));
                }}
              >
                <input
                  type="number"
                  min="2020"
                  max="2100"
                  aria-label={t('cal.openYear')}
                  value={newYear()}
                  onInput={(e) => setNewYear(e.currentTarget.value)}
                />
                <button type="submit" class="button">
                  {t('cal.openYear')}
                </button>
              </form>
              <For each={d().years}>
                {(y) => (
                  <article class="calendars-year" data-year={y.year}>
                    <h2>{t('cal.year', { y: y.year })}</h2>
                    <p>
                      {y.published
                        ? t('cal.published', {
                            v: y.published.version,
                            at: y.published.publishedAt
                              ? formatDateTime(new Date(y.published.publishedAt))
                              : '',
                          })
                        : t('cal.notPublished')}
                    </p>
                    <Show
                      when={y.draft}
                      fallback={
                        <button
                          type="button"
                          class="button"
                          onClick={() => run(() => api.admin.openCalendarYear.mutate({ year: y.year }))}
                        >
                          {t('cal.open')}
                        </button>
                      }
                    >
                      {(draft) => (
                        <>
                          <h3>{t('cal.draft', { v: draft().version })}</h3>
                          <p data-changes>
                            {t('cal.changes', {
                              a: draft().changes.added.length,
                              r: draft().changes.removed.length,
                              c: draft().changes.changed.length,
                            })}
                          </p>
                          <table class="data-table">
                            <thead>
                              <tr>
                                <th scope="col">{t('cal.date')}</th>
                                <th scope="col">{t('cal.kind')}</th>
                                <th scope="col">{t('cal.nameVi')}</th>
                                <th scope="col" />
                              </tr>
                            </thead>
                            <tbody>
                              <For each={draft().days}>
                                {(day) => (
                                  <tr data-date={day.date}>
                                    <td>{day.date}</td>
                                    <td>{t(`cal.kind.${day.kind}` as MessageKey)}</td>
                                    <td>{day.nameVi}</td>
                                    <td>
                                      <button
                                        type="button"
                                        class="button button-small"
                                        onClick={() =>
                                          run(() =>
                                            api.admin.setCalendarDay.mutate({
                                              year: y.year,
                                              date: day.date,
                                              day: null,
                                            }),
                                          )
                                        }
                                      >
                                        {t('cal.remove')}
                                      </button>
                                    </td>
                                  </tr>
                                )}
                              </For>
                            </tbody>
                          </table>
                          <form
                            class="calendars-day"
                            onSubmit={(e) => {
                              e.preventDefault();
                              void saveDay(y.year, e.currentTarget);
                            }}
                          >
                            <input name="date" type="date" required aria-label={t('cal.date')} />
                            <select name="kind" aria-label={t('cal.kind')}>
                              <For each={KINDS}>
                                {(k) => <option value={k}>{t(`cal.kind.${k}` as MessageKey)}</option>}
                              </For>
                            </select>
                            <input name="nameVi" required maxlength="120" aria-label={t('cal.nameVi')} />
                            <input name="nameEn" required maxlength="120" aria-label={t('cal.nameEn')} />
                            <button type="submit" class="button">
                              {t('cal.add')}
                            </button>
                          </form>
                          <button type="button" class="button button-primary" onClick={() => publish(y)}>
                            {t('cal.publish', { v: draft().version })}
                          </button>
                        </>
                      )}
                    </Show>
                    <details>
                      <summary>{t('cal.history')}</summary>
                      <ul>
                        <For each={y.history}>
                          {(h) => (
                            <li>
                              v{h.version} · {h.state} ·{' '}
                              {formatDateTime(new Date(h.publishedAt ?? h.createdAt))}
                            </li>
                          )}
                        </For>
                      </ul>
                    </details>
                  </article>
                )}
              </For>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
};
