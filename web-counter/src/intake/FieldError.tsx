import { Show } from 'solid-js';
import type { Problem } from '../errors';

export const FieldError = (props: { id: string; problem?: Problem }) => (
  <Show when={props.problem}>
    {(problem) => (
      <span class="field-error" id={props.id}>
        <span lang="vi">{problem().vi}</span>
        <span lang="en" class="field-error-en">
          {problem().en}
        </span>
      </span>
    )}
  </Show>
);
