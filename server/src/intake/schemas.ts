import { z } from 'zod';

const address = z.object({
  line: z.string().trim().min(3).max(300),
  communeCode: z
    .string()
    .trim()
    .regex(/^\d{5}$/),
});

/** What the intake wizard sends; the id number, phone and email are checked by the domain for their own messages. */
export const intakeInput = z.object({
  clientKey: z.string().trim().min(8).max(64),
  outcome: z.enum(['receive', 'request_supplement', 'refuse']),
  procedureCode: z.string().trim().min(1).max(16),
  applicant: z.object({
    citizenId: z.string().trim().max(20),
    fullName: z.string().trim().min(2).max(100),
    dateOfBirth: z.iso.date().optional(),
    sex: z.enum(['male', 'female']).optional(),
    phone: z.string().trim().max(20),
    email: z.string().trim().max(254).optional(),
    address,
  }),
  components: z
    .array(
      z.object({
        code: z.string().trim().min(1).max(20),
        present: z.boolean(),
        form: z.enum(['original', 'copy']),
        copies: z.number().int().min(0).max(50),
        reuseDocumentId: z.uuid().optional(),
      }),
    )
    .max(60),
  returnMethod: z.enum(['desk', 'post']),
  delivery: z
    .object({
      address,
      lat: z.number().min(8).max(24).optional(),
      lng: z.number().min(102).max(118).optional(),
      window: z.enum(['morning', 'afternoon', 'any']),
    })
    .optional(),
  missing: z
    .array(z.object({ item: z.string().trim().min(2).max(300), note: z.string().trim().max(300).optional() }))
    .max(30)
    .optional(),
  reason: z.string().trim().max(1000).optional(),
  /** A dossier a courier collected at home (`picked_up`): the hand-over at the desk is its legal submission. */
  pickedUpDossierId: z.uuid().optional(),
  /** The one-stop department received for, among those the post office serves; absent = its default. */
  departmentId: z.uuid().optional(),
  /** Where the event happened, for procedures decided by the event's commune (e.g. a death registration). */
  eventCommuneCode: z
    .string()
    .trim()
    .regex(/^\d{5}$/)
    .optional(),
  /** The clerk's choice of deciding agency when it differs from the assignment table's; needs a reason. */
  decidingAgency: z
    .object({ code: z.string().trim().min(1).max(35), reason: z.string().trim().max(500).optional() })
    .optional(),
});

/** What the intake page asks to show (and let the clerk change) the deciding agency before submitting. */
export const decidingAgencyInput = z.object({
  procedureCode: z.string().trim().min(1).max(16),
  communeCode: z
    .string()
    .trim()
    .regex(/^\d{5}$/),
  eventCommuneCode: z
    .string()
    .trim()
    .regex(/^\d{5}$/)
    .optional(),
});

export type IntakeInput = z.infer<typeof intakeInput>;
