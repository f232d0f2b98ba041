import { useParams } from '@solidjs/router';
import { createResource, createSignal, For, Index, type JSX, Show } from 'solid-js';
import { api } from '../api';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { PlusIcon, TrashIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import './agency.css';
import { agencyDesk, type DossierView } from './client';
import {
  type Action,
  ActionButton,
  createAction,
  DocumentViewer,
  DossierFacts,
  DossierHead,
  DossierLoaded,
  FormLink,
  RadioChoice,
  Timeline,
} from './parts';

const SupplementForm = (props: { dossier: DossierView; action: Action; onDone: () => void }) => {
  const [items, setItems] = createSignal([{ item: '', note: '' }]);
  const update = (i: number, field: 'item' | 'note', value: string) =>
    setItems((cur) => cur.map((x, j) => (j === i ? { ...x, [field]: value } : x)));
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const list = items()
      .filter((x) => x.item.trim())
      .map((x) => ({ item: x.item.trim(), ...(x.note.trim() ? { note: x.note.trim() } : {}) }));
    const ok = await props.action.run(
      'supplement',
      () => api.agency.requestSupplement.mutate({ dossierId: props.dossier.id, items: list }),
      t('agency.supplement.done'),
    );
    if (ok) props.onDone();
  };
  return (
    <form class="agency-action" onSubmit={submit} aria-labelledby="supplement-title">
      <h3 id="supplement-title">{t('agency.supplement.title')}</h3>
      <p class="hint">
        {t('agency.supplement.hint')}
        <Show when={props.dossier.supplementCount >= 1}>
          {' '}
          <strong class="agency-warning-text">{t('agency.supplement.secondLate')}</strong>
        </Show>
      </p>
      <Index each={items()}>
        {(item, i) => (
          <div class="agency-item-row">
            <label class="field">
              <span class="field-label">{t('agency.supplement.item', { n: i + 1 })}</span>
              <input
                type="text"
                value={item().item}
                maxlength={300}
                onInput={(e) => update(i, 'item', e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span class="field-label">{t('agency.supplement.note')}</span>
              <input
                type="text"
                value={item().note}
                maxlength={500}
                onInput={(e) => update(i, 'note', e.currentTarget.value)}
              />
            </label>
            <Show when={items().length > 1}>
              <button
                type="button"
                class="icon-button icon-button-danger"
                aria-label={t('agency.supplement.remove', { n: i + 1 })}
                onClick={() => setItems((cur) => cur.filter((_, j) => j !== i))}
              >
                <TrashIcon />
              </button>
            </Show>
          </div>
        )}
      </Index>
      <div class="button-row">
        <button
          type="button"
          class="button button-quiet"
          onClick={() => setItems((cur) => [...cur, { item: '', note: '' }])}
        >
          <PlusIcon /> {t('agency.supplement.add')}
        </button>
        <button
          type="submit"
          class="button button-primary"
          disabled={props.action.busy() !== null || !items().some((x) => x.item.trim())}
        >
          {t('agency.supplement.submit')}
        </button>
      </div>
      <Show when={props.action.problemFor('supplement')}>{(p) => <ProblemNote problem={p()} />}</Show>
    </form>
  );
};

const DecisionForm = (props: { dossier: DossierView; action: Action; onDone: () => void }) => {
  const [outcome, setOutcome] = createSignal<'approved' | 'refused'>('approved');
  const [number, setNumber] = createSignal('');
  const [reasons, setReasons] = createSignal('');
  const [file, setFile] = createSignal<File | null>(null);
  const [sign, setSign] = createSignal(false);
  const [paper, setPaper] = createSignal(true);
  const [pin, setPin] = createSignal('');
  // Signing here with the token: the server asks for the PIN when it has none (and this session has not typed
  // it within the unlock window); from then on the field stays.
  const [askPin, setAskPin] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const ok = await props.action.run(
      'decide',
      () =>
        agencyDesk.decide(props.dossier.id, {
          outcome: outcome(),
          resultNumber: number().trim(),
          reasons: outcome() === 'refused' ? reasons() : '',
          paperResult: outcome() === 'approved' && paper(),
          signInPostDesk: sign(),
          ...(sign() && pin() ? { pin: pin() } : {}),
          file: outcome() === 'approved' ? file() : null,
        }),
      t(outcome() === 'approved' ? 'agency.decide.doneApproved' : 'agency.decide.doneRefused'),
    );
    setPin('');
    if (!ok && props.action.problemFor('decide')?.code === 'TOKEN_PIN_INVALID') setAskPin(true);
    if (ok) props.onDone();
  };
  return (
    <form class="agency-action" onSubmit={submit} aria-labelledby="decide-title">
      <h3 id="decide-title">{t('agency.decide.title')}</h3>
      <RadioChoice
        name="outcome"
        legend={t('agency.decide.outcome')}
        options={[
          { value: 'approved', label: t('agency.outcome.approved') },
          { value: 'refused', label: t('agency.outcome.refused') },
        ]}
        value={outcome()}
        onChange={setOutcome}
      />
      <Show
        when={outcome() === 'approved'}
        fallback={
          <label class="field">
            <span class="field-label">{t('agency.decide.reasons')}</span>
            <textarea rows={3} value={reasons()} onInput={(e) => setReasons(e.currentTarget.value)} />
            <span class="field-hint">{t('agency.decide.reasonsHint')}</span>
          </label>
        }
      >
        <label class="field">
          <span class="field-label">{t('agency.decide.number')}</span>
          <input
            type="text"
            value={number()}
            maxlength={60}
            onInput={(e) => setNumber(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">{t('agency.decide.file')}</span>
          {/* The browser's own file button speaks the browser's language ("Choose File"): ours speaks the user's. */}
          <input
            class="visually-hidden file-input"
            type="file"
            accept="application/pdf,.pdf"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
          <span class="file-pick">
            <span class="button button-small" aria-hidden="true">
              {t('agency.decide.pick')}
            </span>
            <span class="file-name">{file()?.name ?? t('agency.decide.noFile')}</span>
          </span>
          <span class="field-hint">{t('agency.decide.fileHint')}</span>
        </label>
        <label class="check-field">
          <input type="checkbox" checked={sign()} onChange={(e) => setSign(e.currentTarget.checked)} />
          {t('agency.decide.signHere')}
        </label>
        <Show when={sign() && askPin()}>
          <label class="field">
            <span class="field-label">{t('comp.pin')}</span>
            <input
              id="decide-pin"
              type="password"
              inputmode="numeric"
              autocomplete="off"
              ref={(element) => queueMicrotask(() => element.focus())}
              value={pin()}
              onInput={(e) => setPin(e.currentTarget.value)}
            />
            <span class="field-hint">{t('comp.pinHint')}</span>
          </label>
        </Show>
        <label class="check-field">
          <input type="checkbox" checked={paper()} onChange={(e) => setPaper(e.currentTarget.checked)} />
          {t('agency.decide.paper')}
        </label>
      </Show>
      <div class="button-row">
        <button
          type="submit"
          class="button button-primary"
          disabled={props.action.busy() !== null || (outcome() === 'approved' ? !file() : !reasons().trim())}
        >
          {t('agency.decide.submit')}
        </button>
      </div>
      <Show when={props.action.problemFor('decide')}>{(p) => <ProblemNote problem={p()} />}</Show>
    </form>
  );
};

/**
 * The frame the official's simpler actions share: a titled form with its fields, one submit button that waits
 * for `ready` (and for no other action running), and the problem of the last try. `run` returns whether the
 * action went through, and `onDone` follows it.
 */
const ActionForm = (props: {
  name: string;
  action: Action;
  title: string;
  hint?: string;
  submit: string;
  ready: boolean;
  danger?: boolean;
  run: () => Promise<boolean>;
  onDone: () => void;
  children: JSX.Element;
}) => (
  <form
    class="agency-action"
    aria-labelledby={`${props.name}-title`}
    onSubmit={async (e) => {
      e.preventDefault();
      if (await props.run()) props.onDone();
    }}
  >
    <h3 id={`${props.name}-title`}>{props.title}</h3>
    <Show when={props.hint}>
      <p class="hint">{props.hint}</p>
    </Show>
    {props.children}
    <div class="button-row">
      <button
        type="submit"
        class={props.danger ? 'button button-danger' : 'button'}
        disabled={props.action.busy() !== null || !props.ready}
      >
        {props.submit}
      </button>
    </div>
    <Show when={props.action.problemFor(props.name)}>{(p) => <ProblemNote problem={p()} />}</Show>
  </form>
);

const ApologyForm = (props: { dossier: DossierView; action: Action; onDone: () => void }) => {
  const [reason, setReason] = createSignal('');
  const [date, setDate] = createSignal('');
  const [time, setTime] = createSignal('16:00');
  return (
    <ActionForm
      name="apology"
      action={props.action}
      title={t('agency.apology.title')}
      hint={t('agency.apology.hint')}
      submit={t('agency.apology.submit')}
      ready={Boolean(reason().trim() && date())}
      run={() =>
        props.action.run(
          'apology',
          () =>
            api.agency.apologize.mutate({
              dossierId: props.dossier.id,
              reason: reason().trim(),
              newDueAt: new Date(`${date()}T${time()}:00+07:00`),
            }),
          t('agency.apology.done'),
        )
      }
      onDone={props.onDone}
    >
      <label class="field">
        <span class="field-label">{t('agency.apology.reason')}</span>
        <textarea rows={2} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <div class="agency-item-row">
        <label class="field">
          <span class="field-label">{t('agency.apology.date')}</span>
          <input type="date" value={date()} onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t('agency.apology.time')}</span>
          <input type="time" value={time()} onInput={(e) => setTime(e.currentTarget.value)} />
        </label>
      </div>
    </ActionForm>
  );
};

const StopForm = (props: { dossier: DossierView; action: Action; onDone: () => void }) => {
  const [reason, setReason] = createSignal('');
  return (
    <ActionForm
      name="stop"
      action={props.action}
      title={t('agency.stop.title')}
      hint={t('agency.stop.hint')}
      submit={t('agency.stop.submit')}
      ready={reason().trim().length >= 3}
      danger
      run={() =>
        props.action.run(
          'stop',
          () => api.agency.stop.mutate({ dossierId: props.dossier.id, reason: reason().trim() }),
          t('agency.stop.done'),
        )
      }
      onDone={props.onDone}
    >
      <label class="field">
        <span class="field-label">{t('agency.stop.reason')}</span>
        <textarea rows={2} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
    </ActionForm>
  );
};

const PaymentForm = (props: { dossier: DossierView; action: Action; onDone: () => void }) => {
  const [amount, setAmount] = createSignal('');
  const [reason, setReason] = createSignal('');
  const value = () => Number(amount().replace(/\D/g, ''));
  return (
    <ActionForm
      name="payment"
      action={props.action}
      title={t('agency.payment.title')}
      submit={t('agency.payment.submit')}
      ready={value() > 0 && reason().trim().length >= 3}
      run={() =>
        props.action.run(
          'payment',
          () =>
            api.payments.requestObligation.mutate({
              dossierId: props.dossier.id,
              amount: value(),
              reason: reason().trim(),
            }),
          t('agency.payment.done'),
        )
      }
      onDone={props.onDone}
    >
      <div class="agency-item-row">
        <label class="field">
          <span class="field-label">{t('agency.payment.amount')}</span>
          <input
            type="text"
            inputmode="numeric"
            value={amount()}
            onInput={(e) => setAmount(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">{t('agency.payment.reason')}</span>
          <input type="text" value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
      </div>
    </ActionForm>
  );
};

/** /agency/:dossierId — the data beside the signed PDFs, and the actions that apply now. */
export const AgencyDossierPage = () => {
  const params = useParams<{ dossierId: string }>();
  const [dossier, { refetch }] = createResource(
    () => params.dossierId,
    (dossierId) => api.agency.dossier.query({ dossierId }),
  );
  const action = createAction();
  const [paperOnRelease, setPaperOnRelease] = createSignal<boolean | null>(null);
  const can = (event: string) => dossier.latest?.allowed.includes(event as never) ?? false;

  return (
    <section class="agency-page" aria-labelledby="dossier-title">
      <DossierHead
        back={{ href: '/agency', label: t('agency.back') }}
        titleId="dossier-title"
        title={t('agency.dossier.title')}
        dossier={dossier.latest}
      />
      <DossierLoaded dossier={dossier}>
        {(d) => (
          <div class="agency-layout">
            <div class="agency-side">
              <section aria-labelledby="data-title">
                <h2 id="data-title" class="section-title">
                  {t('agency.dossier.data')}
                </h2>
                <DossierFacts dossier={d()} />
              </section>
              <section class="agency-actions" aria-labelledby="actions-title">
                <h2 id="actions-title" class="section-title">
                  {t('agency.dossier.actions')}
                </h2>
                <Show when={d().allowed.length === 0}>
                  <p class="muted">
                    {d().state === 'agency_supplement_requested'
                      ? t('agency.dossier.waitingSupplement', { office: d().receivingOffice.name })
                      : t('agency.dossier.noActions')}
                  </p>
                </Show>
                <Show when={can('accept')}>
                  <div class="agency-action">
                    <p class="hint">{t('agency.accept.hint')}</p>
                    <ActionButton
                      action={action}
                      name="accept"
                      label={t('agency.accept.submit')}
                      done={t('agency.accept.done')}
                      call={() => api.agency.accept.mutate({ dossierId: d().id })}
                      then={() => refetch()}
                    />
                  </div>
                </Show>
                <Show when={can('decide')}>
                  <DecisionForm dossier={d()} action={action} onDone={() => void refetch()} />
                </Show>
                <Show when={can('request_supplement')}>
                  <SupplementForm dossier={d()} action={action} onDone={() => void refetch()} />
                </Show>
                <Show when={can('release_result')}>
                  <div class="agency-action">
                    <h3>{t('agency.release.title')}</h3>
                    <p class="hint">{t('agency.release.hint')}</p>
                    <label class="check-field">
                      <input
                        type="checkbox"
                        checked={paperOnRelease() ?? d().paperResult}
                        onChange={(e) => setPaperOnRelease(e.currentTarget.checked)}
                      />
                      {t('agency.decide.paper')}
                    </label>
                    <ActionButton
                      action={action}
                      name="release"
                      label={t('agency.release.submit')}
                      done={t('agency.release.done')}
                      call={() =>
                        api.agency.release.mutate({
                          dossierId: d().id,
                          paperResult: paperOnRelease() ?? d().paperResult,
                        })
                      }
                      then={() => refetch()}
                    />
                  </div>
                </Show>
                <Show when={can('request_payment')}>
                  <PaymentForm dossier={d()} action={action} onDone={() => void refetch()} />
                </Show>
                <Show when={can('apologize_and_extend')}>
                  <ApologyForm dossier={d()} action={action} onDone={() => void refetch()} />
                </Show>
                <Show when={can('stop')}>
                  <StopForm dossier={d()} action={action} onDone={() => void refetch()} />
                </Show>
                <div class="agency-forms">
                  <FormLink dossierId={d().id} form="mau05" label={t('agency.form.mau05')} />
                  <Show when={d().apology}>
                    <FormLink dossierId={d().id} form="mau04" label={t('agency.form.mau04')} />
                  </Show>
                  <Show when={d().decision?.outcome === 'refused'}>
                    <FormLink dossierId={d().id} form="mau03-agency" label={t('agency.form.mau03')} />
                  </Show>
                  <Show when={d().supplements.length > 0}>
                    <FormLink dossierId={d().id} form="mau02-agency" label={t('agency.form.mau02')} />
                  </Show>
                </div>
              </section>
              <Show when={d().supplements.length > 0}>
                <section aria-labelledby="supplements-title">
                  <h2 id="supplements-title" class="section-title">
                    {t('agency.supplements.title')}
                  </h2>
                  <For each={d().supplements}>
                    {(s) => (
                      <div class="agency-supplement">
                        <p>
                          <strong>{t('agency.supplements.round', { n: s.round })}</strong>{' '}
                          <span class="muted">{formatDateTime(s.at)}</span>
                          <Show when={s.countsLate}>
                            {' '}
                            <span class="badge agency-late-badge">{t('agency.fact.countsLate')}</span>
                          </Show>
                        </p>
                        <ol>
                          <For each={s.items}>
                            {(i) => (
                              <li>
                                {i.item}
                                <Show when={i.note}>
                                  <span class="muted"> — {i.note}</span>
                                </Show>
                              </li>
                            )}
                          </For>
                        </ol>
                      </div>
                    )}
                  </For>
                </section>
              </Show>
              <section aria-labelledby="timeline-title">
                <h2 id="timeline-title" class="section-title">
                  {t('agency.timeline')}
                </h2>
                <Timeline events={d().timeline} />
              </section>
            </div>
            <DocumentViewer dossier={d()} />
          </div>
        )}
      </DossierLoaded>
    </section>
  );
};
