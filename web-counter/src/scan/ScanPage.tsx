import { A, useParams } from '@solidjs/router';
import { createEffect, createSignal, For, Match, on, onMount, Show, Switch } from 'solid-js';
import { t } from '../i18n';
import { CheckIcon, SignIcon, SpinnerIcon, UploadIcon } from '../icons';
import '../intake/quick.css';
import { ProblemNote } from '../ProblemNote';
import { StateChip } from '../StateChip';
import { onKey } from '../shell/shortcuts';
import { toasts } from '../toast';
import { takeBatch } from './batch';
import { ComponentPanel } from './ComponentPanel';
import { FileDrop } from './FileDrop';
import { createScan, isDone, type Scan } from './store';

const alt = (event: KeyboardEvent, code: string) =>
  event.altKey && !event.ctrlKey && !event.metaKey && event.code === code;

const LiveStatus = (props: { scan: Scan }) => (
  <p class="scan-live" role="status" aria-live="polite">
    <Show
      when={props.scan.processing() > 0}
      fallback={
        <Show when={props.scan.recognising() > 0} fallback={<span class="muted">{t('scan.idle')}</span>}>
          <SpinnerIcon />
          {t('scan.ocrCount', { n: props.scan.recognising() })}
        </Show>
      }
    >
      <SpinnerIcon />
      {t('scan.processing', { n: props.scan.processing() })}
    </Show>
  </p>
);

/** A search of the text OCR found on this dossier's pages: where it is, with the words around it. */
const TextSearch = (props: { scan: Scan }) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onInput = (value: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => void props.scan.findText(value), 300);
  };
  return (
    <search class="scan-search" aria-labelledby="scan-search-label">
      <div class="scan-search-row">
        <label id="scan-search-label" for="scan-search">
          {t('scan.search')}
        </label>
        <input
          id="scan-search"
          type="search"
          autocomplete="off"
          placeholder={t('scan.searchPlaceholder')}
          value={props.scan.search()}
          onInput={(event) => onInput(event.currentTarget.value)}
        />
      </div>
      <Show when={props.scan.searchProblem()}>{(problem) => <ProblemNote problem={problem()} />}</Show>
      <div role="status" aria-live="polite">
        <Show when={props.scan.matches()}>
          {(matches) => (
            <Show
              when={matches().length > 0}
              fallback={<p class="muted">{t('scan.searchNone', { q: props.scan.search().trim() })}</p>}
            >
              <p class="muted">{t('scan.searchCount', { n: matches().length })}</p>
              <ul class="scan-search-results" id="scan-search-results">
                <For each={matches()}>
                  {(match) => (
                    <li>
                      <a class="scan-search-where" href={`#page-${match.pageId}-tile`}>
                        {t('scan.searchHit', { name: match.componentName, n: match.number })}
                      </a>
                      <For each={match.hits}>
                        {(hit) => (
                          <p>
                            {hit.before}
                            <mark>{hit.match}</mark>
                            {hit.after}
                          </p>
                        )}
                      </For>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </div>
    </search>
  );
};

/** One drop or one file dialog for the whole dossier: the files are split across the components in order. */
const BatchZone = (props: { scan: Scan }) => (
  <FileDrop
    class="scan-batch"
    inputId="scan-batch-files"
    describedBy="scan-batch-hint"
    label={t('batch.label')}
    onFiles={(files) => void props.scan.addBatch(files)}
  >
    <UploadIcon size={24} />
    <strong>{t('batch.label')}</strong>
    <span class="hint" id="scan-batch-hint">
      {t('batch.hint')}
    </span>
    <span class="button">{t('batch.pick')}</span>
  </FileDrop>
);

/** "Ký tất cả và chuyển" (Alt+L), with the token PIN asked once when the token wants one. */
const SignAndForward = (props: { scan: Scan; onDone: () => void }) => {
  const [pin, setPin] = createSignal('');
  const run = async () => {
    if (!props.scan.canSignAll() || props.scan.forwarding()) return;
    if (await props.scan.signAllAndForward(pin() || undefined)) {
      setPin('');
      props.onDone();
    }
  };
  onKey((event) => {
    if (!alt(event, 'KeyL')) return;
    event.preventDefault();
    void run();
  });
  return (
    <form
      class="sign-forward"
      onSubmit={(event) => {
        event.preventDefault();
        void run();
      }}
    >
      <Show when={props.scan.forwardNeedsPin()}>
        <label class="field-label" for="sign-forward-pin">
          {t('comp.pin')}
        </label>
        <input
          id="sign-forward-pin"
          class="pin-input"
          ref={(element) => queueMicrotask(() => element.focus())}
          type="password"
          inputmode="numeric"
          autocomplete="off"
          value={pin()}
          onInput={(event) => setPin(event.currentTarget.value)}
        />
      </Show>
      <button
        type="submit"
        id="scan-sign-forward"
        class="button button-primary"
        disabled={!props.scan.canSignAll() || props.scan.forwarding()}
        aria-describedby="sign-forward-hint"
        aria-keyshortcuts="Alt+L"
      >
        <Show when={props.scan.forwarding()} fallback={<SignIcon />}>
          <SpinnerIcon />
        </Show>
        {props.scan.forwarding() ? t('signForward.busy') : t('signForward.button')}
        <kbd>Alt+L</kbd>
      </button>
      <span class="visually-hidden" id="sign-forward-hint">
        {t('signForward.hint')}
      </span>
    </form>
  );
};

const Station = (props: { dossierId: string }) => {
  const scan = createScan(props.dossierId);
  let heading!: HTMLHeadingElement;
  onMount(() => heading.focus());
  // Scans chosen at the intake result arrive with the page: split once the components are known.
  createEffect(
    on(
      () => scan.dossier()?.dossierId,
      (id) => {
        if (!id) return;
        const files = takeBatch(props.dossierId);
        if (files.length > 0) void scan.addBatch(files);
      },
    ),
  );

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
        <Show when={scan.open()}>
          <SignAndForward
            scan={scan}
            onDone={() => {
              toasts.show(t('signForward.done', { code: scan.dossier()?.code ?? '' }));
              heading.focus();
            }}
          />
        </Show>
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
          <Show when={scan.dossier()}>
            <A class="button button-small" href={`/dossiers/${props.dossierId}`}>
              {t('desk.openPage')}
            </A>
          </Show>
        </div>
        <Show when={scan.forwardProblem()}>
          {(problem) => <ProblemNote problem={problem()} id="sign-forward-problem" />}
        </Show>
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
                <Show
                  when={dossier().components.some((c) => c.pages.some((page) => page.ocrState === 'done'))}
                >
                  <TextSearch scan={scan} />
                </Show>
                <Show when={scan.open() && dossier().components.some((c) => !c.reused && !c.signedUrl)}>
                  <BatchZone scan={scan} />
                </Show>
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
