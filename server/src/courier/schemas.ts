import { z } from 'zod';

/** Inputs of the courier procedures; the per-type payloads are checked when each action is applied. */
export const day = z.iso.date();
export const uuid = z.uuid();

const position = z
  .object({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    accuracy: z.number().min(0).max(100_000).nullish(),
    accuracyM: z.number().min(0).max(100_000).nullish(),
  })
  .nullable();

const sha = z.string().regex(/^[0-9a-f]{64}$/);

export const pickupPayload = z.object({
  checklist: z
    .array(
      z.object({
        code: z.string().trim().min(1).max(20),
        present: z.boolean(),
        form: z.enum(['original', 'copy']),
        copies: z.number().int().min(0).max(50).optional(),
      }),
    )
    .max(60),
  photoSha256s: z.array(sha).max(20).default([]),
  signatureSha256: sha.optional(),
  courierSignatureSha256: sha.optional(),
  sealNumber: z.string().trim().max(40).optional(),
  fees: z
    .object({
      method: z.enum(['cash', 'vietqr', 'none']),
      amount: z.number().int().min(0).max(1_000_000_000),
      reference: z.string().trim().max(64).optional(),
    })
    .optional(),
  note: z.string().trim().max(1000).optional(),
});

export const deliverPayload = z.object({
  identity: z
    .object({
      mode: z.enum(['self', 'proxy']),
      idNumber: z.string().trim().max(20),
      source: z.enum(['typed', 'qr']).default('typed'),
      qr: z.string().max(500).optional(),
      proxyName: z.string().trim().max(100).optional(),
      letterPhotoSha256: sha.optional(),
    })
    .optional(),
  otpCode: z.string().trim().max(10).optional(),
  signatureSha256: sha.optional(),
  photoSha256s: z.array(sha).max(20).default([]),
  recovered: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
  cash: z
    .object({
      amount: z.number().int().min(0).max(1_000_000_000),
      reference: z.string().trim().max(64).optional(),
    })
    .optional(),
  note: z.string().trim().max(1000).optional(),
});

export const failPayload = z.object({
  reason: z.enum(['absent', 'refused', 'wrong_address', 'unreachable', 'other']),
  note: z.string().trim().max(1000).optional(),
  invitationLeft: z.boolean().optional(),
  photoSha256s: z.array(sha).max(20).default([]),
});

export const syncAction = z.object({
  clientActionId: z.string().trim().min(8).max(64),
  taskId: uuid,
  taskVersion: z.number().int().min(0),
  type: z.enum(['pickup', 'deliver', 'fail']),
  deviceAt: z.coerce.date(),
  position: position.default(null),
  // Checked per type when the action is applied, so one bad action is 'rejected' without failing the batch.
  payload: z.record(z.string(), z.unknown()).default({}),
});
export type SyncAction = z.infer<typeof syncAction>;
