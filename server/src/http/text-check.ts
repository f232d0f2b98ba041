/**
 * Text nobody types: C0/C1 control characters other than tab and line breaks (NUL among them, which
 * PostgreSQL cannot store), U+FFFE/U+FFFF, and the bidirectional controls that make a name or a reference
 * read differently from what is stored (Vietnamese never needs them).
 */
const forbidden = (u: number) =>
  (u <= 0x1f && u !== 0x09 && u !== 0x0a && u !== 0x0d) ||
  (u >= 0x7f && u <= 0x9f) ||
  u === 0xfffe ||
  u === 0xffff ||
  u === 0x061c ||
  u === 0x200e ||
  u === 0x200f ||
  (u >= 0x202a && u <= 0x202e) ||
  (u >= 0x2066 && u <= 0x2069);

const hex = (u: number) => `U+${u.toString(16).toUpperCase().padStart(4, '0')}`;

/** What is wrong with `s`, or null; one pass over its UTF-16 code units (a lone surrogate is broken text). */
const describe = (s: string) => {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return 'broken character (lone surrogate)';
      i++;
      continue;
    }
    if (u >= 0xdc00 && u <= 0xdfff) return 'broken character (lone surrogate)';
    if (forbidden(u)) return `character ${hex(u)} is not allowed`;
  }
  return null;
};

/**
 * The first string (or object key) in `value` holding text nobody types, with its path and what is wrong;
 * null when everything is clean. Walks arrays and plain objects to any depth.
 */
export const findInvalidText = (
  value: unknown,
  path: string[] = [],
): { path: string; message: string } | null => {
  if (typeof value === 'string') {
    const message = describe(value);
    return message ? { path: path.join('.'), message } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findInvalidText(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = describe(key);
      if (keyProblem) return { path: [...path, key].join('.'), message: keyProblem };
      const found = findInvalidText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** True when `bytes` are not valid UTF-8 (a browser never sends such a body; a decoder would hide it). */
export const invalidUtf8 = (bytes: Uint8Array) => {
  try {
    strictUtf8.decode(bytes);
    return false;
  } catch {
    return true;
  }
};
