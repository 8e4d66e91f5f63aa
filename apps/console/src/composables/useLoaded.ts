import { onMounted, ref, shallowRef } from 'vue';
import { errorMessage } from '@/api/errors';

/** What a page reads once when it opens (a record's detail): the value, a loading flag and the error. */
export function useLoaded<T>(load: () => Promise<T>) {
  const value = shallowRef<T | null>(null);
  const loading = ref(true);
  const error = ref<string | null>(null);
  onMounted(async () => {
    try {
      value.value = await load();
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  });
  return { value, loading, error };
}
