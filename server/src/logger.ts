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

/**
 * A failed query's text carries its parameters (drizzle: "Failed query: …\nparams: …"; postgres-js errors a
 * `parameters` field): citizens' numbers and names would reach the log. The SQL stays, the values do not.
 */
const PARAMS = /\nparams: [^\n]*/g;
export const scrubQueryParams = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string') return value.replace(PARAMS, '\nparams: [hidden]');
  if (depth > 3 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubQueryParams(v, depth + 1));
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  const keys =
    value instanceof Error ? ['name', 'message', 'stack', 'code', ...Object.keys(value)] : Object.keys(value);
  for (const key of keys) {
    if (key === 'parameters' || key === 'params') out[key] = '[hidden]';
    else if (key === 'cause' || source[key] !== undefined)
      out[key] = scrubQueryParams(source[key], depth + 1);
  }
  return out;
};

export const createLogger = (level: string, destination?: pino.DestinationStream) =>
  pino(
    {
      level,
      base: undefined,
      formatters: { log: (object) => scrubQueryParams(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? (scrubQueryParams(a) as string) : a)) as typeof args,
          );
        },
      },
      redact: {
        paths: [...REDACT, ...REDACT.map((k) => `*.${k}`), ...REDACT.map((k) => `*.*.${k}`)],
        censor: '[redacted]',
      },
    },
    destination,
  );

export type Logger = ReturnType<typeof createLogger>;
