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
