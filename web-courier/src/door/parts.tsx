import { useParams } from '@solidjs/router';
import { type Component, For, type JSX, Show } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { BackLink, NoTask } from '../courier/TaskPage';
import { today } from '../courier/today';
import type { Task } from '../courier/types';
import { formatMoney } from '../format';
import { t } from '../i18n';

export const Section = (props: {
  n: number;
  title: string;
  done?: boolean;
  children: JSX.Element;
  id?: string;
}) => (
  <section class="door-section" classList={{ 'door-section-done': props.done }} id={props.id}>
    <h2 class="door-section-title">
      <span class="door-step" aria-hidden="true">
        {props.n}
      </span>
      {props.title}
    </h2>
    {props.children}
  </section>
);

export const Hint = (props: { tone?: 'ok' | 'bad' | 'info'; children: JSX.Element }) => (
  <p class={`hint hint-${props.tone ?? 'info'}`} role={props.tone === 'bad' ? 'alert' : undefined}>
    {props.children}
  </p>
);

/** A door form: the browser's own checks off (the flow says what is missing), Enter submits through `onSubmit`. */
export const DoorForm = (props: { onSubmit: () => Promise<void>; children: JSX.Element }) => (
  <form
    class="door-form"
    onSubmit={(event) => {
      event.preventDefault();
      void props.onSubmit();
    }}
    noValidate
  >
    {props.children}
  </form>
);

/** After a first try, what is still missing before the step can be saved. */
export const MissingNote = (props: { show: boolean; missing: string[] }) => (
  <Show when={props.show && props.missing.length > 0}>
    <div class="problem door-missing" role="alert">
      <p>{t('door.stillMissing')}</p>
      <ul class="missing-list">
        <For each={props.missing}>{(item) => <li>{item}</li>}</For>
      </ul>
    </div>
  </Show>
);

/** A door step's page: back to the task, and the step's form for today's task (or a note that it is gone). */
export const DoorPage = (props: { form: Component<{ task: Task }> }) => {
  const params = useParams<{ id: string }>();
  return (
    <div class="door-page">
      <BackLink href={`/task/${params.id}`} />
      <Show when={today.task(params.id)} fallback={<NoTask />}>
        {(task) => <Dynamic component={props.form} task={task()} />}
      </Show>
    </div>
  );
};

/** Cash taken at the door, digits only; the fees due, if any, stand beside the label. */
export const CashField = (props: {
  label: string;
  feesDue: number | null | undefined;
  value: string;
  onInput: (v: string) => void;
}) => (
  <label class="field">
    <span class="field-label">
      {props.label}
      <Show when={(props.feesDue ?? 0) > 0}>
        {' '}
        ({t('task.feesDue')}: {formatMoney(props.feesDue ?? 0)})
      </Show>
    </span>
    <input
      name="cash"
      inputmode="numeric"
      value={props.value}
      onInput={(event) => props.onInput(event.currentTarget.value.replace(/\D/g, ''))}
    />
  </label>
);
