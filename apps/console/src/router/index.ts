import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { consoleBasePath } from '@/runtime';
import { installGuard } from './guard';
import { ADMIN_SECTIONS } from './nav';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    /** Any one of these permissions opens the route (see nav.ts); checked by the guard. */
    anyOf?: readonly string[];
    /** The page takes the whole area (the modellers). */
    fullScreen?: boolean;
  }
}

const ADMIN_VIEWS: Record<string, () => Promise<unknown>> = {
  'admin-staff': () => import('@/views/admin/StaffAdminView.vue'),
  'admin-departments': () => import('@/views/admin/DepartmentsView.vue'),
  'admin-groups': () => import('@/views/admin/GroupsView.vue'),
  'admin-roles': () => import('@/views/admin/RolesView.vue'),
  'admin-menus': () => import('@/views/admin/MenusView.vue'),
  'admin-applications': () => import('@/views/admin/ApplicationsView.vue'),
  'admin-audit': () => import('@/views/admin/AuditView.vue'),
};

// Each view is its own chunk: bpmn-js and form-js load only with the pages that show them.
const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/auth/LoginView.vue'),
    meta: { public: true },
  },
  {
    path: '/',
    component: () => import('@/layouts/MainLayout.vue'),
    children: [
      { path: '', redirect: { name: 'workbench' } },
      { path: 'password', name: 'password', component: () => import('@/views/auth/ChangePasswordView.vue') },
      {
        path: 'workbench',
        name: 'workbench',
        component: () => import('@/views/workbench/WorkbenchView.vue'),
      },
      { path: 'tasks/:id', name: 'task', component: () => import('@/views/task/TaskView.vue'), props: true },
      { path: 'start', name: 'start', component: () => import('@/views/start/StartView.vue') },
      {
        path: 'start/:definitionKey',
        name: 'start-form',
        component: () => import('@/views/start/StartFormView.vue'),
        props: true,
      },
      {
        path: 'instances',
        name: 'instances',
        component: () => import('@/views/instances/MyInstancesView.vue'),
      },
      {
        path: 'instances/:id',
        name: 'instance',
        component: () => import('@/views/instances/InstanceView.vue'),
        props: true,
      },
      {
        path: 'work-orders',
        name: 'work-orders',
        component: () => import('@/views/work-orders/WorkOrdersView.vue'),
      },
      {
        path: 'work-orders/new',
        name: 'work-order-new',
        component: () => import('@/views/work-orders/WorkOrderCreateView.vue'),
      },
      {
        path: 'work-orders/:id',
        name: 'work-order',
        component: () => import('@/views/work-orders/WorkOrderView.vue'),
        props: true,
      },
      { path: 'inbox', name: 'inbox', component: () => import('@/views/inbox/InboxView.vue') },
      {
        path: 'crm',
        name: 'crm',
        component: () => import('@/views/crm/CustomersView.vue'),
        meta: { anyOf: ['crm:read'] },
      },
      {
        path: 'crm/customers/:id',
        name: 'crm-customer',
        component: () => import('@/views/crm/CustomerView.vue'),
        props: true,
        meta: { anyOf: ['crm:read'] },
      },
      {
        path: 'crm/organizations',
        name: 'crm-organizations',
        component: () => import('@/views/crm/OrganizationsView.vue'),
        meta: { anyOf: ['crm:read'] },
      },
      {
        path: 'crm/organizations/:id',
        name: 'crm-organization',
        component: () => import('@/views/crm/OrganizationView.vue'),
        props: true,
        meta: { anyOf: ['crm:read'] },
      },
      {
        path: 'crm/stats',
        name: 'crm-stats',
        component: () => import('@/views/crm/StatsView.vue'),
        meta: { anyOf: ['stats:read'] },
      },
      {
        path: 'crm/import',
        name: 'crm-import',
        component: () => import('@/views/crm/ImportView.vue'),
        meta: { anyOf: ['crm:import'] },
      },
      {
        path: 'data-models',
        name: 'data-models',
        component: () => import('@/views/data-models/ModelsView.vue'),
        meta: { anyOf: ['datarecord:read'] },
      },
      {
        path: 'data-models/new',
        name: 'data-model-new',
        component: () => import('@/views/data-models/ModelDesignerView.vue'),
        meta: { anyOf: ['datamodel:design'] },
      },
      {
        path: 'data-models/:modelKey/design',
        name: 'data-model-design',
        component: () => import('@/views/data-models/ModelDesignerView.vue'),
        props: true,
        meta: { anyOf: ['datamodel:design'] },
      },
      {
        path: 'data-models/:modelKey',
        name: 'data-model-records',
        component: () => import('@/views/data-models/RecordsView.vue'),
        props: true,
        meta: { anyOf: ['datarecord:read'] },
      },
      {
        path: 'monitoring',
        name: 'monitoring',
        component: () => import('@/views/monitoring/MonitoringView.vue'),
        meta: { anyOf: ['monitoring:read'] },
      },
      {
        path: 'reports',
        name: 'reports',
        component: () => import('@/views/reports/ReportsView.vue'),
        meta: { anyOf: ['monitoring:read'] },
      },
      {
        path: 'design',
        component: () => import('@/views/design/DesignLayout.vue'),
        meta: { anyOf: ['workflow:deploy', 'form:write'] },
        children: [
          { path: '', name: 'design', component: () => import('@/views/design/DesignHome.vue') },
          {
            path: 'processes',
            name: 'design-processes',
            component: () => import('@/views/design/ProcessListView.vue'),
            meta: { anyOf: ['workflow:deploy'] },
          },
          {
            path: 'processes/new',
            name: 'design-process-new',
            component: () => import('@/views/design/ProcessDesignerView.vue'),
            meta: { anyOf: ['workflow:deploy'], fullScreen: true },
          },
          {
            path: 'processes/:id/edit',
            name: 'design-process-edit',
            component: () => import('@/views/design/ProcessDesignerView.vue'),
            props: true,
            meta: { anyOf: ['workflow:deploy'], fullScreen: true },
          },
          {
            path: 'forms',
            name: 'design-forms',
            component: () => import('@/views/design/FormListView.vue'),
            meta: { anyOf: ['workflow:deploy', 'form:write'] },
          },
          {
            path: 'forms/new',
            name: 'design-form-new',
            component: () => import('@/views/design/FormDesignerView.vue'),
            meta: { anyOf: ['workflow:deploy', 'form:write'], fullScreen: true },
          },
          {
            path: 'forms/:formKey/edit',
            name: 'design-form-edit',
            component: () => import('@/views/design/FormDesignerView.vue'),
            props: true,
            meta: { anyOf: ['workflow:deploy', 'form:write'], fullScreen: true },
          },
          {
            path: 'processes/:id',
            name: 'design-process',
            component: () => import('@/views/design/ProcessVersionView.vue'),
            props: true,
            meta: { anyOf: ['workflow:deploy'] },
          },
        ],
      },
      {
        path: 'admin',
        name: 'admin',
        component: () => import('@/views/admin/AdminLayout.vue'),
        meta: { anyOf: ADMIN_SECTIONS.flatMap((s) => s.anyOf ?? []) },
        children: ADMIN_SECTIONS.map((section) => ({
          path: section.path.slice('/admin/'.length),
          name: section.name,
          component: ADMIN_VIEWS[section.name]!,
          meta: { anyOf: section.anyOf },
        })),
      },
    ],
  },
  { path: '/:rest(.*)*', redirect: { name: 'workbench' } },
];

export const router = createRouter({ history: createWebHistory(consoleBasePath()), routes });
installGuard(router);
