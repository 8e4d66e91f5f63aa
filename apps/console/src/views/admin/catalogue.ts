import type { Schemas } from '@/api/client';

export type PermissionCode = Schemas['CreateRoleDto']['permissions'][number];
export type DataScope = Schemas['CreateRoleDto']['dataScope'];

/**
 * Every grantable code of the gateway's schema, as a Record so that a code the schema adds and this
 * list lacks fails vue-tsc (workflow:deploy, workflow:admin and workflow:external-task were missing:
 * an administrator could not grant process design in the console).
 */
const GRANTABLE: Record<PermissionCode, true> = {
  'department:read': true,
  'department:write': true,
  'group:read': true,
  'group:write': true,
  'role:read': true,
  'role:write': true,
  'menu:read': true,
  'menu:write': true,
  'staff:read': true,
  'staff:write': true,
  'staff:grant': true,
  'staff:password-reset': true,
  'application:read': true,
  'application:write': true,
  'audit:read': true,
  'crm:read': true,
  'crm:write': true,
  'crm:phone': true,
  'crm:template': true,
  'crm:import': true,
  'crm:export': true,
  'stats:read': true,
  'webhook:read': true,
  'webhook:write': true,
  'webhook:publish': true,
  'workorder:admin': true,
  'form:write': true,
  'datamodel:design': true,
  'datarecord:read': true,
  'datarecord:write': true,
  'datarecord:import': true,
  'datarecord:export': true,
  'monitoring:read': true,
  'workflow:deploy': true,
  'workflow:admin': true,
  'workflow:external-task': true,
  'workflow:use': true,
  'flow:act-for-users': true,
  'erp:sync': true,
  'dingtalk:read': true,
  'dingtalk:sync': true,
  'message:read': true,
  'message:write': true,
  'deadletter:admin': true,
  '*': true,
};
export const PERMISSION_CODES = Object.keys(GRANTABLE) as PermissionCode[];

/** The locale key of a code's name (`admin.perm.crm_read`); the code itself is shown beside or on hover. */
export const permissionKey = (code: string): string =>
  `admin.perm.${code === '*' ? 'all' : code.replace(/[:-]/g, '_')}`;

export const DATA_SCOPES: readonly DataScope[] = ['own', 'department', 'department_and_below', 'all'];

/** Options for a permission picker, grouped by the part before the colon. */
export function permissionGroups(): { area: string; codes: PermissionCode[] }[] {
  const areas = new Map<string, PermissionCode[]>();
  for (const code of PERMISSION_CODES) {
    const area = code === '*' ? '*' : code.split(':')[0]!;
    areas.set(area, [...(areas.get(area) ?? []), code]);
  }
  return [...areas].map(([area, codes]) => ({ area, codes }));
}
