import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  For,
  Match,
  onCleanup,
  onMount,
  Show,
  Switch,
} from 'solid-js';
import { api, type Outputs } from '../api';
import { tileUrl as buildTileUrl } from '../config';
import { describeError, type Problem } from '../errors';
import { formatDate, formatDateTime, parseDisplayDate, vietnamToday } from '../format';
import { lang, type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { session } from '../session';
import { toasts } from '../toast';
import type { DispatchMap, DispatchMapData, MapStop } from './dispatchMap';
import './dispatch.css';

type Day = Outputs['courier']['list'];
type Task = Day['tasks'][number];
type Plan = Outputs['courier']['plan'];

/** Eight colours told apart on a plain ground; every route also carries its courier's name and numbers. */
const PALETTE = ['#0b57a4', '#b42318', '#1d6b3a', '#7a3fb0', '#b35c00', '#00758f', '#a3195b', '#4d5b00'];

const km = (m: number) => (m / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
const clock = (value: Date | string | null | undefined) => formatDateTime(value).slice(11);

const windowText = (task: { windowStart: Date | string | null; windowEnd: Date | string | null }) =>
  task.windowStart && task.windowEnd
    ? `${clock(task.windowStart)}–${clock(task.windowEnd)}`
    : t('dispatch.noWindow');

const taskCode = (task: { dossierCode: string | null }) => task.dossierCode ?? t('dispatch.noCode');

/** The calendar day `n` days from `day` (both `YYYY-MM-DD`). */
const shiftDay = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

export const DispatchPage = () => {
  const [day, setDay] = createSignal(vietnamToday());
  // The office is part of the source: switching office in the header reloads its day.
  const [data, { refetch }] = createResource(
    () => ({ day: day(), office: session.membership()?.officeId }),
    (source) => api.courier.list.query({ day: source.day }),
  );
  const [plan, setPlan] = createSignal<Plan | null>(null);
  const [planning, setPlanning] = createSignal(false);
  const [accepting, setAccepting] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [acceptErrors, setAcceptErrors] = createSignal<{ taskId: string; message: string }[]>([]);
  const [choice, setChoice] = createSignal<Record<string, string>>({});
  const [busyTask, setBusyTask] = createSignal<string | null>(null);
  const [mapFailed, setMapFailed] = createSignal(false);
  let heading!: HTMLHeadingElement;
  let mapElement!: HTMLElement;
  let map: DispatchMap | undefined;
  let disposed = false;

  onMount(async () => {
    heading.focus();
    try {
      const { mountDispatchMap } = await import('./dispatchMap');
      if (disposed) return;
      map = mountDispatchMap(mapElement, {
        tileUrl: data.latest?.tileUrl ?? buildTileUrl ?? null,
        zoomInTitle: t('map.zoomIn'),
        zoomOutTitle: t('map.zoomOut'),
        officeLabel: 'BĐ',
      });
      draw();
    } catch {
      setMapFailed(true);
    }
  });
  onCleanup(() => {
    disposed = true;
    map?.remove();
  });

  const couriers = () => data.latest?.couriers ?? [];
  const colourOf = createMemo(() => new Map(couriers().map((c, i) => [c.id, PALETTE[i % PALETTE.length]!])));
  const nameOf = (id: string | null) => couriers().find((c) => c.id === id)?.fullName ?? '';
  const tasks = () => data.latest?.tasks ?? [];
  const byId = createMemo(() => new Map(tasks().map((task) => [task.id, task])));

  const counts = createMemo(() => {
    const c = { open: 0, assigned: 0, done: 0, failed: 0 };
    for (const task of tasks()) if (task.state in c) c[task.state as keyof typeof c]++;
    return c;
  });

  /** The proposal when there is one, else the routes as assigned. */
  const mapData = createMemo((): DispatchMapData => {
    const d = data.latest;
    const office =
      d?.office.lat != null && d.office.lng != null
        ? { lat: d.office.lat, lng: d.office.lng, name: d.office.name }
        : null;
    const p = plan();
    const stops: MapStop[] = [];
    const placed = new Set<string>();
    const routes: DispatchMapData['routes'] = [];
    const routeList = p
      ? p.routes.map((r) => ({
          courierId: r.courierId,
          path: r.path,
          ids: r.stops.map((s) => s.taskId),
          distanceM: r.distanceM,
        }))
      : (d?.routes ?? []).map((r) => ({
          courierId: r.courierId,
          path: r.path,
          ids: r.taskIds,
          distanceM: r.distanceM,
        }));
    for (const r of routeList) {
      const colour = colourOf().get(r.courierId) ?? PALETTE[0]!;
      routes.push({ colour, path: r.path, title: `${nameOf(r.courierId)} · ${km(r.distanceM)} km` });
      r.ids.forEach((id, i) => {
        const task = byId().get(id);
        if (!task || task.lat == null || task.lng == null) return;
        placed.add(id);
        stops.push({
          id,
          lat: task.lat,
          lng: task.lng,
          label: String(i + 1),
          title: `${i + 1}. ${taskCode(task)} — ${task.address} (${nameOf(r.courierId)})`,
          colour,
          kind: task.kind,
        });
      });
    }
    for (const task of tasks()) {
      if (placed.has(task.id) || task.lat == null || task.lng == null || task.state === 'cancelled') continue;
      stops.push({
        id: task.id,
        lat: task.lat,
        lng: task.lng,
        label: task.kind === 'pickup' ? 'N' : 'P',
        title: `${taskCode(task)} — ${task.address}`,
        colour: task.courierId ? (colourOf().get(task.courierId) ?? null) : null,
        kind: task.kind,
      });
    }
    return { office, stops, routes };
  });

  const draw = () => map?.draw(mapData());
  createEffect(() => {
    mapData();
    draw();
  });

  const changeDay = (value: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return;
    setPlan(null);
    setAcceptErrors([]);
    setDay(value);
  };

  const propose = async (mode: 'plan' | 'replan') => {
    setPlanning(true);
    setProblem(null);
    setAcceptErrors([]);
    try {
      setPlan(
        mode === 'plan'
          ? await api.courier.plan.mutate({ day: day(), includeAssigned: true, timeLimitMs: 1500 })
          : await api.courier.replan.mutate({ day: day() }),
      );
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setPlanning(false);
    }
  };

  /** A courier off for the rest of the day: the planner moves their remaining stops (a worker job). */
  const takeOff = async (courierId: string, name: string) => {
    setProblem(null);
    try {
      await api.courier.setAvailability.mutate({ courierId, day: day(), available: false });
      toasts.show(t('dispatch.offDone', { name }), 'info');
    } catch (error) {
      setProblem(describeError(error));
    }
  };

  const accept = async () => {
    const p = plan();
    if (!p) return;
    setAccepting(true);
    setProblem(null);
    try {
      const result = await api.courier.acceptPlan.mutate({
        day: p.day,
        estimated: p.distances.estimated,
        routes: p.routes.map((r) => ({
          courierId: r.courierId,
          distanceM: r.distanceM,
          stops: r.stops.map((s) => ({ taskId: s.taskId, version: s.version, eta: s.eta })),
        })),
      });
      setAcceptErrors(result.errors.map((e) => ({ taskId: e.taskId, message: e.message })));
      toasts.show(t('dispatch.accepted', { n: result.assigned }));
      setPlan(null);
      await refetch();
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setAccepting(false);
    }
  };

  const assign = async (task: Task) => {
    const courierId = choice()[task.id] ?? task.courierId;
    if (!courierId) return;
    setBusyTask(task.id);
    setProblem(null);
    try {
      await api.courier.assign.mutate({ taskId: task.id, courierId, day: day(), version: task.version });
      toasts.show(t('dispatch.assigned', { code: taskCode(task), name: nameOf(courierId) }));
      setPlan(null);
      await refetch();
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusyTask(null);
    }
  };

  const unassign = async (task: Task) => {
    setBusyTask(task.id);
    setProblem(null);
    try {
      await api.courier.unassign.mutate({ taskId: task.id, version: task.version });
      toasts.show(t('dispatch.unassigned', { code: taskCode(task) }), 'info');
      setPlan(null);
      await refetch();
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusyTask(null);
    }
  };

  const sortedTasks = createMemo(() =>
    [...tasks()]
      .filter((task) => task.state !== 'cancelled')
      .sort(
        (a, b) =>
          (a.courierId ?? '~').localeCompare(b.courierId ?? '~') ||
          (a.sequence ?? 999) - (b.sequence ?? 999) ||
          String(a.windowStart ?? '').localeCompare(String(b.windowStart ?? '')),
      ),
  );

  return (
    <section class="dispatch" aria-labelledby="dispatch-title">
      <div class="catalog-toolbar dispatch-toolbar">
        <h1 id="dispatch-title" class="page-title" tabindex="-1" ref={heading}>
          {t('dispatch.title')}
        </h1>
        <div class="dispatch-day">
          <button
            type="button"
            class="button button-quiet"
            aria-label={t('dispatch.prevDay')}
            onClick={() => changeDay(shiftDay(day(), -1))}
          >
            ‹
          </button>
          <label>
            <span>{t('dispatch.day')}</span>
            <input
              type="text"
              inputmode="numeric"
              size="10"
              placeholder="dd/mm/yyyy"
              value={formatDate(day())}
              aria-describedby="dispatch-day-hint"
              onChange={(e) => {
                const parsed = parseDisplayDate(e.currentTarget.value);
                if (parsed) changeDay(parsed);
                else e.currentTarget.value = formatDate(day());
              }}
            />
          </label>
          <span id="dispatch-day-hint" class="visually-hidden">
            {t('dispatch.dayHint')}
          </span>
          <button
            type="button"
            class="button button-quiet"
            aria-label={t('dispatch.nextDay')}
            onClick={() => changeDay(shiftDay(day(), 1))}
          >
            ›
          </button>
        </div>
        <Show when={data.latest}>
          <span class="count">{t('dispatch.summary', counts())}</span>
        </Show>
        <button type="button" class="button" onClick={() => refetch()}>
          {t('dispatch.refresh')}
        </button>
        <button
          type="button"
          class="button"
          disabled={planning()}
          title={t('dispatch.replanHint')}
          onClick={() => propose('replan')}
        >
          {t('dispatch.replan')}
        </button>
        <button
          type="button"
          class="button button-primary"
          disabled={planning()}
          onClick={() => propose('plan')}
        >
          {planning() ? t('dispatch.planning') : t('dispatch.plan')}
        </button>
      </div>

      <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
      <Show when={data.latest && couriers().length === 0}>
        <p class="page-status">{t('dispatch.noCouriers')}</p>
      </Show>

      <div class="dispatch-body">
        <div class="dispatch-map-column">
          <figure class="dispatch-map" ref={mapElement} aria-label={t('dispatch.map')} />
          <p class="dispatch-map-note muted">
            {mapFailed()
              ? t('dispatch.mapFailed')
              : data.latest?.tileUrl || buildTileUrl
                ? ''
                : t('dispatch.mapNoTiles')}
          </p>
          <ul class="dispatch-legend" aria-label={t('dispatch.legend')}>
            <For each={couriers()}>
              {(c) => (
                <li>
                  <span
                    class="dispatch-swatch"
                    style={{ '--pin': colourOf().get(c.id) }}
                    aria-hidden="true"
                  />
                  {c.fullName}
                </li>
              )}
            </For>
            <li>
              <span class="dispatch-swatch dispatch-swatch-open" aria-hidden="true" />
              {t('dispatch.unassignedLegend')}
            </li>
          </ul>
        </div>

        <div class="dispatch-side">
          <Show when={plan()}>
            {(p) => (
              <section class="dispatch-proposal" aria-labelledby="proposal-title">
                <h2 id="proposal-title">{t('dispatch.proposal')}</h2>
                <p class="muted">
                  {t('dispatch.proposalSummary', {
                    routes: p().routes.length,
                    km: km(p().distanceM),
                    served: p().routes.reduce((n, r) => n + r.stops.length, 0),
                    left: p().unassigned.length,
                    ms: p().solveMs,
                  })}
                </p>
                <div class="dispatch-actions">
                  <button
                    type="button"
                    class="button button-primary"
                    disabled={accepting() || p().routes.length === 0}
                    onClick={accept}
                  >
                    {accepting() ? t('dispatch.accepting') : t('dispatch.accept')}
                  </button>
                  <button type="button" class="button" onClick={() => setPlan(null)}>
                    {t('dispatch.discard')}
                  </button>
                </div>
                <Show when={p().distances.note}>
                  {(note) => (
                    <p class="dispatch-estimate" role="note">
                      <span lang={lang()}>{lang() === 'vi' ? note().vi : note().en}</span>
                    </p>
                  )}
                </Show>
                <h3>{t('dispatch.late')}</h3>
                <Show when={p().late.length > 0} fallback={<p class="muted">{t('dispatch.noneLate')}</p>}>
                  <ul class="dispatch-late">
                    <For each={p().late}>
                      {(l) => (
                        <li>
                          <strong>{l.dossierCode ?? t('dispatch.noCode')}</strong> — {l.address}
                          <br />
                          <span lang={lang()}>{lang() === 'vi' ? l.vi : l.en}</span>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <h3>{t('dispatch.unserved')}</h3>
                <Show
                  when={p().unassigned.length > 0}
                  fallback={<p class="muted">{t('dispatch.allServed')}</p>}
                >
                  <ul class="dispatch-unserved">
                    <For each={p().unassigned}>
                      {(u) => (
                        <li>
                          <strong>{u.dossierCode ?? t('dispatch.noCode')}</strong> — {u.address}
                          <br />
                          <span lang={lang()}>{lang() === 'vi' ? u.vi : u.en}</span>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <For each={p().routes}>
                  {(r) => (
                    <details class="dispatch-route" open={p().routes.length <= 3}>
                      <summary>
                        <span
                          class="dispatch-swatch"
                          style={{ '--pin': colourOf().get(r.courierId) }}
                          aria-hidden="true"
                        />
                        {t('dispatch.route', {
                          name: r.courierName,
                          stops: r.stops.length,
                          km: km(r.distanceM),
                          back: clock(r.returnAt),
                        })}
                      </summary>
                      <ol>
                        <For each={r.stops}>
                          {(s) => (
                            <li>
                              <span class="numeric">{clock(s.eta)}</span>{' '}
                              {t(`dispatch.kind.${s.kind}` as MessageKey)} ·{' '}
                              {s.dossierCode ?? t('dispatch.noCode')} — {s.address}
                              <Show when={s.legalDate}>
                                {(d) => (
                                  <span class="muted">
                                    {' '}
                                    · {t('dispatch.legalDate', { date: formatDate(d()) })}
                                  </span>
                                )}
                              </Show>
                              <Show when={s.late}>
                                {' '}
                                <span class="dispatch-late-chip">{t('dispatch.lateChip')}</span>
                              </Show>
                            </li>
                          )}
                        </For>
                      </ol>
                    </details>
                  )}
                </For>
              </section>
            )}
          </Show>
          <Show when={acceptErrors().length > 0}>
            <div class="problem" role="alert">
              <p>{t('dispatch.acceptErrors')}</p>
              <ul>
                <For each={acceptErrors()}>
                  {(e) => (
                    <li>
                      {taskCode(byId().get(e.taskId) ?? { dossierCode: null })}: {e.message}
                    </li>
                  )}
                </For>
              </ul>
            </div>
          </Show>
          <Show when={!plan() && data.latest && data.latest.routes.length === 0 && counts().open > 0}>
            <p class="dispatch-hint muted">{t('dispatch.hint')}</p>
          </Show>
          <Show when={!plan() && (data.latest?.routes.length ?? 0) > 0}>
            <section class="dispatch-proposal" aria-labelledby="routes-title">
              <h2 id="routes-title">{t('dispatch.routes')}</h2>
              <ul class="dispatch-saved">
                <For each={data.latest?.routes}>
                  {(r) => (
                    <li>
                      <span
                        class="dispatch-swatch"
                        style={{ '--pin': colourOf().get(r.courierId) }}
                        aria-hidden="true"
                      />
                      {t('dispatch.routeSaved', {
                        name: r.courierName,
                        stops: r.taskIds.length,
                        km: km(r.distanceM),
                      })}{' '}
                      <button
                        type="button"
                        class="button button-small"
                        aria-label={t('dispatch.offTodayLabel', { name: r.courierName })}
                        onClick={() => takeOff(r.courierId, r.courierName)}
                      >
                        {t('dispatch.offToday')}
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          </Show>
        </div>
      </div>

      <section class="dispatch-tasks" aria-labelledby="tasks-title">
        <h2 id="tasks-title" class="visually-hidden">
          {t('dispatch.tasks')}
        </h2>
        <div class="table-scroll">
          <Switch fallback={<p class="page-status">{t('dispatch.loading')}</p>}>
            <Match when={data.error}>
              <ProblemNote problem={describeError(data.error)} />
            </Match>
            <Match when={data.latest && sortedTasks().length === 0}>
              <p class="page-status">{t('dispatch.empty')}</p>
            </Match>
            <Match when={data.latest}>
              <table class="data-table dispatch-table">
                <thead>
                  <tr>
                    <th scope="col">{t('dispatch.col.seq')}</th>
                    <th scope="col">{t('dispatch.col.kind')}</th>
                    <th scope="col">{t('dispatch.col.dossier')}</th>
                    <th scope="col">{t('dispatch.col.address')}</th>
                    <th scope="col">{t('dispatch.col.window')}</th>
                    <th scope="col">{t('dispatch.col.level')}</th>
                    <th scope="col">{t('dispatch.col.state')}</th>
                    <th scope="col">{t('dispatch.col.courier')}</th>
                    <th scope="col">{t('dispatch.col.action')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={sortedTasks()}>
                    {(task) => {
                      const editable = () =>
                        task.state === 'open' ||
                        task.state === 'assigned' ||
                        (task.state === 'failed' && task.plannable);
                      return (
                        <tr>
                          <td class="numeric">
                            <Show when={task.courierId && task.routeDay === day()}>
                              <span
                                class="dispatch-swatch"
                                style={{ '--pin': colourOf().get(task.courierId!) }}
                                aria-hidden="true"
                              />
                            </Show>
                            {task.sequence ?? ''}
                          </td>
                          <td>{t(`dispatch.kind.${task.kind}` as MessageKey)}</td>
                          <td class="code">{taskCode(task)}</td>
                          <td>
                            {task.address}
                            <Show when={task.lat == null}>
                              <br />
                              <span class="chip chip-muted">{t('dispatch.noPosition')}</span>
                            </Show>
                          </td>
                          <td class="numeric">{windowText(task)}</td>
                          <td>
                            {task.serviceLevel}
                            <Show when={task.serviceDueDay}>
                              <br />
                              <span class="muted">{formatDate(task.serviceDueDay!)}</span>
                            </Show>
                          </td>
                          <td>
                            <span class={`chip dispatch-state dispatch-state-${task.state}`}>
                              {t(`dispatch.state.${task.state}` as MessageKey)}
                            </span>
                            <Show when={task.attempts > 0}>
                              <br />
                              <span class="muted">{t('dispatch.attempts', { n: task.attempts })}</span>
                            </Show>
                            <Show when={task.state === 'failed' && task.nextAttemptAfter}>
                              <br />
                              <span class="muted">
                                {t('dispatch.retryFrom', { at: formatDateTime(task.nextAttemptAfter) })}
                              </span>
                            </Show>
                            <Show when={task.proofId}>
                              <br />
                              <a
                                href={`/field/proofs/${task.proofId}.pdf`}
                                target="_blank"
                                rel="noopener"
                                aria-label={t('dispatch.proofLabel', { code: taskCode(task) })}
                              >
                                {t('dispatch.proof')}
                              </a>
                            </Show>
                          </td>
                          <td>
                            <Show when={editable()} fallback={nameOf(task.courierId)}>
                              <select
                                aria-label={t('dispatch.courierFor', { code: taskCode(task) })}
                                value={choice()[task.id] ?? task.courierId ?? ''}
                                onChange={(e) => setChoice({ ...choice(), [task.id]: e.currentTarget.value })}
                              >
                                <option value="">{t('dispatch.chooseCourier')}</option>
                                <For each={couriers()}>
                                  {(c) => <option value={c.id}>{c.fullName}</option>}
                                </For>
                              </select>
                            </Show>
                          </td>
                          <td>
                            <Show when={editable()}>
                              <div class="dispatch-row-actions">
                                <button
                                  type="button"
                                  class="button"
                                  disabled={busyTask() === task.id || !(choice()[task.id] ?? task.courierId)}
                                  aria-label={t('dispatch.assignLabel', { code: taskCode(task) })}
                                  onClick={() => assign(task)}
                                >
                                  {task.state === 'assigned' ? t('dispatch.reassign') : t('dispatch.assign')}
                                </button>
                                <Show when={task.state === 'assigned'}>
                                  <button
                                    type="button"
                                    class="button button-quiet"
                                    disabled={busyTask() === task.id}
                                    aria-label={t('dispatch.unassignLabel', { code: taskCode(task) })}
                                    onClick={() => unassign(task)}
                                  >
                                    {t('dispatch.unassign')}
                                  </button>
                                </Show>
                              </div>
                            </Show>
                          </td>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
            </Match>
          </Switch>
        </div>
      </section>
    </section>
  );
};
