import { createHash } from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';

// OWASP's Argon2id minimum (m = 19 MiB, t = 2, p = 1): ~50 ms a hash on this hardware.
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Stored hash = Argon2id(md5hex(password)). The legacy sales-assistant login (seed 003) sends only
 * md5(password); hashing the md5 lets that login and the platform login verify the same record
 * without ever keeping an md5 at rest.
 */
export function md5Hex(value: string): string {
  return createHash('md5').update(value, 'utf8').digest('hex');
}

export async function hashPassword(password: string): Promise<string> {
  return hash(md5Hex(password), ARGON2_OPTIONS);
}

export async function verifyPassword(password: string, storedHash: string): Promise<boolean> {
  return verifyMd5Password(md5Hex(password), storedHash);
}

/** For clients that send md5(password) instead of the password (seed 003). */
export async function verifyMd5Password(passwordMd5: string, storedHash: string): Promise<boolean> {
  if (!/^[0-9a-f]{32}$/i.test(passwordMd5)) return false;
  try {
    return await verify(storedHash, passwordMd5.toLowerCase());
  } catch {
    return false;
  }
}
