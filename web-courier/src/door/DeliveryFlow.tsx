import { useNavigate } from '@solidjs/router';
import { TRPCClientError } from '@trpc/client';
import { createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import { courierApi } from '../courier/api';
import type { Task } from '../courier/types';
import { describeError, type Problem } from '../errors';
import { lang, t } from '../i18n';
import { CheckIcon, QrIcon } from '../icons';
import { online } from '../network';
import { ProblemNote } from '../ProblemNote';
import { session } from '../session';
import { createDraft, draftKey } from './draft';
import { compareWithRecipient, digitsOnly, type IdentitySource, readIdQr } from './identity';
import { CashField, DoorPage, DoorForm, Hint, MissingNote, Section } from './parts';
import { PhotoField } from './PhotoField';
import { QrScanner } from './QrScanner';
import { SignatureField } from './SignaturePad';
import { queueDoorAction } from './submit';

type DeliveryDraft = {
  proxy: boolean;
  idNumber: string;
  idName: string | null;
  idSource: IdentitySource;
  qr: string | null;
  proxyName: string;
  letterPhotos: Blob[];
  otp: string;
  otpState: 'unchecked' | 'ok' | 'wrong' | 'later';
  recovered: string[];
  cash: string;
  photos: Blob[];
  signature: Blob | null;
};

const listOf = (task: Task, key: string) => {
  const value = (task.collect as Record<string, unknown> | null)?.[key];
  return Array.isArray(value)
    ? value.map((each) => (typeof each === 'string' ? each : String((each as { name?: string }).name ?? '')))
    : [];
};

const DeliveryForm = (props: { task: Task }) => {
  const navigate = useNavigate();
  const { draft, update } = createDraft<DeliveryDraft>(draftKey('deliver', props.task.id), {
    proxy: false,
    idNumber: '',
    idName: null,
    idSource: 'typed',
    qr: null,
    proxyName: '',
    letterPhotos: [],
    otp: '',
    otpState: props.task.otpChecked ? 'ok' : 'unchecked',
    recovered: [],
    cash: props.task.feesDue ? String(props.task.feesDue) : '',
    photos: [],
    signature: null,
  });
  const [scanning, setScanning] = createSignal(false);
  const [qrProblem, setQrProblem] = createSignal(false);
  const [otpProblem, setOtpProblem] = createSignal<Problem>();
  const [checking, setChecking] = createSignal(false);
  const [tried, setTried] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem>();

  let idInput!: HTMLInputElement;
  let otpInput!: HTMLInputElement;
  // The keyboard is up for the id number as the form opens: no tap to put the finger in the field.
  onMount(() => {
    if (!draft().idNumber) idInput.focus();
  });
  const recoverable = () => listOf(props.task, 'recovered');
  const match = () =>
    draft().proxy
      ? draft().idNumber.length === 12
        ? 'match'
        : 'incomplete'
      : compareWithRecipient({ idNumber: draft().idNumber, name: draft().idName }, props.task.recipient);

  const identityOk = () => {
    const m = match();
    if (draft().proxy)
      return m === 'match' && draft().proxyName.trim().length > 1 && draft().letterPhotos.length > 0;
    return m === 'match' || m === 'unknown';
  };
  const otpOk = () =>
    draft().otpState === 'ok' || (/^\d{6}$/.test(draft().otp) && draft().otpState !== 'wrong');
  const missing = () => {
    const list: string[] = [];
    if (!identityOk()) list.push(t('deliver.needIdentity'));
    if (!otpOk()) list.push(t('deliver.needOtp'));
    if (recoverable().length > draft().recovered.length) list.push(t('deliver.needRecovered'));
    if (draft().photos.length === 0) list.push(t('deliver.needPhoto'));
    if (!draft().signature) list.push(t('deliver.needSignature'));
    return list;
  };

  const checkOtp = async () => {
    setOtpProblem(undefined);
    if (!/^\d{6}$/.test(draft().otp)) return;
    if (!online()) {
      update({ otpState: 'later' });
      return;
    }
    setChecking(true);
    try {
      await courierApi.checkDeliveryCode.mutate({ taskId: props.task.id, code: draft().otp });
      update({ otpState: 'ok' });
    } catch (error) {
      if (error instanceof TRPCClientError && !error.data) update({ otpState: 'later' });
      else {
        update({ otpState: 'wrong' });
        setOtpProblem(describeError(error));
      }
    } finally {
      setChecking(false);
    }
  };

  const onQr = (text: string) => {
    setScanning(false);
    const reading = readIdQr(text);
    if (!reading) {
      setQrProblem(true);
      return;
    }
    setQrProblem(false);
    update({ idNumber: reading.idNumber, idName: reading.name, idSource: 'qr', qr: text });
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
        type: 'deliver',
        files: [...d.photos, ...(d.proxy ? d.letterPhotos.slice(0, 1) : []), d.signature!],
        payload: ({ sha }) => ({
          identity: {
            mode: d.proxy ? 'proxy' : 'self',
            idNumber: d.idNumber,
            source: d.idSource,
            ...(d.qr ? { qr: d.qr } : {}),
            ...(d.proxy ? { proxyName: d.proxyName.trim(), letterPhotoSha256: sha(d.letterPhotos[0]!) } : {}),
          },
          ...(d.otp ? { otpCode: d.otp } : {}),
          recovered: d.recovered,
          ...(Number(d.cash) > 0 ? { cash: { amount: Number(d.cash) } } : {}),
          photoSha256s: d.photos.map(sha),
          signatureSha256: sha(d.signature!),
        }),
      });
      navigate('/', { replace: true, state: { saved: 'deliver' } });
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <DoorForm onSubmit={submit}>
      <h1 class="page-title">{t('deliver.title')}</h1>
      <p class="page-sub">
        {props.task.dossierCode} · {props.task.address}
      </p>

      <Section n={1} title={t('deliver.identity')} done={identityOk()}>
        <fieldset class="segmented">
          <legend class="visually-hidden">{t('deliver.who')}</legend>
          <label class="segment">
            <input
              class="visually-hidden"
              type="radio"
              name="who"
              checked={!draft().proxy}
              onChange={() => update({ proxy: false })}
            />
            {t('deliver.recipientSelf')}
          </label>
          <label class="segment">
            <input
              class="visually-hidden"
              type="radio"
              name="who"
              checked={draft().proxy}
              onChange={() => update({ proxy: true })}
            />
            {t('deliver.proxy')}
          </label>
        </fieldset>
        <Show when={props.task.recipient}>
          {(recipient) => (
            <p class="recipient-line">
              {t('task.recipient')}: <strong>{recipient().name}</strong>
              <Show when={recipient().idLast4}> · CCCD …{recipient().idLast4}</Show>
            </p>
          )}
        </Show>
        <label class="field">
          <span class="field-label">
            {draft().proxy ? t('deliver.proxyIdNumber') : t('deliver.idNumber')}
          </span>
          <input
            name="idNumber"
            inputmode="numeric"
            autocomplete="off"
            maxLength={12}
            ref={idInput}
            value={draft().idNumber}
            onInput={(event) => {
              update({
                idNumber: digitsOnly(event.currentTarget.value),
                idSource: 'typed',
                idName: null,
                qr: null,
              });
              // Twelve digits that match: on to the code the citizen reads out.
              if (identityOk() && !draft().proxy && draft().otpState !== 'ok') otpInput.focus();
            }}
            aria-invalid={(tried() || draft().idNumber.length === 12) && !identityOk() && !draft().proxy}
          />
        </label>
        <button type="button" class="button button-block" onClick={() => setScanning(true)}>
          <QrIcon />
          {t('deliver.scanQr')}
        </button>
        <Show when={qrProblem()}>
          <Hint tone="bad">{t('deliver.qrUnreadable')}</Hint>
        </Show>
        <Show when={draft().idSource === 'qr' && draft().idName}>
          <Hint tone="info">
            {t('deliver.qrRead')}: {draft().idName}
          </Hint>
        </Show>
        <Switch>
          <Match when={!draft().proxy && match() === 'match'}>
            <Hint tone="ok">
              <CheckIcon /> {t('deliver.idMatches')}
            </Hint>
          </Match>
          <Match when={!draft().proxy && match() === 'mismatch'}>
            <Hint tone="bad">{t('deliver.idMismatch')}</Hint>
          </Match>
          <Match when={!draft().proxy && match() === 'unknown'}>
            <Hint tone="info">{t('deliver.idUnknown')}</Hint>
          </Match>
        </Switch>
        <Show when={draft().proxy}>
          <label class="field">
            <span class="field-label">{t('deliver.proxyName')}</span>
            <input
              name="proxyName"
              autocomplete="off"
              value={draft().proxyName}
              onInput={(event) => update({ proxyName: event.currentTarget.value })}
            />
          </label>
          <PhotoField
            name="letter"
            label={t('deliver.letterPhoto')}
            photos={draft().letterPhotos}
            onChange={(letterPhotos) => update({ letterPhotos })}
            max={1}
            invalid={tried() && draft().letterPhotos.length === 0}
          />
        </Show>
      </Section>

      <Section n={2} title={t('deliver.otp')} done={draft().otpState === 'ok'}>
        <p class="field-help">{t('deliver.otpHelp')}</p>
        <div class="otp-row">
          <input
            name="otp"
            class="otp-input"
            inputmode="numeric"
            autocomplete="one-time-code"
            maxLength={6}
            aria-label={t('deliver.otp')}
            ref={otpInput}
            value={draft().otp}
            onInput={(event) => {
              update({ otp: digitsOnly(event.currentTarget.value).slice(0, 6), otpState: 'unchecked' });
              // Checked as it is typed: the sixth digit asks the server, no button to press.
              if (/^\d{6}$/.test(draft().otp)) {
                event.currentTarget.blur();
                void checkOtp();
              }
            }}
            aria-invalid={tried() && !otpOk()}
          />
          <Show when={checking()}>
            <span class="field-help" role="status">
              {t('deliver.otpChecking')}
            </span>
          </Show>
        </div>
        <Switch>
          <Match when={draft().otpState === 'ok'}>
            <Hint tone="ok">
              <CheckIcon /> {t('deliver.otpOk')}
            </Hint>
          </Match>
          <Match when={draft().otpState === 'wrong'}>
            <Show when={otpProblem()} fallback={<Hint tone="bad">{t('deliver.otpWrong')}</Hint>}>
              {(current) => <ProblemNote problem={current()} />}
            </Show>
          </Match>
          <Match when={draft().otpState === 'later' || (!online() && /^\d{6}$/.test(draft().otp))}>
            <Hint tone="info">{t('deliver.otpLater')}</Hint>
          </Match>
        </Switch>
      </Section>

      <Section n={3} title={t('deliver.handover')}>
        <Show when={recoverable().length > 0}>
          <p class="field-label">{t('deliver.recovered')}</p>
          <For each={recoverable()}>
            {(name) => (
              <label class="check-row">
                <input
                  type="checkbox"
                  checked={draft().recovered.includes(name)}
                  onChange={(event) =>
                    update({
                      recovered: event.currentTarget.checked
                        ? [...draft().recovered, name]
                        : draft().recovered.filter((each) => each !== name),
                    })
                  }
                />
                <span>{name}</span>
              </label>
            )}
          </For>
        </Show>
        <CashField
          label={t('deliver.cash')}
          feesDue={props.task.feesDue}
          value={draft().cash}
          onInput={(cash) => update({ cash })}
        />
      </Section>

      <Section n={4} title={t('deliver.photo')} done={draft().photos.length > 0}>
        <PhotoField
          name="photo"
          label={t('door.photoTake')}
          photos={draft().photos}
          onChange={(photos) => update({ photos })}
          invalid={tried() && draft().photos.length === 0}
        />
      </Section>

      <Section n={5} title={t('deliver.signature')} done={!!draft().signature}>
        <SignatureField
          title={t('deliver.signatureTitle')}
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
          {t('deliver.submit')}
        </button>
        <p class="field-help" lang={lang()}>
          {online() ? t('door.willSend') : t('door.willQueue')}
        </p>
      </div>
      <Show when={scanning()}>
        <QrScanner onText={onQr} onClose={() => setScanning(false)} />
      </Show>
    </DoorForm>
  );
};

export const DeliveryFlow = () => <DoorPage form={DeliveryForm} />;
