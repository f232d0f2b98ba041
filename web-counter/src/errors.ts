import { ERRORS, isErrorCode } from '@postdesk/shared';
import { TRPCClientError } from '@trpc/client';
import { DeskError } from './api';
import { tIn } from './i18n';

export type Problem = { code?: string; vi: string; en: string };

type AppErrorData = { appCode?: string; messageEn?: string; details?: Record<string, unknown> | null };

const network = (): Problem => ({
  code: 'NETWORK',
  vi: tIn('vi', 'error.network'),
  en: tIn('en', 'error.network'),
});
const unexpected = (): Problem => ({ vi: tIn('vi', 'error.unexpected'), en: tIn('en', 'error.unexpected') });

/** The catalogue's words for an error code the server stored (a failed page), in both languages. */
export const problemForCode = (code: string | null | undefined): Problem =>
  code && isErrorCode(code) ? { code, vi: ERRORS[code].vi, en: ERRORS[code].en } : unexpected();

export const describeError = (error: unknown): Problem => {
  if (error instanceof TRPCClientError) {
    const data = error.data as AppErrorData | undefined;
    if (data?.messageEn) return { code: data.appCode, vi: error.message, en: data.messageEn };
    if (!data) return network();
  }
  if (error instanceof DeskError) {
    if (error.body) return { code: error.body.code, vi: error.body.message, en: error.body.messageEn };
    return error.status === 0 ? network() : unexpected();
  }
  return unexpected();
};

/** The `details` the server attached to an error (pages not ready, components missing), if any. */
export const errorDetails = (error: unknown): Record<string, unknown> => {
  if (error instanceof TRPCClientError) return (error.data as AppErrorData | undefined)?.details ?? {};
  if (error instanceof DeskError) return error.body?.details ?? {};
  return {};
};
