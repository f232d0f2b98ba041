import { isDossierState } from '@postdesk/shared';
import { t } from './i18n';

const TONE: Record<string, 'good' | 'warn' | 'bad' | 'neutral'> = {
  received: 'good',
  digitized: 'good',
  forwarded: 'good',
  in_review: 'neutral',
  decided: 'good',
  result_ready: 'good',
  delivered: 'good',
  returned: 'good',
  supplement_requested: 'warn',
  agency_supplement_requested: 'warn',
  awaiting_payment: 'warn',
  delivery_failed: 'warn',
  refused: 'bad',
  withdrawn: 'bad',
  stopped: 'bad',
};

const MARK: Record<'good' | 'warn' | 'bad' | 'neutral', string> = {
  good: '✓',
  warn: '!',
  bad: '✕',
  neutral: '•',
};

/** Colour is never the only cue: every state carries its word and a mark. */
export const StateChip = (props: { state: string; large?: boolean }) => {
  const tone = () => TONE[props.state] ?? 'neutral';
  return (
    <span class={`state-chip state-${tone()}`} classList={{ 'state-chip-large': props.large }}>
      <span aria-hidden="true">{MARK[tone()]}</span>
      {isDossierState(props.state) ? t(`state.${props.state}`) : props.state}
    </span>
  );
};
