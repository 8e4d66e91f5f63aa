import { createHmac } from 'node:crypto';

const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Hand-made JWTs for rejection tests: any header, any payload, any key (or no signature). */
export function forgeJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: string | null,
  algorithm: 'sha256' | 'sha512' = 'sha256',
): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  if (key === null) return `${signingInput}.`;
  return `${signingInput}.${createHmac(algorithm, key).update(signingInput).digest('base64url')}`;
}
