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

/** A route's access rules, from its handler's and controller's decorators. */
interface RouteRules {
  isPublic: boolean;
  trustedNetwork: boolean;
  allowPendingPasswordChange: boolean;
  staffOnly: boolean;
  required: Permission[];
}

/**
 * The one global guard (APP_GUARD): authenticates every HTTP route that is not `@Public()` — Bearer
 * JWT or seed-004 app/service headers — puts the Principal on the request, then checks
 * `@RequirePermissions`, `@StaffOnly` and a pending password change. Missing or bad token → 4004,
 * disabled account → 4002, unknown application or missing permission → 4001.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /**
   * Rules by controller class and handler, read once (metadata does not change once the app runs, and
   * five reflect-metadata look-ups per request showed in the gateway's profile; inherited route
   * methods are shared by several controllers, so the class is part of the key).
   */
  private readonly rules = new WeakMap<object, WeakMap<object, RouteRules>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly resolver: PrincipalResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rules = this.rulesOf(context.getHandler(), context.getClass());
    if (rules.isPublic) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = await this.authenticate(request, rules.trustedNetwork);
    request.principal = principal;

    if (principal.mustChangePassword && !rules.allowPendingPasswordChange) {
      throw new AppException(
        ErrorCode.NoPermission,
        'PASSWORD_CHANGE_REQUIRED',
        'change your password first',
      );
    }
    if (principal.staffId === null && rules.staffOnly) {
      throw new AppException(
        ErrorCode.NoPermission,
        'STAFF_ONLY',
        'only a signed-in staff member may call this',
      );
    }
    const missing = rules.required.filter((permission) => !hasPermission(principal.actor, permission));
    if (missing.length > 0) {
      throw new AppException(
        ErrorCode.NoPermission,
        'NO_PERMISSION',
        `missing permission ${missing.join(', ')}`,
      );
    }
    return true;
  }

  private rulesOf(handler: object, controller: object): RouteRules {
    let byHandler = this.rules.get(controller);
    if (!byHandler) this.rules.set(controller, (byHandler = new WeakMap()));
    let rules = byHandler.get(handler);
    if (!rules) {
      const targets = [handler, controller] as [() => unknown, new () => unknown];
      rules = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
        trustedNetwork: this.reflector.getAllAndOverride<boolean>(TRUSTED_NETWORK, targets) ?? false,
        allowPendingPasswordChange:
          this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_CHANGE, targets) ?? false,
        staffOnly: this.reflector.getAllAndOverride<boolean>(STAFF_ONLY, targets) ?? false,
        required: this.reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS, targets) ?? [],
      };
      byHandler.set(handler, rules);
    }
    return rules;
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
