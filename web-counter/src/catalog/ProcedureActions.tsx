import { useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { describeError, type Problem } from '../errors';
import { t } from '../i18n';
import { CheckIcon, IntakeIcon, PrintIcon } from '../icons';
import { printGuidance, recordAdvice } from '../intake/advice';
import { ProblemNote } from '../ProblemNote';
import { onKey } from '../shell/shortcuts';
import { toasts } from '../toast';

const altKey = (event: KeyboardEvent, code: string) =>
  event.altKey && !event.ctrlKey && !event.metaKey && event.code === code;

export const ProcedureActions = (props: { code: string; name: string }) => {
  const navigate = useNavigate();
  const [problem, setProblem] = createSignal<Problem>();

  const record = async (print: boolean) => {
    setProblem(undefined);
    try {
      await (print ? printGuidance(props.code) : recordAdvice(props.code));
      toasts.show(t(print ? 'detail.guidanceToast' : 'detail.advisedToast', { name: props.name }));
    } catch (error) {
      setProblem(describeError(error));
    }
  };

  const startIntake = () => navigate(`/intake/${encodeURIComponent(props.code)}`);

  onKey((event) => {
    const action = altKey(event, 'KeyT')
      ? startIntake
      : altKey(event, 'KeyI')
        ? () => void record(true)
        : altKey(event, 'KeyV')
          ? () => void record(false)
          : undefined;
    if (!action) return;
    event.preventDefault();
    action();
  });

  return (
    <fieldset class="detail-actions">
      <legend class="visually-hidden">{t('detail.actions')}</legend>
      <button type="button" class="button button-primary" onClick={startIntake} aria-keyshortcuts="Alt+T">
        <IntakeIcon />
        {t('detail.startIntake')}
        <kbd>Alt+T</kbd>
      </button>
      <button type="button" class="button" onClick={() => void record(true)} aria-keyshortcuts="Alt+I">
        <PrintIcon />
        {t('detail.printGuidance')}
        <kbd>Alt+I</kbd>
      </button>
      <button type="button" class="button" onClick={() => void record(false)} aria-keyshortcuts="Alt+V">
        <CheckIcon />
        {t('detail.advised')}
        <kbd>Alt+V</kbd>
      </button>
      <Show when={problem()}>{(current) => <ProblemNote problem={current()} />}</Show>
    </fieldset>
  );
};
