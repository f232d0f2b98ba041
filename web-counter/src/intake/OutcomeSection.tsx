import { For, Match, Show, Switch } from 'solid-js';
import { t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { FieldError } from './FieldError';
import type { Intake } from './store';
import type { Outcome } from './types';

/** Confirm (Ctrl+Enter) and cancel (Esc) under an outcome panel, with the hint both panels share. */
const PanelActions = (props: {
  intake: Intake;
  variant: 'button-primary' | 'button-danger';
  shortcuts: string;
  label: 'outcome.sendSupplement' | 'outcome.confirmRefuse';
  onConfirm: () => void;
  onCancel: () => void;
}) => (
  <>
    <div class="button-row">
      <button
        type="button"
        class={`button ${props.variant}`}
        disabled={props.intake.busy()}
        onClick={props.onConfirm}
        aria-keyshortcuts={props.shortcuts}
      >
        {props.intake.busy() ? t('outcome.sending') : t(props.label)}
        <kbd>Ctrl+Enter</kbd>
      </button>
      <button type="button" class="button" onClick={props.onCancel}>
        {t('outcome.cancel')}
        <kbd>Esc</kbd>
      </button>
    </div>
    <p class="hint" id="outcome-hint">
      {t('outcome.hint')}
    </p>
  </>
);

const SupplementPanel = (props: { intake: Intake; onConfirm: () => void; onCancel: () => void }) => (
  <fieldset class="outcome-panel">
    <legend class="panel-title">{t('outcome.supplementTitle')}</legend>
    <p class="field-label">{t('outcome.absent')}</p>
    <Show
      when={props.intake.absentRequired().length > 0}
      fallback={<p class="muted">{t('outcome.noAbsent')}</p>}
    >
      <ul class="absent-list" id="supplement-absent">
        <For each={props.intake.absentRequired()}>{(component) => <li>{component.name}</li>}</For>
      </ul>
    </Show>
    <div class="field">
      <label class="field-label" for="supplement-extra">
        {t('outcome.extra')}
      </label>
      <textarea
        id="supplement-extra"
        rows="3"
        value={props.intake.extraItems()}
        onInput={(event) => props.intake.setExtraItems(event.currentTarget.value)}
        aria-invalid={Boolean(props.intake.errors().missing)}
        aria-describedby={`outcome-hint${props.intake.errors().missing ? ' supplement-extra-error' : ''}`}
      />
      <FieldError id="supplement-extra-error" problem={props.intake.errors().missing} />
    </div>
    <PanelActions
      intake={props.intake}
      variant="button-primary"
      shortcuts="Control+Enter Alt+B"
      label="outcome.sendSupplement"
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    />
  </fieldset>
);

const RefusePanel = (props: { intake: Intake; onConfirm: () => void; onCancel: () => void }) => (
  <fieldset class="outcome-panel outcome-panel-danger">
    <legend class="panel-title">{t('outcome.refuseTitle')}</legend>
    <div class="field">
      <label class="field-label" for="refuse-reason">
        {t('outcome.reason')}
      </label>
      <textarea
        id="refuse-reason"
        rows="3"
        value={props.intake.reason()}
        onInput={(event) => props.intake.setReason(event.currentTarget.value)}
        aria-invalid={Boolean(props.intake.errors().reason)}
        aria-describedby={`outcome-hint${props.intake.errors().reason ? ' refuse-reason-error' : ''}`}
      />
      <FieldError id="refuse-reason-error" problem={props.intake.errors().reason} />
    </div>
    <PanelActions
      intake={props.intake}
      variant="button-danger"
      shortcuts="Control+Enter Alt+C"
      label="outcome.confirmRefuse"
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    />
  </fieldset>
);

export const OutcomeSection = (props: {
  intake: Intake;
  onOpen: (outcome: Outcome) => void;
  onConfirm: (outcome: Outcome) => void;
  onCancel: () => void;
}) => (
  <div class="outcome">
    <div class="button-row">
      <button
        id="outcome-receive"
        type="button"
        class="button button-primary button-large"
        data-enter-stop
        disabled={props.intake.busy()}
        onClick={() => props.onConfirm('receive')}
        aria-keyshortcuts="Alt+T"
      >
        {props.intake.busy() && props.intake.mode() === undefined
          ? t('outcome.sending')
          : t('outcome.receive')}
        <kbd>Alt+T</kbd>
      </button>
      <button
        id="outcome-supplement"
        type="button"
        class="button button-large"
        aria-pressed={props.intake.mode() === 'request_supplement'}
        disabled={props.intake.busy()}
        onClick={() => props.onOpen('request_supplement')}
        aria-keyshortcuts="Alt+B"
      >
        {t('outcome.supplement')}
        <kbd>Alt+B</kbd>
      </button>
      <button
        id="outcome-refuse"
        type="button"
        class="button button-large"
        aria-pressed={props.intake.mode() === 'refuse'}
        disabled={props.intake.busy()}
        onClick={() => props.onOpen('refuse')}
        aria-keyshortcuts="Alt+C"
      >
        {t('outcome.refuse')}
        <kbd>Alt+C</kbd>
      </button>
    </div>
    <Switch>
      <Match when={props.intake.mode() === 'request_supplement'}>
        <SupplementPanel
          intake={props.intake}
          onConfirm={() => props.onConfirm('request_supplement')}
          onCancel={props.onCancel}
        />
      </Match>
      <Match when={props.intake.mode() === 'refuse'}>
        <RefusePanel
          intake={props.intake}
          onConfirm={() => props.onConfirm('refuse')}
          onCancel={props.onCancel}
        />
      </Match>
    </Switch>
    <Show when={props.intake.errors().general}>
      {(problem) => <ProblemNote problem={problem()} id="outcome-error" />}
    </Show>
  </div>
);
