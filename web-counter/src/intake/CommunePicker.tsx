import { createEffect, createMemo, createSignal, For, Show } from 'solid-js';
import type { Problem } from '../errors';
import { t } from '../i18n';
import { foldDiacritics, matchesAllWords } from '../search';
import { FieldError } from './FieldError';
import type { Commune } from './store';

const MAX_OPTIONS = 60;

/** A combobox: type (diacritics optional), ↓/↑ to move, Enter or Tab takes the highlighted commune. */
export const CommunePicker = (props: {
  id: string;
  label: string;
  value: string;
  communes: Commune[];
  onChange: (code: string) => void;
  error?: Problem;
}) => {
  const [text, setText] = createSignal<string>();
  const [open, setOpen] = createSignal(false);
  const [active, setActive] = createSignal(0);
  const listId = `${props.id}-list`;
  const optionId = (index: number) => `${props.id}-option-${index}`;

  const indexed = createMemo(() =>
    props.communes.map((commune) => ({
      commune,
      haystack: foldDiacritics(`${commune.name} ${commune.code}`),
    })),
  );
  const matches = createMemo(() => {
    const query = text()?.trim() ?? '';
    return indexed()
      .filter((entry) => !query || matchesAllWords(entry.haystack, query))
      .slice(0, MAX_OPTIONS)
      .map((entry) => entry.commune);
  });
  const selectedName = () => props.communes.find((commune) => commune.code === props.value)?.name ?? '';
  const noMatch = () => text() !== undefined && text()!.trim() !== '' && matches().length === 0;

  createEffect(() => {
    if (open()) document.getElementById(optionId(active()))?.scrollIntoView({ block: 'nearest' });
  });

  const pick = (commune: Commune) => {
    props.onChange(commune.code);
    setText(undefined);
    setOpen(false);
  };

  const move = (step: number) => {
    if (!open()) {
      setOpen(true);
      setActive(
        Math.max(
          0,
          matches().findIndex((commune) => commune.code === props.value),
        ),
      );
      return;
    }
    setActive((index) => Math.max(0, Math.min(matches().length - 1, index + step)));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const typed = text() !== undefined;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
      return;
    }
    if (event.key === 'Escape' && (open() || typed)) {
      event.preventDefault();
      event.stopPropagation();
      setText(undefined);
      setOpen(false);
      return;
    }
    if ((event.key === 'Enter' || event.key === 'Tab') && (open() || typed)) {
      const chosen = matches()[active()];
      if (chosen) pick(chosen);
      else if (event.key === 'Enter') event.preventDefault();
    }
  };

  const describedBy = () =>
    [props.error ? `${props.id}-error` : '', noMatch() ? `${props.id}-none` : ''].filter(Boolean).join(' ') ||
    undefined;

  return (
    <div class="field combo">
      <label class="field-label" for={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        role="combobox"
        autocomplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={open()}
        aria-controls={listId}
        aria-activedescendant={open() && matches().length > 0 ? optionId(active()) : undefined}
        aria-invalid={Boolean(props.error)}
        aria-describedby={describedBy()}
        placeholder={t('commune.placeholder')}
        value={text() ?? selectedName()}
        onInput={(event) => {
          setText(event.currentTarget.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={(event) => event.currentTarget.select()}
        onBlur={() => {
          setOpen(false);
          setText(undefined);
        }}
        onKeyDown={onKeyDown}
      />
      <Show when={open() && matches().length > 0}>
        <div class="combo-list" id={listId} role="listbox" aria-label={props.label}>
          <For each={matches()}>
            {(commune, index) => (
              <div
                id={optionId(index())}
                role="option"
                tabIndex={-1}
                aria-selected={index() === active()}
                classList={{ current: commune.code === props.value }}
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(commune);
                }}
              >
                {commune.name}
                <span class="muted combo-code">{commune.code}</span>
              </div>
            )}
          </For>
        </div>
      </Show>
      <Show when={noMatch()}>
        <span class="field-error" id={`${props.id}-none`}>
          {t('commune.none')}
        </span>
      </Show>
      <FieldError id={`${props.id}-error`} problem={props.error} />
    </div>
  );
};
