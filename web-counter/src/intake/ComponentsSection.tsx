import { For, Show } from 'solid-js';
import { formatDate, formatDateTime } from '../format';
import { lang, t } from '../i18n';
import { CheckIcon, RecycleIcon } from '../icons';
import './quick.css';
import type { Intake } from './store';

const formLabel = (form: string) =>
  form === 'original' || form === 'copy' || form === 'original_or_certified_copy' ? t(`form.${form}`) : form;

const ReusePanel = (props: { intake: Intake }) => {
  const documents = () => props.intake.lookup()?.reusable ?? [];
  const componentName = (code: string) =>
    props.intake.components.find((component) => component.code === code)?.name ?? code;
  const inUse = (documentId: string) =>
    props.intake.components.some((component) => component.reuse?.documentId === documentId);
  return (
    <aside class="reuse-panel" aria-labelledby="reuse-title">
      <h3 id="reuse-title">
        <RecycleIcon />
        {t('reuse.title')}
      </h3>
      <Show when={documents().length > 0} fallback={<p class="muted">{t('reuse.none')}</p>}>
        <ul class="reuse-list">
          <For each={documents()}>
            {(document) => (
              <li>
                <div class="reuse-text">
                  <strong>{document.title ?? componentName(document.componentCode)}</strong>
                  <span class="reuse-code">{document.digitizedCode}</span>
                  <span class="muted">
                    <Show when={document.fromDossierCode || document.fromProcedureName}>
                      {document.fromDossierCode
                        ? t('reuse.from', {
                            code: document.fromDossierCode,
                            procedure: document.fromProcedureName ?? '',
                          })
                        : t('reuse.fromNoCode', { procedure: document.fromProcedureName ?? '' })}
                      {' · '}
                    </Show>
                    {t('reuse.createdAt', { date: formatDateTime(document.createdAt).slice(0, 10) })}
                    <Show when={document.validUntil}>
                      {(until) => <> · {t('reuse.validUntil', { date: formatDate(until()) })}</>}
                    </Show>
                  </span>
                </div>
                <Show
                  when={!inUse(document.documentId)}
                  fallback={<span class="badge badge-reused">{t('reuse.inUse')}</span>}
                >
                  <button
                    type="button"
                    class="button button-small"
                    aria-label={t('reuse.useLabel', {
                      code: document.digitizedCode,
                      name: componentName(document.componentCode),
                    })}
                    onClick={() => props.intake.reuse(document)}
                  >
                    {t('reuse.use')}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </aside>
  );
};

const ComponentRows = (props: { intake: Intake }) => (
  <table class="data-table compact checklist">
    <thead>
      <tr>
        <th scope="col">{t('components.present')}</th>
        <th scope="col">{t('components.name')}</th>
        <th scope="col">{t('components.form')}</th>
        <th scope="col" class="numeric">
          {t('components.copies')}
        </th>
      </tr>
    </thead>
    <tbody>
      <For each={props.intake.components}>
        {(component, index) => {
          const id = `component-${component.code}`;
          return (
            <tr
              classList={{
                absent: component.required && !component.present,
                present: component.present,
              }}
            >
              <td class="check-cell">
                <input
                  id={`${id}-present`}
                  type="checkbox"
                  checked={component.present}
                  onChange={(event) =>
                    props.intake.setComponent(index(), { present: event.currentTarget.checked })
                  }
                  aria-label={t('components.presentLabel', { name: component.name })}
                  aria-describedby={props.intake.errors().components ? 'components-error' : undefined}
                />
              </td>
              <td>
                <label for={`${id}-present`} id={`${id}-name`} class="component-name">
                  {component.name}
                </label>
                <span class="component-tags">
                  <span classList={{ 'required-chip': true, optional: !component.required }}>
                    {component.required ? t('detail.requiredYes') : t('detail.requiredNo')}
                  </span>
                  <span class="muted">
                    {t('components.expected', {
                      form: formLabel(component.expectedForm),
                      n: component.expectedCopies,
                    })}
                  </span>
                  <Show when={component.reuse}>
                    {(document) => (
                      <>
                        <span class="badge badge-reused">
                          <RecycleIcon />
                          {t('components.reused')}
                        </span>
                        <span class="reuse-code">{document().digitizedCode}</span>
                        <button
                          type="button"
                          class="link-button"
                          onClick={() => props.intake.stopReusing(index())}
                        >
                          {t('components.unreuse')}
                        </button>
                      </>
                    )}
                  </Show>
                </span>
                <Show when={component.note}>
                  <span class="note">{component.note}</span>
                </Show>
              </td>
              <td>
                <select
                  value={component.form}
                  aria-label={t('components.formLabel', { name: component.name })}
                  onChange={(event) =>
                    props.intake.setComponent(index(), {
                      form: event.currentTarget.value as 'original' | 'copy',
                    })
                  }
                >
                  <option value="original">{t('form.original')}</option>
                  <option value="copy">{t('form.copy')}</option>
                </select>
              </td>
              <td class="numeric">
                <input
                  class="copies"
                  type="number"
                  min="1"
                  max="99"
                  value={component.copies}
                  aria-label={t('components.copiesLabel', { name: component.name })}
                  onInput={(event) =>
                    props.intake.setComponent(index(), {
                      copies: Math.max(1, Math.trunc(Number(event.currentTarget.value) || 1)),
                    })
                  }
                />
              </td>
            </tr>
          );
        }}
      </For>
    </tbody>
  </table>
);

export const ComponentsSection = (props: { intake: Intake }) => (
  <div class="components-layout" classList={{ 'with-reuse': Boolean(props.intake.lookup()) }}>
    <div class="components-main">
      <div class="components-bar">
        <Show when={props.intake.components.length > 0}>
          <button
            type="button"
            id="components-all"
            class="button"
            data-enter-stop
            disabled={props.intake.components.every((component) => component.present)}
            aria-keyshortcuts="Alt+A"
            aria-describedby="components-all-hint"
            onClick={() => {
              props.intake.allPresent();
              document.getElementById('outcome-receive')?.focus();
            }}
          >
            <CheckIcon />
            {t('quick.allPresent')}
            <kbd>Alt+A</kbd>
          </button>
          <span class="hint" id="components-all-hint">
            {t('quick.allPresentHint')}
          </span>
        </Show>
        <span class="hint">{t('components.hint')}</span>
      </div>
      <Show when={props.intake.errors().components}>
        {(problem) => (
          <div class="field-error block-error" id="components-error">
            <span lang={lang()}>{lang() === 'en' ? problem().en : problem().vi}</span>
            <Show when={props.intake.absentByServer().length > 0}>
              <ul>
                <For each={props.intake.absentByServer()}>{(item) => <li>{item.name}</li>}</For>
              </ul>
            </Show>
            <Show when={problem().code === 'COMPONENTS_INCOMPLETE'}>
              <span>{t('components.incompleteHint')}</span>
            </Show>
          </div>
        )}
      </Show>
      <Show when={props.intake.components.length > 0} fallback={<p>{t('components.none')}</p>}>
        <ComponentRows intake={props.intake} />
      </Show>
    </div>
    <Show when={props.intake.lookup()}>
      <ReusePanel intake={props.intake} />
    </Show>
  </div>
);
