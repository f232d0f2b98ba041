import { hash, verify } from '@node-rs/argon2';

/** Argon2id (the package's const enum value 2, which isolated modules cannot import). */
const ARGON2ID = 2;
/** argon2id with OWASP's second recommended setting (19 MiB, 2 passes). */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, OPTIONS);

export const verifyPassword = async (passwordHash: string, password: string) => {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
};

/** Verifying against this when the user does not exist keeps the timing of "no such user" and "wrong password" alike. */
export const DUMMY_HASH = await hashPassword('postdesk-timing-equaliser');

export const MIN_PASSWORD_LENGTH = 12;

/**
 * Passwords that are among the first tried by anyone guessing (international lists and Vietnamese habits),
 * compared without case, spaces or punctuation.
 */
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '111111111111',
  '000000000000',
  '123123123123',
  '123456123456',
  '987654321098',
  'qwertyuiopas',
  'qwerty123456',
  '1qaz2wsx3edc',
  'password1234',
  'password12345',
  'passwordpassword',
  'matkhau123456',
  'matkhaucuatoi',
  'matkhaumoi123',
  'iloveyou1234',
  'anhyeuem1234',
  'anhyeuem123456',
  'emyeuanh1234',
  'vietnam123456',
  'vietnamvodich',
  'hochiminh1234',
  'hanoi1234567',
  'admin1234567',
  'administrator',
  'abc123456789',
  'abcdefghijkl',
  'letmein12345',
  'welcome12345',
  'changeme1234',
  'postdesk1234',
  'postdeskdemo',
  'buudien123456',
  'vnpost123456',
  'dichvucong123',
  'motcuaquocgia',
]);

const squash = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');

/** Why a new password is refused, or null: ≥ 12 characters, not the username, not a common password. */
export const passwordWeakness = (password: string, username: string) => {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  const plain = squash(password);
  const user = squash(username);
  if (user.length >= 4 ? plain.includes(user) : plain === user) return 'contains_username';
  if (COMMON_PASSWORDS.has(plain)) return 'common';
  if (new Set(plain).size <= 2) return 'repetitive';
  return null;
};
