import type { IndicatorKey } from './rules';

/** One indicator for one group of dossiers, with the dossiers behind it so every count can be checked. */
export type Rate = {
  indicator: IndicatorKey;
  numerator: number;
  denominator: number;
  /** Percent with two decimals; null is N/A (nothing in the denominator). */
  rate: number | null;
  points: number | null;
  maxPoints: number;
  threshold: number;
  /**
   * How many units keep the rate below 100%: denominator − numerator, except for satisfaction, where a
   * dossier both late and complained about counts twice because the formula adds the two rates.
   */
  unmet: number;
  ids: {
    /** In the numerator. */
    counted: string[];
    /** In the denominator but not the numerator; `reasons` says why. */
    excluded: string[];
  };
  reasons: Record<string, string>;
};

/**
 * Half-up to two decimals, as the portal displays figures. Trimming to 12 significant digits first makes a
 * value like 9.165, stored as 9.16499…, round up as written.
 */
export const round2 = (x: number) => Math.round(Number((x * 100).toPrecision(12))) / 100;

/** `numerator ÷ denominator` in percent with two decimals; null (N/A) when the denominator is 0. */
export const percentOf = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((Math.max(0, numerator) * 10_000) / denominator) / 100;

/** Decision 766 scoring: full marks at or above the threshold, else proportional to it. */
export const pointsFor = (rate: number | null, maxPoints: number, threshold: number): number | null => {
  if (rate === null) return null;
  return rate >= threshold ? maxPoints : round2((rate * maxPoints) / threshold);
};

export type Judgement = { id: string; met: boolean; reason?: string };

export const tally = (
  indicator: IndicatorKey,
  scale: { maxPoints: number; threshold: number },
  judgements: readonly Judgement[],
  penalties?: number,
): Rate => {
  const counted = judgements.filter((j) => j.met).map((j) => j.id);
  const missed = judgements.filter((j) => !j.met);
  const denominator = judgements.length;
  const unmet = penalties ?? missed.length;
  const numerator = Math.max(0, denominator - unmet);
  const rate = percentOf(numerator, denominator);
  return {
    indicator,
    numerator,
    denominator,
    rate,
    points: pointsFor(rate, scale.maxPoints, scale.threshold),
    maxPoints: scale.maxPoints,
    threshold: scale.threshold,
    unmet,
    ids: { counted, excluded: missed.map((j) => j.id) },
    reasons: Object.fromEntries(missed.map((j) => [j.id, j.reason ?? 'not_met'])),
  };
};
