import { createSignal, For, onMount, Show } from 'solid-js';
import type { VerifyResult } from '../api';
import { t } from '../i18n';
import { CheckIcon, SpinnerIcon, UploadIcon, WarningIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { SignatureCard } from './SignatureCard';
import { createVerify } from './store';

/** The validation report as the server gave it, saved next to the checked file's name. */
const downloadReport = (fileName: string, result: VerifyResult) => {
  const report = { file: fileName, ...result };
  const url = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${fileName.replace(/\.pdf$/i, '')}.kiem-tra-chu-ky.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

export const VerifyPage = () => {
  const verify = createVerify();
  const [over, setOver] = createSignal(false);
  let heading!: HTMLHeadingElement;
  onMount(() => heading.focus());

  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) void verify.check(file);
  };

  return (
    <section class="verify" aria-labelledby="verify-title">
      <div class="catalog-toolbar">
        <h1 id="verify-title" class="page-title" tabindex="-1" ref={heading}>
          {t('verify.title')}
        </h1>
        <p class="muted">{t('verify.intro')}</p>
      </div>
      <div class="verify-body">
        <label
          class="drop-zone verify-drop"
          classList={{ 'drop-over': over() }}
          onDragOver={(event) => {
            event.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(event) => {
            event.preventDefault();
            setOver(false);
            take(event.dataTransfer?.files);
          }}
        >
          <UploadIcon size={28} />
          <span class="drop-text">{t('verify.drop')}</span>
          <span class="drop-types">PDF</span>
          <input
            id="verify-file"
            class="visually-hidden"
            type="file"
            accept="application/pdf,.pdf"
            aria-label={t('verify.pickLabel')}
            onChange={(event) => {
              take(event.currentTarget.files);
              event.currentTarget.value = '';
            }}
          />
        </label>
        <div class="verify-result" aria-live="polite">
          <Show when={verify.fileName()}>
            {(name) => (
              <p class="verify-file">
                {t('verify.file')}: <strong>{name()}</strong>
              </p>
            )}
          </Show>
          <Show when={verify.checking()}>
            <p class="hint">
              <SpinnerIcon />
              {t('verify.checking', { name: verify.fileName() ?? '' })}
            </p>
          </Show>
          <Show when={verify.problem()}>{(problem) => <ProblemNote problem={problem()} />}</Show>
          <Show when={verify.result()}>
            {(result) => (
              <>
                <Show when={result().ownSignatures?.level === 'B-B'}>
                  <p class="hint" id="verify-own-baseline">
                    {t('verify.ownBaseline')}
                  </p>
                </Show>
                <Show
                  when={result().modifiedAfterSigning}
                  fallback={
                    <Show when={result().signatures.length > 0}>
                      <Show
                        when={result().signatures.every((s) => s.indication === 'TOTAL-PASSED')}
                        fallback={
                          <p class="verify-banner verify-banner-bad" id="verify-modified" role="alert">
                            <WarningIcon size={20} />
                            {t('verify.notAllValid')} · {t('verify.count', { n: result().signatures.length })}
                          </p>
                        }
                      >
                        <p class="verify-banner verify-banner-ok" id="verify-modified">
                          <CheckIcon size={20} />
                          {t('verify.unmodified')} · {t('verify.count', { n: result().signatures.length })}
                        </p>
                      </Show>
                    </Show>
                  }
                >
                  <div class="verify-banner verify-banner-bad" id="verify-modified" role="alert">
                    <WarningIcon size={22} />
                    <div>
                      <p class="strong">{t('verify.modified')}</p>
                      <p>{t('verify.modifiedHint')}</p>
                    </div>
                  </div>
                </Show>
                <Show when={result().signatures.length > 0}>
                  <button
                    type="button"
                    class="button"
                    id="verify-download"
                    onClick={() => downloadReport(verify.fileName() ?? 'tep.pdf', result())}
                  >
                    {t('verify.download')}
                  </button>{' '}
                  <button
                    type="button"
                    class="button"
                    id="verify-download-pdf"
                    onClick={() => void verify.downloadPdf()}
                  >
                    {t('verify.downloadPdf')}
                  </button>
                </Show>
                <Show when={result().signatures.length > 0} fallback={<p class="hint">{t('verify.none')}</p>}>
                  <For each={result().signatures}>
                    {(signature, index) => <SignatureCard signature={signature} number={index() + 1} />}
                  </For>
                </Show>
              </>
            )}
          </Show>
        </div>
      </div>
    </section>
  );
};
