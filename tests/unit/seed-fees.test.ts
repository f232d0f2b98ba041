import { describe, expect, it } from 'vitest';
import { procedures } from '../../server/src/seed/data/procedures';

describe('seeded procedure fees', () => {
  // The cards print `fee` as "Phí" and `charge` as "Lệ phí": a line's kind must say what its legal name says.
  it('calls a lệ phí a charge and a phí a fee', () => {
    const lines = procedures.flatMap((p) => p.fees.map((f) => ({ code: p.code, ...f })));
    expect(lines.length).toBeGreaterThan(10);
    const wrong = lines.filter(
      (f) =>
        (f.label.startsWith('Lệ phí') && f.kind !== 'charge') ||
        (f.label.startsWith('Phí') && f.kind !== 'fee'),
    );
    expect(wrong).toEqual([]);
    expect(lines.some((f) => f.kind === 'charge')).toBe(true);
    expect(lines.some((f) => f.kind === 'fee')).toBe(true);
  });
});
