import { For, Show } from 'solid-js';
import { formatMoney } from '../format';
import { type MessageKey, t } from '../i18n';
import { CheckIcon, WarningIcon } from '../icons';
import { StateChip } from '../StateChip';
import type { Intake } from './store';

export const STEPS = [
  { number: 1, id: 'step-applicant', label: 'step.applicant' },
  { number: 2, id: 'step-components', label: 'step.components' },
  { number: 3, id: 'step-fees', label: 'step.fees' },
  { number: 4, id: 'step-outcome', label: 'step.outcome' },
] as const satisfies readonly { number: number; id: string; label: MessageKey }[];

const Missing = (props: { intake: Intake }) => {
  const details = () => props.intake.missingDetails().map((key) => t(key as MessageKey));
  const documents = () => props.intake.absentRequired().map((component) => component.name);
  const all = () => [...details(), ...documents()];
  return (
    <Show
      when={all().length > 0}
      fallback={
        <span class="summary-ok">
          <CheckIcon />
          {t('summary.nothingMissing')}
        </span>
      }
    >
      <span class="summary-missing" title={all().join('; ')}>
        <WarningIcon />
        <span class="summary-missing-text">{all().join('; ')}</span>
      </span>
    </Show>
  );
};

export const SummaryBar = (props: { intake: Intake; currentStep: number; onStep: (id: string) => void }) => {
  const procedure = () => (props.intake.procedure.state === 'ready' ? props.intake.procedure() : undefined);
  return (
    <section class="summary-bar" aria-label={t('summary.label')}>
      <div class="summary-cells">
        <div class="summary-cell summary-procedure">
          <span class="summary-label">{t('summary.procedure')}</span>
          <h1 class="summary-value" title={procedure()?.name}>
            <span class="mono">{props.intake.procedureCode}</span> {procedure()?.name}
          </h1>
        </div>
        <div class="summary-cell">
          <span class="summary-label">{t('summary.applicant')}</span>
          <span class="summary-value" id="summary-applicant">
            {props.intake.applicant.fullName || t('summary.noApplicant')}
            <Show when={props.intake.idCheck()}>
              {(check) => <span class="muted mono"> · {check().id}</span>}
            </Show>
          </span>
        </div>
        <div class="summary-cell summary-missing-cell">
          <span class="summary-label">
            {props.intake.result() ? t('summary.dossier') : t('summary.missing')}
          </span>
          <span class="summary-value" id="summary-missing">
            <Show when={props.intake.result()} fallback={<Missing intake={props.intake} />}>
              {(result) => (
                <>
                  <span class="mono">{result().code}</span> <StateChip state={result().state} />
                </>
              )}
            </Show>
          </span>
        </div>
        <div class="summary-cell summary-total">
          <span class="summary-label">{t('summary.total')}</span>
          <span class="summary-money" id="summary-total">
            {formatMoney(props.intake.result()?.fees.total ?? props.intake.total())}
          </span>
        </div>
      </div>
      <nav class="steps" aria-label={t('intake.steps')}>
        <ol>
          <For each={STEPS}>
            {(step) => (
              <li>
                <button
                  type="button"
                  class="step"
                  aria-current={props.currentStep === step.number ? 'step' : undefined}
                  disabled={Boolean(props.intake.result()) && step.number < 4}
                  onClick={() => props.onStep(step.id)}
                >
                  <span class="step-number">{step.number}</span>
                  {t(step.label)}
                </button>
              </li>
            )}
          </For>
        </ol>
      </nav>
    </section>
  );
};
