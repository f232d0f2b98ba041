import { createMemo, createSignal, onCleanup, onMount, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import { t } from '../i18n';
import { CheckIcon, SignatureIcon } from '../icons';
import { toPng } from './image';

/** The full-screen pad the citizen signs on with a finger; the result is a PNG on white. */
const Pad = (props: { title: string; onDone: (png: Blob) => void; onCancel: () => void }) => {
  let canvas!: HTMLCanvasElement;
  const [inked, setInked] = createSignal(0);
  let drawing = false;
  let last: { x: number; y: number } | undefined;

  const context = () => canvas.getContext('2d')!;

  const size = () => {
    const ratio = Math.max(1, Math.min(2, window.devicePixelRatio || 1));
    const box = canvas.getBoundingClientRect();
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    const ctx = context();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, box.width, box.height);
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#0a1a3a';
    setInked(0);
  };

  const point = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };

  const down = (event: PointerEvent) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    last = point(event);
    const ctx = context();
    ctx.beginPath();
    ctx.arc(last.x, last.y, 1.5, 0, Math.PI * 2);
    ctx.fillStyle = '#0a1a3a';
    ctx.fill();
  };
  const move = (event: PointerEvent) => {
    if (!drawing || !last) return;
    const next = point(event);
    const ctx = context();
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(next.x, next.y);
    ctx.stroke();
    setInked((n) => n + Math.hypot(next.x - last!.x, next.y - last!.y));
    last = next;
  };
  const up = () => {
    drawing = false;
    last = undefined;
  };

  onMount(() => {
    size();
    window.addEventListener('resize', size);
    document.body.classList.add('no-scroll');
  });
  onCleanup(() => {
    window.removeEventListener('resize', size);
    document.body.classList.remove('no-scroll');
  });

  return (
    <div class="overlay signature-overlay" role="dialog" aria-modal="true" aria-label={props.title}>
      <p class="overlay-title">{props.title}</p>
      <canvas
        ref={canvas}
        class="signature-canvas"
        aria-label={t('door.signatureArea')}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <p class="overlay-hint">{t('door.signatureHint')}</p>
      <div class="overlay-actions">
        <button type="button" class="button" onClick={props.onCancel}>
          {t('door.cancel')}
        </button>
        <button type="button" class="button" onClick={size}>
          {t('door.signatureClear')}
        </button>
        <button
          type="button"
          class="button button-primary"
          disabled={inked() < 40}
          onClick={() => void toPng(canvas).then(props.onDone)}
        >
          <CheckIcon />
          {t('door.signatureDone')}
        </button>
      </div>
    </div>
  );
};

export const SignatureField = (props: {
  title: string;
  signature: Blob | null;
  onChange: (png: Blob | null) => void;
  invalid?: boolean;
}) => {
  const [open, setOpen] = createSignal(false);
  const url = createMemo<string | undefined>((previous) => {
    if (previous) URL.revokeObjectURL(previous);
    return props.signature ? URL.createObjectURL(props.signature) : undefined;
  });
  onCleanup(() => {
    const current = url();
    if (current) URL.revokeObjectURL(current);
  });

  return (
    <div class="signature-field" classList={{ 'field-invalid': props.invalid }}>
      <Show when={props.signature}>
        <img class="signature-preview" src={url()} alt={t('door.signaturePreview')} />
      </Show>
      <button type="button" class="button button-block" onClick={() => setOpen(true)}>
        <SignatureIcon />
        {props.signature ? t('door.signatureAgain') : t('door.signatureOpen')}
      </button>
      <Show when={open()}>
        <Portal>
          <Pad
            title={props.title}
            onCancel={() => setOpen(false)}
            onDone={(png) => {
              props.onChange(png);
              setOpen(false);
            }}
          />
        </Portal>
      </Show>
    </div>
  );
};
