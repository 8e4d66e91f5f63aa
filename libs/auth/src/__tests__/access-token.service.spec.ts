import { AccessTokenService, TokenRejectedError } from '../tokens/access-token.service';
import { forgeJwt } from './jwt-forge';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
const SID = '0b6f3c1e-8a44-4d2b-9a57-3f1f0e6f2a11';
const service = new AccessTokenService({ secret: SECRET, ttlSeconds: 600 });
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: '42',
  sid: SID,
  typ: 'access',
  iat: now(),
  exp: now() + 600,
  iss: 'flowdesk',
  aud: 'flowdesk-api',
  ...extra,
});

function rejection(token: string): string {
  try {
    service.verify(token);
  } catch (error) {
    if (error instanceof TokenRejectedError) return error.reason;
    throw error;
  }
  return 'ACCEPTED';
}

describe('AccessTokenService', () => {
  it('signs HS256 tokens that always carry exp, and verifies them', () => {
    const { token, expiresAt } = service.sign({ staffId: '42', sessionId: SID });
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('HS256');
    const verified = service.verify(token);
    expect(verified).toMatchObject({ sub: '42', sid: SID, typ: 'access' });
    expect(verified.exp * 1000).toBe(expiresAt.getTime());
  });

  it('accepts a well-formed token made elsewhere with the same key (the forge is faithful)', () => {
    expect(rejection(forgeJwt({ alg: 'HS256', typ: 'JWT' }, claims(), SECRET))).toBe('ACCEPTED');
  });

  it.each([
    ['alg none, no signature', forgeJwt({ alg: 'none', typ: 'JWT' }, claims(), null)],
    ['alg none with a signature', forgeJwt({ alg: 'none', typ: 'JWT' }, claims(), SECRET)],
    [
      'HS512 with the right key (algorithm not pinned)',
      forgeJwt({ alg: 'HS512' }, claims(), SECRET, 'sha512'),
    ],
    ['wrong key', forgeJwt({ alg: 'HS256' }, claims(), 'another-secret-another-secret-0123456789')],
    ['no exp', forgeJwt({ alg: 'HS256' }, claims({ exp: undefined }), SECRET)],
    ['exp as a string', forgeJwt({ alg: 'HS256' }, claims({ exp: String(now() + 600) }), SECRET)],
    ['no typ', forgeJwt({ alg: 'HS256' }, claims({ typ: undefined }), SECRET)],
    ['a refresh-type token', forgeJwt({ alg: 'HS256' }, claims({ typ: 'refresh' }), SECRET)],
    ['non-numeric subject', forgeJwt({ alg: 'HS256' }, claims({ sub: 'admin' }), SECRET)],
    ['no session id', forgeJwt({ alg: 'HS256' }, claims({ sid: undefined }), SECRET)],
    ['another issuer', forgeJwt({ alg: 'HS256' }, claims({ iss: 'evil' }), SECRET)],
    ['another audience', forgeJwt({ alg: 'HS256' }, claims({ aud: 'other' }), SECRET)],
    ['garbage', 'not.a.token'],
    ['empty', ''],
    ['oversized', 'a'.repeat(5000)],
  ])('rejects %s as TOKEN_INVALID', (_, token) => {
    expect(rejection(token)).toBe('TOKEN_INVALID');
  });

  it('rejects a tampered payload (signature of the original)', () => {
    const { token } = service.sign({ staffId: '42', sessionId: SID });
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify(claims({ sub: '1' }))).toString('base64url');
    expect(rejection(`${header}.${payload}.${signature}`)).toBe('TOKEN_INVALID');
  });

  it('rejects an expired token as TOKEN_EXPIRED', () => {
    const token = forgeJwt({ alg: 'HS256' }, claims({ iat: now() - 700, exp: now() - 60 }), SECRET);
    expect(rejection(token)).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token it accepted before once it has expired (verified tokens are remembered)', () => {
    jest.useFakeTimers({ now: Date.now() });
    try {
      const token = forgeJwt({ alg: 'HS256' }, claims({ exp: now() + 60 }), SECRET);
      expect(rejection(token)).toBe('ACCEPTED');
      expect(rejection(token)).toBe('ACCEPTED');
      jest.advanceTimersByTime(66_000); // past exp and the 5 s tolerance
      expect(rejection(token)).toBe('TOKEN_EXPIRED');
    } finally {
      jest.useRealTimers();
    }
  });

  it('still refuses a token that differs from an accepted one in a single byte', () => {
    const { token } = service.sign({ staffId: '42', sessionId: SID });
    expect(rejection(token)).toBe('ACCEPTED');
    const [header, payload, signature] = token.split('.');
    const first = signature[0] === 'A' ? 'B' : 'A';
    expect(rejection(`${header}.${payload}.${first}${signature.slice(1)}`)).toBe('TOKEN_INVALID');
  });

  it('refuses a secret under 32 bytes', () => {
    expect(() => new AccessTokenService({ secret: 'short', ttlSeconds: 60 })).toThrow(/32 bytes/);
  });
});
