import { useNavigate } from '@solidjs/router';
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { api } from '../api';
import { describeError, type Problem } from '../errors';
import { formatDateTime, formatMoney } from '../format';
import { lang, type MessageKey, t } from '../i18n';
import { FileIcon, PlusIcon, UploadIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { handOverBatch } from '../scan/batch';
import { SCAN_ACCEPT } from '../scan/FileDrop';
import { onKey } from '../shell/shortcuts';
import { StateChip } from '../StateChip';
import { toasts } from '../toast';
import './quick.css';
import type { SubmitResult } from './types';

type Bill = SubmitResult['bills'][number];

/**
 * Prints a form from a hidden frame: the browser's print dialog opens on the PDF itself, without a tab to open,
 * find and close. The frame stays (hidden) until the next print or the next dossier.
 */
const printInFrame = (url: string) => {
  document.getElementById('print-frame')?.remove();
  const frame = document.createElement('iframe');
  frame.id = 'print-frame';
  frame.className = 'print-frame';
  frame.title = 'print';
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.addEventListener('load', () => {
    frame.dataset.loaded = 'true';
    const active = document.activeElement as HTMLElement | null;
    try {
      frame.contentWindow?.print();
    } catch {
      // A browser that cannot print a PDF frame: the form's link below still opens it.
    }
    // The keyboard stays with the desk (Alt+R, Alt+S), not with the hidden frame.
    active?.focus();
  });
  frame.src = url;
  document.body.append(frame);
};

/** The bills the dossier got at receipt, and cash collected for all of them in one step (recorded per clerk). */
const BillsAtDesk = (props: { bills: Bill[] }) => {
  const [bills, setBills] = createSignal<(Bill & { receiptUrl?: string | null })[]>(props.bills);
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem>();
  const pending = () => bills().filter((bill) => bill.state === 'pending' && bill.billCode);
  const due = () => pending().reduce((sum, bill) => sum + bill.amount, 0);
  const collect = async () => {
    if (busy() || pending().length === 0) return;
    setBusy(true);
    setProblem(undefined);
    const amount = formatMoney(due());
    try {
      for (const bill of pending()) {
        const paid = await api.payments.recordCash.mutate({ billCode: bill.billCode!, method: 'cash' });
        setBills((all) =>
          all.map((b) =>
            b.billCode === bill.billCode ? { ...b, state: paid.state, receiptUrl: paid.receiptUrl } : b,
          ),
        );
      }
      toasts.show(t('quick.collected', { amount }));
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  onKey((event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== 'KeyR') return;
    event.preventDefault();
    void collect();
  });
  return (
    <Show when={bills().length > 0}>
      <section class="result-bills" aria-labelledby="result-bills-title">
        <h3 id="result-bills-title" class="field-label">
          {t('quick.bills')}
        </h3>
        <ul>
          <For each={bills()}>
            {(bill) => (
              <li data-bill={bill.billCode}>
                <span>{t(`payments.kind.${bill.kind}` as MessageKey)}</span>
                <span class="amount">{formatMoney(bill.amount)}</span>
                <span class="bill-state">
                  {bill.state === 'paid' ? t('quick.billPaid') : t('quick.billPending')}
                </span>
                <Show when={bill.receiptUrl}>
                  {(url) => (
                    <a class="button button-small" href={url()} target="_blank" rel="noopener">
                      <FileIcon />
                      {t('quick.receipt')}
                    </a>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
        <Show when={pending().length > 0}>
          <div class="button-row">
            <button
              type="button"
              id="result-collect"
              class="button button-primary"
              disabled={busy()}
              onClick={() => void collect()}
              aria-keyshortcuts="Alt+R"
            >
              {busy() ? t('quick.collecting') : t('quick.collect', { amount: formatMoney(due()) })}
              <kbd>Alt+R</kbd>
            </button>
          </div>
        </Show>
        <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
      </section>
    </Show>
  );
};

export const formTitle = (form: string) =>
  ['mau01', 'mau02', 'mau03'].includes(form) ? t(`formName.${form}` as MessageKey) : form;

export const ResultView = (props: { result: SubmitResult; onNew: () => void }) => {
  let first: HTMLAnchorElement | undefined;
  let fallback!: HTMLButtonElement;
  onMount(() => (first ?? fallback).focus());
  const navigate = useNavigate();
  let scanFiles!: HTMLInputElement;
  const canScan = () => props.result.state === 'received';
  const scan = () => navigate(`/dossiers/${props.result.dossierId}/scan`);
  /** The scans of the whole dossier chosen here, in one dialog: the scanning page splits them by order. */
  const scanChosen = (files: File[]) => {
    if (files.length === 0) return;
    handOverBatch(props.result.dossierId, files);
    scan();
  };
  const firstForm = () => props.result.forms[0];
  const print = () => {
    const form = firstForm();
    if (!form) return;
    printInFrame(form.url);
    toasts.show(t('quick.printing'));
  };
  // The form the citizen takes away is printed as soon as the outcome is recorded (not again on a replay).
  onMount(() => {
    if (!props.result.replayed) print();
  });
  onCleanup(() => document.getElementById('print-frame')?.remove());
  onKey((event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.code === 'KeyI' && firstForm()) {
      event.preventDefault();
      print();
    } else if (event.code === 'KeyS' && canScan()) {
      event.preventDefault();
      scanFiles.click();
    }
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
      <Show when={props.result.numbersLeft !== null}>
        <p class="hint" role="status">
          {t('result.numbersLeft', {
            left: (props.result.numbersLeft ?? 0).toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en'),
          })}
        </p>
      </Show>
      <BillsAtDesk bills={props.result.bills} />
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
        <Show when={firstForm()}>
          <button type="button" class="button" id="result-print" onClick={print} aria-keyshortcuts="Alt+I">
            <FileIcon />
            {t('quick.print')}
            <kbd>Alt+I</kbd>
          </button>
        </Show>
        <Show when={canScan()}>
          <button
            type="button"
            class="button button-primary"
            id="result-scan"
            onClick={() => scanFiles.click()}
            aria-keyshortcuts="Alt+S"
          >
            <UploadIcon />
            {t('quick.scanFiles')}
            <kbd>Alt+S</kbd>
          </button>
          <input
            ref={scanFiles}
            id="result-scan-files"
            class="visually-hidden"
            type="file"
            multiple
            tabIndex={-1}
            accept={SCAN_ACCEPT}
            aria-label={t('quick.scanFilesLabel')}
            onChange={(event) => scanChosen([...(event.currentTarget.files ?? [])])}
          />
          <button type="button" class="button" onClick={scan}>
            {t('quick.openScan')}
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
