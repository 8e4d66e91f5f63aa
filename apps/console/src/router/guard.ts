import type { Router } from 'vue-router';
import { useSessionStore } from '@/stores/session';
import { ADMIN_SECTIONS, allows } from './nav';

/** Signed-out callers go to sign-in; a pending forced password change comes before anything else. */
export function installGuard(router: Router): void {
  router.beforeEach(async (to) => {
    const session = useSessionStore();
    if (to.meta.public) return session.signedIn && to.name === 'login' ? { name: 'workbench' } : true;
    if (!session.signedIn) return { name: 'login', query: { redirect: to.fullPath } };
    if (!session.me) {
      try {
        await session.loadMe();
      } catch {
        if (!session.signedIn) return { name: 'login', query: { redirect: to.fullPath } };
      }
    }
    if (session.mustChangePassword && to.name !== 'password') return { name: 'password' };
    // Every matched level must be open to the caller (the admin area and its section).
    if (!to.matched.every((record) => allows(record.meta.anyOf, session.hasPermission)))
      return { name: 'workbench' };
    if (to.name === 'admin') {
      const first = ADMIN_SECTIONS.find((s) => allows(s.anyOf, session.hasPermission));
      return first ? { name: first.name } : { name: 'workbench' };
    }
    return true;
  });
}
