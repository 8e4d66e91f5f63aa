/**
 * The console's own menu. Each entry names the permissions that open it (any one of them); the
 * caller's effective permissions come from `GET /api/v1/me`, so what a role grants is what shows.
 * The gateway still checks every call: hiding an entry is convenience, not protection.
 */
export interface NavEntry {
  name: string;
  path: string;
  label: string;
  /** Any one of these opens the entry; none listed = every member. */
  anyOf?: readonly string[];
}

export const ADMIN_SECTIONS: readonly NavEntry[] = [
  {
    name: 'admin-staff',
    path: '/admin/staff',
    label: 'admin.staff.title',
    anyOf: ['staff:write', 'staff:grant'],
  },
  {
    name: 'admin-departments',
    path: '/admin/departments',
    label: 'admin.departments.title',
    anyOf: ['department:write'],
  },
  { name: 'admin-groups', path: '/admin/groups', label: 'admin.groups.title', anyOf: ['group:write'] },
  { name: 'admin-roles', path: '/admin/roles', label: 'admin.roles.title', anyOf: ['role:read'] },
  { name: 'admin-menus', path: '/admin/menus', label: 'admin.menus.title', anyOf: ['menu:read'] },
  {
    name: 'admin-applications',
    path: '/admin/applications',
    label: 'admin.applications.title',
    anyOf: ['application:read'],
  },
  { name: 'admin-audit', path: '/admin/audit', label: 'admin.audit.title', anyOf: ['audit:read'] },
];

const ADMIN_ANY = [...new Set(ADMIN_SECTIONS.flatMap((s) => s.anyOf ?? []))];

export const NAV: readonly NavEntry[] = [
  { name: 'workbench', path: '/workbench', label: 'nav.workbench' },
  { name: 'start', path: '/start', label: 'nav.start' },
  { name: 'instances', path: '/instances', label: 'nav.instances' },
  { name: 'work-orders', path: '/work-orders', label: 'nav.workOrders' },
  { name: 'inbox', path: '/inbox', label: 'nav.inbox' },
  { name: 'crm', path: '/crm', label: 'nav.crm', anyOf: ['crm:read'] },
  { name: 'data-models', path: '/data-models', label: 'nav.dataModels', anyOf: ['datarecord:read'] },
  { name: 'design', path: '/design', label: 'nav.design', anyOf: ['workflow:deploy', 'form:write'] },
  { name: 'monitoring', path: '/monitoring', label: 'nav.monitoring', anyOf: ['monitoring:read'] },
  { name: 'reports', path: '/reports', label: 'nav.reports', anyOf: ['monitoring:read'] },
  { name: 'admin', path: '/admin', label: 'nav.admin', anyOf: ADMIN_ANY },
];

export function allows(anyOf: readonly string[] | undefined, has: (code: string) => boolean): boolean {
  return !anyOf || anyOf.length === 0 || anyOf.some(has);
}
