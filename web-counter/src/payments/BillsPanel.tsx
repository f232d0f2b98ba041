import { createResource, createSignal, For, Show } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError, type Problem } from '../errors';
import { formatDateTime, formatMoney } from '../format';
import { type MessageKey, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { toasts } from '../toast';
import { BillStateChip, TableHead } from './parts';
import './payments.css';

type StaffBill = Outputs['payments']['forDossier'][number];

/**
 * The bills of one dossier for staff: the clerk bills the fee or the postal tariff and records cash (or a VietQR
 * transfer seen arriving); everyone sees what is paid, with the citizen's pay page and the receipt.
 * Mount it on a dossier page: `<BillsPanel dossierId={id} canBill={role === 'clerk'} />`.
 */
export const BillsPanel = (props: { dossierId: string; canBill?: boolean; onChanged?: () => void }) => {
  const [bills, { refetch }] = createResource(
    () => props.dossierId,
    (dossierId) => api.payments.forDossier.query({ dossierId }),
  );
  const [kind, setKind] = createSignal<'fee' | 'postal_tariff'>('fee');
  const [amount, setAmount] = createSignal('');
  const [busy, setBusy] = createSignal<string | null>(null);
  const [problem, setProblem] = createSignal<Problem>();
  const value = () => Number(amount().replace(/\D/g, ''));

  const run = async (key: string, work: () => Promise<unknown>, done: MessageKey) => {
    setBusy(key);
    setProblem(undefined);
    try {
      await work();
      toasts.show(t(done));
      await refetch();
      props.onChanged?.();
      return true;
    } catch (error) {
      setProblem(describeError(error));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const ok = await run(
      'create',
      () => api.payments.createBill.mutate({ dossierId: props.dossierId, kind: kind(), amount: value() }),
      'payments.desk.created',
    );
    if (ok) setAmount('');
  };

  /** The bill whose transfer the clerk is recording: the bank's reference is asked for, never a bare click. */
  const [transferFor, setTransferFor] = createSignal<string>();
  const [bankRef, setBankRef] = createSignal('');
  const record = async (bill: StaffBill, method: 'cash' | 'vietqr') => {
    const ok = await run(
      `${bill.id}:${method}`,
      () =>
        api.payments.recordCash.mutate({
          billCode: bill.billCode!,
          method,
          ...(method === 'vietqr' ? { reference: bankRef() } : {}),
        }),
      'payments.desk.recorded',
    );
    if (ok && method === 'vietqr') {
      setTransferFor(undefined);
      setBankRef('');
    }
  };

  return (
    <section class="bills-panel" aria-labelledby="bills-title">
      <h2 id="bills-title" class="bills-title">
        {t('payments.desk.title')}
      </h2>
      <Show when={bills.error}>
        <ProblemNote problem={describeError(bills.error)} />
      </Show>
      <Show
        when={(bills.latest?.length ?? 0) > 0}
        fallback={<p class="muted">{bills.loading ? t('payments.pay.loading') : t('payments.desk.none')}</p>}
      >
        <table class="data-table bills-table">
          <TableHead
            cols={[
              { label: t('payments.recon.kind') },
              { label: t('payments.recon.amount'), numeric: true },
              { label: t('payments.desk.state') },
              { label: t('payments.pay.billCode') },
              { label: t('payments.desk.actions'), hidden: true },
            ]}
          />
          <tbody>
            <For each={bills.latest}>
              {(bill) => (
                <tr>
                  <td>
                    {t(`payments.kind.${bill.kind}` as MessageKey)}
                    <Show when={bill.reason}>
                      <span class="recon-sub">{bill.reason}</span>
                    </Show>
                  </td>
                  <td class="numeric">{formatMoney(bill.amount)}</td>
                  <td>
                    <BillStateChip state={bill.state} />
                    <Show when={bill.state === 'paid'}>
                      <span class="recon-sub">
                        {formatDateTime(bill.paidAt)} · {t(`payments.method.${bill.method}` as MessageKey)}
                      </span>
                    </Show>
                  </td>
                  <td class="code">
                    <Show when={bill.payPageUrl} fallback={bill.billCode}>
                      <a href={bill.payPageUrl!} target="_blank" rel="noopener">
                        {bill.billCode}
                      </a>
                    </Show>
                  </td>
                  <td>
                    <div class="bills-actions">
                      <Show when={bill.state === 'paid' && bill.receiptUrl}>
                        <a class="button button-small" href={bill.receiptUrl!} target="_blank" rel="noopener">
                          {t('payments.desk.receipt')}
                        </a>
                      </Show>
                      <Show when={props.canBill && bill.state === 'pending'}>
                        <button
                          type="button"
                          class="button button-small"
                          disabled={busy() !== null}
                          onClick={() => record(bill, 'cash')}
                        >
                          {t('payments.desk.cash')}
                        </button>
                        <Show
                          when={transferFor() === bill.id}
                          fallback={
                            <button
                              type="button"
                              class="button button-small"
                              disabled={busy() !== null}
                              onClick={() => setTransferFor(bill.id)}
                            >
                              {t('payments.desk.transfer')}
                            </button>
                          }
                        >
                          <form
                            class="bills-transfer"
                            onSubmit={(event) => {
                              event.preventDefault();
                              void record(bill, 'vietqr');
                            }}
                          >
                            <label class="field">
                              <span class="field-label">{t('payments.desk.bankRef')}</span>
                              <input
                                ref={(element) => queueMicrotask(() => element.focus())}
                                autocomplete="off"
                                maxlength={64}
                                value={bankRef()}
                                onInput={(event) => setBankRef(event.currentTarget.value)}
                              />
                            </label>
                            <button
                              type="submit"
                              class="button button-small button-primary"
                              disabled={busy() !== null || bankRef().trim().length < 4}
                            >
                              {t('payments.desk.bankRefConfirm')}
                            </button>
                          </form>
                        </Show>
                      </Show>
                    </div>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
      <Show when={props.canBill}>
        <form class="bills-form" onSubmit={create}>
          <label class="field">
            <span class="field-label">{t('payments.recon.kind')}</span>
            <select
              value={kind()}
              onChange={(event) => setKind(event.currentTarget.value as 'fee' | 'postal_tariff')}
            >
              <option value="fee">{t('payments.kind.fee')}</option>
              <option value="postal_tariff">{t('payments.kind.postal_tariff')}</option>
            </select>
          </label>
          <label class="field">
            <span class="field-label">{t('payments.desk.amount')}</span>
            <input
              type="text"
              inputmode="numeric"
              value={amount()}
              onInput={(event) => setAmount(event.currentTarget.value)}
            />
          </label>
          <button type="submit" class="button button-primary" disabled={busy() !== null || value() <= 0}>
            {t('payments.desk.create')}
          </button>
        </form>
      </Show>
      <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
    </section>
  );
};
