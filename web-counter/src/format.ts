const money = new Intl.NumberFormat('vi-VN');

export const formatMoney = (amount: number) => `${money.format(amount)} ₫`;

export const formatDate = (isoDate: string) => {
  const [year, month, day] = isoDate.slice(0, 10).split('-');
  return day && month && year ? `${day}/${month}/${year}` : isoDate;
};

const vietnamClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A month as people in Vietnam write it: `2026-01` → `01/2026` (never `26-01`). */
export const formatMonth = (yearMonth: string) => {
  const [year, month] = yearMonth.split('-');
  return year && month ? `${month}/${year}` : yearMonth;
};

/** `dd/MM/yyyy HH:mm` in Asia/Ho_Chi_Minh, whatever the browser's zone. */
export const formatDateTime = (value: Date | string | null | undefined) => {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const part = Object.fromEntries(vietnamClock.formatToParts(date).map((p) => [p.type, p.value]));
  return `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
};

/** Today's date in Vietnam, `YYYY-MM-DD`. */
export const vietnamToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

const isRealDate = (year: number, month: number, day: number) => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** `dd/MM/yyyy` (also `d/M/yyyy`, `dd-MM-yyyy`, `ddMMyyyy`) → `YYYY-MM-DD`; null when it is not a real date. */
export const parseDisplayDate = (text: string) => {
  const m =
    /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim()) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isRealDate(year, month, day)) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};

/** A decimal as the reader writes it: 6,2 in Vietnamese, 6.2 in English. */
export const formatDecimal = (value: number, lang: 'vi' | 'en') =>
  value.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 });
