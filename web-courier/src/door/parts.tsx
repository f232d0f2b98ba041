import type { JSX } from 'solid-js';

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
