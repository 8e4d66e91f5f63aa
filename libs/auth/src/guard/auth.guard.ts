import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '@app/contracts';
import { AppException } from '@app/common';
import { CredentialsError, readCredentials } from '../credentials/request-credentials';
import { hasPermission, type Permission } from '../permissions/permissions';
import { AccessTokenService, TokenRejectedError } from '../tokens/access-token.service';
import {
  ALLOW_PENDING_PASSWORD_CHANGE,
  IS_PUBLIC,
  REQUIRED_PERMISSIONS,
  STAFF_ONLY,
  TRUSTED_NETWORK,
} from './decorators';
import { type Principal, PrincipalResolver } from './principal';

/**
 * The one global guard (APP_GUARD): authenticates every HTTP route that is not `@Public()` — Bearer
 * JWT or seed-004 app/service headers — puts the Principal on the request, then checks
 * `@RequirePermissions`, `@StaffOnly` and a pending password change. Missing or bad token → 4004,
 * disabled account → 4002, unknown application or missing permission → 4001.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly resolver: PrincipalResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = await this.authenticate(
      request,
      this.reflector.getAllAndOverride<boolean>(TRUSTED_NETWORK, targets) ?? false,
    );
    request.principal = principal;

    if (
      principal.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_CHANGE, targets)
    ) {
      throw new AppException(
        ErrorCode.NoPermission,
        'PASSWORD_CHANGE_REQUIRED',
        'change your password first',
      );
    }
    if (principal.staffId === null && this.reflector.getAllAndOverride<boolean>(STAFF_ONLY, targets)) {
      throw new AppException(
        ErrorCode.NoPermission,
        'STAFF_ONLY',
        'only a signed-in staff member may call this',
      );
    }
    const required = this.reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS, targets) ?? [];
    const missing = required.filter((permission) => !hasPermission(principal.actor, permission));
    if (missing.length > 0) {
      throw new AppException(
        ErrorCode.NoPermission,
        'NO_PERMISSION',
        `missing permission ${missing.join(', ')}`,
      );
    }
    return true;
  }

  private async authenticate(request: FastifyRequest, trustedNetwork: boolean): Promise<Principal> {
    let credentials;
    try {
      credentials = readCredentials(request.headers);
    } catch (error) {
      if (error instanceof CredentialsError) throw new AppException(error.code, error.reason, error.message);
      throw error;
    }
    switch (credentials.type) {
      case 'none': {
        const trusted = trustedNetwork ? await this.resolver.forTrustedNetwork(request.ip) : null;
        if (trusted) return trusted;
        throw new AppException(ErrorCode.InvalidToken, 'TOKEN_MISSING', 'sign in first');
      }
      case 'bearer':
        return this.resolver.forSession(this.verify(credentials.token));
      case 'app':
      case 'service':
        return this.resolver.forApplication(credentials);
    }
  }

  private verify(token: string) {
    try {
      return this.tokens.verify(token);
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        throw new AppException(
          ErrorCode.InvalidToken,
          error.reason,
          error.reason === 'TOKEN_EXPIRED' ? 'token expired' : 'invalid token',
        );
      }
      throw error;
    }
  }
}
