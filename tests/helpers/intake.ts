import { randomUUID } from 'node:crypto';
import type { IntakeInput } from '../../server/src/intake/schemas';

type Detail = {
  code: string;
  components: { code: string; required: boolean; form: string; copies: number }[];
};

/** A complete walk-in intake for `procedure`: every component present unless listed in `absent`. */
export const intakeFor = (
  procedure: Detail,
  communeCode: string,
  overrides: Partial<IntakeInput> & { absent?: string[] } = {},
): IntakeInput => {
  const { absent = [], ...rest } = overrides;
  return {
    clientKey: randomUUID(),
    outcome: 'receive',
    procedureCode: procedure.code,
    applicant: {
      citizenId: '046195001234',
      fullName: 'Trần Thị Mỹ Hạnh',
      dateOfBirth: '1995-04-12',
      sex: 'female',
      phone: '0905 123 456',
      email: 'hanh.tran@example.vn',
      address: { line: '12 Lê Lợi', communeCode },
    },
    components: procedure.components.map((c) => ({
      code: c.code,
      present: !absent.includes(c.code),
      form: c.form === 'copy' ? 'copy' : 'original',
      copies: c.copies,
    })),
    returnMethod: 'desk',
    ...rest,
  };
};
