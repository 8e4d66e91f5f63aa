import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { consoleBasePath } from '@/runtime';
import { installGuard } from './guard';

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
    ],
  },
  { path: '/:rest(.*)*', redirect: { name: 'workbench' } },
];

export const router = createRouter({ history: createWebHistory(consoleBasePath()), routes });
installGuard(router);
