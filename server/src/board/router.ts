import { INDICATORS } from '@postdesk/shared';
import { z } from 'zod';
import { loadHolidayTables } from '../intake/holidays';
import { router, staffProcedure } from '../trpc/init';
import { supervisedOffices } from './facts';
import { setPublicity } from './publicity';
import {
  BOARD_SORT_KEYS,
  boardWindow,
  courierFigures,
  deadlineBoard,
  drilldown,
  monthFigures,
  monthOf,
  monthPeriod,
  monthsBack,
  namesOf,
  narrowOffices,
  recentWarnings,
  summarize,
  trend,
} from './service';

const supervisor = staffProcedure('supervisor');

const month = z.string().regex(/^\d{4}-\d{2}$/);
/** Points of the publicity group as the portal shows them: 0–18, at most two decimals. */
export const publicityPoints = z
  .number()
  .min(0)
  .max(18)
  .refine((x) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-6, 'at most two decimals');
const groupBy = z.enum(['office', 'agency', 'commune', 'procedure', 'none']);
const scope = { officeId: z.uuid().nullish() };
/** A page of the deadline board: its filters, its order and its window (at most 500 rows at a time). */
const deadlineWindow = {
  ...scope,
  risk: z.enum(['on_track', 'at_risk', 'overdue']).nullish(),
  where: z.enum(['desk', 'agency', 'courier', 'citizen']).nullish(),
  q: z.string().max(100).nullish(),
  sort: z.enum(BOARD_SORT_KEYS).optional(),
  dir: z.union([z.literal(1), z.literal(-1)]).optional(),
  offset: z.number().int().min(0).max(10_000_000).optional(),
  limit: z.number().int().min(1).max(500).optional(),
};

/** The supervisor's deadline board and the service-quality indicators, for the offices they supervise. */
export const boardRouter = router({
  /** Open dossiers of the supervisor's offices with due time, working hours left, whereabouts and risk. */
  deadlines: supervisor.input(z.object(deadlineWindow).optional()).query(async ({ ctx, input }) => {
    const officeIds = narrowOffices(supervisedOffices(ctx.user.memberships), input?.officeId);
    const now = new Date();
    const board = await deadlineBoard(ctx.readDb ?? ctx.db, { officeIds, now });
    const warnings = await recentWarnings(ctx.readDb ?? ctx.db, officeIds, 30);
    return {
      now: now.toISOString(),
      counts: board.counts,
      ...boardWindow(board.rows, input ?? {}),
      warnings,
    };
  }),

  /** The offices the caller supervises, for the filters. */
  offices: supervisor.query(async ({ ctx }) => {
    const ids = supervisedOffices(ctx.user.memberships);
    const names = await namesOf(ctx.readDb ?? ctx.db, 'office', ids);
    return ids
      .map((id) => ({ id, name: names[id] ?? id }))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  }),

  /** Decision 766 indicators of one month per unit, with points, ranks and what would move them. */
  indicators: supervisor
    .input(z.object({ month: month.optional(), groupBy: groupBy.default('office'), ...scope }).optional())
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const officeIds = narrowOffices(supervisedOffices(ctx.user.memberships), input?.officeId);
      const m = input?.month ?? monthOf(now);
      const figures = await monthFigures(ctx.readDb ?? ctx.db, {
        officeIds,
        month: m,
        groupBy: input?.groupBy ?? 'office',
        now,
      });
      const courier = await courierFigures(ctx.readDb ?? ctx.db, {
        officeIds,
        period: monthPeriod(m, now),
        holidays: await loadHolidayTables(ctx.readDb ?? ctx.db),
      });
      return { ...summarize(figures), courier };
    }),

  /**
   * Decision 766 publicity points (0–18, measured on the national portal) of one of the supervisor's offices
   * for a month, so its total is out of 100 like the portal's.
   */
  setPublicity: supervisor
    .input(
      z.object({
        month,
        officeId: z.uuid(),
        points: publicityPoints,
      }),
    )
    .mutation(({ ctx, input }) => {
      monthPeriod(input.month, new Date());
      return setPublicity(ctx.db, {
        month: input.month,
        rows: [{ unitId: input.officeId, points: input.points }],
        source: 'entered',
        allowedUnitIds: supervisedOffices(ctx.user.memberships),
        actor: { userId: ctx.user.id, requestId: ctx.requestId },
      });
    }),

  /** The dossiers behind one figure: in the numerator, and in the denominator only (with the reason). */
  drilldown: supervisor
    .input(
      z.object({
        month,
        groupBy: groupBy.default('office'),
        key: z.string().max(64),
        indicator: z.enum([...INDICATORS, 'postal']),
        ...scope,
      }),
    )
    .query(async ({ ctx, input }) => {
      const officeIds = narrowOffices(supervisedOffices(ctx.user.memberships), input.officeId);
      const figures = await monthFigures(ctx.readDb ?? ctx.db, {
        officeIds,
        month: input.month,
        groupBy: input.groupBy,
        now: new Date(),
      });
      return drilldown(figures, input.key, input.indicator);
    }),

  /** Monthly trend per unit from the roll-ups (the last `months` months up to `month`). */
  trend: supervisor
    .input(
      z
        .object({
          month: month.optional(),
          months: z.number().int().min(1).max(36).default(12),
          groupBy: z.enum(['office', 'agency', 'none']).default('none'),
          ...scope,
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const officeIds = narrowOffices(supervisedOffices(ctx.user.memberships), input?.officeId);
      const last = input?.month ?? monthOf(new Date());
      monthPeriod(last, new Date());
      const months = monthsBack(last, input?.months ?? 12);
      const groupByValue = input?.groupBy ?? 'none';
      const points = await trend(ctx.readDb ?? ctx.db, { officeIds, months, groupBy: groupByValue });
      const names = await namesOf(
        ctx.readDb ?? ctx.db,
        groupByValue,
        [...new Set(points.map((p) => p.key))].filter((k) => k !== 'all'),
      );
      return { months, points, names };
    }),
});
