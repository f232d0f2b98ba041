import { useNavigate } from '@solidjs/router';
import { For, onMount, Show } from 'solid-js';
import { formatDateTime, formatMoney } from '../format';
import { type MessageKey, t } from '../i18n';
import { FileIcon, PlusIcon, UploadIcon } from '../icons';
import { onKey } from '../shell/shortcuts';
import { StateChip } from '../StateChip';
import type { SubmitResult } from './types';

export const formTitle = (form: string) =>
  ['mau01', 'mau02', 'mau03'].includes(form) ? t(`formName.${form}` as MessageKey) : form;

export const ResultView = (props: { result: SubmitResult; onNew: () => void }) => {
  let first: HTMLAnchorElement | undefined;
  let fallback!: HTMLButtonElement;
  onMount(() => (first ?? fallback).focus());
  const navigate = useNavigate();
  const canScan = () => props.result.state === 'received';
  const scan = () => navigate(`/dossiers/${props.result.dossierId}/scan`);
  onKey((event) => {
    if (!canScan() || !event.altKey || event.ctrlKey || event.metaKey || event.code !== 'KeyS') return;
    event.preventDefault();
    scan();
  });

  return (
    <section class="result" aria-labelledby="result-title">
      <h2 id="result-title" class="section-title">
        <span class="step-number">4</span>
        {t('result.title')}
      </h2>
      <div class="result-card">
        <div class="result-main">
          <p class="field-label">{t('result.code')}</p>
          <p class="dossier-code" id="dossier-code">
            {props.result.code ?? t('result.noCode')}
          </p>
          <StateChip state={props.result.state} large />
        </div>
        <dl class="facts result-facts">
          <Show when={props.result.receivedAt}>
            <dt>{t('result.receivedAt')}</dt>
            <dd>{formatDateTime(props.result.receivedAt)}</dd>
          </Show>
          <Show when={props.result.dueAt}>
            <dt>{t('result.dueAt')}</dt>
            <dd class="due" id="dossier-due">
              {formatDateTime(props.result.dueAt)}
            </dd>
          </Show>
          <dt>{t('result.total')}</dt>
          <dd class="strong">{formatMoney(props.result.fees.total)}</dd>
        </dl>
      </div>
      <Show when={props.result.replayed}>
        <p class="hint">{t('result.replayed')}</p>
      </Show>
      <h3 class="field-label">{t('result.forms')}</h3>
      <div class="button-row">
        <For each={props.result.forms}>
          {(form, index) => (
            <a
              ref={(element) => {
                if (index() === 0) first = element;
              }}
              class="button"
              href={form.url}
              target="_blank"
              rel="noopener"
            >
              <FileIcon />
              {formTitle(form.form)}
            </a>
          )}
        </For>
        <Show when={canScan()}>
          <button
            type="button"
            class="button button-primary"
            id="result-scan"
            onClick={scan}
            aria-keyshortcuts="Alt+S"
          >
            <UploadIcon />
            {t('result.scan')}
            <kbd>Alt+S</kbd>
          </button>
        </Show>
        <button
          ref={fallback}
          type="button"
          class="button"
          onClick={() => props.onNew()}
          aria-keyshortcuts="Alt+N"
        >
          <PlusIcon />
          {t('result.new')}
          <kbd>Alt+N</kbd>
        </button>
      </div>
    </section>
  );
};
