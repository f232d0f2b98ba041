import { createMemo, createSignal, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../i18n';
import { CheckIcon, SignatureIcon } from '../icons';
import { toPng } from './image';

/**
 * The pad the citizen signs on with a finger, on the door form itself (no overlay to open and close): each stroke
 * that leaves enough ink saves the signature as a PNG on white; "Xóa" starts again.
 */
const Pad = (props: { title: string; onSigned: (png: Blob | null) => void }) => {
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
  const clear = () => {
    size();
    props.onSigned(null);
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
    if (!drawing) return;
    drawing = false;
    last = undefined;
    if (inked() >= 40) void toPng(canvas).then(props.onSigned);
  };
  onMount(() => {
    size();
    window.addEventListener('resize', size);
  });
  onCleanup(() => window.removeEventListener('resize', size));
  return (
    <div class="signature-pad">
      <canvas
        ref={canvas}
        class="signature-canvas"
        role="img"
        aria-label={`${props.title}: ${t('door.signatureArea')}`}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <div class="signature-pad-row">
        <p class="field-help">{t('door.signatureHint')}</p>
        <button type="button" class="button" onClick={clear}>
          {t('door.signatureClear')}
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
  // A signature kept in the draft (the phone locked, the app reopened) is shown, not asked for again.
  const [restored, setRestored] = createSignal(Boolean(props.signature));
  const url = createMemo<string | undefined>((previous) => {
    if (previous) URL.revokeObjectURL(previous);
    return props.signature && restored() ? URL.createObjectURL(props.signature) : undefined;
  });
  onCleanup(() => {
    const current = url();
    if (current) URL.revokeObjectURL(current);
  });
  return (
    <div class="signature-field" classList={{ 'field-invalid': props.invalid }}>
      <Show
        when={restored() && props.signature}
        fallback={<Pad title={props.title} onSigned={props.onChange} />}
      >
        <img class="signature-preview" src={url()} alt={t('door.signaturePreview')} />
        <button
          type="button"
          class="button button-block"
          onClick={() => {
            props.onChange(null);
            setRestored(false);
          }}
        >
          <SignatureIcon />
          {t('door.signatureAgain')}
        </button>
      </Show>
      <Show when={props.signature && !restored()}>
        <p class="field-help signature-saved">
          <CheckIcon /> {t('door.signatureSaved')}
        </p>
      </Show>
    </div>
  );
};
