import { onMounted, ref, shallowRef } from 'vue';
import { errorMessage } from '@/api/errors';

/**
 * What a page reads when it opens (a record's detail): the value, a loading flag and the error;
 * `reload` reads it again after the page changed it (the value stays on screen meanwhile).
 */
export function useLoaded<T>(load: () => Promise<T>) {
  const value = shallowRef<T | null>(null);
  const loading = ref(true);
  const error = ref<string | null>(null);
  async function reload(): Promise<void> {
    loading.value = true;
    try {
      value.value = await load();
      error.value = null;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }
  onMounted(reload);
  return { value, loading, error, reload };
}
