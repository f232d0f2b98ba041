import pino from 'pino';

/**
 * Keys whose values are personal data or secrets, wherever they sit in a logged object (any depth, any case):
 * the value becomes "[redacted]".
 */
const SENSITIVE_KEY =
  /password|passwd|secret|token|cookie|authorization|phone|citizen_?id|id_?number|full_?name|contact_?name|recipient|email|address|birth|^otp$|^pin$|^(body|input|params|parameters)$/i;

/**
 * Personal data inside free text (an error message that quotes a value, a query's parameters): phone numbers,
 * 12-digit citizen ids, e-mail addresses, and the `params:` line drizzle appends to a failed query.
 */
const TEXT_PATTERNS: [RegExp, string][] = [
  [/params: [^\n]*/g, 'params: [redacted]'],
  [/(?<![\w.])(?:\+?84[ .-]?|0)[235789]\d(?:[ .-]?\d){7,8}(?!\d)/g, '[phone]'],
  [/(?<!\d)\d{12}(?!\d)/g, '[id]'],
  [/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[a-z]{2,}/gi, '[email]'],
];

export const scrubText = (text: string) =>
  TEXT_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);

const MAX_DEPTH = 8;

/** A copy of `value` safe to log: sensitive keys redacted and free text scrubbed at every depth. */
export const redactDeep = (value: unknown, depth = 0, seen = new WeakSet<object>()): unknown => {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrubText(value.message),
      ...(value.stack ? { stack: scrubText(value.stack) } : {}),
      ...(value.cause ? { cause: redactDeep(value.cause, depth + 1, seen) } : {}),
    };
  }
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? '[redacted]' : redactDeep(item, depth + 1, seen);
  }
  return out;
};

export const createLogger = (level: string, destination?: pino.DestinationStream) =>
  pino(
    {
      level,
      base: undefined,
      hooks: {
        // Every argument of every call, before pino serialises it: objects at any depth and message strings.
        logMethod(args, method) {
          const safe = args.map((a) => redactDeep(a)) as Parameters<typeof method>;
          method.apply(this, safe);
        },
      },
    },
    destination,
  );

export type Logger = ReturnType<typeof createLogger>;
