import { describe, expect, it } from 'vitest';
import { amountInWords, numberToVietnameseWords } from '../../server/src/payments/words';

describe('amounts in Vietnamese words (receipts)', () => {
  it.each([
    [0, 'không'],
    [5, 'năm'],
    [10, 'mười'],
    [15, 'mười lăm'],
    [21, 'hai mươi mốt'],
    [25, 'hai mươi lăm'],
    [105, 'một trăm linh năm'],
    [110, 'một trăm mười'],
    [1_005, 'một nghìn không trăm linh năm'],
    [8_000, 'tám nghìn'],
    [26_000, 'hai mươi sáu nghìn'],
    [31_500, 'ba mươi mốt nghìn năm trăm'],
    [1_005_000, 'một triệu không trăm linh năm nghìn'],
    [1_000_000_000, 'một tỷ'],
    [1_002_003_004, 'một tỷ không trăm linh hai triệu không trăm linh ba nghìn không trăm linh bốn'],
    [1_000_000_000_000, 'một nghìn tỷ'],
  ])('%i → %s', (n, words) => {
    expect(numberToVietnameseWords(n)).toBe(words);
  });

  it('capitalises and names the currency', () => {
    expect(amountInWords(1_205_500)).toBe('Một triệu hai trăm linh năm nghìn năm trăm đồng');
  });

  it('refuses what is not a whole amount', () => {
    expect(() => numberToVietnameseWords(-1)).toThrow();
    expect(() => numberToVietnameseWords(1.5)).toThrow();
  });
});
