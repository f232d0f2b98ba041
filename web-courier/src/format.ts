import { lang } from './i18n';

const zone = 'Asia/Ho_Chi_Minh';

const asDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

export const formatTime = (value: string | number | Date | null | undefined) =>
  value == null
    ? ''
    : new Intl.DateTimeFormat('vi-VN', {
        timeZone: zone,
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      }).format(asDate(value));

export const formatDateTime = (value: string | number | Date) => {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(asDate(value));
  const part = (type: string) => parts.find((each) => each.type === type)?.value ?? '';
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}:${part('minute')}`;
};

export const formatDay = (value: string | Date) => {
  const text = typeof value === 'string' ? value : value.toISOString().slice(0, 10);
  const [year, month, day] = text.slice(0, 10).split('-');
  return `${day}/${month}/${year}`;
};

export const formatMoney = (amount: number) => `${new Intl.NumberFormat('vi-VN').format(amount)} ₫`;

export const formatDistance = (metres: number) =>
  metres >= 1000
    ? `${new Intl.NumberFormat(lang() === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(metres / 1000)} km`
    : `${Math.round(metres)} m`;

export const formatWindow = (start: string | Date | null, end: string | Date | null) =>
  start && end ? `${formatTime(start)}–${formatTime(end)}` : start ? formatTime(start) : '';

/** The phone's map app: `geo:` on Android, Google Maps on the web and iOS. */
export const mapLinks = (lat: number, lng: number, label: string) => ({
  geo: `geo:${lat},${lng}?q=${lat},${lng}(${encodeURIComponent(label)})`,
  web: `https://www.google.com/maps/dir/?api=1&destination=${lat},${lng}&travelmode=two-wheeler`,
});

export const telLink = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;
