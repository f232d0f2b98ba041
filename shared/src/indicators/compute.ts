import { vietnamDate } from '../calendar';
import type { ClockOptions, DossierFact, Period } from './facts';
import { isOnTime, type OnTimeVerdict } from './on-time';
import { type Judgement, type Rate, round2, tally } from './rates';
import {
  DOSSIER_GROUPS,
  type DossierGroup,
  INDICATOR_RULES,
  INDICATORS,
  type IndicatorGroup,
  type IndicatorKey,
  type IndicatorRules,
  indicatorRulesOn,
} from './rules';

export type GroupBy = 'office' | 'agency' | 'commune' | 'procedure' | 'none';

export type ComputeOptions = ClockOptions & {
  groupBy: GroupBy;
  /** Defaults to the version in force on the period's first day. */
  rules?: IndicatorRules;
  /**
   * Publicity points (0–18) per unit key, entered or imported for the period (measured outside PostDesk). A unit
   * without an entry is scored on the dossier groups only (out of 82) and says so.
   */
  publicity?: Readonly<Record<string, number>>;
};

export type GroupResult = {
  /** Office, agency, commune or procedure code; `all` when not grouped. */
  key: string;
  indicators: Record<IndicatorKey, Rate>;
  /** The on-time verdict of every dossier of the group, including those this period does not count. */
  verdicts: Record<string, OnTimeVerdict>;
  /** Mean points of the group's indicators that are not N/A (publicity: as entered); null when there are none. */
  groupPoints: Record<IndicatorGroup, number | null>;
  /** Whether publicity points were entered for this unit and period; without them the total is out of 82. */
  publicityEntered: boolean;
  totalPoints: number;
  /** Maximum of the groups that are not N/A (100 when all are scored and publicity entered). */
  attainablePoints: number;
  /** totalPoints ÷ attainablePoints in percent, so that N/A does not cost points. */
  score: number | null;
  /** The same on the dossier groups only (publicity left out), for a ranking where not every unit has publicity. */
  dossierScore: number | null;
  /** 1 is best; equal scores share a rank (1, 1, 3); null when every indicator is N/A. */
  rank: number | null;
};

export type IndicatorResult = {
  rules: IndicatorRules;
  period: Period;
  groupBy: GroupBy;
  /**
   * `all_groups`: every unit has publicity, ranked on its total out of 100 as the portal does. `dossier_groups`:
   * some unit has none, so every unit is ranked on the dossier groups alone (one scale for all), never a mix.
   */
  rankedOn: 'all_groups' | 'dossier_groups';
  /** Units ranked here that have no publicity points for the period. */
  publicityMissing: string[];
  /** Best first. */
  groups: GroupResult[];
};

const keyOf = (fact: DossierFact, groupBy: GroupBy) =>
  groupBy === 'office'
    ? fact.officeId
    : groupBy === 'agency'
      ? fact.agencyId
      : groupBy === 'commune'
        ? (fact.communeCode ?? 'none')
        : groupBy === 'procedure'
          ? fact.procedureCode
          : 'all';

/** Publicity points are entered on the group's own scale; anything outside 0..max is refused before it gets here. */
export const PUBLICITY_GROUP = 'publicity' as const;

/**
 * Group points, total and score from indicator points (and the unit's publicity points, if entered); shared
 * with whatMovesIt to price a change.
 */
export const scoreOf = (
  rules: IndicatorRules,
  points: Record<IndicatorKey, number | null>,
  publicity: number | null = null,
) => {
  const dossierPoints = Object.fromEntries(
    DOSSIER_GROUPS.map((group) => {
      const scored = INDICATORS.filter((k) => rules.indicators[k].group === group)
        .map((k) => points[k])
        .filter((p): p is number => p !== null);
      const mean = scored.length ? round2(scored.reduce((a, b) => a + b, 0) / scored.length) : null;
      return [group, mean];
    }),
  ) as Record<DossierGroup, number | null>;
  const groupPoints: Record<IndicatorGroup, number | null> = {
    publicity: publicity === null ? null : round2(publicity),
    ...dossierPoints,
  };
  const sumOf = (groups: readonly IndicatorGroup[]) => {
    const scored = groups.filter((g) => groupPoints[g] !== null);
    const total = round2(scored.reduce((sum, g) => sum + (groupPoints[g] ?? 0), 0));
    const attainable = scored.reduce((sum, g) => sum + rules.groups[g], 0);
    return { total, attainable, score: attainable ? round2((total * 100) / attainable) : null };
  };
  const all = sumOf([PUBLICITY_GROUP, ...DOSSIER_GROUPS]);
  const dossiers = sumOf(DOSSIER_GROUPS);
  return {
    groupPoints,
    publicityEntered: publicity !== null,
    totalPoints: all.total,
    attainablePoints: all.attainable,
    score: dossiers.score === null ? null : all.score,
    dossierScore: dossiers.score,
  };
};

const before = (d: Date | null, t: number) => d !== null && d.getTime() < t;

const computeGroup = (
  key: string,
  facts: readonly DossierFact[],
  period: Period,
  rules: IndicatorRules,
  clock: ClockOptions,
  publicity: number | null,
): Omit<GroupResult, 'rank'> => {
  const start = period.periodStart.getTime();
  const horizon = Math.min(period.periodEnd.getTime(), period.now.getTime());
  const scale = (k: IndicatorKey) => ({
    maxPoints: rules.groups[rules.indicators[k].group],
    threshold: rules.indicators[k].threshold,
  });

  const verdicts = Object.fromEntries(facts.map((f) => [f.id, isOnTime(f, period, clock)]));
  const judged = facts.filter((f) => verdicts[f.id]?.counted);
  const received = facts.filter(
    (f) => f.receivedAt && f.receivedAt.getTime() >= start && before(f.receivedAt, horizon),
  );
  const resultAt = (f: DossierFact) =>
    before(f.processedAt, horizon) ? f.processedAt : before(f.returnedAt, horizon) ? f.returnedAt : null;
  // A paper-result procedure owes an electronic copy once its result exists; until then it is not held against it.
  const owesResultFile = (f: DossierFact) =>
    f.resultIsPaper && resultAt(f) !== null && !f.hasElectronicResult;

  const lateOf = (f: DossierFact) => {
    const v = verdicts[f.id];
    return v?.counted && !v.onTime ? v.reason : null;
  };
  const complaintOf = (f: DossierFact) =>
    f.complaints > 0 ? 'complaint' : f.feedback === 'dissatisfied' ? 'dissatisfied' : null;

  const judge = (list: readonly DossierFact[], reasonOf: (f: DossierFact) => string | null): Judgement[] =>
    list.map((f) => {
      const reason = reasonOf(f);
      return reason ? { id: f.id, met: false, reason } : { id: f.id, met: true };
    });

  const satisfaction = judge(judged, (f) => [lateOf(f), complaintOf(f)].filter(Boolean).join('+') || null);
  const penalties = judged.filter(lateOf).length + judged.filter(complaintOf).length;

  const indicators: Record<IndicatorKey, Rate> = {
    onTime: tally('onTime', scale('onTime'), judge(judged, lateOf)),
    electronicResult: tally(
      'electronicResult',
      scale('electronicResult'),
      judge(
        facts.filter((f) => {
          const at = f.resultIsPaper ? resultAt(f) : null;
          return at !== null && at.getTime() >= start;
        }),
        (f) => (f.hasElectronicResult ? null : 'no_result_file'),
      ),
    ),
    digitization: tally(
      'digitization',
      scale('digitization'),
      judge(received, (f) =>
        f.digitizedComponents === 0 ? 'not_digitized' : owesResultFile(f) ? 'no_result_file' : null,
      ),
    ),
    reuse: tally(
      'reuse',
      scale('reuse'),
      judge(received, (f) => (f.reusedComponents > 0 ? null : 'no_reused_component')),
    ),
    online: tally(
      'online',
      scale('online'),
      judge(received, (f) =>
        f.channel !== 2 ? `channel_${f.channel}` : owesResultFile(f) ? 'no_result_file' : null,
      ),
    ),
    onlinePayment: tally(
      'onlinePayment',
      scale('onlinePayment'),
      judge(
        received.filter((f) => f.feeTotal > 0),
        (f) => (f.paidOnline ? null : 'not_paid_online'),
      ),
    ),
    satisfaction: tally('satisfaction', scale('satisfaction'), satisfaction, penalties),
  };
  const points = Object.fromEntries(INDICATORS.map((k) => [k, indicators[k].points])) as Record<
    IndicatorKey,
    number | null
  >;
  return { key, indicators, verdicts, ...scoreOf(rules, points, publicity) };
};

/**
 * Decision 766 indicators for a period, per office, agency or procedure (or all together), with each group's
 * points and its rank among the groups. Pure: the same facts and period always give the same result.
 *
 * Populations: on time and satisfaction count dossiers received or still in processing in the period; the
 * electronic-result rate counts paper-result dossiers whose result was issued in the period; the other rates
 * count dossiers received in the period.
 */
export const computeIndicators = (
  facts: readonly DossierFact[],
  period: Period,
  opts: ComputeOptions,
): IndicatorResult => {
  const rules = opts.rules ?? indicatorRulesOn(vietnamDate(period.periodStart)) ?? INDICATOR_RULES.QD766_2022;
  const byKey = new Map<string, DossierFact[]>();
  for (const fact of facts) {
    const key = keyOf(fact, opts.groupBy);
    const list = byKey.get(key);
    if (list) list.push(fact);
    else byKey.set(key, [fact]);
  }
  const publicityOf = (key: string) => opts.publicity?.[key] ?? null;
  const unranked = [...byKey].map(([key, list]) =>
    computeGroup(key, list, period, rules, opts, publicityOf(key)),
  );
  const publicityMissing = unranked
    .filter((g) => g.dossierScore !== null && !g.publicityEntered)
    .map((g) => g.key)
    .sort();
  const rankedOn = publicityMissing.length === 0 ? 'all_groups' : 'dossier_groups';
  const rankScore = (g: Omit<GroupResult, 'rank'>) => (rankedOn === 'all_groups' ? g.score : g.dossierScore);
  const sorted = unranked.sort(
    (a, b) => (rankScore(b) ?? -1) - (rankScore(a) ?? -1) || a.key.localeCompare(b.key),
  );
  const groups: GroupResult[] = [];
  sorted.forEach((g, i) => {
    const previous = groups[i - 1];
    const rank =
      rankScore(g) === null ? null : previous && rankScore(previous) === rankScore(g) ? previous.rank : i + 1;
    groups.push({ ...g, rank });
  });
  return { rules, period, groupBy: opts.groupBy, rankedOn, publicityMissing, groups };
};
