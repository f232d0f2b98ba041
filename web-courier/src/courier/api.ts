import { api } from '../api';

export const courierApi = api.courier;

export class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code?: string; message?: string; messageEn?: string } | null,
  ) {
    super(`upload failed with ${status}`);
  }
}

/** A photo or signature to the content-addressed store; the answer names it by its SHA-256. */
export const uploadBlob = async (blob: Blob): Promise<string> => {
  const response = await fetch('/field/uploads', {
    method: 'POST',
    body: blob,
    credentials: 'include',
    headers: { 'content-type': blob.type || 'application/octet-stream' },
  });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new UploadError(response.status, body?.error ?? body);
  }
  const { sha256 } = (await response.json()) as { sha256: string };
  return sha256;
};

export const proofPdfUrl = (proofId: string) => `/field/proofs/${encodeURIComponent(proofId)}.pdf`;
