import { createRoot, createSignal, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../i18n';
import { CameraIcon, CloseIcon } from '../icons';

/** Whether this computer has any camera at all; the capture button stays hidden otherwise. */
export const cameraAvailable = createRoot(() => {
  const [available, setAvailable] = createSignal(false);
  void navigator.mediaDevices
    ?.enumerateDevices?.()
    .then((devices) => setAvailable(devices.some((device) => device.kind === 'videoinput')))
    .catch(() => setAvailable(false));
  return available;
});

export const CameraDialog = (props: {
  name: string;
  onCapture: (file: File) => void;
  onClose: () => void;
}) => {
  let dialog!: HTMLDialogElement;
  let video!: HTMLVideoElement;
  let stream: MediaStream | undefined;
  let shots = 0;
  const [state, setState] = createSignal<'starting' | 'live' | 'failed'>('starting');
  const [count, setCount] = createSignal(0);

  const stop = () => {
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = undefined;
  };

  onMount(async () => {
    dialog.showModal();
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment', width: { ideal: 2480 }, height: { ideal: 3508 } },
        audio: false,
      });
      video.srcObject = stream;
      await video.play();
      setState('live');
    } catch {
      setState('failed');
    }
  });
  onCleanup(stop);

  const capture = () => {
    if (!video.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    canvas.toBlob(
      (blob) => {
        if (!blob) return;
        shots += 1;
        setCount(shots);
        props.onCapture(new File([blob], `camera-${Date.now()}-${shots}.jpg`, { type: 'image/jpeg' }));
      },
      'image/jpeg',
      0.92,
    );
  };

  return (
    <dialog
      class="camera-dialog"
      ref={dialog}
      aria-labelledby="camera-title"
      onClose={() => {
        stop();
        props.onClose();
      }}
    >
      <h2 id="camera-title" class="section-title">
        {t('camera.title', { name: props.name })}
      </h2>
      <video ref={video} class="camera-video" muted playsinline />
      <p class="hint" role="status">
        <Show when={state() === 'starting'}>{t('camera.starting')}</Show>
        <Show when={state() === 'failed'}>{t('camera.failed')}</Show>
        <Show when={count() > 0}>{t('camera.captured', { n: count() })}</Show>
      </p>
      <div class="button-row">
        <button type="button" class="button button-primary" disabled={state() !== 'live'} onClick={capture}>
          <CameraIcon />
          {t('camera.capture')}
        </button>
        <button type="button" class="button" onClick={() => dialog.close()}>
          <CloseIcon />
          {t('camera.close')}
        </button>
      </div>
    </dialog>
  );
};
