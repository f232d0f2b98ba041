import { appError } from '@postdesk/shared';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, officeDepartments, offices } from '../db/schema';

/** Offices that are themselves a state one-stop department (Public Administration Service Centres). */
const DEPARTMENT_KINDS = new Set(['service_centre', 'commune_service_centre']);

export type ReceivingParty = {
  /** The state one-stop department the dossier is received for: its id prefixes the code. */
  department: { id: string; code: string; name: string };
  /** The post office that received it on the department's behalf; null when the department received it itself. */
  provider: { id: string; code: string; name: string } | null;
};

const officeRow = async (db: Db, id: string) => {
  const [row] = await db
    .select({ id: offices.id, code: offices.code, name: offices.name, kind: offices.kind })
    .from(offices)
    .where(eq(offices.id, id));
  return row;
};

/** The departments an office receives for, the default first (empty for a department itself). */
export const servedDepartments = (db: Db, officeId: string) =>
  db
    .select({
      id: offices.id,
      code: offices.code,
      name: offices.name,
      kind: offices.kind,
      isDefault: officeDepartments.isDefault,
    })
    .from(officeDepartments)
    .innerJoin(offices, eq(offices.id, officeDepartments.departmentId))
    .where(eq(officeDepartments.officeId, officeId))
    .orderBy(desc(officeDepartments.isDefault), asc(offices.name));

/**
 * Who a dossier received at `officeId` is received for (Decision 468/QĐ-TTg): a service centre receives for
 * itself; a post office for the department the clerk chose among those it is attached to, else its default
 * (else its only one). An office attached to none receives under its own id, as before departments existed.
 */
export const receivingPartyFor = async (
  db: Db,
  opts: {
    officeId: string;
    departmentId?: string | undefined;
    /** The office's row when the caller has read it already. */
    office?: { id: string; code: string; name: string; kind: string };
  },
): Promise<ReceivingParty> => {
  const office = opts.office ?? (await officeRow(db, opts.officeId));
  if (!office) throw appError('FORBIDDEN');
  const self = { id: office.id, code: office.code, name: office.name };
  if (DEPARTMENT_KINDS.has(office.kind)) {
    if (opts.departmentId && opts.departmentId !== office.id) throw appError('DEPARTMENT_NOT_SERVED');
    return { department: self, provider: null };
  }
  const served = await servedDepartments(db, office.id);
  if (opts.departmentId) {
    const chosen = served.find((d) => d.id === opts.departmentId);
    if (!chosen) throw appError('DEPARTMENT_NOT_SERVED');
    return { department: { id: chosen.id, code: chosen.code, name: chosen.name }, provider: self };
  }
  const fallback = served.find((d) => d.isDefault) ?? (served.length === 1 ? served[0] : undefined);
  if (!fallback) return { department: self, provider: null };
  return { department: { id: fallback.id, code: fallback.code, name: fallback.name }, provider: self };
};

/** The department and provider of a dossier already received (forms, portal). */
export const receivingPartyOf = async (
  db: Db,
  dossier: { receivingOfficeId: string; receivingDepartmentId: string | null },
): Promise<ReceivingParty> => {
  const office = await officeRow(db, dossier.receivingOfficeId);
  if (!office) throw appError('NOT_FOUND');
  const self = { id: office.id, code: office.code, name: office.name };
  if (!dossier.receivingDepartmentId || dossier.receivingDepartmentId === office.id)
    return { department: self, provider: null };
  const department = await officeRow(db, dossier.receivingDepartmentId);
  if (!department) throw appError('NOT_FOUND');
  return { department: { id: department.id, code: department.code, name: department.name }, provider: self };
};

/** Attaches an office to a department it receives for (admin); `isDefault` makes it the one used unasked. */
export const attachDepartment = async (
  db: Db,
  opts: {
    officeCode: string;
    departmentCode: string;
    isDefault: boolean;
    actor: { userId: string; requestId?: string };
  },
) => {
  const [office] = await db.select().from(offices).where(eq(offices.code, opts.officeCode));
  const [department] = await db.select().from(offices).where(eq(offices.code, opts.departmentCode));
  if (!office || !department || !DEPARTMENT_KINDS.has(department.kind))
    throw appError('DEPARTMENT_NOT_SERVED');
  await db.transaction(async (tx) => {
    if (opts.isDefault)
      await tx
        .update(officeDepartments)
        .set({ isDefault: false })
        .where(and(eq(officeDepartments.officeId, office.id)));
    await tx
      .insert(officeDepartments)
      .values({ officeId: office.id, departmentId: department.id, isDefault: opts.isDefault })
      .onConflictDoUpdate({
        target: [officeDepartments.officeId, officeDepartments.departmentId],
        set: { isDefault: opts.isDefault },
      });
    await tx.insert(auditLog).values({
      userId: opts.actor.userId,
      action: 'office.department_attached',
      target: office.code,
      details: { departmentCode: department.code, isDefault: opts.isDefault },
      ...(opts.actor.requestId ? { requestId: opts.actor.requestId } : {}),
    });
  });
  return { officeId: office.id, departmentId: department.id };
};
