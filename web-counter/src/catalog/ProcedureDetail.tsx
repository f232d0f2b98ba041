import { For, Match, Show, Switch } from 'solid-js';
import { describeError } from '../errors';
import { formatDate, formatMoney } from '../format';
import { t } from '../i18n';
import { CloseIcon } from '../icons';
import { ProblemNote } from '../ProblemNote';
import { PostalServices } from './PostalServices';
import { ProcedureActions } from './ProcedureActions';
import type { Catalog, ProcedureDetail as Detail } from './store';

const Components = (props: { procedure: Detail }) => (
  <Show when={props.procedure.components.length > 0} fallback={<p>{t('detail.noComponents')}</p>}>
    <table class="data-table compact">
      <thead>
        <tr>
          <th scope="col">{t('detail.componentName')}</th>
          <th scope="col">{t('detail.form')}</th>
          <th scope="col" class="numeric">
            {t('detail.copies')}
          </th>
          <th scope="col">{t('detail.required')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.procedure.components}>
          {(component) => (
            <tr>
              <td>
                {component.name}
                <Show when={component.note}>
                  <span class="note">{component.note}</span>
                </Show>
              </td>
              <td>{t(`form.${component.form}`)}</td>
              <td class="numeric">{component.copies}</td>
              <td>
                <span classList={{ 'required-chip': true, optional: !component.required }}>
                  {component.required ? t('detail.requiredYes') : t('detail.requiredNo')}
                </span>
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  </Show>
);

const Body = (props: { procedure: Detail }) => (
  <>
    <p class="detail-code">{props.procedure.code}</p>
    <h2 id="detail-title" class="detail-title">
      {props.procedure.name}
    </h2>
    <ProcedureActions code={props.procedure.code} name={props.procedure.name} />
    <dl class="facts">
      <dt>{t('detail.field')}</dt>
      <dd>{props.procedure.field}</dd>
      <dt>{t('detail.level')}</dt>
      <dd>{t(`level.${props.procedure.level}`)}</dd>
      <dt>{t('detail.agency')}</dt>
      <dd>{props.procedure.agency.name}</dd>
      <dt>{t('detail.processing')}</dt>
      <dd class="strong">{t('detail.days', { n: props.procedure.processingWorkingDays })}</dd>
      <dt>{t('detail.result')}</dt>
      <dd>
        {props.procedure.resultName} (
        {props.procedure.resultIsPaper ? t('detail.resultPaper') : t('detail.resultElectronic')})
      </dd>
      <dt>{t('detail.effectiveFrom')}</dt>
      <dd>{formatDate(props.procedure.effectiveFrom)}</dd>
    </dl>

    <h3>{t('detail.components')}</h3>
    <Components procedure={props.procedure} />

    <h3>{t('detail.fees')}</h3>
    <Show when={props.procedure.fees.length > 0} fallback={<p>{t('fee.free')}</p>}>
      <ul class="money-list">
        <For each={props.procedure.fees}>
          {(fee) => (
            <li>
              <span>
                {fee.label} <span class="muted">({t(`fee.${fee.kind}`)})</span>
              </span>
              <span class="amount">{formatMoney(fee.amount)}</span>
            </li>
          )}
        </For>
      </ul>
    </Show>

    <h3>{t('detail.postal')}</h3>
    <PostalServices
      pickupAllowed={props.procedure.pickupAllowed}
      deliveryAllowed={props.procedure.deliveryAllowed}
    />
    <ul class="money-list">
      <li>
        <span>{t('detail.postalTariff')}</span>
        <span class="amount">{formatMoney(props.procedure.postalTariff)}</span>
      </li>
    </ul>

    <h3>{t('detail.legalBasis')}</h3>
    <ul class="legal-list">
      <For each={props.procedure.legalBasis}>{(basis) => <li>{basis}</li>}</For>
    </ul>
  </>
);

export const ProcedureDetail = (props: { catalog: Catalog }) => (
  <aside class="detail-panel" aria-labelledby="detail-title" aria-busy={props.catalog.detail.loading}>
    <button type="button" class="button button-quiet detail-close" onClick={() => props.catalog.close()}>
      <CloseIcon />
      {t('detail.close')}
      <kbd>Esc</kbd>
    </button>
    <Switch fallback={<p class="page-status">{t('detail.loading')}</p>}>
      <Match when={props.catalog.detail.state === 'errored'}>
        <ProblemNote problem={describeError(props.catalog.detail.error)} id="detail-title" />
      </Match>
      <Match when={props.catalog.detail.state !== 'errored' && props.catalog.detail()}>
        {(procedure) => <Body procedure={procedure()} />}
      </Match>
    </Switch>
  </aside>
);
