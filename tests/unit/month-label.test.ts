import { describe, expect, it } from 'vitest';
import { formatMonth } from '../../web-counter/src/format';

describe('months on the trend chart', () => {
  it('read as people in Vietnam write them: MM/yyyy, never "26-01"', () => {
    expect(formatMonth('2026-01')).toBe('01/2026');
    expect(formatMonth('2025-12')).toBe('12/2025');
  });
});
