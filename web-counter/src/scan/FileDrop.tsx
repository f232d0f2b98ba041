import { createSignal, type JSX } from 'solid-js';

export const SCAN_ACCEPT =
  'image/jpeg,image/png,image/tiff,image/webp,image/heif,image/avif,image/heic,application/pdf,.jpg,.jpeg,.png,.tif,.tiff,.webp,.heif,.avif,.heic,.pdf';

/** A label that takes dropped files or opens the file dialog (one or many scans) and hands them on. */
export const FileDrop = (props: {
  class: string;
  inputId: string;
  label?: string;
  describedBy?: string;
  onFiles: (files: File[]) => void;
  children: JSX.Element;
}) => {
  const [over, setOver] = createSignal(false);
  return (
    <label
      class={props.class}
      classList={{ 'drop-over': over() }}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        props.onFiles([...(event.dataTransfer?.files ?? [])]);
      }}
    >
      {props.children}
      <input
        id={props.inputId}
        class="visually-hidden"
        type="file"
        multiple
        accept={SCAN_ACCEPT}
        aria-label={props.label}
        aria-describedby={props.describedBy}
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = '';
          props.onFiles(files);
        }}
      />
    </label>
  );
};
