import { ALL_PERMISSIONS_GRANT, coversPermissions, widestScope } from '@app/auth';
import type { Actor, DataScope } from '@app/contracts';
import { IdentityException, IdentityReason } from '../identity.exception';

/**
 * No one grants more than they hold: the permissions given away (through roles, menus, groups or an
 * application) must be a subset of the caller's, and a role may not reach wider data than the caller.
 */
export function assertCanGrant(
  actor: Actor,
  permissions: readonly string[],
  scopes: readonly DataScope[] = [],
): void {
  if (!coversPermissions(actor.permissions, permissions)) {
    throw IdentityException.denied(
      IdentityReason.GrantExceedsOwn,
      'you cannot grant permissions you do not hold',
    );
  }
  const isSuper = actor.permissions.includes(ALL_PERMISSIONS_GRANT);
  if (!isSuper && scopes.length > 0 && widestScope([actor.dataScope, ...scopes]) !== actor.dataScope) {
    throw IdentityException.denied(
      IdentityReason.GrantExceedsOwn,
      'you cannot grant a wider data scope than yours',
    );
  }
}

/** A super admin (holder of `*`) may only be changed by another one. */
export function assertMayTouch(actor: Actor, targetPermissions: readonly string[]): void {
  if (
    targetPermissions.includes(ALL_PERMISSIONS_GRANT) &&
    !actor.permissions.includes(ALL_PERMISSIONS_GRANT)
  ) {
    throw IdentityException.denied(
      IdentityReason.SuperAdminProtected,
      'only a super admin may change a super admin',
    );
  }
}
