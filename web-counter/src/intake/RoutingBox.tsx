import { createResource, createSignal, For, Show } from 'solid-js';
import { api } from '../api';
import './routing.css';
import { t } from '../i18n';
import type { Intake } from './store';

/**
 * Who decides this dossier (resolved per dossier from the applicant's commune, Decree 118/2025) and which
 * one-stop department the post office receives it for (Decision 468). The clerk may change the agency with a
 * reason, or pick another department this desk serves.
 */
export const RoutingBox = (props: { intake: Intake }) => {
  const [assigned] = createResource(
    () => props.intake.applicant.communeCode || false,
    (communeCode) =>
      api.intake.decidingAgency.query({ procedureCode: props.intake.procedureCode, communeCode }),
  );
  const [departments] = createResource(() => api.intake.departments.query());
  const [offices] = createResource(() => api.catalog.offices.query());
  const [changing, setChanging] = createSignal(false);
  const deciding = () =>
    (offices() ?? []).filter((o) => o.kind === 'agency' || o.kind === 'commune_committee');
  const choice = () => props.intake.routing().decidingAgency;

  return (
    <fieldset class="routing-box">
      <legend>{t('routing.title')}</legend>
      <Show when={assigned()} fallback={<p class="hint">{t('routing.pending')}</p>}>
        {(agency) => (
          <p>
            {t('routing.agency')}: <strong>{agency().name}</strong> ({agency().code}) —{' '}
            <span class="hint">
              {t(`routing.source.${agency().source === 'assignment' ? 'assignment' : 'procedure'}`)}
            </span>
          </p>
        )}
      </Show>
      <Show
        when={changing()}
        fallback={
          <button type="button" class="button button-small" onClick={() => setChanging(true)}>
            {t('routing.change')}
          </button>
        }
      >
        <div class="field">
          <label class="field-label" for="routing-agency">
            {t('routing.choose')}
          </label>
          <select
            id="routing-agency"
            value={choice()?.code ?? ''}
            onChange={(event) =>
              props.intake.setRouting({
                decidingAgency: { code: event.currentTarget.value, reason: choice()?.reason ?? '' },
              })
            }
          >
            <option value="" />
            <For each={deciding()}>{(o) => <option value={o.code}>{o.name}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label class="field-label" for="routing-reason">
            {t('routing.reason')}
          </label>
          <input
            id="routing-reason"
            value={choice()?.reason ?? ''}
            onInput={(event) =>
              props.intake.setRouting({
                decidingAgency: { code: choice()?.code ?? '', reason: event.currentTarget.value },
              })
            }
          />
        </div>
        <button
          type="button"
          class="button button-small"
          onClick={() => {
            props.intake.setRouting({ decidingAgency: undefined });
            setChanging(false);
          }}
        >
          {t('routing.keep')}
        </button>
      </Show>
      <Show when={(departments() ?? []).length > 1}>
        <div class="field">
          <label class="field-label" for="routing-department">
            {t('routing.department')}
          </label>
          <select
            id="routing-department"
            value={props.intake.routing().departmentId ?? ''}
            onChange={(event) =>
              props.intake.setRouting({ departmentId: event.currentTarget.value || undefined })
            }
          >
            <For each={departments()}>
              {(d) => (
                <option value={d.isDefault ? '' : d.id}>
                  {d.name} {d.isDefault ? t('routing.defaultMark') : ''}
                </option>
              )}
            </For>
          </select>
        </div>
      </Show>
    </fieldset>
  );
};
