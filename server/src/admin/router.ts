import { z } from 'zod';
import { monthPeriod } from '../board/service';
import { publicityPoints } from '../board/router';
import { setPublicity } from '../board/publicity';
import { resetTotp } from '../auth/second-factor';
import { router, staffProcedure } from '../trpc/init';
import { findCalendars, openCalendarYear, publishCalendar, setCalendarDay } from './calendars';
import { createUser, deactivateUser, findUsers, setSigningKeyLabel } from './users';
import { addAssignments, findAssignments } from '../agency/competence';
import { attachDepartment } from '../intake/departments';

const communeCode = z
  .string()
  .trim()
  .regex(/^\d{5}$/);
const assignmentRow = z.object({
  level: z.enum(['province', 'commune']),
  procedureCode: z.string().trim().min(1).max(16).optional(),
  communeCode,
  agencyCode: z.string().trim().min(1).max(35),
  effectiveFrom: z.iso.date(),
  note: z.string().trim().max(500).optional(),
});

const admin = staffProcedure('admin');

/** CKA_LABEL of a key on the signing token (the seed uses the username): printable, no spaces at the ends. */
const signingKeyLabel = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}._:@-]{1,64}$/u);

const calendarYear = z.number().int().min(2020).max(2100);
const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const calendarDayFields = {
  kind: z.enum(['holiday', 'compensatory', 'swap_off', 'working_weekend']),
  nameVi: z.string().trim().min(1).max(120),
  nameEn: z.string().trim().min(1).max(120),
};

export const adminRouter = router({
  users: admin.query(({ ctx }) => findUsers(ctx.db)),
  /** The deciding-agency assignment table (procedure or level × commune → agency, by effective date). */
  competence: admin
    .input(z.object({ communeCode: communeCode.optional() }).optional())
    .query(({ ctx, input }) => findAssignments(ctx.db, input ?? {})),
  /** Adds assignment rows (one from the form, or an import); a change is a new row from its effective date. */
  assignCompetence: admin
    .input(z.object({ rows: z.array(assignmentRow).min(1).max(5000) }))
    .mutation(({ ctx, input }) =>
      addAssignments(ctx.db, { rows: input.rows, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  /** Attaches a post office to a one-stop department it receives for (Decision 468). */
  attachDepartment: admin
    .input(
      z.object({
        officeCode: z.string().trim().min(1).max(35),
        departmentCode: z.string().trim().min(1).max(35),
        isDefault: z.boolean(),
      }),
    )
    .mutation(({ ctx, input }) =>
      attachDepartment(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  createUser: admin
    .input(
      z.object({
        username: z
          .string()
          .trim()
          .regex(/^[a-z0-9._-]{3,40}$/i),
        fullName: z.string().trim().min(2).max(100),
        password: z.string().min(12).max(200),
        // Role names are checked by the domain (ROLE_UNKNOWN), so a typo gets its own message.
        memberships: z
          .array(z.object({ officeCode: z.string().min(1).max(35), role: z.string().max(40) }))
          .min(1)
          .max(20),
        signingKeyLabel: signingKeyLabel.optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      createUser(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  /** Names (or with null, takes away) the user's own signing key on the token. */
  setSigningKeyLabel: admin
    .input(z.object({ userId: z.uuid(), signingKeyLabel: signingKeyLabel.nullable() }))
    .mutation(({ ctx, input }) =>
      setSigningKeyLabel(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  /** Turns another user's two-step verification off (lost phone, rotated SESSION_SECRET); they enrol again. */
  resetTotp: admin
    .input(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      resetTotp(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  deactivateUser: admin
    .input(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      deactivateUser(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  /** Imports Decision 766 publicity points (0–18) of any units for a month, e.g. copied from the portal's report. */
  importPublicity: admin
    .input(
      z.object({
        month: z.string().regex(/^\d{4}-\d{2}$/),
        rows: z
          .array(z.object({ unitCode: z.string().trim().min(1).max(35), points: publicityPoints }))
          .min(1)
          .max(1000),
      }),
    )
    .mutation(({ ctx, input }) => {
      monthPeriod(input.month, new Date());
      return setPublicity(ctx.db, {
        month: input.month,
        rows: input.rows,
        source: 'imported',
        allowedUnitIds: null,
        actor: { userId: ctx.user.id, requestId: ctx.requestId },
      });
    }),

  /** Every year's holiday calendar (published, draft, history) and how long the published one still lasts. */
  calendars: admin.query(({ ctx }) => findCalendars(ctx.db, { today: new Date() })),
  /** Loads a year for correction: from the given days (an import of the decision), else from what is in force. */
  openCalendarYear: admin
    .input(
      z.object({
        year: calendarYear,
        source: z.string().trim().min(3).max(500).optional(),
        days: z
          .array(z.object({ date: calendarDate, ...calendarDayFields }))
          .max(80)
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      openCalendarYear(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  /** Sets one date of the year's draft (a day off, a swapped Saturday, a day in lieu), or with null removes it. */
  setCalendarDay: admin
    .input(z.object({ year: calendarYear, date: calendarDate, day: z.object(calendarDayFields).nullable() }))
    .mutation(({ ctx, input }) =>
      setCalendarDay(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
  /** Publishes the reviewed draft: it is in force from now on and provisional due times are recomputed. */
  publishCalendar: admin
    .input(z.object({ year: calendarYear, version: z.number().int().min(1) }))
    .mutation(({ ctx, input }) =>
      publishCalendar(ctx.db, { ...input, actor: { userId: ctx.user.id, requestId: ctx.requestId } }),
    ),
});
