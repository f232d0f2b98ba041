import { A, useParams, useSearchParams } from '@solidjs/router';
import { createSignal, type JSX, Match, onMount, Show, Switch } from 'solid-js';
import { formatDateTime, parseDisplayDate } from '../format';
import { PickupIcon } from '../icons';
import '../today/today.css';
import { describeError } from '../errors';
import { t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { onKey } from '../shell/shortcuts';
import { calledTicket } from '../queue/current';
import { ApplicantSection } from './ApplicantSection';
import { ComponentsSection } from './ComponentsSection';
import { FeesSection } from './FeesSection';
import { OutcomeSection } from './OutcomeSection';
import { ResultView } from './ResultView';
import { RoutingBox } from './RoutingBox';
import { STEPS, SummaryBar } from './SummaryBar';
import { createIntake, type Intake } from './store';
import type { Outcome } from './types';

const FIELD_ORDER = [
  'citizenId',
  'fullName',
  'dateOfBirth',
  'sex',
  'phone',
  'email',
  'line',
  'communeCode',
  'lookup',
  'components',
  'returnMethod',
  'delivery.line',
  'delivery.communeCode',
  'delivery.window',
  'delivery.lat',
  'delivery.lng',
  'missing',
  'reason',
  'general',
];

const OUTCOME_BUTTON: Record<Outcome, string> = {
  receive: 'outcome-receive',
  request_supplement: 'outcome-supplement',
  refuse: 'outcome-refuse',
};

const byId = (id: string) => document.getElementById(id) as HTMLElement | null;

const alt = (event: KeyboardEvent, code: string) =>
  event.altKey && !event.ctrlKey && !event.metaKey && event.code === code;

const isFocusable = (element: HTMLElement) =>
  !element.matches(':disabled') && element.tabIndex >= 0 && element.getClientRects().length > 0;

/** Enter moves on like Tab, over fields only; a radio group counts once. */
const nextField = (root: HTMLElement, from: HTMLElement) => {
  const fields = [...root.querySelectorAll<HTMLElement>('input, select, textarea, [data-enter-stop]')].filter(
    (element) =>
      isFocusable(element) &&
      !(
        element instanceof HTMLInputElement &&
        element.type === 'radio' &&
        !element.checked &&
        element !== from
      ),
  );
  return fields[fields.indexOf(from) + 1];
};

/** The applicant fields the clerk fills, in order: Enter (or a completed field) goes to the next one still empty. */
const APPLICANT_ORDER = [
  'applicant-fullName',
  'applicant-dateOfBirth',
  'applicant-phone',
  'applicant-line',
  'applicant-communeCode',
];

/** A Vietnamese phone number is complete: 10 digits for a mobile, 11 for a landline (02…). */
const phoneComplete = (text: string) => /^(0[35789]\d{8}|02\d{9})$/.test(text.replace(/[\s.-]/g, ''));

/** A birth date is complete once its year has four digits and it is a real date. */
const dateComplete = (text: string) => /\d{4}$/.test(text.trim()) && parseDisplayDate(text) !== null;

/** Above the wizard when the desk receives a dossier a courier collected: the seal to check, the pickup time. */
const PickupBanner = (props: { intake: Intake }) => (
  <Show when={props.intake.pickedUp.state === 'ready' && !props.intake.result() && props.intake.pickedUp()}>
    {(entry) => (
      <p class="pickup-banner" role="status">
        <PickupIcon />
        <span>
          {t('pickup.banner', {
            seal: entry().sealNumber ?? t('pickup.noSeal'),
            at: formatDateTime(entry().pickedUpAt),
          })}
        </span>
      </p>
    )}
  </Show>
);

const Wizard = (props: { intake: Intake; onNew: () => void; ticketLabel?: string | undefined }) => {
  const [currentStep, setCurrentStep] = createSignal(1);
  let scroller!: HTMLFormElement;
  onMount(() => byId('applicant-citizenId')?.focus());

  /** The next applicant field still empty after `afterId`; then the checklist; then the receive button. */
  const focusNextEmpty = (afterId?: string) => {
    const applicant = props.intake.applicant;
    const values: Record<string, string> = {
      'applicant-fullName': applicant.fullName,
      'applicant-dateOfBirth': applicant.dateOfBirth,
      'applicant-phone': applicant.phone,
      'applicant-line': applicant.line,
      'applicant-communeCode': applicant.communeCode,
    };
    const from = afterId ? APPLICANT_ORDER.indexOf(afterId) + 1 : 0;
    const empty = APPLICANT_ORDER.slice(from).find((id) => !values[id]?.trim());
    const allPresent = props.intake.components.every((component) => component.present);
    const target = empty
      ? byId(empty)
      : allPresent
        ? byId('outcome-receive')
        : (byId('components-all') ??
          scroller.querySelector<HTMLElement>('.checklist input[type="checkbox"]'));
    (target ?? byId('outcome-receive'))?.focus();
  };
  const focusFirstEmpty = () => focusNextEmpty();

  const focusError = (keys: string[]) => {
    const first = FIELD_ORDER.find((key) => keys.includes(key));
    if (!first) return;
    const absent = props.intake.components.findIndex((component) => component.required && !component.present);
    const targets: Record<string, () => HTMLElement | null> = {
      components: () =>
        scroller.querySelectorAll<HTMLElement>('.checklist input[type="checkbox"]')[Math.max(0, absent)] ??
        byId('components-error'),
      returnMethod: () => byId('return-desk'),
      missing: () => byId('supplement-extra'),
      reason: () => byId('refuse-reason'),
      general: () => byId(OUTCOME_BUTTON[props.intake.mode() ?? 'receive']),
      lookup: () => byId('applicant-citizenId'),
    };
    const element =
      targets[first]?.() ??
      byId(first.startsWith('delivery.') ? first.replace('.', '-') : `applicant-${first}`);
    element?.focus({ preventScroll: first === 'components' });
    if (first === 'components') byId('step-components')?.scrollIntoView({ block: 'start' });
  };

  const confirm = async (outcome: Outcome) => {
    if (outcome === 'receive') props.intake.setMode(undefined);
    const failed = await props.intake.submit(outcome);
    if (failed.length > 0) queueMicrotask(() => focusError(failed));
  };

  const open = (outcome: Outcome) => {
    props.intake.setMode(outcome);
    queueMicrotask(() => byId(outcome === 'refuse' ? 'refuse-reason' : 'supplement-extra')?.focus());
  };

  const cancel = () => {
    const mode = props.intake.mode();
    props.intake.setMode(undefined);
    if (mode) queueMicrotask(() => byId(OUTCOME_BUTTON[mode])?.focus());
  };

  const openOrConfirm = (outcome: Outcome) =>
    props.intake.mode() === outcome ? void confirm(outcome) : open(outcome);

  onKey((event) => {
    if (props.intake.result()) {
      if (alt(event, 'KeyN')) {
        event.preventDefault();
        props.onNew();
      }
      return;
    }
    const action = alt(event, 'KeyT')
      ? () => void confirm('receive')
      : alt(event, 'KeyA')
        ? () => {
            props.intake.allPresent();
            byId('outcome-receive')?.focus();
          }
        : alt(event, 'KeyP') && props.intake.deliveryAllowed()
          ? () => props.intake.setReturnMethod('post')
          : alt(event, 'KeyB')
            ? () => openOrConfirm('request_supplement')
            : alt(event, 'KeyC')
              ? () => openOrConfirm('refuse')
              : event.key === 'Enter' && event.ctrlKey && props.intake.mode()
                ? () => void confirm(props.intake.mode()!)
                : event.key === 'Escape' && props.intake.mode() && !event.defaultPrevented
                  ? cancel
                  : undefined;
    if (!action) return;
    event.preventDefault();
    action();
  });

  const onEnter = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.defaultPrevented || event.isComposing) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    event.preventDefault();
    if (APPLICANT_ORDER.includes(target.id) || target.id === 'applicant-email') {
      focusNextEmpty(target.id === 'applicant-email' ? 'applicant-phone' : target.id);
      return;
    }
    nextField(scroller, target)?.focus();
  };

  /** A birth date or phone number typed in full moves on by itself: no Enter after each field. */
  const onInput = (event: InputEvent) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    const complete =
      (target.id === 'applicant-dateOfBirth' && dateComplete(target.value)) ||
      (target.id === 'applicant-phone' && phoneComplete(target.value));
    if (complete) focusNextEmpty(target.id);
  };

  const onFocusIn = (event: FocusEvent) => {
    const section = (event.target as HTMLElement).closest<HTMLElement>('[data-step]');
    if (section) setCurrentStep(Number(section.dataset.step));
  };

  const goToStep = (id: string) => {
    const section = byId(id);
    section?.scrollIntoView({ block: 'start' });
    section
      ?.querySelector<HTMLElement>('input:not(:disabled), select, textarea, button:not(:disabled)')
      ?.focus();
  };

  const section = (step: (typeof STEPS)[number], body: () => JSX.Element) => (
    <section id={step.id} data-step={step.number} class="wizard-section" aria-labelledby={`${step.id}-title`}>
      <h2 id={`${step.id}-title`} class="section-title">
        <span class="step-number">{step.number}</span>
        {t(step.label)}
      </h2>
      {body()}
    </section>
  );

  return (
    <div class="intake">
      <SummaryBar
        intake={props.intake}
        currentStep={props.intake.result() ? 4 : currentStep()}
        onStep={goToStep}
      />
      <form
        class="intake-scroll"
        ref={scroller}
        noValidate
        onSubmit={(event) => event.preventDefault()}
        onKeyDown={onEnter}
        onInput={onInput}
        onFocusIn={onFocusIn}
        aria-label={t('intake.title')}
      >
        <Show
          when={props.intake.result()}
          fallback={
            <>
              <PickupBanner intake={props.intake} />
              <Show when={props.ticketLabel}>
                {(label) => (
                  <p class="pickup-banner" role="status">
                    <span>{t('queue.desk.fromTicket', { label: label() })}</span>
                  </p>
                )}
              </Show>
              {section(STEPS[0], () => (
                <ApplicantSection intake={props.intake} onIdAccepted={focusFirstEmpty} />
              ))}
              {section(STEPS[1], () => (
                <ComponentsSection intake={props.intake} />
              ))}
              {section(STEPS[2], () => (
                <FeesSection intake={props.intake} />
              ))}
              {section(STEPS[3], () => (
                <>
                  <RoutingBox intake={props.intake} />
                  <OutcomeSection
                    intake={props.intake}
                    onOpen={open}
                    onConfirm={(o) => void confirm(o)}
                    onCancel={cancel}
                  />
                </>
              ))}
            </>
          }
        >
          {(result) => <ResultView result={result()} onNew={props.onNew} />}
        </Show>
      </form>
    </div>
  );
};

const IntakeRun = (props: { code: string; pickedUpDossierId?: string; onNew: () => void }) => {
  const intake = createIntake(props.code, props.pickedUpDossierId);
  // The number the clerk just called brings the name and phone the citizen gave when taking it.
  const ticket = props.pickedUpDossierId ? null : calledTicket.take();
  if (ticket?.fullName) intake.editApplicant('fullName', ticket.fullName);
  if (ticket?.phone) intake.editApplicant('phone', ticket.phone);
  return (
    <Switch fallback={<p class="page-status">{t('intake.loading')}</p>}>
      <Match when={intake.pickedUp.state === 'errored'}>
        <div class="page-status">
          <ProblemNote problem={describeError(intake.pickedUp.error)} />
          <A href="/today" class="button">
            {t('pickup.backToday')}
          </A>
        </div>
      </Match>
      <Match when={props.pickedUpDossierId && intake.pickedUp.state === 'ready' && !intake.pickedUp()}>
        <div class="page-status">
          <p>{t('pickup.notFound')}</p>
          <A href="/today" class="button">
            {t('pickup.backToday')}
          </A>
        </div>
      </Match>
      <Match when={intake.procedure.state === 'errored'}>
        <div class="page-status">
          <ProblemNote problem={describeError(intake.procedure.error)} />
          <A href="/" class="button">
            {t('intake.back')}
          </A>
        </div>
      </Match>
      <Match
        when={
          intake.procedure.state === 'ready' &&
          (!props.pickedUpDossierId || intake.pickedUp.state === 'ready')
        }
      >
        <Wizard intake={intake} onNew={props.onNew} ticketLabel={ticket?.label} />
      </Match>
    </Switch>
  );
};

export const IntakePage = () => {
  const params = useParams<{ procedureCode: string }>();
  const [search, setSearch] = useSearchParams<{ pickup?: string }>();
  const [run, setRun] = createSignal(1);
  /** After a picked-up dossier is received, "new dossier" starts an ordinary walk-in intake. */
  const next = () => {
    if (search.pickup) setSearch({ pickup: undefined });
    setRun((n) => n + 1);
  };
  return (
    <Show when={`${params.procedureCode}#${search.pickup ?? ''}#${run()}`} keyed>
      <IntakeRun code={params.procedureCode} pickedUpDossierId={search.pickup} onNew={next} />
    </Show>
  );
};
