import { createSignal, For, onCleanup, Show } from 'solid-js';
import { t } from '../i18n';
import { CameraIcon, CrossIcon } from '../icons';
import { downscalePhoto } from './image';

/** Camera photos, shrunk on the phone before they are kept; thumbnails with a remove button. */
export const PhotoField = (props: {
  label: string;
  photos: Blob[];
  onChange: (photos: Blob[]) => void;
  max?: number;
  name: string;
  invalid?: boolean;
}) => {
  const [busy, setBusy] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const urls = new Map<Blob, string>();
  const urlFor = (blob: Blob) => {
    let url = urls.get(blob);
    if (!url) {
      url = URL.createObjectURL(blob);
      urls.set(blob, url);
    }
    return url;
  };
  onCleanup(() => {
    for (const url of urls.values()) URL.revokeObjectURL(url);
  });

  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    setFailed(false);
    const next = [...props.photos];
    for (const file of files) {
      try {
        next.push(await downscalePhoto(file));
      } catch {
        setFailed(true);
      }
    }
    props.onChange(next.slice(0, props.max ?? 6));
    setBusy(false);
  };

  return (
    <div class="photo-field" classList={{ 'field-invalid': props.invalid }}>
      <div class="photo-grid">
        <For each={props.photos}>
          {(photo, index) => (
            <div class="photo-thumb">
              <img src={urlFor(photo)} alt={`${props.label} ${index() + 1}`} />
              <button
                type="button"
                class="photo-remove"
                aria-label={t('door.photoRemove', { n: index() + 1 })}
                onClick={() => props.onChange(props.photos.filter((_, i) => i !== index()))}
              >
                <CrossIcon />
              </button>
            </div>
          )}
        </For>
      </div>
      <Show when={props.photos.length < (props.max ?? 6)}>
        <label class="button button-block photo-take">
          <CameraIcon />
          {busy() ? t('door.photoWorking') : props.label}
          <input
            class="visually-hidden"
            type="file"
            accept="image/*"
            capture="environment"
            name={props.name}
            multiple={(props.max ?? 6) > 1}
            onChange={(event) => {
              void add(event.currentTarget.files);
              event.currentTarget.value = '';
            }}
          />
        </label>
      </Show>
      <Show when={failed()}>
        <p class="field-error">{t('door.photoUnreadable')}</p>
      </Show>
    </div>
  );
};
