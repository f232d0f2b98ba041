import { useNavigate } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import type { Component, Task } from '../courier/types';
import { describeError, type Problem } from '../errors';
import { t } from '../i18n';
import { CheckIcon } from '../icons';
import { online } from '../network';
import { ProblemNote } from '../ProblemNote';
import { session } from '../session';
import { createDraft, draftKey } from './draft';
import { CashField, DoorPage, DoorForm, Hint, MissingNote, Section } from './parts';
import { PhotoField } from './PhotoField';
import { SignatureField } from './SignaturePad';
import { queueDoorAction } from './submit';

type PickupDraft = {
  have: Record<string, boolean>;
  photos: Blob[];
  seal: string;
  cash: string;
  signature: Blob | null;
};

const componentsOf = (task: Task): Component[] => task.components ?? [];

const copiesLabel = (component: Component) => {
  const parts: string[] = [];
  if (component.original) parts.push(t('pickup.originals', { n: component.original }));
  if (component.copy) parts.push(t('pickup.copies', { n: component.copy }));
  return parts.join(' + ');
};

const PickupForm = (props: { task: Task }) => {
  const navigate = useNavigate();
  const { draft, update } = createDraft<PickupDraft>(draftKey('pickup', props.task.id), {
    have: {},
    photos: [],
    seal: '',
    cash: props.task.feesDue ? String(props.task.feesDue) : '',
    signature: null,
  });
  const [tried, setTried] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem>();

  const components = () => componentsOf(props.task);
  const missingRequired = () =>
    components().filter((component) => component.required !== false && !draft().have[component.code]);
  const missing = () => {
    const list: string[] = [];
    if (missingRequired().length > 0) list.push(t('pickup.needComponents'));
    if (draft().photos.length === 0) list.push(t('pickup.needPhoto'));
    if (draft().seal.trim().length < 3) list.push(t('pickup.needSeal'));
    if (!draft().signature) list.push(t('pickup.needSignature'));
    return list;
  };

  const submit = async () => {
    setTried(true);
    setProblem(undefined);
    if (missing().length > 0) {
      document.querySelector('.door-missing')?.scrollIntoView({ block: 'center' });
      return;
    }
    const user = session.user();
    if (!user) return;
    setSaving(true);
    try {
      const d = draft();
      await queueDoorAction({
        userId: user.id,
        task: props.task,
        type: 'pickup',
        files: [...d.photos, d.signature!],
        payload: ({ sha }) => ({
          checklist: components().map((component) => ({
            code: component.code,
            present: !!d.have[component.code],
            form: component.form,
            copies: component.copies,
          })),
          sealNumber: d.seal.trim(),
          fees:
            Number(d.cash) > 0
              ? { method: 'cash' as const, amount: Number(d.cash) }
              : { method: 'none' as const, amount: 0 },
          photoSha256s: d.photos.map(sha),
          signatureSha256: sha(d.signature!),
        }),
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
      <h1 class="page-title">{t('pickup.title')}</h1>
      <p class="page-sub">
        {props.task.procedureName ?? ''} · {props.task.address}
      </p>

      <Section n={1} title={t('pickup.checklist')} done={missingRequired().length === 0}>
        <Show when={components().length > 0} fallback={<p class="field-help">{t('pickup.noComponents')}</p>}>
          <For each={components()}>
            {(component) => (
              <label class="check-row">
                <input
                  type="checkbox"
                  checked={!!draft().have[component.code]}
                  onChange={(event) =>
                    update({ have: { ...draft().have, [component.code]: event.currentTarget.checked } })
                  }
                />
                <span>
                  {component.name}
                  <span class="check-sub">
                    {copiesLabel(component)}
                    <Show when={component.required === false}> · {t('pickup.optional')}</Show>
                  </span>
                </span>
              </label>
            )}
          </For>
        </Show>
        <Show when={missingRequired().length > 0 && (tried() || Object.keys(draft().have).length > 0)}>
          <div class="hint hint-bad" role="alert">
            <p>{t('pickup.missingTitle')}</p>
            <ul class="missing-list">
              <For each={missingRequired()}>{(component) => <li>{component.name}</li>}</For>
            </ul>
            <p>{t('pickup.missingGuidance')}</p>
          </div>
        </Show>
      </Section>

      <Section n={2} title={t('pickup.photos')} done={draft().photos.length > 0}>
        <PhotoField
          name="photo"
          label={t('door.photoTake')}
          photos={draft().photos}
          onChange={(photos) => update({ photos })}
          invalid={tried() && draft().photos.length === 0}
        />
      </Section>

      <Section n={3} title={t('pickup.sealAndFees')} done={draft().seal.trim().length >= 3}>
        <label class="field">
          <span class="field-label">{t('pickup.seal')}</span>
          <input
            name="seal"
            autocomplete="off"
            autocapitalize="characters"
            value={draft().seal}
            onInput={(event) => update({ seal: event.currentTarget.value.toUpperCase() })}
            aria-invalid={tried() && draft().seal.trim().length < 3}
          />
        </label>
        <CashField
          label={t('pickup.cash')}
          feesDue={props.task.feesDue}
          value={draft().cash}
          onInput={(cash) => update({ cash })}
        />
      </Section>

      <Section n={4} title={t('pickup.signature')} done={!!draft().signature}>
        <p class="field-help">{t('pickup.signatureHelp')}</p>
        <SignatureField
          title={t('pickup.signatureTitle')}
          signature={draft().signature}
          onChange={(signature) => update({ signature })}
          invalid={tried() && !draft().signature}
        />
      </Section>

      <MissingNote show={tried()} missing={missing()} />
      <Show when={problem()}>{(current) => <ProblemNote problem={current()} />}</Show>
      <div class="door-submit">
        <button type="submit" class="button button-primary button-block" disabled={saving()}>
          <CheckIcon />
          {t('pickup.submit')}
        </button>
        <Hint>{online() ? t('door.willSend') : t('door.willQueue')}</Hint>
      </div>
    </DoorForm>
  );
};

export const PickupFlow = () => <DoorPage form={PickupForm} />;
