import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '@/api/client';
import { unwrap } from '@/api/errors';

/** The unread badge, polled while signed in (server push replaces polling once the message centre has it). */
export const useNotificationsStore = defineStore('notifications', () => {
  const unread = ref(0);
  let timer: ReturnType<typeof setInterval> | null = null;

  async function refreshCount(): Promise<number> {
    try {
      unread.value = unwrap(await api.GET('/api/v1/inbox/unread-count')).unread;
    } catch {
      // the banner or the sign-in redirect already tells the user; keep the last count
    }
    return unread.value;
  }

  function startPolling(intervalMs = 30_000): void {
    stopPolling();
    void refreshCount();
    timer = setInterval(() => void refreshCount(), intervalMs);
  }

  function stopPolling(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  async function markRead(id: string): Promise<void> {
    unwrap(await api.POST('/api/v1/inbox/{id}/read', { params: { path: { id } } }));
    await refreshCount();
  }

  async function markAllRead(): Promise<void> {
    unwrap(await api.POST('/api/v1/inbox/read-all'));
    unread.value = 0;
  }

  return { unread, refreshCount, startPolling, stopPolling, markRead, markAllRead };
});
