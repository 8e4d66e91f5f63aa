import type { Actor } from '@app/contracts';

/**
 * The permission catalogue. Roles and menus grant codes from here (or `*`, every permission, held by
 * the super admin). A feature adds its codes to this object; stored grants are validated against it.
 */
export const PERMISSIONS = {
  'department:read': 'Read the department tree',
  'department:write': 'Create, edit and delete departments',
  'group:read': 'Read staff groups',
  'group:write': 'Create, edit, delete and restore staff groups and their menus',
  'role:read': 'Read roles',
  'role:write': 'Create, edit and delete roles',
  'menu:read': 'Read the menu items',
  'menu:write': 'Create, edit and delete menu items',
  'staff:read': 'Read staff records within the data scope',
  'staff:write': 'Create, edit, disable, enable, delete and restore staff within the data scope',
  'staff:grant': 'Assign roles and menus to staff (never more than one holds oneself)',
  'staff:password-reset': 'Reset the password of staff within the data scope',
  'application:read': 'Read registered applications and services',
  'application:write': 'Register, edit, rotate and revoke applications and services',
  'audit:read': 'Read the security audit log',
  'crm:read':
    'Read CRM records (organizations, customers, visits, demands, satisfaction, contracts) within the data scope',
  'crm:write': 'Create, edit, delete and restore CRM records within the data scope',
  'crm:phone':
    'Upload SMS and call records from a phone, read them within the data scope, read SMS templates',
  'crm:template': 'Create, edit and delete SMS templates',
  'crm:import': 'Import organizations and customers from CSV, and undo an import',
  'crm:export': 'Export CRM lists as CSV within the data scope',
  'stats:read': 'Read CRM statistics within the data scope',
  'webhook:read':
    'Read webhook subscriptions and their delivery logs (with the data scope all: they carry every department’s events), and the topic list',
  'webhook:write':
    'Create, edit, delete webhook subscriptions, rotate their secrets and retry deliveries (with the data scope all)',
  'webhook:publish': 'Push point-to-point messages to a receiver and publish to custom topics',
  'workorder:admin':
    'See and intervene in every work order (reassign, terminate, close), manage types and categories',
  'form:write': 'Create form definitions and new versions of them',
  'datamodel:design':
    'Define data models (fields, schema changes, flow bindings) and create or edit shared views of their records',
  'datarecord:read': 'Read model records within the data scope, and save personal views',
  'datarecord:write':
    'Create, edit, delete and restore model records within the data scope; start flows from them',
  'datarecord:import': 'Import model records from CSV, and undo an import',
  'datarecord:export': 'Export model records as CSV within the data scope',
  'monitoring:read': 'Read the monitoring centre (normal and abnormal instances) and process reports',
  'workflow:deploy':
    'Design processes: check and deploy BPMN definitions, suspend or activate them, change categories, deploy built-in flows and save forms',
  'workflow:admin':
    'See every process instance and task and administer them: signals and messages to every instance, timer jobs, trigger waits, external-task retries',
  'workflow:use':
    'An application or service may call the seed-004 process and task routes (its user’s or its own rights still decide each step)',
  'workflow:external-task':
    'Act as an external-task worker (BPMN service tasks of type external): fetch and lock by topic, complete, fail, extend locks, report BPMN errors',
  'flow:act-for-users':
    'A service acts for the staff member named by userName / userCode on the seed-002 routes, with that person’s rights',
  'erp:sync': 'Run ERP (Kingdee K/3 Cloud) syncs and read their runs',
  'dingtalk:read': 'Look up DingTalk departments, users and attendance',
  'dingtalk:sync': 'Copy DingTalk departments and staff into the directory (with staff:write)',
  'message:read': 'Read the message centre: templates, channel settings (never secrets), send records',
  'message:write':
    'Edit message templates, channel settings, sensitive words and per-event defaults; re-send failed messages',
  'deadletter:admin':
    'List messages the event consumers gave up on after their retries (dead letters) and replay them',
} as const;

export type Permission = keyof typeof PERMISSIONS;

/** Held by the super admin: every permission, including ones added later. */
export const ALL_PERMISSIONS_GRANT = '*';

export const PERMISSION_CODES = Object.keys(PERMISSIONS) as Permission[];

export function isKnownPermission(code: string): boolean {
  return code === ALL_PERMISSIONS_GRANT || Object.hasOwn(PERMISSIONS, code);
}

export function hasPermission(actor: Pick<Actor, 'permissions'>, permission: Permission): boolean {
  return actor.permissions.includes(ALL_PERMISSIONS_GRANT) || actor.permissions.includes(permission);
}

/** True when `held` covers every code of `wanted` (no one grants more than they hold). */
export function coversPermissions(held: readonly string[], wanted: readonly string[]): boolean {
  if (held.includes(ALL_PERMISSIONS_GRANT)) return true;
  return wanted.every((code) => code !== ALL_PERMISSIONS_GRANT && held.includes(code));
}

/** The effective permission list of a caller limited by a ceiling (an app's grants over its user's). */
export function intersectPermissions(own: readonly string[], ceiling: readonly string[]): string[] {
  if (ceiling.includes(ALL_PERMISSIONS_GRANT)) return [...own];
  if (own.includes(ALL_PERMISSIONS_GRANT)) return [...ceiling];
  return own.filter((code) => ceiling.includes(code));
}
