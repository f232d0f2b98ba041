import { useNavigate } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import type { Task } from '../courier/types';
import { describeError, type Problem } from '../errors';
import { type MessageKey, t, tIn } from '../i18n';
import { CrossIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { session } from '../session';
import { createDraft, draftKey } from './draft';
import { DoorPage, DoorForm, Hint, Section } from './parts';
import { PhotoField } from './PhotoField';
import { queueDoorAction } from './submit';

/** Reasons a courier can give; the server decides the next attempt from the rules, not the phone. */
export const FAIL_REASONS = {
  delivery: [
    'absent',
    'unreachable',
    'wrong_address',
    'refused',
    'no_identity',
    'identity_mismatch',
    'no_otp',
    'asked_later',
    'other',
  ],
  pickup: ['absent', 'unreachable', 'wrong_address', 'refused', 'incomplete', 'asked_later', 'other'],
} as const;

/** The server's reasons; the finer ones on the phone travel as 'other' with their words in the note. */
const SERVER_REASONS = new Set(['absent', 'refused', 'wrong_address', 'unreachable', 'other']);

type FailDraft = { reason: string; note: string; photos: Blob[] };

const FailForm = (props: { task: Task }) => {
  const navigate = useNavigate();
  const { draft, update } = createDraft<FailDraft>(draftKey('fail', props.task.id), {
    reason: '',
    note: '',
    photos: [],
  });
  const [tried, setTried] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem>();
  const reasons = () => FAIL_REASONS[props.task.kind];
  const needsNote = () => draft().reason === 'other' && draft().note.trim().length < 3;

  const submit = async () => {
    setTried(true);
    setProblem(undefined);
    if (!draft().reason || needsNote()) return;
    const user = session.user();
    if (!user) return;
    setSaving(true);
    try {
      const d = draft();
      await queueDoorAction({
        userId: user.id,
        task: props.task,
        type: 'fail',
        files: d.photos,
        payload: ({ sha }) => {
          const exact = SERVER_REASONS.has(d.reason);
          const words = exact ? '' : tIn('vi', `fail.reason.${d.reason}` as MessageKey);
          const note = [words, d.note.trim()].filter(Boolean).join(' — ');
          return {
            reason: (exact ? d.reason : 'other') as
              | 'absent'
              | 'refused'
              | 'wrong_address'
              | 'unreachable'
              | 'other',
            ...(note ? { note } : {}),
            photoSha256s: d.photos.map(sha),
          };
        },
      });
      navigate('/', { replace: true });
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <DoorForm onSubmit={submit}>
      <h1 class="page-title">
        {props.task.kind === 'delivery' ? t('fail.titleDelivery') : t('fail.titlePickup')}
      </h1>
      <p class="page-sub">
        {props.task.dossierCode ?? ''} · {props.task.address}
      </p>
      <Section n={1} title={t('fail.reason')} done={!!draft().reason}>
        <div class="reason-list" role="radiogroup" aria-label={t('fail.reason')}>
          <For each={reasons()}>
            {(reason) => (
              <label class="check-row radio-row">
                <input
                  type="radio"
                  name="reason"
                  value={reason}
                  checked={draft().reason === reason}
                  onChange={() => update({ reason })}
                />
                <span>{t(`fail.reason.${reason}` as MessageKey)}</span>
              </label>
            )}
          </For>
        </div>
        <Show when={tried() && !draft().reason}>
          <Hint tone="bad">{t('fail.needReason')}</Hint>
        </Show>
        <label class="field">
          <span class="field-label">{t('fail.note')}</span>
          <textarea
            name="note"
            rows={3}
            value={draft().note}
            onInput={(event) => update({ note: event.currentTarget.value })}
            aria-invalid={tried() && needsNote()}
          />
        </label>
        <Show when={tried() && needsNote()}>
          <Hint tone="bad">{t('fail.needNote')}</Hint>
        </Show>
      </Section>
      <Section n={2} title={t('fail.photo')}>
        <PhotoField
          name="photo"
          label={t('door.photoTake')}
          photos={draft().photos}
          onChange={(photos) => update({ photos })}
          max={2}
        />
      </Section>
      <Hint>{t('fail.nextByRules')}</Hint>
      <Show when={problem()}>{(current) => <ProblemNote problem={current()} />}</Show>
      <div class="door-submit">
        <button type="submit" class="button button-danger button-block" disabled={saving()}>
          <CrossIcon />
          {t('fail.submit')}
        </button>
      </div>
    </DoorForm>
  );
};

export const FailFlow = () => <DoorPage form={FailForm} />;
