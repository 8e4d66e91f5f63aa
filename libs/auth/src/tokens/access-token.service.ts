import { createSecretKey, type KeyObject } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';

export const ACCESS_TOKEN_ALGORITHM = 'HS256';
const ISSUER = 'flowdesk';
const AUDIENCE = 'flowdesk-api';
const MAX_TOKEN_LENGTH = 4096;
const VERIFIED_CACHE_SIZE = 10_000;

export interface AccessTokenSettings {
  /** At least 32 bytes (the gateway refuses to boot otherwise). */
  secret: string;
  ttlSeconds: number;
  /** Accepted clock skew in seconds. */
  clockToleranceSeconds?: number;
}

/** What an access token says: who (`sub`, a staff id) and which sign-in session (`sid`). */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  typ: 'access';
  iat: number;
  exp: number;
}

export type TokenRejection = 'TOKEN_INVALID' | 'TOKEN_EXPIRED';

export class TokenRejectedError extends Error {
  constructor(readonly reason: TokenRejection) {
    super(reason);
  }
}

/**
 * Signs and verifies access tokens: HS256 only (`alg: none` and every other algorithm are refused),
 * a prebuilt secret KeyObject (a string secret costs ~750 µs a verify under OpenSSL 3, STACK-NOTES),
 * issuer and audience pinned, and `exp` required — jsonwebtoken accepts tokens without one.
 */
export class AccessTokenService {
  private readonly key: KeyObject;
  private readonly jwt: JwtService;
  /**
   * Tokens whose signature and claims already checked out: an HMAC verify and two JSON parses were 5 % of
   * a request in bench/gateway's profile. Bounded; emptied when full.
   */
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor(private readonly settings: AccessTokenSettings) {
    if (Buffer.byteLength(settings.secret, 'utf8') < 32)
      throw new Error('JWT secret must be at least 32 bytes');
    this.key = createSecretKey(Buffer.from(settings.secret, 'utf8'));
    this.jwt = new JwtService({
      secret: this.key,
      signOptions: { algorithm: ACCESS_TOKEN_ALGORITHM, issuer: ISSUER, audience: AUDIENCE },
      verifyOptions: {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTolerance: settings.clockToleranceSeconds ?? 5,
      },
    });
  }

  get ttlSeconds(): number {
    return this.settings.ttlSeconds;
  }

  sign(subject: { staffId: string; sessionId: string }): { token: string; expiresAt: Date } {
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + this.settings.ttlSeconds;
    const token = this.jwt.sign({ sub: subject.staffId, sid: subject.sessionId, typ: 'access', iat, exp });
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a genuine, unexpired access token; throws TokenRejectedError otherwise. */
  verify(token: string): AccessTokenClaims {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('TOKEN_INVALID');
    const known = this.verified.get(token);
    if (known) return this.unexpired(known);
    const claims = this.unexpired(this.check(token));
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }

  /** Signature, algorithm, issuer, audience and the claims' shape: a pure function of the token's bytes. */
  private check(token: string): AccessTokenClaims {
    let payload: unknown;
    try {
      payload = this.jwt.verify<object>(token);
    } catch (error) {
      const name = (error as Error | null)?.name;
      throw new TokenRejectedError(name === 'TokenExpiredError' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID');
    }
    const claims = payload as Partial<AccessTokenClaims>;
    if (
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number' ||
      claims.typ !== 'access' ||
      typeof claims.sub !== 'string' ||
      !/^\d{1,19}$/.test(claims.sub) ||
      typeof claims.sid !== 'string' ||
      !/^[0-9a-f-]{36}$/.test(claims.sid)
    ) {
      throw new TokenRejectedError('TOKEN_INVALID');
    }
    return claims as AccessTokenClaims;
  }

  // jsonwebtoken checks exp only when present; it is required here, and checked on every use (a
  // remembered token expires like any other; this is jsonwebtoken's own test, so the answer is the same).
  private unexpired(claims: AccessTokenClaims): AccessTokenClaims {
    if (claims.exp * 1000 + (this.settings.clockToleranceSeconds ?? 5) * 1000 <= Date.now()) {
      throw new TokenRejectedError('TOKEN_EXPIRED');
    }
    return claims;
  }
}
