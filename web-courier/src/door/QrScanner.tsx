import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import { t } from '../i18n';
import { CameraIcon } from '../icons';
import { imagePixels } from './image';

/**
 * Reads the QR on the chip id card: live from the camera, or from a photo when the browser gives no live
 * camera (then the phone's camera app takes the picture).
 */
// jsQR is large and needed only at a delivery door: loaded on first use (the service worker keeps it offline).
const loadDecoder = () => import('jsqr').then((module) => module.default);

export const QrScanner = (props: { onText: (text: string) => void; onClose: () => void }) => {
  let video!: HTMLVideoElement;
  let stream: MediaStream | undefined;
  let frame = 0;
  const [live, setLive] = createSignal(false);
  const [notFound, setNotFound] = createSignal(false);
  const canvas = document.createElement('canvas');
  let jsQR: Awaited<ReturnType<typeof loadDecoder>> | undefined;

  const scan = () => {
    if (jsQR && video.readyState >= 2 && video.videoWidth > 0) {
      const scale = Math.min(1, 960 / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      const context = canvas.getContext('2d', { willReadFrequently: true })!;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'dontInvert' });
      if (code?.data) {
        props.onText(code.data);
        return;
      }
    }
    frame = requestAnimationFrame(scan);
  };

  onMount(async () => {
    jsQR = await loadDecoder();
    if (!navigator.mediaDevices?.getUserMedia) return;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment' },
        audio: false,
      });
      video.srcObject = stream;
      await video.play();
      setLive(true);
      frame = requestAnimationFrame(scan);
    } catch {
      setLive(false);
    }
  });

  onCleanup(() => {
    cancelAnimationFrame(frame);
    for (const track of stream?.getTracks() ?? []) track.stop();
  });

  const fromPhoto = async (file: File | undefined) => {
    if (!file) return;
    setNotFound(false);
    try {
      const pixels = await imagePixels(file);
      jsQR ??= await loadDecoder();
      const code = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'attemptBoth' });
      if (code?.data) props.onText(code.data);
      else setNotFound(true);
    } catch {
      setNotFound(true);
    }
  };

  return (
    <Portal>
      <div class="overlay qr-overlay" role="dialog" aria-modal="true" aria-label={t('door.qrTitle')}>
        <p class="overlay-title">{t('door.qrTitle')}</p>
        <div class="qr-view">
          <video ref={video} class="qr-video" muted playsinline />
          <Show when={!live()}>
            <p class="qr-nocamera">{t('door.qrNoCamera')}</p>
          </Show>
        </div>
        <Show when={notFound()}>
          <p class="field-error overlay-error">{t('door.qrNotFound')}</p>
        </Show>
        <div class="overlay-actions">
          <button type="button" class="button" onClick={props.onClose}>
            {t('door.cancel')}
          </button>
          <label class="button button-primary">
            <CameraIcon />
            {t('door.qrFromPhoto')}
            <input
              class="visually-hidden"
              type="file"
              accept="image/*"
              capture="environment"
              name="qr-photo"
              onChange={(event) => {
                void fromPhoto(event.currentTarget.files?.[0]);
                event.currentTarget.value = '';
              }}
            />
          </label>
        </div>
      </div>
    </Portal>
  );
};
