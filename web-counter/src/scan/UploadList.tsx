import { For, Match, Show, Switch } from 'solid-js';
import { lang, t } from '../i18n';
import { CheckIcon, CloseIcon, SpinnerIcon, UploadIcon, WarningIcon } from '../icons';
import type { Upload } from './store';

export const UploadList = (props: { uploads: Upload[]; onDismiss: (id: number) => void }) => {
  const sending = () => props.uploads.find((u) => u.status === 'sending');
  const position = () => props.uploads.filter((u) => u.status !== 'waiting').length;
  return (
    <Show when={props.uploads.length > 0}>
      <div class="uploads">
        <p class="visually-hidden" aria-live="polite">
          <Show when={sending()}>
            {(upload) =>
              t('upload.status', { done: position(), total: props.uploads.length, name: upload().name })
            }
          </Show>
        </p>
        <ul class="upload-list" aria-label={t('upload.list')}>
          <For each={props.uploads}>
            {(upload) => (
              <li class={`upload upload-${upload.status}`}>
                <Switch>
                  <Match when={upload.status === 'sending'}>
                    <SpinnerIcon />
                  </Match>
                  <Match when={upload.status === 'done'}>
                    <CheckIcon />
                  </Match>
                  <Match when={upload.status === 'failed'}>
                    <WarningIcon />
                  </Match>
                  <Match when={upload.status === 'waiting'}>
                    <UploadIcon />
                  </Match>
                </Switch>
                <span class="upload-name">{upload.name}</span>
                <span class="upload-status">{t(`upload.${upload.status}`)}</span>
                <Show when={upload.problem}>
                  {(problem) => (
                    <span class="upload-problem" role="alert" lang={lang()}>
                      {lang() === 'vi' ? problem().vi : problem().en}
                    </span>
                  )}
                </Show>
                <Show when={upload.status === 'failed'}>
                  <button
                    type="button"
                    class="icon-button"
                    aria-label={t('upload.dismiss', { name: upload.name })}
                    title={t('upload.dismiss', { name: upload.name })}
                    onClick={() => props.onDismiss(upload.id)}
                  >
                    <CloseIcon />
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </div>
    </Show>
  );
};
