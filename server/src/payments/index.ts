/**
 * Payments: what other features call.
 * - createBill(db, { dossierId, kind, amount, reason? }) → { bill, created }: idempotent per dossier + kind while pending.
 * - recordCashPayment(db, { paymentId | billCode, staffUserId, officeId, role: 'clerk' | 'courier', method?, now? })
 *   → { bill, changed, confirmed }: a clerk of the receiving office or a courier holding a task for the dossier;
 *   a bill already paid in any way is refused (PAYMENT_ALREADY_PAID), never collected twice.
 * - markPaid(db, { paymentId | billCode, method, actor, gatewayRef?, amount?, recordedBy?, now? }): once; records
 *   `confirm_payment` when the financial obligation of a dossier awaiting payment is paid.
 * - billsForDossier(db, dossierId) → bills, oldest first, with the obligation's reason.
 * - requestObligation(db, { dossierId, amount, reason, official: { userId, officeId } }): bill + `request_payment`.
 * - payPageUrl(publicUrl, billCode): the citizen's page `/pay/<billCode>` (also the QR target).
 */
export {
  BILL_CODE_PATTERN,
  type BillView,
  billsForDossier,
  createBill,
  findBill,
  markPaid,
  type PaymentRow,
  recordCashPayment,
  requestObligation,
} from './bills';

export { payPageUrl, receiptUrl } from './views';
