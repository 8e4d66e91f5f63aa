import { api, idempotencyKey } from '@/api/client';
import { unwrap } from '@/api/errors';

/** Instance operations of the initiator (the server decides; these are the calls). */
export function useInstanceActions() {
  const header = (what: string) => ({ 'Idempotency-Key': idempotencyKey(`instance-${what}`) });
  const path = (id: string) => ({ id });
  return {
    revoke: async (id: string, comment?: string) =>
      unwrap(
        await api.POST('/api/v1/workflow/instances/{id}/revoke', {
          params: { path: path(id), header: header('revoke') },
          body: { comment },
        }),
      ),
    urge: async (id: string, comment?: string) =>
      unwrap(
        await api.POST('/api/v1/workflow/instances/{id}/urge', {
          params: { path: path(id), header: header('urge') },
          body: { comment },
        }),
      ),
    stop: async (id: string, comment?: string) =>
      unwrap(
        await api.POST('/api/v1/workflow/instances/{id}/stop', {
          params: { path: path(id), header: header('stop') },
          body: { comment },
        }),
      ),
    relaunch: async (id: string, variables: Record<string, unknown>, comment?: string) =>
      unwrap(
        await api.POST('/api/v1/workflow/instances/{id}/relaunch', {
          params: { path: path(id), header: header('relaunch') },
          body: { variables, comment },
        }),
      ),
  };
}

/** The list's hint for 重新发起 (the workflow app's rule: rejected or discarded runs); the detail's `actions` decide. */
export const RELAUNCHABLE = ['rejected', 'discarded'];
