import { For, Match, Show, Switch } from 'solid-js';
import { problemForCode } from '../errors';
import { lang, type MessageKey, t } from '../i18n';
import {
  ArrowLeftIcon,
  ArrowRightIcon,
  CheckIcon,
  RotateIcon,
  SpinnerIcon,
  TrashIcon,
  WarningIcon,
} from '../icons';
import { toasts } from '../toast';
import './scan.css';
import { isBusy, type PageMode, type Scan, type ScanPage } from './store';
import { SCAN_ACCEPT } from './FileDrop';

const MODES: PageMode[] = ['auto', 'bilevel', 'grey', 'colour'];

const chosenLabel = (page: ScanPage) =>
  page.state === 'ready' && page.chosenMode && page.chosenMode !== 'auto'
    ? t(`mode.${page.chosenMode}` as MessageKey)
    : undefined;

const focusById = (...ids: string[]) => {
  for (const id of ids) {
    const element = document.getElementById(id);
    if (element && !element.matches(':disabled')) {
      element.focus();
      return;
    }
  }
};

export const PageTile = (props: {
  scan: Scan;
  code: string;
  page: ScanPage;
  number: number;
  count: number;
  editable: boolean;
}) => {
  const id = (part: string) => `page-${props.page.id}-${part}`;
  const n = () => ({ n: props.number });
  const problem = () => problemForCode(props.page.error);

  const move = (delta: -1 | 1) => {
    const pageId = props.page.id;
    void props.scan.move(props.code, pageId, delta);
    const ids = delta < 0 ? [id('left'), id('right')] : [id('right'), id('left')];
    queueMicrotask(() => focusById(...ids, id('rotate')));
  };

  const remove = async () => {
    const number = props.number;
    const tile = document.getElementById(id('tile'));
    const next = tile?.nextElementSibling ?? tile?.previousElementSibling;
    if (await props.scan.remove(props.code, props.page.id)) {
      toasts.show(t('page.deleted', { n: number }), 'info');
      const target =
        next?.querySelector<HTMLElement>('button:not(:disabled)') ??
        document.getElementById(`comp-${props.code}-files`);
      target?.focus();
    }
  };

  return (
    <li
      class="page-tile"
      id={id('tile')}
      data-state={props.page.state}
      classList={{ 'page-failed': props.page.state === 'failed' }}
    >
      <div class="page-thumb">
        <Switch>
          <Match when={props.page.state === 'failed'}>
            <div class="page-error" lang={lang()}>
              <WarningIcon />
              <span>{lang() === 'vi' ? problem().vi : problem().en}</span>
              <Show when={props.editable && props.page.error === 'PAGE_PROCESSING_FAILED'}>
                <button
                  type="button"
                  class="button"
                  id={id('retry')}
                  aria-label={t('page.retryLabel', n())}
                  onClick={() => void props.scan.retry(props.code, props.page)}
                >
                  {t('page.retry')}
                </button>
              </Show>
            </div>
          </Match>
          <Match when={isBusy(props.page)}>
            <div class="page-busy">
              <SpinnerIcon />
              <span>{t('page.processing')}</span>
            </div>
          </Match>
          <Match when={props.page.thumbUrl}>
            {(url) => <img src={url()} alt={t('page.thumbAlt', n())} loading="lazy" />}
          </Match>
        </Switch>
        <Show when={chosenLabel(props.page)}>
          {(label) => (
            <span class="page-chosen" title={t('page.mode', n())}>
              {label()}
            </span>
          )}
        </Show>
      </div>
      <p class="page-caption">
        <span class="page-number">{t('page.label', n())}</span>
        <Switch>
          <Match when={props.page.state === 'ready'}>
            <span class="page-state page-state-ready">
              <CheckIcon size={14} />
              {t('page.ready')}
            </span>
          </Match>
          <Match when={props.page.state === 'failed'}>
            <span class="page-state page-state-failed">
              <WarningIcon size={14} />
              {t('page.failed')}
            </span>
          </Match>
          <Match when={isBusy(props.page)}>
            <span class="page-state">{t('page.processing')}</span>
          </Match>
        </Switch>
      </p>
      <Show when={props.page.state === 'ready' && props.page.review.length > 0}>
        <p class="page-review" id={id('review')}>
          <WarningIcon size={14} />
          {t('page.review', {
            reasons: props.page.review.map((r) => t(`page.review.${r}` as MessageKey)).join(', '),
          })}
        </p>
      </Show>
      <Show when={props.page.state !== 'failed' && (props.editable || props.page.ocrState)}>
        <div class="page-ocr">
          <Show when={props.editable}>
            <label class="ocr-toggle" title={t('scan.ocrPage', n())}>
              <input
                type="checkbox"
                id={id('ocr')}
                checked={props.page.ocrState !== null}
                aria-label={t('scan.ocrPage', n())}
                onChange={(event) =>
                  void props.scan.setOcr(props.code, props.page, event.currentTarget.checked)
                }
              />
              {t('scan.ocr')}
            </label>
          </Show>
          <Switch>
            <Match when={props.page.ocrState === 'requested'}>
              <span class="ocr-state" id={id('ocr-state')}>
                <SpinnerIcon />
                {t('scan.ocrRequested')}
              </span>
            </Match>
            <Match when={props.page.ocrState === 'done'}>
              <span class="ocr-state ocr-done" id={id('ocr-state')}>
                <CheckIcon size={14} />
                {t('scan.ocrDone')}
              </span>
            </Match>
            <Match when={props.page.ocrState === 'failed'}>
              <span class="ocr-state ocr-failed" id={id('ocr-state')}>
                <WarningIcon size={14} />
                {t('scan.ocrFailed')}
              </span>
            </Match>
          </Switch>
        </div>
      </Show>
      <Show when={props.editable}>
        <div class="page-tools">
          <button
            type="button"
            class="icon-button"
            id={id('left')}
            disabled={props.number === 1}
            aria-label={t('page.left', n())}
            title={t('page.left', n())}
            onClick={() => move(-1)}
          >
            <ArrowLeftIcon />
          </button>
          <button
            type="button"
            class="icon-button"
            id={id('right')}
            disabled={props.number === props.count}
            aria-label={t('page.right', n())}
            title={t('page.right', n())}
            onClick={() => move(1)}
          >
            <ArrowRightIcon />
          </button>
          <button
            type="button"
            class="icon-button"
            id={id('rotate')}
            disabled={props.page.state === 'failed'}
            aria-label={t('page.rotate', n())}
            title={t('page.rotate', n())}
            onClick={() => void props.scan.rotate(props.code, props.page)}
          >
            <RotateIcon />
          </button>
          <button
            type="button"
            class="icon-button icon-button-danger"
            id={id('delete')}
            aria-label={t('page.delete', n())}
            title={t('page.delete', n())}
            onClick={() => void remove()}
          >
            <TrashIcon />
          </button>
        </div>
        <div class="page-tools">
          <select
            class="page-mode"
            id={id('mode')}
            aria-label={t('page.mode', n())}
            value={props.page.mode}
            disabled={props.page.state === 'failed'}
            onChange={(event) =>
              void props.scan.setMode(props.code, props.page, event.currentTarget.value as PageMode)
            }
          >
            <For each={MODES}>{(mode) => <option value={mode}>{t(`mode.${mode}`)}</option>}</For>
          </select>
          <label class="button button-small rescan" title={t('page.rescanLabel', n())}>
            {t('page.rescan')}
            <input
              id={id('rescan')}
              class="visually-hidden"
              type="file"
              accept={SCAN_ACCEPT}
              aria-label={t('page.rescanLabel', n())}
              onChange={(event) => {
                const file = event.currentTarget.files?.[0];
                event.currentTarget.value = '';
                if (file) void props.scan.rescan(props.code, props.page.id, file);
              }}
            />
          </label>
        </div>
      </Show>
    </li>
  );
};
