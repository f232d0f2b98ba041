import { createSignal, For, Show } from 'solid-js';
import { t } from '../i18n';
import { CameraIcon, FileIcon, RecycleIcon, SignIcon, SpinnerIcon, UploadIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { toasts } from '../toast';
import { CameraDialog, cameraAvailable } from './CameraDialog';
import { PageTile } from './PageTile';
import { finishBlocker, type Scan, type ScanComponent } from './store';
import { UploadList } from './UploadList';

const filesOf = (list: FileList | null | undefined) => (list ? [...list] : []);

const DropZone = (props: { scan: Scan; component: ScanComponent }) => {
  const [over, setOver] = createSignal(false);
  const id = () => `comp-${props.component.code}-files`;
  return (
    <label
      class="drop-zone"
      classList={{ 'drop-over': over() }}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        void props.scan.addFiles(props.component.code, filesOf(event.dataTransfer?.files));
      }}
    >
      <UploadIcon size={24} />
      <span class="drop-text">{t('comp.drop')}</span>
      <span class="drop-types">{t('comp.types')}</span>
      <input
        id={id()}
        class="visually-hidden"
        type="file"
        multiple
        accept="image/jpeg,image/png,image/tiff,image/webp,image/heif,image/avif,image/heic,application/pdf,.jpg,.jpeg,.png,.tif,.tiff,.webp,.heif,.avif,.heic,.pdf"
        aria-label={t('comp.pickLabel', { name: props.component.name })}
        onChange={(event) => {
          const files = filesOf(event.currentTarget.files);
          event.currentTarget.value = '';
          void props.scan.addFiles(props.component.code, files);
        }}
      />
    </label>
  );
};

const PinForm = (props: { code: string; onSign: (pin: string) => void }) => {
  const [pin, setPin] = createSignal('');
  const id = () => `comp-${props.code}-pin`;
  return (
    <form
      class="pin-form"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSign(pin());
        setPin('');
      }}
    >
      <label class="field-label" for={id()}>
        {t('comp.pin')}
      </label>
      <input
        id={id()}
        class="pin-input"
        ref={(element) => queueMicrotask(() => element.focus())}
        type="password"
        inputmode="numeric"
        autocomplete="off"
        value={pin()}
        onInput={(event) => setPin(event.currentTarget.value)}
        aria-describedby={`${id()}-hint`}
      />
      <button type="submit" class="button button-primary">
        <SignIcon />
        {t('comp.finish')}
      </button>
      <span class="hint" id={`${id()}-hint`}>
        {t('comp.pinHint')}
      </span>
    </form>
  );
};

export const ComponentPanel = (props: { scan: Scan; component: ScanComponent }) => {
  const [camera, setCamera] = createSignal(false);
  const code = () => props.component.code;
  const ui = () => props.scan.componentUi(code());
  const signed = () => Boolean(props.component.signedUrl);
  const editable = () => props.scan.open() && !props.component.reused && !signed();
  const blocker = () => finishBlocker(props.component, props.scan.uploading(code()));
  const allOcr = () => {
    const pages = props.component.pages.filter((page) => page.state !== 'failed');
    return (
      pages.length > 0 && pages.every((page) => page.ocrState === 'requested' || page.ocrState === 'done')
    );
  };
  const titleId = () => `comp-${code()}-title`;

  const sign = async (pin?: string) => {
    if (blocker() || ui().signing) return;
    if (await props.scan.finish(code(), pin)) {
      toasts.show(t('comp.signedToast', { name: props.component.name }));
      queueMicrotask(() => document.getElementById(`comp-${code()}-signed`)?.focus());
    }
  };

  return (
    <section
      class="scan-component"
      classList={{ 'scan-component-done': props.component.reused || signed() }}
      id={`comp-${code()}`}
      aria-labelledby={titleId()}
    >
      <div class="comp-head">
        <h3 id={titleId()} class="comp-title">
          {props.component.name}
        </h3>
        <span class="comp-tag">{props.component.required ? t('comp.required') : t('comp.optional')}</span>
        <Show when={props.component.reused}>
          <span class="badge badge-done">
            <RecycleIcon />
            {t('comp.reused')}
          </span>
        </Show>
        <Show when={signed()}>
          <span class="badge badge-done">
            <SignIcon />
            {t('comp.signed')}
          </span>
        </Show>
        <Show when={!props.component.reused}>
          <span class="muted comp-count">{t('comp.pages', { n: props.component.pages.length })}</span>
        </Show>
        <div class="comp-actions">
          <Show when={editable() && cameraAvailable()}>
            <button type="button" class="button" onClick={() => setCamera(true)}>
              <CameraIcon />
              {t('comp.camera')}
            </button>
          </Show>
          <Show when={editable() && props.component.pages.some((page) => page.state !== 'failed')}>
            <button
              type="button"
              class="button"
              id={`comp-${code()}-ocr`}
              aria-describedby={`comp-${code()}-ocr-hint`}
              onClick={() => void props.scan.setComponentOcr(code(), !allOcr())}
            >
              {allOcr() ? t('scan.ocrNone') : t('scan.ocrAll')}
            </button>
          </Show>
          <Show when={editable()}>
            <button
              type="button"
              class="button button-primary"
              id={`comp-${code()}-finish`}
              disabled={Boolean(blocker()) || ui().signing}
              aria-describedby={`comp-${code()}-blocker`}
              onClick={() => void sign()}
            >
              <Show when={ui().signing} fallback={<SignIcon />}>
                <SpinnerIcon />
              </Show>
              {ui().signing ? t('comp.finishing') : t('comp.finish')}
            </button>
          </Show>
          <Show when={props.component.signedUrl}>
            {(url) => (
              <a class="button" id={`comp-${code()}-signed`} href={url()} target="_blank" rel="noopener">
                <FileIcon />
                {t('comp.viewSigned')}
              </a>
            )}
          </Show>
        </div>
      </div>
      <Show when={props.component.reused}>
        <p class="hint">{t('comp.reusedNote')}</p>
      </Show>
      <Show when={props.component.digitizedCode}>
        {(digitized) => (
          <p class="comp-digitized">
            {t('comp.digitizedCode')}: <span class="mono">{digitized()}</span>
          </p>
        )}
      </Show>
      <Show when={editable() && props.component.pages.some((page) => page.ocrState !== null)}>
        <p class="hint" id={`comp-${code()}-ocr-hint`}>
          {t('scan.ocrHint')}
        </p>
      </Show>
      <Show when={editable()}>
        <p class="hint comp-blocker" id={`comp-${code()}-blocker`}>
          {(() => {
            const reason = blocker();
            return reason ? t(reason.key, { n: reason.n }) : '';
          })()}
        </p>
      </Show>
      <Show when={ui().problem}>
        {(problem) => <ProblemNote problem={problem()} id={`comp-${code()}-problem`} />}
      </Show>
      <Show when={editable() && ui().needPin}>
        <PinForm code={code()} onSign={(pin) => void sign(pin)} />
      </Show>
      <UploadList uploads={ui().uploads} onDismiss={(id) => props.scan.dismissUpload(code(), id)} />
      <Show when={!props.component.reused}>
        <div class="comp-body">
          <Show when={editable()}>
            <DropZone scan={props.scan} component={props.component} />
          </Show>
          <Show
            when={props.component.pages.length > 0}
            fallback={
              <Show when={!editable()}>
                <p class="muted">{t('comp.noPages')}</p>
              </Show>
            }
          >
            <ol class="page-grid" aria-label={t('page.list', { name: props.component.name })}>
              <For each={props.component.pages}>
                {(page, index) => (
                  <PageTile
                    scan={props.scan}
                    code={code()}
                    page={page}
                    number={index() + 1}
                    count={props.component.pages.length}
                    editable={editable()}
                  />
                )}
              </For>
            </ol>
          </Show>
        </div>
      </Show>
      <Show when={camera()}>
        <CameraDialog
          name={props.component.name}
          onCapture={(file) => void props.scan.addFiles(code(), [file])}
          onClose={() => setCamera(false)}
        />
      </Show>
    </section>
  );
};
