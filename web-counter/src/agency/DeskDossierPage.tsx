import { isTerminal } from '@postdesk/shared';
import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { api } from '../api';
import { describeError, type Problem } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { CheckIcon, UploadIcon, WarningIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { BillsPanel } from '../payments/BillsPanel';
import { session } from '../session';
import { toasts } from '../toast';
import './agency.css';
import type { DossierView } from './client';
import {
  ActionButton,
  createAction,
  DossierFacts,
  DossierHead,
  DossierLoaded,
  FormLink,
  RadioChoice,
  Timeline,
} from './parts';

const HandBackForm = (props: { dossier: DossierView; onDone: () => void }) => {
  const [kind, setKind] = createSignal<'applicant' | 'proxy'>('applicant');
  const [citizenId, setCitizenId] = createSignal('');
  const [fullName, setFullName] = createSignal('');
  const [authorisation, setAuthorisation] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const digits = () => citizenId().replace(/\D/g, '');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await api.agency.handBack.mutate({
        dossierId: props.dossier.id,
        recipient:
          kind() === 'applicant'
            ? { kind: 'applicant', citizenId: digits() }
            : {
                kind: 'proxy',
                citizenId: digits(),
                fullName: fullName().trim(),
                authorisation: authorisation().trim(),
              },
      });
      toasts.show(t('desk.handBack.done'));
      props.onDone();
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="agency-action" onSubmit={submit} aria-labelledby="handback-title">
      <h3 id="handback-title">{t('desk.handBack.title')}</h3>
      <p class="hint">{t('desk.handBack.hint', { name: props.dossier.applicant?.fullName ?? '' })}</p>
      <RadioChoice
        name="who"
        legend={t('desk.handBack.who')}
        options={[
          { value: 'applicant', label: t('desk.handBack.applicant') },
          { value: 'proxy', label: t('desk.handBack.proxy') },
        ]}
        value={kind()}
        onChange={setKind}
      />
      <label class="field">
        <span class="field-label">
          {t(kind() === 'applicant' ? 'desk.handBack.citizenId' : 'desk.handBack.proxyId')}
        </span>
        <input
          type="text"
          inputmode="numeric"
          autocomplete="off"
          maxlength={14}
          value={citizenId()}
          onInput={(e) => setCitizenId(e.currentTarget.value)}
        />
        <span class="field-hint">{t('desk.handBack.citizenIdHint')}</span>
      </label>
      <Show when={kind() === 'proxy'}>
        <label class="field">
          <span class="field-label">{t('desk.handBack.proxyName')}</span>
          <input type="text" value={fullName()} onInput={(e) => setFullName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t('desk.handBack.authorisation')}</span>
          <input
            type="text"
            value={authorisation()}
            onInput={(e) => setAuthorisation(e.currentTarget.value)}
          />
        </label>
      </Show>
      <div class="button-row">
        <button
          type="submit"
          class="button button-primary"
          disabled={
            busy() ||
            digits().length !== 12 ||
            (kind() === 'proxy' && (!fullName().trim() || !authorisation().trim()))
          }
        >
          {t('desk.handBack.submit')}
        </button>
      </div>
      <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
    </form>
  );
};

/** A change of the dossier's phone, asked for by the applicant: confirmed by the old phone or the id card. */
const ContactChangeForm = (props: { dossier: DossierView; onDone: () => void }) => {
  const [phone, setPhone] = createSignal('');
  const [how, setHow] = createSignal<'otp_old_phone' | 'id_card'>('otp_old_phone');
  const [citizenId, setCitizenId] = createSignal('');
  const [checked, setChecked] = createSignal(false);
  const [pending, setPending] = createSignal<{ changeId: string; sentTo: string }>();
  const [otp, setOtp] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const finish = () => {
    toasts.show(t('desk.contact.done'));
    setPending(undefined);
    setPhone('');
    setOtp('');
    props.onDone();
  };
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const changing = pending();
    if (changing) {
      void attempt(async () => {
        await api.contact.confirm.mutate({ changeId: changing.changeId, otp: otp() });
        finish();
      });
      return;
    }
    void attempt(async () => {
      const r = await api.contact.change.mutate({
        dossierId: props.dossier.id,
        phone: phone(),
        confirmation:
          how() === 'id_card'
            ? { kind: 'id_card', citizenId: citizenId().replace(/\D/g, ''), idCardChecked: true }
            : { kind: 'otp_old_phone' },
      });
      if (r.state === 'pending') setPending({ changeId: r.changeId, sentTo: r.sentTo });
      else finish();
    });
  };
  return (
    <details class="agency-action">
      <summary>{t('desk.contact.title')}</summary>
      <form onSubmit={submit} aria-label={t('desk.contact.title')}>
        <p class="hint">{t('desk.contact.hint')}</p>
        <Show
          when={pending()}
          fallback={
            <>
              <label class="field">
                <span class="field-label">{t('desk.contact.phone')}</span>
                <input
                  type="tel"
                  inputmode="tel"
                  autocomplete="off"
                  value={phone()}
                  onInput={(e) => setPhone(e.currentTarget.value)}
                />
              </label>
              <RadioChoice
                name="contact-how"
                legend={t('desk.contact.how')}
                options={[
                  { value: 'otp_old_phone', label: t('desk.contact.byOtp') },
                  { value: 'id_card', label: t('desk.contact.byIdCard') },
                ]}
                value={how()}
                onChange={setHow}
              />
              <Show when={how() === 'id_card'}>
                <label class="field">
                  <span class="field-label">{t('desk.contact.citizenId')}</span>
                  <input
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength={14}
                    value={citizenId()}
                    onInput={(e) => setCitizenId(e.currentTarget.value)}
                  />
                </label>
                <label class="field field-check">
                  <input
                    type="checkbox"
                    checked={checked()}
                    onChange={(e) => setChecked(e.currentTarget.checked)}
                  />
                  <span>{t('desk.contact.checked')}</span>
                </label>
              </Show>
            </>
          }
        >
          {(p) => (
            <>
              <p class="hint" role="status">
                {t('desk.contact.sent', { phone: p().sentTo })}
              </p>
              <label class="field">
                <span class="field-label">{t('desk.contact.otp')}</span>
                <input
                  type="text"
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  maxlength={6}
                  value={otp()}
                  onInput={(e) => setOtp(e.currentTarget.value.replace(/\D/g, ''))}
                />
              </label>
            </>
          )}
        </Show>
        <div class="button-row">
          <button
            type="submit"
            class="button button-primary"
            disabled={
              busy() ||
              (pending()
                ? otp().length !== 6
                : !phone().trim() ||
                  (how() === 'id_card' && (!checked() || citizenId().replace(/\D/g, '').length !== 12)))
            }
          >
            {pending() ? t('desk.contact.confirm') : t('desk.contact.submit')}
          </button>
        </div>
        <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
      </form>
    </details>
  );
};

/** /dossiers/:dossierId — the desk's view: state, timeline, and the step the clerk takes now. */
export const DeskDossierPage = () => {
  const params = useParams<{ dossierId: string }>();
  const [dossier, { refetch }] = createResource(
    () => params.dossierId,
    (dossierId) => api.agency.deskDossier.query({ dossierId }),
  );
  const action = createAction(() => refetch());
  const { busy, run, problemFor } = action;
  const [handOver, setHandOver] = createSignal<Date | null>(null);
  const can = (event: string) => dossier.latest?.allowed.includes(event as never) ?? false;
  const latestSupplement = () => dossier.latest?.supplements.at(-1);
  const supplementComponents = () =>
    (dossier.latest?.components ?? []).filter(
      (c) => c.supplementRound !== null && c.supplementRound === latestSupplement()?.round,
    );

  return (
    <section class="agency-page" aria-labelledby="desk-title">
      <DossierHead
        back={{ href: '/today', label: t('desk.back') }}
        titleId="desk-title"
        title={t('desk.title')}
        dossier={dossier.latest}
      />
      <DossierLoaded dossier={dossier}>
        {(d) => (
          <div class="agency-layout desk-layout">
            <div class="agency-side">
              <section class="agency-actions" aria-labelledby="desk-actions-title">
                <h2 id="desk-actions-title" class="section-title">
                  {t('desk.now')}
                </h2>
                <Show when={d().state === 'received'}>
                  <div class="agency-action">
                    <p class="hint">{t('desk.scanFirst')}</p>
                    <A class="button button-primary" href={`/dossiers/${d().id}/scan`}>
                      <UploadIcon /> {t('desk.scan')}
                    </A>
                  </div>
                </Show>
                <Show when={can('forward')}>
                  <div class="agency-action">
                    <h3>{t('desk.forward.title')}</h3>
                    <p class="hint">{t('desk.forward.hint', { agency: d().agency.name })}</p>
                    <ActionButton
                      action={action}
                      name="forward"
                      label={t('desk.forward.submit')}
                      done={t('desk.forward.done', { agency: d().agency.name })}
                      call={async () => {
                        const r = await api.agency.forward.mutate({ dossierId: d().id });
                        setHandOver(r.paperHandOverBy);
                      }}
                    />
                  </div>
                </Show>
                <Show when={handOver() ?? (d().state === 'forwarded' ? d().paperHandOverBy : null)}>
                  {(at) => (
                    <p class="note agency-handover" role="status">
                      {t('desk.forward.paperBy', { at: formatDateTime(at()) })}
                    </p>
                  )}
                </Show>
                <Show when={d().state === 'agency_supplement_requested' && latestSupplement()}>
                  {(s) => (
                    <div class="agency-action agency-action-warn">
                      <h3>
                        <WarningIcon /> {t('desk.supplement.title', { agency: d().agency.name })}
                      </h3>
                      <p class="hint">
                        {t('desk.supplement.hint', { at: formatDateTime(s().at) })}
                        <Show when={s().countsLate}>
                          {' '}
                          <strong class="agency-warning-text">{t('agency.fact.countsLate')}</strong>
                        </Show>
                      </p>
                      <ol class="desk-missing">
                        <For each={supplementComponents()}>
                          {(c) => (
                            <li>
                              <span>{c.name}</span>
                              <Show
                                when={c.fileUrl}
                                fallback={<span class="badge">{t('desk.supplement.notYet')}</span>}
                              >
                                <span class="badge badge-done">
                                  <CheckIcon size={12} /> {t('desk.supplement.digitized')}
                                </span>
                              </Show>
                            </li>
                          )}
                        </For>
                      </ol>
                      <div class="button-row">
                        <FormLink
                          class="button"
                          dossierId={d().id}
                          form="mau02-agency"
                          label={t('desk.supplement.print')}
                        />
                        <A class="button" href={`/dossiers/${d().id}/scan`}>
                          <UploadIcon /> {t('desk.supplement.scan')}
                        </A>
                        <button
                          type="button"
                          class="button button-primary"
                          disabled={busy() !== null || supplementComponents().some((c) => !c.fileUrl)}
                          onClick={() =>
                            void run(
                              'complete',
                              () => api.agency.completeSupplement.mutate({ dossierId: d().id }),
                              t('desk.supplement.done'),
                            )
                          }
                        >
                          {t('desk.supplement.complete')}
                        </button>
                      </div>
                      <Show when={supplementComponents().some((c) => !c.fileUrl)}>
                        <p class="hint">{t('desk.supplement.completeHint')}</p>
                      </Show>
                      <Show when={problemFor('complete')}>{(p) => <ProblemNote problem={p()} />}</Show>
                    </div>
                  )}
                </Show>
                <Show when={can('hand_back') && d().returnMethod === 0}>
                  <HandBackForm dossier={d()} onDone={() => void refetch()} />
                </Show>
                <Show when={can('hand_back') && d().returnMethod === 1}>
                  <p class="hint">{t('desk.handBack.byPost')}</p>
                  <HandBackForm dossier={d()} onDone={() => void refetch()} />
                </Show>
                <Show when={can('change_contact')}>
                  <ContactChangeForm dossier={d()} onDone={() => void refetch()} />
                </Show>
                <Show
                  when={
                    !can('forward') &&
                    !can('hand_back') &&
                    d().state !== 'received' &&
                    d().state !== 'agency_supplement_requested'
                  }
                >
                  <p class="muted">
                    {isTerminal(d().state)
                      ? t('desk.finished', { state: t(`state.${d().state}`) })
                      : t('desk.nothingNow', { state: t(`state.${d().state}`) })}
                  </p>
                </Show>
                <div class="agency-forms">
                  <FormLink dossierId={d().id} form="mau01" label={t('desk.form.mau01')} />
                  <FormLink dossierId={d().id} form="mau05" label={t('agency.form.mau05')} />
                  <Show when={d().apology}>
                    <FormLink dossierId={d().id} form="mau04" label={t('agency.form.mau04')} />
                  </Show>
                  <Show when={d().decision?.outcome === 'refused'}>
                    <FormLink dossierId={d().id} form="mau03-agency" label={t('agency.form.mau03')} />
                  </Show>
                  <Show when={d().resultFileUrl}>
                    {(url) => (
                      <a class="button button-small" href={url()} target="_blank" rel="noopener">
                        {t('desk.result')}
                      </a>
                    )}
                  </Show>
                </div>
              </section>
              <section aria-labelledby="desk-data-title">
                <h2 id="desk-data-title" class="section-title">
                  {t('agency.dossier.data')}
                </h2>
                <DossierFacts dossier={d()} />
              </section>
            </div>
            <BillsPanel
              dossierId={d().id}
              canBill={session.membership()?.role === 'clerk'}
              onChanged={() => void refetch()}
            />
            <section aria-labelledby="desk-timeline-title">
              <h2 id="desk-timeline-title" class="section-title">
                {t('agency.timeline')}
              </h2>
              <Timeline events={d().timeline} />
            </section>
          </div>
        )}
      </DossierLoaded>
    </section>
  );
};
