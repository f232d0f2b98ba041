import pino from 'pino';

/** Keys that carry personal data or secrets; pino replaces their values wherever they appear. */
const REDACT = [
  'password',
  'citizenId',
  'phone',
  'email',
  'fullName',
  'address',
  'dateOfBirth',
  'cookie',
  'authorization',
  'otp',
  'pin',
];

export const createLogger = (level: string, destination?: pino.DestinationStream) =>
  pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [...REDACT, ...REDACT.map((k) => `*.${k}`), ...REDACT.map((k) => `*.*.${k}`)],
        censor: '[redacted]',
      },
    },
    destination,
  );

export type Logger = ReturnType<typeof createLogger>;
