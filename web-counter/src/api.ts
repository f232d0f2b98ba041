import type { AppRouter } from '@postdesk/server/trpc/router';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';

let officeId: string | undefined;

export const actForOffice = (id: string | undefined) => {
  officeId = id;
};

export const api = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: '/trpc',
      transformer: superjson,
      headers: () => (officeId ? { 'x-office-id': officeId } : {}),
      fetch: (url, opts) => fetch(url, { ...opts, credentials: 'include' }),
    }),
  ],
});

export type Outputs = inferRouterOutputs<AppRouter>;

export type DeskErrorBody = {
  code: string;
  message: string;
  messageEn: string;
  details: Record<string, unknown> | null;
};

/** A `/desk/*` request the server answered with an error (its JSON body in both languages), or none at all. */
export class DeskError extends Error {
  constructor(
    readonly body: DeskErrorBody | null,
    readonly status: number,
  ) {
    super(body?.code ?? `HTTP ${status}`);
  }
}

type Words = { vi: string; en: string };

/** One signature's validation report (server/src/signing/verify.ts `SignatureReport`, dates as strings). */
export type VerifiedSignature = {
  kind: 'signature' | 'document-timestamp';
  signer: { commonName: string; organization: string; serial: string };
  signedAt: string | null;
  subFilter: string;
  integrity: {
    byteRangeCoversWholeFileExceptContents: boolean;
    digestMatches: boolean;
    coversRevision: boolean;
  };
  signatureValid: boolean;
  chain: { trusted: boolean; path: string[]; reason?: string };
  /** ETSI EN 319 102-1: only TOTAL-PASSED is a valid signature. */
  indication: 'TOTAL-PASSED' | 'INDETERMINATE' | 'TOTAL-FAILED';
  subIndication?: string;
  message: Words;
  findings: { indication: string; subIndication: string; detail: string }[];
  validationTime: { at: string; source: 'timestamp' | 'now' };
  timestamp?: { genTime: string; tsa: string; trusted: boolean; reason?: string };
  revocation: {
    status: 'good' | 'revoked' | 'unknown' | 'not-required';
    source: string;
    certificate: string;
  }[];
  certification?: { permission: 1 | 2 | 3 };
  after: {
    changes: { kind: string; page?: number; count: number; allowed: boolean }[];
    modified: boolean;
    text: Words;
  };
  /** PAdES level the long-term validation found, and what proves when the signature was made. */
  longTerm?: { level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA'; proofOfExistence: string; bestSignatureTime: string };
};

export type VerifyResult = {
  signatures: VerifiedSignature[];
  modifiedAfterSigning: boolean;
  validatedAt: string;
  /** The level this server's own signatures reach: B-B when no TSA is configured. */
  ownSignatures?: { level: 'B-B' | 'B-LTA' };
};

const postFile = async <T>(path: string, file: Blob, name?: string, key?: string): Promise<T> => {
  const body = new FormData();
  body.append('file', file, name);
  const url = officeId ? `${path}?${new URLSearchParams({ office: officeId })}` : path;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      credentials: 'include',
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });
  } catch {
    throw new DeskError(null, 0);
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new DeskError(json?.code ? (json as DeskErrorBody) : null, response.status);
  return json as T;
};

/**
 * No answer, a server error (its job queue away after the pages were saved) or a server or store briefly
 * away: worth sending again, with the same key, so the pages are never made twice.
 */
const retryable = (error: unknown) =>
  error instanceof DeskError && (error.status === 0 || error.status >= 500);

const RETRY_DELAYS_MS = [1_000, 3_000];

/** One file sent with its own key, retried a few times: the server makes its pages once whatever arrives. */
const postFileOnce = async <T>(path: string, file: Blob, name?: string): Promise<T> => {
  const key = crypto.randomUUID();
  for (const delay of RETRY_DELAYS_MS) {
    try {
      return await postFile<T>(path, file, name, key);
    } catch (error) {
      if (!retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return postFile<T>(path, file, name, key);
};

/** The scanning station's file uploads go over plain multipart, beside tRPC. */
export const desk = {
  uploadPages: (dossierId: string, componentCode: string, file: Blob, name?: string) =>
    postFileOnce<{ pageIds: string[] }>(
      `/desk/dossiers/${encodeURIComponent(dossierId)}/components/${encodeURIComponent(componentCode)}/pages`,
      file,
      name,
    ),
  verify: (file: Blob, name?: string) => postFile<VerifyResult>('/desk/verify', file, name),
  /** The same validation as a PDF report. */
  verifyReport: async (file: Blob, name?: string): Promise<Blob> => {
    const body = new FormData();
    body.append('file', file, name);
    const query = new URLSearchParams({ format: 'pdf', ...(officeId ? { office: officeId } : {}) });
    let response: Response;
    try {
      response = await fetch(`/desk/verify?${query}`, { method: 'POST', body, credentials: 'include' });
    } catch {
      throw new DeskError(null, 0);
    }
    if (!response.ok) {
      const json = await response.json().catch(() => null);
      throw new DeskError(json?.code ? (json as DeskErrorBody) : null, response.status);
    }
    return response.blob();
  },
};
