import { TRPCClientError } from '@trpc/client';
import { tIn } from './i18n';

export type Problem = { code?: string; vi: string; en: string };

type AppErrorData = { appCode?: string; messageEn?: string };

export const describeError = (error: unknown): Problem => {
  if (error instanceof TRPCClientError) {
    const data = error.data as AppErrorData | undefined;
    if (data?.messageEn) return { code: data.appCode, vi: error.message, en: data.messageEn };
    if (!data) return { code: 'NETWORK', vi: tIn('vi', 'error.network'), en: tIn('en', 'error.network') };
  }
  return { vi: tIn('vi', 'error.unexpected'), en: tIn('en', 'error.unexpected') };
};
