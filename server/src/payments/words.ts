/** Amounts in Vietnamese words, as receipts and invoices write them ("Hai mươi sáu nghìn đồng"). */

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const SCALES = ['', 'nghìn', 'triệu', 'tỷ'] as const;

/** One group of three digits; `full` = not the leading group, so "không trăm" and "linh" are spoken. */
const group = (n: number, full: boolean): string[] => {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const words: string[] = [];
  if (h > 0 || full) words.push(DIGITS[h]!, 'trăm');
  if (t === 0) {
    if (u > 0 && (h > 0 || full)) words.push('linh');
  } else if (t === 1) words.push('mười');
  else words.push(DIGITS[t]!, 'mươi');
  if (u > 0) {
    if (u === 1 && t >= 2) words.push('mốt');
    else if (u === 5 && t >= 1) words.push('lăm');
    else words.push(DIGITS[u]!);
  }
  return words;
};

/** A whole number of dong (0 … 999 999 999 999 999) in words, lower case, without the currency. */
export const numberToVietnameseWords = (value: number): string => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a whole amount: ${value}`);
  if (value === 0) return 'không';
  // Split into groups of three from the right; beyond "tỷ" the scales repeat ("nghìn tỷ").
  const groups: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 1000)) groups.push(rest % 1000);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) {
      // "một tỷ" needs its scale word even when the nghìn/triệu groups below are empty.
      if (i === 3 && words.length > 0) words.push('tỷ');
      continue;
    }
    words.push(...group(g, words.length > 0));
    if (i > 0) words.push(SCALES[((i - 1) % 3) + 1]!);
  }
  return words.join(' ');
};

/** "Hai mươi sáu nghìn đồng" */
export const amountInWords = (amount: number): string => {
  const w = numberToVietnameseWords(amount);
  return `${w.charAt(0).toLocaleUpperCase('vi')}${w.slice(1)} đồng`;
};
