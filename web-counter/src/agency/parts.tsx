import { isDossierEvent } from '@postdesk/shared';
import { A } from '@solidjs/router';
import {
  type Accessor,
  createSignal,
  For,
  type JSX,
  Match,
  onMount,
  type Resource,
  Show,
  Switch,
} from 'solid-js';
import { describeError, type Problem } from '../errors';
import { formatDateTime, formatDecimal, formatMoney } from '../format';
import { lang, t } from '../i18n';
import { ArrowLeftIcon, ClockIcon, FileIcon, PrintIcon, WarningIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { StateChip } from '../StateChip';
import { toasts } from '../toast';
import { type DossierView, formUrl, splitHours } from './client';

/** Time left to the due time in working days and hours; the cue is a word and an icon, not only colour. */
export const TimeLeft = (props: { hoursLeft: number | null; overdue: boolean; paused: boolean }) => (
  <Show when={props.hoursLeft !== null}>
    {(() => {
      const parts = () => splitHours(props.hoursLeft ?? 0);
      const text = () =>
        parts().days > 0
          ? parts().hours > 0
            ? t('agency.left.daysHours', { d: parts().days, h: formatDecimal(parts().hours, lang()) })
            : t('agency.left.days', { d: parts().days })
          : t('agency.left.hours', { h: formatDecimal(parts().hours, lang()) });
      return (
        <span
          class="time-left"
          classList={{
            'time-left-late': props.overdue,
            'time-left-soon': !props.overdue && !props.paused && (props.hoursLeft ?? 99) <= 8,
            'time-left-paused': props.paused,
          }}
        >
          {props.overdue ? <WarningIcon size={14} /> : <ClockIcon size={14} />}
          <Show when={!props.paused} fallback={t('agency.left.paused', { left: text() })}>
            {props.overdue ? t('agency.left.overdue', { late: text() }) : text()}
          </Show>
        </span>
      );
    })()}
  </Show>
);

const eventLabel = (event: string) => (isDossierEvent(event) ? t(`agency.event.${event}`) : event);

/** What happened, newest first, with who did it and from which office. */
export const Timeline = (props: { events: DossierView['timeline'] }) => (
  <ol class="agency-timeline">
    <For each={props.events}>
      {(e) => (
        <li>
          <span class="agency-timeline-when">{formatDateTime(e.at)}</span>
          <span class="agency-timeline-what">{eventLabel(e.event)}</span>
          <span class="agency-timeline-who muted">
            {[e.actorName, e.officeName].filter(Boolean).join(' · ')}
          </span>
        </li>
      )}
    </For>
  </ol>
);

/** The dossier's data as received: applicant, procedure, offices, return, fees. */
export const DossierFacts = (props: { dossier: DossierView }) => {
  const d = () => props.dossier;
  return (
    <dl class="agency-facts">
      <dt>{t('agency.fact.procedure')}</dt>
      <dd>
        {d().procedure.name} <span class="mono muted">({d().procedure.code})</span>
      </dd>
      <dt>{t('agency.fact.applicant')}</dt>
      <dd>
        <strong>{d().applicant?.fullName ?? '—'}</strong>
        <Show when={d().applicant?.citizenId}>{(id) => <span class="mono"> · {id()}</span>}</Show>
      </dd>
      <Show when={d().applicant?.address}>
        <dt>{t('agency.fact.address')}</dt>
        <dd>{d().applicant?.address}</dd>
      </Show>
      <Show when={d().applicant?.phone}>
        <dt>{t('agency.fact.phone')}</dt>
        <dd class="mono">{d().applicant?.phone}</dd>
      </Show>
      <dt>{t('agency.fact.receivedAt')}</dt>
      <dd>
        {formatDateTime(d().receivedAt)} · {d().receivingOffice.name}
      </dd>
      <dt>{t('agency.fact.agency')}</dt>
      <dd>{d().agency.name}</dd>
      <dt>{t('agency.fact.processing')}</dt>
      <dd>{t('agency.fact.days', { n: d().processingDays })}</dd>
      <dt>{t('agency.fact.return')}</dt>
      <dd>
        {d().returnMethod === 1
          ? t('agency.fact.returnPost', { address: d().deliveryAddress ?? '' })
          : t('agency.fact.returnDesk')}
      </dd>
      <Show when={d().fees.length > 0}>
        <dt>{t('agency.fact.fees')}</dt>
        <dd>
          <For each={d().fees}>
            {(f) => (
              <span class="agency-fee">
                {f.label}: {formatMoney(f.amount)}
              </span>
            )}
          </For>
        </dd>
      </Show>
      <Show when={d().supplementCount > 0}>
        <dt>{t('agency.fact.supplements')}</dt>
        <dd>
          {t('agency.fact.supplementCount', { n: d().supplementCount })}
          <Show when={d().supplementCount > 1}>
            <span class="badge agency-late-badge">
              <WarningIcon size={12} /> {t('agency.fact.countsLate')}
            </span>
          </Show>
        </dd>
      </Show>
      <Show when={d().apology}>
        {(a) => (
          <>
            <dt>{t('agency.fact.apology')}</dt>
            <dd>
              {t('agency.fact.apologyText', {
                from: formatDateTime(a().previousDueAt),
                to: formatDateTime(a().newDueAt),
              })}
              <br />
              <span class="muted">{a().reason}</span>
            </dd>
          </>
        )}
      </Show>
      <Show when={d().decision}>
        {(dec) => (
          <>
            <dt>{t('agency.fact.decision')}</dt>
            <dd>
              {dec().outcome === 'approved' ? t('agency.outcome.approved') : t('agency.outcome.refused')}
              <Show when={dec().resultNumber}>
                {' '}
                · {t('agency.fact.number', { n: dec().resultNumber ?? '' })}
              </Show>
              <Show when={dec().reasons?.length}>
                <ul class="agency-reasons">
                  <For each={dec().reasons}>{(r) => <li>{r}</li>}</For>
                </ul>
              </Show>
            </dd>
          </>
        )}
      </Show>
    </dl>
  );
};

type Doc = { key: string; name: string; url: string; pages: number; note?: string };

/** The signed PDFs, one at a time, as page images beside the data; "open" shows the PDF and its signature. */
export const DocumentViewer = (props: { dossier: DossierView }) => {
  const docs = (): Doc[] => [
    ...(props.dossier.resultFileUrl
      ? [{ key: 'result', name: t('agency.viewer.result'), url: props.dossier.resultFileUrl, pages: 1 }]
      : []),
    ...props.dossier.components
      .filter((c) => c.fileUrl)
      .map((c) => ({
        key: c.code,
        name: c.name,
        url: c.fileUrl!,
        pages: c.pages,
        ...(c.supplementRound ? { note: t('agency.viewer.supplement', { n: c.supplementRound }) } : {}),
      })),
  ];
  const [chosen, setChosen] = createSignal<string | null>(null);
  const [page, setPage] = createSignal(1);
  const current = () => docs().find((d) => d.key === chosen()) ?? docs()[0];
  const missing = () => props.dossier.components.filter((c) => !c.fileUrl);
  return (
    <section class="agency-viewer" aria-labelledby="viewer-title">
      <h2 id="viewer-title" class="section-title">
        {t('agency.viewer.title')}
      </h2>
      <Show when={docs().length > 0} fallback={<p class="muted">{t('agency.viewer.none')}</p>}>
        <div class="agency-doc-tabs" role="tablist" aria-label={t('agency.viewer.title')}>
          <For each={docs()}>
            {(d) => (
              <button
                type="button"
                role="tab"
                class="agency-doc-tab"
                aria-selected={current()?.key === d.key}
                onClick={() => {
                  setChosen(d.key);
                  setPage(1);
                }}
              >
                <FileIcon />
                <span>{d.name}</span>
                <Show when={d.note}>
                  <span class="badge">{d.note}</span>
                </Show>
              </button>
            )}
          </For>
        </div>
        <Show when={current()}>
          {(doc) => (
            <div class="agency-doc" role="tabpanel">
              <div class="agency-doc-bar">
                <Show when={doc().pages > 1}>
                  <button
                    type="button"
                    class="button button-small"
                    disabled={page() <= 1}
                    onClick={() => setPage(page() - 1)}
                  >
                    {t('agency.viewer.prev')}
                  </button>
                  <span>{t('agency.viewer.page', { n: page(), total: doc().pages })}</span>
                  <button
                    type="button"
                    class="button button-small"
                    disabled={page() >= doc().pages}
                    onClick={() => setPage(page() + 1)}
                  >
                    {t('agency.viewer.next')}
                  </button>
                </Show>
                <a class="button button-small" href={doc().url} target="_blank" rel="noopener">
                  {t('agency.viewer.open')}
                </a>
              </div>
              <img
                class="agency-doc-page"
                src={`${doc().url}/pages/${page()}?dpi=96`}
                alt={t('agency.viewer.alt', { name: doc().name, n: page() })}
              />
            </div>
          )}
        </Show>
      </Show>
      <Show when={missing().length > 0}>
        <p class="hint">
          {t('agency.viewer.missing', {
            names: missing()
              .map((c) => c.name)
              .join('; '),
          })}
        </p>
      </Show>
    </section>
  );
};

/**
 * Runs one action at a time; its problem shows next to the action, in both languages. `afterDone` (say, a
 * refetch) runs after the toast while the action still counts as busy.
 */
export const createAction = (afterDone?: () => unknown) => {
  const [busy, setBusy] = createSignal<string | null>(null);
  const [problem, setProblem] = createSignal<{ action: string; problem: Problem } | null>(null);
  const run = async (action: string, fn: () => Promise<unknown>, done: string) => {
    if (busy()) return false;
    setBusy(action);
    setProblem(null);
    try {
      await fn();
      toasts.show(done);
      await afterDone?.();
      return true;
    } catch (err) {
      setProblem({ action, problem: describeError(err) });
      return false;
    } finally {
      setBusy(null);
    }
  };
  const problemFor = (action: string) => {
    const p = problem();
    return p?.action === action ? p.problem : null;
  };
  return { busy, run, problemFor };
};

export type Action = ReturnType<typeof createAction>;

/** The page head of one dossier: back link, code, state, due time and time left; takes the focus on arrival. */
export const DossierHead = (props: {
  back: { href: string; label: string };
  titleId: string;
  title: string;
  dossier:
    | Pick<DossierView, 'code' | 'state' | 'dueAt' | 'hoursLeft' | 'overdue' | 'clockPausedAt'>
    | undefined;
}) => {
  let heading!: HTMLHeadingElement;
  onMount(() => heading?.focus());
  return (
    <div class="agency-head">
      <A class="button button-quiet button-small" href={props.back.href}>
        <ArrowLeftIcon /> {props.back.label}
      </A>
      <h1 id={props.titleId} class="page-title" tabindex="-1" ref={heading}>
        {props.title} <span class="dossier-code">{props.dossier?.code ?? ''}</span>
      </h1>
      <Show when={props.dossier}>
        {(d) => (
          <>
            <StateChip state={d().state} large />
            <span class="agency-due">
              {t('agency.dossier.due')} <strong>{formatDateTime(d().dueAt)}</strong>
            </span>
            <TimeLeft hoursLeft={d().hoursLeft} overdue={d().overdue} paused={d().clockPausedAt !== null} />
          </>
        )}
      </Show>
    </div>
  );
};

/** The dossier once loaded; while loading a line says so, and a failure says what to do. */
export const DossierLoaded = <T,>(props: {
  dossier: Resource<T>;
  children: (d: Accessor<NonNullable<T>>) => JSX.Element;
}) => (
  <Switch fallback={<p class="page-status">{t('agency.dossier.loading')}</p>}>
    <Match when={props.dossier.error}>
      <ProblemNote problem={describeError(props.dossier.error)} />
    </Match>
    <Match when={props.dossier.latest}>{(d) => props.children(d)}</Match>
  </Switch>
);

/** A printable form of the dossier, opened in a new tab. */
export const FormLink = (props: {
  dossierId: string;
  form: Parameters<typeof formUrl>[1];
  label: string;
  class?: string;
}) => (
  <a
    class={props.class ?? 'button button-small'}
    href={formUrl(props.dossierId, props.form)}
    target="_blank"
    rel="noopener"
  >
    <PrintIcon /> {props.label}
  </a>
);

/** One step as a primary button, with its problem (if the step failed) right below it. */
export const ActionButton = (props: {
  action: Action;
  name: string;
  label: string;
  done: string;
  call: () => Promise<unknown>;
  then?: () => unknown;
}) => (
  <>
    <button
      type="button"
      class="button button-primary"
      disabled={props.action.busy() !== null}
      onClick={() => void props.action.run(props.name, props.call, props.done).then(() => props.then?.())}
    >
      {props.label}
    </button>
    <Show when={props.action.problemFor(props.name)}>{(p) => <ProblemNote problem={p()} />}</Show>
  </>
);

/** A choice between a few options as radio buttons under a legend screen readers hear (the visible heading is the form's). */
export const RadioChoice = <T extends string>(props: {
  name: string;
  legend: string;
  options: { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}) => (
  <fieldset class="agency-radios">
    <legend class="visually-hidden">{props.legend}</legend>
    <For each={props.options}>
      {(option) => (
        <label class="radio-field">
          <input
            type="radio"
            name={props.name}
            checked={props.value === option.value}
            onChange={() => props.onChange(option.value)}
          />
          {option.label}
        </label>
      )}
    </For>
  </fieldset>
);
