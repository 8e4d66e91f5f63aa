import type { Actor } from '@app/contracts';
import type { AccessTokenClaims } from '../tokens/access-token.service';

/** The authenticated caller of one request, set by the AuthGuard on `request.principal`. */
export interface Principal {
  /** What the rest of the platform (and the workflow app) sees. */
  actor: Actor;
  /** The staff member acting, or null for a service acting as itself. */
  staffId: string | null;
  /** The sign-in session of a Bearer token (null for application calls). */
  sessionId: string | null;
  /** The registered application or service the call came through, if any (its platform id). */
  applicationId: string | null;
  /** That application's own grants (the ceiling of what it may do), when there is one. */
  applicationPermissions?: string[];
  /** An administrator reset the password: only `@AllowPendingPasswordChange()` routes answer. */
  mustChangePassword: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Seed-004 application credentials read from the headers. */
export interface ApplicationCredentials {
  type: 'app' | 'service';
  clientId: string;
  secret: string;
  token: string | null;
}

/**
 * Turns verified credentials into a Principal. The gateway's identity module implements it (sessions,
 * roles, departments, registered applications live in its database); it throws coded AppExceptions:
 * 4004 for a revoked session, 4002 for a disabled account, 4001 for unknown application credentials.
 */
export abstract class PrincipalResolver {
  abstract forSession(claims: AccessTokenClaims): Promise<Principal>;
  abstract forApplication(credentials: ApplicationCredentials): Promise<Principal>;
  /** The configured service for an uncredentialed call from a trusted network; null when not trusted. */
  forTrustedNetwork(_ip: string): Promise<Principal | null> {
    return Promise.resolve(null);
  }
}
