import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '@app/contracts';
import { AppException } from '@app/common';
import { coversPermissions } from '@app/auth';

/**
 * Seed 004 is called through registered applications and services: the registration bounds what the
 * call may reach. An application or service must hold `workflow:use` for any process or task route
 * (one registered with only `crm:read` gets 4001); then the user's (or the service's own) rights decide
 * each step, as everywhere. People calling with their own token need no such grant.
 */
@Injectable()
export class SeedCallerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal || principal.applicationId === null) return true;
    if (coversPermissions(principal.applicationPermissions ?? [], ['workflow:use'])) return true;
    throw new AppException(
      ErrorCode.NoPermission,
      'NO_PERMISSION',
      'missing permission workflow:use (the application’s or service’s registration)',
    );
  }
}
