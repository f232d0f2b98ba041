import { describe, expect, it } from 'vitest';
import { joinAddress } from '../../server/src/intake/address';

describe('printable addresses', () => {
  it('adds the commune and province to a street line', () => {
    expect(joinAddress('12 Lê Lợi', 'Phường Thuận Hóa', 'Thành phố Huế')).toBe(
      '12 Lê Lợi, Phường Thuận Hóa, Thành phố Huế',
    );
  });
  it('does not repeat what an id-card address already says', () => {
    expect(
      joinAddress('12 Lê Lợi, Phường Thuận Hóa, Thành phố Huế', 'Phường Thuận Hóa', 'Thành phố Huế'),
    ).toBe('12 Lê Lợi, Phường Thuận Hóa, Thành phố Huế');
    expect(joinAddress('Thôn 3, xã Phú Lộc', 'Xã Phú Lộc', 'Thành phố Huế')).toBe(
      'Thôn 3, xã Phú Lộc, Thành phố Huế',
    );
  });
});
