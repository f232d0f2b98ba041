import { type IndicatorResult, scoreOf } from './compute';
import { percentOf, pointsFor, type Rate } from './rates';
import { INDICATORS, type IndicatorKey } from './rules';

/** What a number of dossiers more would bring. */
export type Step = {
  /** Dossiers of this period's denominator that would have to meet the indicator (or stop counting against it). */
  more: number;
  rate: number;
  points: number;
  /** The group's total points afterwards, everything else unchanged. */
  totalPoints: number;
};

export type Move = {
  key: string;
  indicator: IndicatorKey;
  rate: number;
  points: number;
  maxPoints: number;
  /** What earns the next whole point; null when only full marks are that close. */
  nextPoint: Step | null;
  fullMarks: Step;
  text: { vi: string; en: string };
};

const NOUNS: Record<IndicatorKey, { vi: string; en: string }> = {
  onTime: { vi: 'hồ sơ đúng hạn', en: 'dossiers on time' },
  electronicResult: { vi: 'kết quả có bản điện tử', en: 'results with an electronic copy' },
  digitization: { vi: 'hồ sơ được số hóa', en: 'digitized dossiers' },
  reuse: { vi: 'hồ sơ tái sử dụng thành phần', en: 'dossiers re-using a component' },
  online: { vi: 'hồ sơ trực tuyến', en: 'online dossiers' },
  onlinePayment: { vi: 'hồ sơ thanh toán trực tuyến', en: 'dossiers paid online' },
  satisfaction: { vi: 'hồ sơ trễ hạn hoặc bị phản ánh', en: 'late or complained-about dossiers' },
};

/** Smallest k in [0, max] with ok(k), for ok false then true; max + 1 when none. */
const smallest = (max: number, ok: (k: number) => boolean) => {
  let [lo, hi] = [0, max + 1];
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

const stepTo = (rate: Rate, target: number, totalAfter: (points: number) => number): Step | null => {
  const after = (k: number) => percentOf(rate.denominator - rate.unmet + k, rate.denominator) ?? 0;
  const pointsAfter = (k: number) => pointsFor(after(k), rate.maxPoints, rate.threshold) ?? 0;
  const more = smallest(rate.unmet, (k) => pointsAfter(k) >= target);
  if (more > rate.unmet) return null;
  return { more, rate: after(more), points: pointsAfter(more), totalPoints: totalAfter(pointsAfter(more)) };
};

const sentence = (indicator: IndicatorKey, step: Step, full: boolean) => {
  const noun = NOUNS[indicator];
  const fewer = indicator === 'satisfaction';
  // Vietnamese writes the decimal comma: 13,33 điểm.
  const viPoints = String(step.points).replace('.', ',');
  const vi = `${fewer ? 'Giảm' : 'Thêm'} ${step.more} ${noun.vi} → ${full ? `điểm tối đa (${viPoints} điểm)` : `${viPoints} điểm`}`;
  const en = `${step.more} ${fewer ? 'fewer' : 'more'} ${noun.en} → ${full ? `full marks (${step.points} points)` : `${step.points} points`}`;
  return { vi, en };
};

/**
 * For every indicator below full marks in every group: how many of the period's dossiers would have to meet it
 * to earn the next whole point and to earn full marks, and what that does to the group's total. The
 * denominator stays as it is, because these are dossiers already counted this period.
 */
export const whatMovesIt = (result: IndicatorResult): Move[] =>
  result.groups.flatMap((group) => {
    const points = Object.fromEntries(INDICATORS.map((k) => [k, group.indicators[k].points])) as Record<
      IndicatorKey,
      number | null
    >;
    return INDICATORS.flatMap((indicator): Move[] => {
      const rate = group.indicators[indicator];
      if (rate.rate === null || rate.points === null || rate.points >= rate.maxPoints) return [];
      const totalAfter = (p: number) =>
        scoreOf(result.rules, { ...points, [indicator]: p }, group.groupPoints.publicity).totalPoints;
      const next = Math.floor(rate.points) + 1;
      const fullMarks = stepTo(rate, rate.maxPoints, totalAfter);
      // Converting every unmet dossier gives 100%, which is always full marks.
      if (!fullMarks) return [];
      const step = next < rate.maxPoints ? stepTo(rate, next, totalAfter) : null;
      const nextPoint = step && step.more < fullMarks.more ? step : null;
      const text = nextPoint
        ? {
            vi: `${sentence(indicator, nextPoint, false).vi}; ${sentence(indicator, fullMarks, true).vi}`,
            en: `${sentence(indicator, nextPoint, false).en}; ${sentence(indicator, fullMarks, true).en}`,
          }
        : sentence(indicator, fullMarks, true);
      return [
        {
          key: group.key,
          indicator,
          rate: rate.rate,
          points: rate.points,
          maxPoints: rate.maxPoints,
          nextPoint,
          fullMarks,
          text,
        },
      ];
    });
  });
