import { vietnamDate } from '@postdesk/shared';
import type { NotificationKind } from './notify';

/**
 * What a citizen's phone shows. Decision: texts go WITHOUT diacritics, in the GSM-7 alphabet, so one
 * segment holds 160 characters; with diacritics a text is UCS-2 and one segment holds only 70, too few for
 * a dossier code, a date and a link. Unaccented Vietnamese is what brandname SMS in Vietnam commonly use.
 * No personal data: the dossier code is the only thing that identifies anything.
 *
 * `{web}` stands for the public address of the web apps; the sender fills it in when it sends, so the
 * outbox row does not depend on the server's configuration.
 */
export const WEB_TOKEN = '{web}';

/** Upper bounds the unit test checks every text against (one SMS segment). */
export const SMS_LIMITS = { gsm7: 160, ucs2: 70, maxCodeLength: 30, maxWebLength: 40 } as const;

const ddmm = (d: Date) => {
  const [y, m, day] = vietnamDate(d).split('-');
  return `${day}/${m}/${y}`;
};

export type TextInput = {
  code: string;
  dueAt?: Date | null;
  /** The result goes home by post (delivery) rather than being collected at the desk. */
  byPost?: boolean;
};

export const smsText = (
  kind: Exclude<NotificationKind, 'otp' | 'complaint_answer' | 'contact_changed'>,
  d: TextInput,
): string => {
  switch (kind) {
    case 'received':
      return d.dueAt
        ? `PostDesk: Ho so ${d.code} da duoc tiep nhan, hen tra ket qua ${ddmm(d.dueAt)}. Tra cuu: ${WEB_TOKEN}/track`
        : `PostDesk: Ho so ${d.code} da duoc tiep nhan. Tra cuu: ${WEB_TOKEN}/track`;
    case 'supplement_needed':
      return `PostDesk: Ho so ${d.code} can bo sung giay to. Xem danh sach can nop tai ${WEB_TOKEN}/track`;
    case 'result_ready':
      return d.byPost
        ? `PostDesk: Ho so ${d.code} da co ket qua. Buu dien se giao tan nha, se bao truoc khi giao.`
        : `PostDesk: Ho so ${d.code} da co ket qua. Moi ong/ba mang Giay tiep nhan den quay de nhan.`;
    case 'courier_on_the_way':
      return `PostDesk: Buu ta dang giao ket qua ho so ${d.code} den ong/ba. Xem con may diem nua: ${WEB_TOKEN}/track`;
    case 'delivered':
      return `PostDesk: Da giao ket qua ho so ${d.code}. Moi danh gia dich vu: ${WEB_TOKEN}/feedback`;
    case 'stopped':
      return `PostDesk: Co quan da dung giai quyet ho so ${d.code}. Xem ly do: ${WEB_TOKEN}/track`;
  }
};

const OTP_PURPOSE_WORDS: Record<string, string> = {
  pickup_request: 'dat lich nhan ho so tai nha',
  delivery_request: 'dang ky giao ket qua tan nha',
  delivery_handover: 'nhan ket qua tu buu ta',
  feedback: 'gui danh gia, phan anh',
  contact_change: 'DOI so dien thoai/dia chi nhan ket qua ho so',
};

export const otpText = (code: string, purpose: string) =>
  `PostDesk: Ma xac nhan ${code} de ${OTP_PURPOSE_WORDS[purpose] ?? 'xac nhan'}. Hieu luc 10 phut. Khong dua ma cho nguoi khac.`;

/** Fills in the public address when the text is sent. */
export const renderText = (body: string, publicUrl: string) =>
  body.split(WEB_TOKEN).join(publicUrl.replace(/\/+$/, ''));

// The GSM 03.38 default alphabet (basic table; the extension table costs two characters and is not used).
const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_SET = new Set(GSM7);

export const isGsm7 = (text: string) => [...text].every((c) => GSM7_SET.has(c));

/** Segments a text takes: GSM-7 160/153 per segment, else UCS-2 70/67. */
export const smsSegments = (text: string) => {
  const gsm = isGsm7(text);
  const length = gsm ? text.length : [...text].length;
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return length <= single ? 1 : Math.ceil(length / multi);
};
