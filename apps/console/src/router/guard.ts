import type { Router } from 'vue-router';
import { useSessionStore } from '@/stores/session';

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
    return true;
  });
}
