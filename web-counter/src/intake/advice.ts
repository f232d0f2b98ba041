import { api } from '../api';
import { openInNewTab } from '../open';

/** One advice given without a dossier (guidance is one of the steps the post may be delegated). */
export const recordAdvice = (procedureCode: string) => api.intake.advise.mutate({ procedureCode });

export const guidanceSheetUrl = (procedureCode: string) =>
  `/forms/guidance/${encodeURIComponent(procedureCode)}`;

/** The tab opens first, inside the key or click handler, so the browser does not block it as a pop-up. */
export const printGuidance = (procedureCode: string) => {
  openInNewTab(guidanceSheetUrl(procedureCode));
  return recordAdvice(procedureCode);
};
