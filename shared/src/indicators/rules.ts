/** The dossier-based indicators PostDesk computes, with the numbering of the portal's formula document. */
export const INDICATORS = [
  'onTime',
  'electronicResult',
  'digitization',
  'reuse',
  'online',
  'onlinePayment',
  'satisfaction',
] as const;
export type IndicatorKey = (typeof INDICATORS)[number];

/**
 * Decision 766's point groups as the national portal scores them. Online public services (12) and online
 * payment (10) are two groups with their own maximum, not one group of 22. Publicity (18, CKMB) is measured
 * outside PostDesk (procedures published on the national database): no dossier feeds it, a supervisor or an
 * administrator enters or imports its points per unit and month (`publicity_scores`).
 */
export type IndicatorGroup =
  | 'publicity'
  | 'progress'
  | 'digitization'
  | 'onlineServices'
  | 'onlinePayment'
  | 'satisfaction';

/** The groups dossiers feed, in the portal's order. */
export const DOSSIER_GROUPS = [
  'progress',
  'digitization',
  'onlineServices',
  'onlinePayment',
  'satisfaction',
] as const satisfies readonly IndicatorGroup[];
export type DossierGroup = (typeof DOSSIER_GROUPS)[number];

export type IndicatorRule = {
  group: DossierGroup;
  /** Percent at and above which the indicator earns full marks; below, points = rate × max ÷ threshold. */
  threshold: number;
  /** Whether the threshold is the published one or our assumption (the annex could not be read). */
  thresholdSource: 'published' | 'assumed';
};

export type IndicatorRules = {
  version: string;
  /** Local `YYYY-MM-DD` from which the rules apply. */
  effectiveFrom: string;
  source: string;
  /** Maximum points of each group. */
  groups: Record<IndicatorGroup, number>;
  indicators: Record<IndicatorKey, IndicatorRule>;
};

/**
 * Decision 766/QĐ-TTg (23/06/2022), as the DVCQG statistics system applies it from 01/08/2022.
 * The per-indicator weights inside a group are not public (domain brief §5), so each indicator is scored on
 * its group's scale and a group's points are the mean of its indicators that are not N/A. Online services
 * (online-dossier rate, 12) and online payment (10) are separate groups; publicity (18) is entered per unit.
 */
const QD766_2022: IndicatorRules = {
  version: 'QD766_2022',
  effectiveFrom: '2022-08-01',
  source: 'Decision 766/QĐ-TTg of 23/06/2022; formulas from the DVCQG "Mô tả công thức tính chỉ số 766"',
  groups: {
    publicity: 18,
    progress: 20,
    digitization: 22,
    onlineServices: 12,
    onlinePayment: 10,
    satisfaction: 18,
  },
  indicators: {
    onTime: { group: 'progress', threshold: 100, thresholdSource: 'assumed' },
    electronicResult: { group: 'digitization', threshold: 100, thresholdSource: 'assumed' },
    digitization: { group: 'digitization', threshold: 80, thresholdSource: 'published' },
    reuse: { group: 'digitization', threshold: 80, thresholdSource: 'published' },
    online: { group: 'onlineServices', threshold: 50, thresholdSource: 'published' },
    onlinePayment: { group: 'onlinePayment', threshold: 100, thresholdSource: 'assumed' },
    satisfaction: { group: 'satisfaction', threshold: 90, thresholdSource: 'published' },
  },
};

export const INDICATOR_RULES = { QD766_2022 } as const satisfies Record<string, IndicatorRules>;
export type IndicatorRulesVersion = keyof typeof INDICATOR_RULES;

/** The rules in force on a local `YYYY-MM-DD` date: the latest version that had taken effect, if any. */
export const indicatorRulesOn = (date: string): IndicatorRules | null =>
  Object.values(INDICATOR_RULES as Record<string, IndicatorRules>)
    .filter((r) => r.effectiveFrom <= date)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0] ?? null;
