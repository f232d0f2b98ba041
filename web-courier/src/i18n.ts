import { createSignal } from 'solid-js';
import { courierEn, courierVi } from './courier/strings';

const vi = {
  'app.name': 'PostDesk',
  'app.title': 'PostDesk — Bưu tá',
  'app.role': 'Bưu tá',
  'lang.switch': 'English',
  'lang.switchLabel': 'Switch to English',
  'login.title': 'Đăng nhập',
  'login.username': 'Tên đăng nhập',
  'login.password': 'Mật khẩu',
  'login.submit': 'Đăng nhập',
  'login.submitting': 'Đang đăng nhập…',
  'login.usernameRequired': 'Nhập tên đăng nhập.',
  'login.passwordRequired': 'Nhập mật khẩu.',
  'error.network': 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
  'error.unexpected': 'Đã có lỗi xảy ra. Thử lại sau ít phút.',
  'session.unreachable': 'Không kết nối được máy chủ PostDesk.',
  'session.retry': 'Thử lại',
  'session.loading': 'Đang tải…',
  'network.online': 'Trực tuyến',
  'network.offline': 'Mất mạng',
  'shell.logout': 'Đăng xuất',
  'shell.greeting': 'Xin chào',
  'shell.offices': 'Bưu cục',
  'shell.notCourier': 'Tài khoản này chưa được phân công làm bưu tá ở bưu cục nào. Liên hệ giám sát viên.',
  ...courierVi,
};

export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = {
  'app.name': 'PostDesk',
  'app.title': 'PostDesk — Courier',
  'app.role': 'Courier',
  'lang.switch': 'Tiếng Việt',
  'lang.switchLabel': 'Chuyển sang tiếng Việt',
  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.usernameRequired': 'Enter your username.',
  'login.passwordRequired': 'Enter your password.',
  'error.network': 'Cannot reach the server. Check the network and try again.',
  'error.unexpected': 'Something went wrong. Try again in a few minutes.',
  'session.unreachable': 'Cannot reach the PostDesk server.',
  'session.retry': 'Try again',
  'session.loading': 'Loading…',
  'network.online': 'Online',
  'network.offline': 'Offline',
  'shell.logout': 'Sign out',
  'shell.greeting': 'Hello',
  'shell.offices': 'Post office',
  'shell.notCourier': 'This account is not a courier at any post office yet. Ask your supervisor.',
  ...courierEn,
};

export type Lang = 'vi' | 'en';

const catalogues: Record<Lang, Record<MessageKey, string>> = { vi, en };
const storageKey = 'postdesk.courier.lang';

const [lang, setLangSignal] = createSignal<Lang>(localStorage.getItem(storageKey) === 'en' ? 'en' : 'vi');

export { lang };

export const setLang = (next: Lang) => {
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = next;
  setLangSignal(next);
};

export const otherLang = (): Lang => (lang() === 'vi' ? 'en' : 'vi');

const fill = (text: string, params?: Record<string, string | number>) =>
  params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : text;

export const tIn = (language: Lang, key: MessageKey, params?: Record<string, string | number>) =>
  fill(catalogues[language][key], params);

export const t = (key: MessageKey, params?: Record<string, string | number>) => tIn(lang(), key, params);
