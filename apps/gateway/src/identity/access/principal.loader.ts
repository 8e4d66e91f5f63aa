import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Actor, ErrorCode, trustActor } from '@app/contracts';
import { AppException, type ForgetsForTest, forgetOnTestReset } from '@app/common';
import {
  AccessTokenService,
  type AccessTokenClaims,
  type ApplicationCredentials,
  intersectPermissions,
  type Principal,
  PrincipalResolver,
  TokenRejectedError,
  widestScope,
} from '@app/auth';
import ipaddr from 'ipaddr.js';
import { GatewayEnv, parseCidrList } from '../../config/gateway.env';
import { IdentityException, IdentityReason } from '../identity.exception';
import { type IdentityChange, IdentityChangeFeed } from '../shared/identity-change-feed';
import { TtlCache } from '../shared/ttl-cache';
import { AccessRepository, type ApplicationAccess, type StaffAccess } from './access.repository';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/**
 * Resolves Bearer sessions and seed-004 applications into Principals. Resolved callers are cached
 * (AUTH_CACHE_TTL_SECONDS) only while the identity change feed is live, and every change — logout,
 * password, status, roles, groups, menus, departments, applications — evicts them on all replicas.
 */
@Injectable()
export class PrincipalLoader extends PrincipalResolver implements ForgetsForTest {
  private readonly sessions: TtlCache<Principal>;
  private readonly applications: TtlCache<ApplicationAccess>;
  /** Bumped on every eviction: a lookup that raced with a change is not cached. */
  private generation = 0;
  private readonly trustedNetworks: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  private readonly trustedService: string | null;

  constructor(
    private readonly access: AccessRepository,
    private readonly tokens: AccessTokenService,
    private readonly feed: IdentityChangeFeed,
    @Inject(GatewayEnv) config: GatewayEnv,
  ) {
    super();
    forgetOnTestReset(this);
    const ttlMs = config.AUTH_CACHE_TTL_SECONDS * 1000;
    this.sessions = new TtlCache(ttlMs, config.AUTH_CACHE_MAX_ENTRIES);
    this.applications = new TtlCache(ttlMs, Math.min(config.AUTH_CACHE_MAX_ENTRIES, 10_000));
    feed.subscribe((change) => this.forget(change));
    this.trustedNetworks = parseCidrList(config.TRUSTED_NETWORKS ?? '') ?? [];
    this.trustedService = config.TRUSTED_NETWORK_SERVICE ?? null;
  }

  forgetForTest(): void {
    this.sessions.clear();
    this.applications.clear();
  }

  async forSession(claims: AccessTokenClaims): Promise<Principal> {
    const cached = this.feed.live ? this.sessions.get(claims.sid) : undefined;
    const principal = cached ?? (await this.loadSession(claims.sid));
    if (principal.staffId !== claims.sub) throw IdentityException.revoked();
    return principal;
  }

  async forApplication(credentials: ApplicationCredentials): Promise<Principal> {
    const application = await this.application(credentials.clientId);
    if (
      !application ||
      application.type !== credentials.type ||
      application.status !== 'active' ||
      !sameDigest(sha256Hex(credentials.secret), application.secretHash)
    ) {
      throw IdentityException.denied(
        IdentityReason.ApplicationUnknown,
        'unknown application or wrong secret',
      );
    }
    if (credentials.token) {
      // Acting for the signed-in user: never more than the user may do, nor more than the application may.
      const user = await this.forSession(this.verify(credentials.token));
      const actor = trustActor(
        Object.assign(new Actor(), user.actor, {
          kind: application.type,
          permissions: intersectPermissions(user.actor.permissions, application.permissions),
        }),
      );
      return {
        ...user,
        actor,
        applicationId: application.id,
        applicationPermissions: [...application.permissions],
      };
    }
    if (application.type === 'app') {
      throw new AppException(
        ErrorCode.InvalidToken,
        'TOKEN_MISSING',
        'an application call carries the user token',
      );
    }
    return serviceOf(application);
  }

  /**
   * Seed 002's callers send no credentials: from a configured trusted network they act as the
   * configured service (both must be set; a revoked or unknown service trusts nobody).
   */
  override async forTrustedNetwork(ip: string): Promise<Principal | null> {
    if (!this.trustedService || this.trustedNetworks.length === 0 || !ipaddr.isValid(ip)) return null;
    const address = ipaddr.process(ip);
    const trusted = this.trustedNetworks.some(
      ([range, bits]) => address.kind() === range.kind() && address.match(range, bits),
    );
    if (!trusted) return null;
    const application = await this.application(this.trustedService);
    if (!application || application.type !== 'service' || application.status !== 'active') return null;
    return serviceOf(application);
  }

  /** The Actor of a staff member as a request would see it (used by /me and by tests of the scope rules). */
  async actorOf(access: StaffAccess): Promise<Actor> {
    const dataScope = widestScope(access.scopes);
    let departmentIds: string[] = [];
    if (access.departmentId && dataScope === 'department') departmentIds = [access.departmentId];
    if (access.departmentId && dataScope === 'department_and_below') {
      departmentIds = await this.access.departmentSubtree(access.departmentId);
    }
    return trustActor(
      Object.assign(new Actor(), {
        id: access.staffId,
        kind: 'staff' as const,
        account: access.account,
        departmentId: access.departmentId,
        groupIds: access.groupIds,
        roles: access.roles,
        permissions: access.permissions,
        dataScope,
        departmentIds,
      }),
    );
  }

  /** The Principal of a staff member acted for by a service (their own rights; 4200 / 4002 otherwise). */
  async forStaff(staffId: string, applicationId: string | null): Promise<Principal> {
    const access = await this.access.findStaffAccess(staffId);
    if (!access || access.status === 'deleted') throw IdentityException.userNotFound();
    if (access.status === 'disabled') throw IdentityException.disabled();
    return {
      actor: await this.actorOf(access),
      staffId: access.staffId,
      sessionId: null,
      applicationId,
      mustChangePassword: false,
    };
  }

  private async loadSession(sessionId: string): Promise<Principal> {
    const generation = this.generation;
    const row = await this.access.findSessionAccess(sessionId);
    // Disabling ends the sessions too; its token still answers "account disabled" (4002), not 4004.
    if (row?.status === 'disabled') throw IdentityException.disabled();
    if (!row || row.revokedAt !== null || row.expiresAt.getTime() <= Date.now() || row.status === 'deleted') {
      throw IdentityException.revoked();
    }
    const principal: Principal = {
      actor: await this.actorOf(row),
      staffId: row.staffId,
      sessionId: row.sessionId,
      applicationId: null,
      mustChangePassword: row.mustChangePassword,
    };
    if (this.feed.live && generation === this.generation) {
      this.sessions.set(sessionId, principal, row.expiresAt.getTime());
    }
    return principal;
  }

  private async application(clientId: string): Promise<ApplicationAccess | null> {
    const cached = this.feed.live ? this.applications.get(clientId) : undefined;
    if (cached) return cached;
    const generation = this.generation;
    const row = await this.access.findApplication(clientId);
    if (row && this.feed.live && generation === this.generation) this.applications.set(clientId, row);
    return row;
  }

  private verify(token: string): AccessTokenClaims {
    try {
      return this.tokens.verify(token);
    } catch (error) {
      if (error instanceof TokenRejectedError)
        throw new AppException(ErrorCode.InvalidToken, error.reason, 'invalid token');
      throw error;
    }
  }

  private forget(change: IdentityChange | null): void {
    this.generation += 1;
    if (change === null || change.kind === 'all') {
      this.sessions.clear();
      this.applications.clear();
      return;
    }
    switch (change.kind) {
      case 'session':
        this.sessions.delete(change.id);
        return;
      case 'staff':
        this.sessions.deleteWhere((principal) => principal.staffId === change.id);
        return;
      case 'application':
        this.applications.delete(change.clientId);
        return;
    }
  }
}

function serviceOf(application: ApplicationAccess): Principal {
  const actor = trustActor(
    Object.assign(new Actor(), {
      id: `service:${application.clientId}`,
      kind: 'service' as const,
      departmentId: null,
      groupIds: [],
      roles: [],
      permissions: [...application.permissions],
      dataScope: application.dataScope,
      departmentIds: [],
    }),
  );
  return {
    actor,
    staffId: null,
    sessionId: null,
    applicationId: application.id,
    applicationPermissions: [...application.permissions],
    mustChangePassword: false,
  };
}
