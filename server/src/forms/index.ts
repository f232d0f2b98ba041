// Pure renderers for the one-stop forms (Circular 01/2018/TT-VPCP) and the guidance sheet: data in, PDF out.
export { renderGuidance } from './guidance';
export { renderReceipt } from './receipt';
export { renderRefusal } from './refusal';
export { renderSupplementRequest } from './supplement';
export { renderTrackingBook } from './tracking-book';
export type * from './types';
export { type ApologyData, renderApology } from './apology';
export { type ControlSlipData, type HandOverRow, renderControlSlip } from './control-slip';
