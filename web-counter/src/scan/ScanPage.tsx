import { A, useParams } from '@solidjs/router';
import { For, Match, onMount, Show, Switch } from 'solid-js';
import { t } from '../i18n';
import { CheckIcon, SpinnerIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { onKey } from '../shell/shortcuts';
import { StateChip } from '../StateChip';
import { toasts } from '../toast';
import { ComponentPanel } from './ComponentPanel';
import { createScan, isDone, type Scan } from './store';

const alt = (event: KeyboardEvent, code: string) =>
  event.altKey && !event.ctrlKey && !event.metaKey && event.code === code;

const LiveStatus = (props: { scan: Scan }) => (
  <p class="scan-live" role="status" aria-live="polite">
    <Show when={props.scan.processing() > 0} fallback={<span class="muted">{t('scan.idle')}</span>}>
      <SpinnerIcon />
      {t('scan.processing', { n: props.scan.processing() })}
    </Show>
  </p>
);

const Station = (props: { dossierId: string }) => {
  const scan = createScan(props.dossierId);
  let heading!: HTMLHeadingElement;
  onMount(() => heading.focus());

  const complete = async () => {
    if (!scan.canComplete() || scan.completing()) return;
    if (await scan.complete()) {
      toasts.show(t('scan.completed', { code: scan.dossier()?.code ?? '' }));
      heading.focus();
    }
  };

  const uploadNext = () => {
    const next = scan.dossier()?.components.find((component) => !isDone(component));
    const input = next && document.getElementById(`comp-${next.code}-files`);
    if (input instanceof HTMLInputElement && !input.disabled) {
      input.focus();
      input.click();
    }
  };

  onKey((event) => {
    if (alt(event, 'KeyX')) {
      event.preventDefault();
      void complete();
    } else if (alt(event, 'KeyU')) {
      event.preventDefault();
      uploadNext();
    }
  });

  return (
    <section class="scan" aria-labelledby="scan-title">
      <div class="scan-head">
        <div class="scan-id">
          <h1 id="scan-title" class="page-title" tabindex="-1" ref={heading}>
            {t('scan.title')}
          </h1>
          <Show when={scan.dossier()}>
            {(dossier) => (
              <>
                <p class="scan-code" id="scan-code">
                  <span class="visually-hidden">{t('scan.code')}: </span>
                  {dossier().code ?? t('scan.noCode')}
                </p>
                <span id="scan-state">
                  <StateChip state={dossier().state} large />
                </span>
                <span class="count">
                  {t('scan.progress', { done: scan.doneCount(), total: dossier().components.length })}
                </span>
              </>
            )}
          </Show>
        </div>
        <Show when={!scan.dossier() || scan.open()}>
          <button
            type="button"
            id="scan-complete"
            class="button button-primary"
            disabled={!scan.canComplete() || scan.completing()}
            aria-describedby="scan-complete-hint"
            aria-keyshortcuts="Alt+X"
            onClick={() => void complete()}
          >
            <CheckIcon />
            {scan.completing() ? t('scan.completing') : t('scan.complete')}
            <kbd>Alt+X</kbd>
          </button>
        </Show>
      </div>
      <div class="scan-notes">
        <div class="scan-status-row">
          <LiveStatus scan={scan} />
          <Switch>
            <Match when={scan.dossier() && !scan.open()}>
              <p class="hint" id="scan-complete-hint">
                {t('scan.closed')}
              </p>
            </Match>
            <Match when={scan.dossier() && !scan.canComplete()}>
              <p class="hint" id="scan-complete-hint">
                {t('scan.completeHint')} <span class="muted">{t('scan.keys')}</span>
              </p>
            </Match>
            <Match when={scan.dossier()}>
              <p class="hint" id="scan-complete-hint">
                {t('scan.keys')}
              </p>
            </Match>
          </Switch>
        </div>
        <Show when={scan.completeProblem()}>
          {(problem) => (
            <div class="scan-complete-problem">
              <ProblemNote problem={problem()} />
              <Show when={problem().missing?.length}>
                <p class="field-error">{t('scan.missing', { names: problem().missing!.join(', ') })}</p>
              </Show>
            </div>
          )}
        </Show>
      </div>
      <div class="scan-scroll">
        <Switch fallback={<p class="page-status">{t('scan.loading')}</p>}>
          <Match when={!scan.dossier() && scan.loadProblem()}>
            {(problem) => (
              <div class="page-status">
                <ProblemNote problem={problem()} />
                <A href="/today" class="button">
                  {t('scan.back')}
                </A>
              </div>
            )}
          </Match>
          <Match when={scan.dossier()}>
            {(dossier) => (
              <Show
                when={dossier().components.length > 0}
                fallback={<p class="page-status">{t('scan.noComponents')}</p>}
              >
                <Show when={scan.loadProblem()}>{(problem) => <ProblemNote problem={problem()} />}</Show>
                <h2 class="visually-hidden">{t('scan.components')}</h2>
                <For each={dossier().components}>
                  {(component) => <ComponentPanel scan={scan} component={component} />}
                </For>
              </Show>
            )}
          </Match>
        </Switch>
      </div>
    </section>
  );
};

export const ScanPage = () => {
  const params = useParams<{ dossierId: string }>();
  return (
    <Show when={params.dossierId} keyed>
      {(dossierId) => <Station dossierId={dossierId} />}
    </Show>
  );
};
