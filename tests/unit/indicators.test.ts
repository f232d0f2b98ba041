import {
  computeIndicators,
  type DossierFact,
  HOLIDAY_TABLES,
  INDICATOR_RULES,
  indicatorRulesOn,
  isOnTime,
  type OnTimeVerdict,
  type Period,
  percentOf,
  pointsFor,
  round2,
  whatMovesIt,
} from '@postdesk/shared';
import { describe, expect, it } from 'vitest';

/** Vietnam local wall-clock time (UTC+7) as an instant. */
const vn = (local: string) => new Date(`${local}:00+07:00`);
const local = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16);

const march: Period = {
  periodStart: vn('2026-03-01T00:00'),
  periodEnd: vn('2026-04-01T00:00'),
  now: vn('2026-04-10T09:00'),
};

const fact = (id: string, over: Partial<DossierFact> = {}): DossierFact => ({
  id,
  officeId: 'BD-HANOI-01',
  agencyId: 'H26.01',
  procedureCode: '1.000894',
  channel: 2,
  receivedAt: vn('2026-03-02T08:00'),
  dueAt: vn('2026-03-04T17:00'),
  extension: null,
  processedAt: vn('2026-03-03T10:00'),
  returnedAt: null,
  stoppedAt: null,
  refusedAt: null,
  withdrawnAt: null,
  supplements: [],
  digitizedComponents: 2,
  reusedComponents: 1,
  resultIsPaper: false,
  hasElectronicResult: false,
  feeTotal: 0,
  paidOnline: false,
  feedback: null,
  complaints: 0,
  ...over,
});

const reasonOf = (v: OnTimeVerdict) => v.reason;
const verdict = (over: Partial<DossierFact>, period = march) => isOnTime(fact('d', over), period);

describe('on time (2.1): end of processing against the due time', () => {
  it('is on time when processed exactly at the due minute, late one minute after', () => {
    expect(reasonOf(verdict({ processedAt: vn('2026-03-04T17:00') }))).toBe('on_time');
    expect(reasonOf(verdict({ processedAt: vn('2026-03-04T17:01') }))).toBe('late');
  });

  it('takes processed (9) before returned (10) before stopped, refused or withdrawn', () => {
    const v = verdict({ processedAt: vn('2026-03-04T10:00'), returnedAt: vn('2026-03-06T10:00') });
    expect(v).toMatchObject({ reason: 'on_time', finishedAt: vn('2026-03-04T10:00') });
    expect(reasonOf(verdict({ processedAt: null, returnedAt: vn('2026-03-05T08:00') }))).toBe('late');
    const stopped = verdict({
      processedAt: null,
      stoppedAt: vn('2026-03-06T08:00'),
      withdrawnAt: vn('2026-03-04T09:00'),
    });
    expect(stopped).toMatchObject({ reason: 'on_time', finishedAt: vn('2026-03-04T09:00') });
  });

  it('gives supplement time back: a dossier late by the calendar is on time once the pause is subtracted', () => {
    const processedAt = vn('2026-03-06T10:00');
    expect(reasonOf(verdict({ processedAt }))).toBe('late');
    const paused = verdict({
      processedAt,
      supplements: [{ requestedAt: vn('2026-03-03T09:00'), completedAt: vn('2026-03-05T09:00') }],
    });
    expect(paused).toMatchObject({ reason: 'on_time', supplementRequests: 1 });
    if (paused.counted) expect(local(paused.effectiveDueAt)).toBe('2026-03-06T17:00');
  });

  it('counts only working hours of a pause across Tết when given the office calendar', () => {
    const feb: Period = {
      periodStart: vn('2026-02-01T00:00'),
      periodEnd: vn('2026-03-01T00:00'),
      now: march.now,
    };
    const f = fact('tet', {
      receivedAt: vn('2026-02-09T08:00'),
      dueAt: vn('2026-02-13T17:00'),
      // Thu 12/02 10:00 → Mon 23/02 10:00: 5 h + 8 h on Fri 13/02 + 3 h on Mon 23/02; Tết 14–22/02 is not working time.
      supplements: [{ requestedAt: vn('2026-02-12T10:00'), completedAt: vn('2026-02-23T10:00') }],
      processedAt: vn('2026-02-24T17:00'),
    });
    const v = isOnTime(f, feb, { calendarOf: () => ({ holidays: HOLIDAY_TABLES }) });
    expect(v).toMatchObject({ reason: 'on_time' });
    if (v.counted) expect(local(v.effectiveDueAt)).toBe('2026-02-24T17:00');
    const lateByAMinute = { ...f, processedAt: vn('2026-02-24T17:01') };
    expect(reasonOf(isOnTime(lateByAMinute, feb, { calendarOf: () => ({ holidays: HOLIDAY_TABLES }) }))).toBe(
      'late',
    );
  });

  it('counts a second supplement request as late, whatever the dates', () => {
    const v = verdict({
      processedAt: vn('2026-03-03T10:00'),
      supplements: [
        { requestedAt: vn('2026-03-02T09:00'), completedAt: vn('2026-03-02T10:00') },
        { requestedAt: vn('2026-03-02T14:00'), completedAt: vn('2026-03-02T15:00') },
      ],
    });
    expect(v).toMatchObject({
      counted: true,
      onTime: false,
      reason: 'late_second_supplement',
      supplementRequests: 2,
    });
  });

  it('moves the due time once for a Mẫu 04 apology issued before the due time, not for a late one', () => {
    const processedAt = vn('2026-03-06T10:00');
    const apologised = verdict({
      processedAt,
      extension: { issuedAt: vn('2026-03-03T09:00'), dueAt: vn('2026-03-09T17:00') },
    });
    expect(apologised).toMatchObject({ reason: 'on_time', extended: true });
    const tooLate = verdict({
      processedAt,
      extension: { issuedAt: vn('2026-03-05T09:00'), dueAt: vn('2026-03-09T17:00') },
    });
    expect(tooLate).toMatchObject({ reason: 'late', extended: false });
  });

  it('does not give back supplement time twice when the apology came after it', () => {
    const v = verdict({
      processedAt: vn('2026-03-06T18:00'),
      supplements: [{ requestedAt: vn('2026-03-02T09:00'), completedAt: vn('2026-03-03T09:00') }],
      extension: { issuedAt: vn('2026-03-03T10:00'), dueAt: vn('2026-03-06T17:00') },
    });
    expect(v).toMatchObject({ reason: 'late', extended: true, effectiveDueAt: vn('2026-03-06T17:00') });
  });

  it('judges an unfinished dossier at the period end, both ways', () => {
    const received = vn('2026-03-27T08:00');
    const unfinished = { receivedAt: received, processedAt: null };
    expect(verdict({ ...unfinished, dueAt: vn('2026-04-02T17:00') })).toMatchObject({
      reason: 'unfinished_in_time',
      onTime: true,
      judgedAt: march.periodEnd,
    });
    expect(verdict({ ...unfinished, dueAt: vn('2026-03-31T17:00') })).toMatchObject({
      reason: 'unfinished_overdue',
      onTime: false,
    });
    // Processed after the period: still unfinished for March, so March's figure never changes afterwards.
    const later = verdict({
      receivedAt: received,
      dueAt: vn('2026-03-31T17:00'),
      processedAt: vn('2026-04-01T09:00'),
    });
    expect(later).toMatchObject({ reason: 'unfinished_overdue', finishedAt: null });
  });

  it('judges a running period at now, and a dossier waiting for the citizen at the request', () => {
    const running = { ...march, now: vn('2026-03-20T09:00') };
    expect(reasonOf(verdict({ dueAt: vn('2026-03-25T17:00'), processedAt: null }, running))).toBe(
      'unfinished_in_time',
    );
    const waiting = verdict({
      processedAt: null,
      supplements: [{ requestedAt: vn('2026-03-04T16:00'), completedAt: null }],
    });
    expect(reasonOf(waiting)).toBe('unfinished_in_time');
  });

  it('leaves out what the period does not own, and says why', () => {
    expect(verdict({ receivedAt: null })).toEqual({ counted: false, reason: 'not_received' });
    expect(verdict({ receivedAt: vn('2026-04-01T00:00') })).toEqual({
      counted: false,
      reason: 'received_after_period',
    });
    expect(verdict({ receivedAt: vn('2026-02-20T08:00'), processedAt: vn('2026-02-27T08:00') })).toEqual({
      counted: false,
      reason: 'finished_before_period',
    });
    expect(verdict({ dueAt: null })).toEqual({ counted: false, reason: 'no_due_time' });
    // Carried over from February and finished in March: March counts it.
    const carried = verdict({
      receivedAt: vn('2026-02-20T08:00'),
      dueAt: vn('2026-03-03T17:00'),
      processedAt: vn('2026-03-02T08:00'),
    });
    expect(reasonOf(carried)).toBe('on_time');
  });
});

describe('rates and points', () => {
  it('rounds to two decimals and is N/A on an empty denominator', () => {
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(2, 3)).toBe(66.67);
    expect(percentOf(1, 8)).toBe(12.5);
    expect(percentOf(0, 0)).toBeNull();
    expect(round2(9.165)).toBe(9.17);
    expect(pointsFor(null, 22, 80)).toBeNull();
  });

  it('scores below the threshold in proportion, at or above it full marks', () => {
    expect(pointsFor(60, 22, 80)).toBe(16.5);
    expect(pointsFor(80, 22, 80)).toBe(22);
    expect(pointsFor(95, 22, 80)).toBe(22);
    expect(pointsFor(25, 22, 50)).toBe(11);
  });

  it('keeps the rules as versioned data with an effective date', () => {
    expect(indicatorRulesOn('2022-07-31')).toBeNull();
    expect(indicatorRulesOn('2026-03-01')?.version).toBe('QD766_2022');
    expect(INDICATOR_RULES.QD766_2022.indicators.digitization.threshold).toBe(80);
  });

  it('computes every rate from the dossiers behind it', () => {
    const processed = { processedAt: vn('2026-03-03T10:00') };
    const facts = [
      // Digitized, paper result with its electronic copy, online, paid online.
      fact('a', {
        ...processed,
        resultIsPaper: true,
        hasElectronicResult: true,
        feeTotal: 30_000,
        paidOnline: true,
      }),
      // Paper result without an electronic copy: neither digitized-complete nor online.
      fact('b', { ...processed, resultIsPaper: true, feeTotal: 30_000 }),
      // Not digitized, in person, no reuse; still in processing, so no result owed yet.
      fact('c', {
        channel: 1,
        digitizedComponents: 0,
        reusedComponents: 0,
        resultIsPaper: true,
        processedAt: null,
        dueAt: vn('2026-04-03T17:00'),
      }),
      // Postal, late, dissatisfied.
      fact('d', {
        channel: 3,
        processedAt: vn('2026-03-05T09:00'),
        feedback: 'dissatisfied',
        feeTotal: 30_000,
      }),
      // Received in February, result in March: counts for the electronic-result rate, not the received ones.
      fact('e', {
        receivedAt: vn('2026-02-25T08:00'),
        dueAt: vn('2026-03-04T17:00'),
        ...processed,
        resultIsPaper: true,
        hasElectronicResult: true,
        feeTotal: 10_000,
      }),
    ];
    const [g] = computeIndicators(facts, march, { groupBy: 'none' }).groups;
    if (!g) throw new Error('one group expected');
    const i = g.indicators;
    expect(i.onTime).toMatchObject({ numerator: 4, denominator: 5, rate: 80, points: 16 });
    expect(i.onTime.reasons).toEqual({ d: 'late' });
    expect(i.electronicResult).toMatchObject({ numerator: 2, denominator: 3, rate: 66.67, points: 14.67 });
    expect(i.electronicResult.ids).toEqual({ counted: ['a', 'e'], excluded: ['b'] });
    expect(i.digitization).toMatchObject({ numerator: 2, denominator: 4, rate: 50, points: 13.75 });
    expect(i.digitization.reasons).toEqual({ b: 'no_result_file', c: 'not_digitized' });
    expect(i.reuse).toMatchObject({ numerator: 3, denominator: 4, rate: 75, points: 20.63 });
    // Online services are scored out of 12 (25% of the 50% threshold = 6), online payment out of 10.
    expect(i.online).toMatchObject({ numerator: 1, denominator: 4, rate: 25, points: 6, maxPoints: 12 });
    expect(i.online.reasons).toEqual({ b: 'no_result_file', c: 'channel_1', d: 'channel_3' });
    expect(i.onlinePayment).toMatchObject({
      numerator: 1,
      denominator: 3,
      rate: 33.33,
      points: 3.33,
      maxPoints: 10,
    });
    // 100% − (1 late of 5 + 1 dissatisfied of 5), the same dossier counted in both rates.
    expect(i.satisfaction).toMatchObject({ numerator: 3, denominator: 5, rate: 60, points: 12, unmet: 2 });
    expect(i.satisfaction.reasons).toEqual({ d: 'late+dissatisfied' });
    expect(g.groupPoints).toEqual({
      publicity: null,
      progress: 16,
      digitization: 16.35,
      onlineServices: 6,
      onlinePayment: 3.33,
      satisfaction: 12,
    });
    // 16 + 16.35 + 6 + 3.33 + 12 = 53.68 of the 82 dossier points: publicity was not entered.
    expect(g).toMatchObject({
      totalPoints: 53.68,
      attainablePoints: 82,
      publicityEntered: false,
      score: 65.46,
      rank: 1,
    });

    // With 15 of 18 publicity points entered for the unit, the total is out of 100.
    const [withPublicity] = computeIndicators(facts, march, {
      groupBy: 'none',
      publicity: { all: 15 },
    }).groups;
    expect(withPublicity?.groupPoints.publicity).toBe(15);
    expect(withPublicity).toMatchObject({
      totalPoints: 68.68,
      attainablePoints: 100,
      publicityEntered: true,
      score: 68.68,
      dossierScore: 65.46,
    });
  });

  it('is N/A, and costs nothing, where a group has no dossier for the denominator', () => {
    const [g] = computeIndicators([fact('a')], march, { groupBy: 'none' }).groups;
    expect(g?.indicators.onlinePayment).toMatchObject({
      numerator: 0,
      denominator: 0,
      rate: null,
      points: null,
    });
    expect(g?.indicators.electronicResult.rate).toBeNull();
    expect(g?.groupPoints.onlineServices).toBe(12);
    expect(g?.groupPoints.onlinePayment).toBeNull();
    expect(g?.score).toBe(100);
  });
});

describe('grouping, ranking and what moves it', () => {
  const perfect = (id: string, officeId: string) => fact(id, { officeId });
  const facts = [
    ...['a1', 'a2', 'a3', 'a4'].map((id) => perfect(id, 'A')),
    ...['c1', 'c2', 'c3', 'c4'].map((id) => perfect(id, 'C')),
    perfect('b1', 'B'),
    perfect('b2', 'B'),
    fact('b3', { officeId: 'B', agencyId: 'H26.02', digitizedComponents: 0 }),
    fact('b4', { officeId: 'B', agencyId: 'H26.02', digitizedComponents: 0 }),
  ];

  it('ranks offices by score, equal scores sharing a rank', () => {
    const result = computeIndicators(facts, march, { groupBy: 'office' });
    expect(result.groups.map((g) => [g.key, g.rank, g.score])).toEqual([
      ['A', 1, 100],
      ['C', 1, 100],
      ['B', 3, 94.28],
    ]);
    const b = result.groups[2];
    expect(b?.indicators.digitization).toMatchObject({ rate: 50, points: 13.75 });
    expect(b?.indicators.digitization.ids.excluded).toEqual(['b3', 'b4']);
    // 20 + (13.75 + 22) ÷ 2 + 12 + 18, online payment N/A (no fee): 67.88 of 72.
    expect(b?.totalPoints).toBe(67.88);
    expect(b?.attainablePoints).toBe(72);
  });

  it('ranks on the total out of 100 when every unit has its publicity points', () => {
    const result = computeIndicators(facts, march, {
      groupBy: 'office',
      publicity: { A: 10, B: 18, C: 12 },
    });
    expect(result.rankedOn).toBe('all_groups');
    expect(result.publicityMissing).toEqual([]);
    // A: 72 + 10 = 82 of 90; B: 67.88 + 18 = 85.88 of 90; C: 72 + 12 = 84 of 90.
    expect(result.groups.map((g) => [g.key, g.rank, g.totalPoints, g.attainablePoints, g.score])).toEqual([
      ['B', 1, 85.88, 90, 95.42],
      ['C', 2, 84, 90, 93.33],
      ['A', 3, 82, 90, 91.11],
    ]);
  });

  it('ranks every unit on the dossier groups, and names the units without publicity, when one is missing', () => {
    const result = computeIndicators(facts, march, { groupBy: 'office', publicity: { A: 10, B: 18 } });
    expect(result.rankedOn).toBe('dossier_groups');
    expect(result.publicityMissing).toEqual(['C']);
    expect(
      result.groups.map((g) => [g.key, g.rank, g.publicityEntered, g.totalPoints, g.dossierScore]),
    ).toEqual([
      ['A', 1, true, 82, 100],
      ['C', 1, false, 72, 100],
      ['B', 3, true, 85.88, 94.28],
    ]);
  });

  it('groups by agency and not at all', () => {
    const byAgency = computeIndicators(facts, march, { groupBy: 'agency' });
    expect(byAgency.groups.map((g) => [g.key, g.indicators.digitization.rate])).toEqual([
      ['H26.01', 100],
      ['H26.02', 0],
    ]);
    const all = computeIndicators(facts, march, { groupBy: 'none' });
    expect(
      all.groups.map((g) => [
        g.key,
        g.indicators.digitization.numerator,
        g.indicators.digitization.denominator,
      ]),
    ).toEqual([['all', 10, 12]]);
  });

  it('says how many more dossiers reach the next point and full marks', () => {
    const office = [
      ...Array.from({ length: 13 }, (_, n) => fact(`ok${n}`)),
      ...Array.from({ length: 7 }, (_, n) => fact(`no${n}`, { digitizedComponents: 0 })),
    ];
    const result = computeIndicators(office, march, { groupBy: 'office' });
    expect(result.groups[0]?.indicators.digitization).toMatchObject({ rate: 65, points: 17.88 });
    expect(result.groups[0]?.totalPoints).toBe(69.94);
    const moves = whatMovesIt(result);
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      key: 'BD-HANOI-01',
      indicator: 'digitization',
      nextPoint: { more: 1, rate: 70, points: 19.25, totalPoints: 70.63 },
      fullMarks: { more: 3, rate: 80, points: 22, totalPoints: 72 },
    });
    expect(moves[0]?.text.en).toBe(
      '1 more digitized dossiers → 19.25 points; 3 more digitized dossiers → full marks (22 points)',
    );
  });

  it('counts satisfaction in fewer late or complained-about dossiers', () => {
    const office = [
      ...Array.from({ length: 8 }, (_, n) => fact(`ok${n}`)),
      fact('late', { processedAt: vn('2026-03-05T08:00') }),
      fact('angry', { complaints: 1 }),
    ];
    const result = computeIndicators(office, march, { groupBy: 'none' });
    expect(result.groups[0]?.indicators.satisfaction).toMatchObject({ rate: 80, points: 16 });
    const move = whatMovesIt(result).find((m) => m.indicator === 'satisfaction');
    expect(move).toMatchObject({ nextPoint: null, fullMarks: { more: 1, rate: 90, points: 18 } });
    expect(move?.text.en).toBe('1 fewer late or complained-about dossiers → full marks (18 points)');
  });
});
