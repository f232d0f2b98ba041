import { Show } from 'solid-js';
import type { Problem } from '../errors';
import { lang } from '../i18n';

export const FieldError = (props: { id: string; problem?: Problem }) => (
  <Show when={props.problem}>
    {(problem) => (
      <span class="field-error" id={props.id}>
        <span lang={lang()}>{lang() === 'en' ? problem().en : problem().vi}</span>
      </span>
    )}
  </Show>
);
