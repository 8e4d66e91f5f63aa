import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@app/contracts';
import type { Permission } from '../permissions/permissions';
import type { Principal } from './principal';

export const IS_PUBLIC = 'flowdesk:auth:public';
export const REQUIRED_PERMISSIONS = 'flowdesk:auth:permissions';
export const ALLOW_PENDING_PASSWORD_CHANGE = 'flowdesk:auth:allow-pending-password-change';
export const STAFF_ONLY = 'flowdesk:auth:staff-only';
export const TRUSTED_NETWORK = 'flowdesk:auth:trusted-network';

/**
 * How a route authenticates, for the OpenAPI document: the gateway's Swagger setup turns it into the
 * operation's `security` (none for public routes, Bearer only for staff-only ones, else Bearer or the
 * app/service headers). Read and removed there; not part of the published document.
 */
export const OPENAPI_AUTH_EXTENSION = 'x-flowdesk-auth';

/** No authentication (login, refresh, health). Everything else needs a token or app credentials. */
export const Public = () =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(OPENAPI_AUTH_EXTENSION, 'public'));

/** Every listed permission is required (4001 otherwise). Shown in Swagger as `x-permissions`. */
export const RequirePermissions = (...permissions: Permission[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSIONS, permissions),
    ApiBearerAuth(),
    ApiExtension('x-permissions', permissions),
  );

/** Reachable while an administrator-reset password still has to be changed (`/me`, change password, logout). */
export const AllowPendingPasswordChange = () => SetMetadata(ALLOW_PENDING_PASSWORD_CHANGE, true);

/** Only a staff member may call it (a service acting as itself gets 4001). */
export const StaffOnly = () =>
  applyDecorators(SetMetadata(STAFF_ONLY, true), ApiExtension(OPENAPI_AUTH_EXTENSION, 'staff'));

/**
 * An uncredentialed call from a configured trusted network is answered as the configured service
 * (seed 002's back-end callers send no credentials); off unless configured. Elsewhere: 4004.
 */
export const TrustedNetworkCallers = () => SetMetadata(TRUSTED_NETWORK, true);

function principalOf(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw new Error('no principal on this request: is the route @Public()?');
  return principal;
}

/** The calling Actor (id, kind, department, groups, roles, permissions, data scope, department ids). */
export const CurrentActor = createParamDecorator(
  (_: unknown, context: ExecutionContext): Actor => principalOf(context).actor,
);

/** The whole Principal (actor plus session, staff id and application). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal =>
  principalOf(context),
);
