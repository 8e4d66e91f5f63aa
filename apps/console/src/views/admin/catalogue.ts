import type { Schemas } from '@/api/client';

export type PermissionCode = Schemas['CreateRoleDto']['permissions'][number];
export type DataScope = Schemas['CreateRoleDto']['dataScope'];

/** The grantable codes as the gateway's schema lists them (typed: a removed code fails vue-tsc). */
export const PERMISSION_CODES: readonly PermissionCode[] = [
  'department:read',
  'department:write',
  'group:read',
  'group:write',
  'role:read',
  'role:write',
  'menu:read',
  'menu:write',
  'staff:read',
  'staff:write',
  'staff:grant',
  'staff:password-reset',
  'application:read',
  'application:write',
  'audit:read',
  'crm:read',
  'crm:write',
  'crm:phone',
  'crm:template',
  'crm:import',
  'crm:export',
  'stats:read',
  'webhook:read',
  'webhook:write',
  'webhook:publish',
  'workorder:admin',
  'form:write',
  'datamodel:design',
  'datarecord:read',
  'datarecord:write',
  'datarecord:import',
  'datarecord:export',
  'monitoring:read',
  'workflow:use',
  'flow:act-for-users',
  'erp:sync',
  'dingtalk:read',
  'dingtalk:sync',
  'message:read',
  'message:write',
  'deadletter:admin',
  '*',
];

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
