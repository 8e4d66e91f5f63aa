import { reactive, ref, shallowRef } from 'vue';
import { errorMessage } from '@/api/errors';

export interface Page<T> {
  rows: T[];
  total: number;
  pageNum: number;
  pageSize: number;
}

/** A paged list: page state, loading flag and the last error; `fetchPage` does the typed call. */
export function usePagedList<T>(
  fetchPage: (pageNum: number, pageSize: number) => Promise<Page<T>>,
  pageSize = 10,
) {
  const rows = shallowRef<T[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const page = reactive({ pageNum: 1, pageSize });
  let generation = 0;

  async function load(pageNum = page.pageNum): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const result = await fetchPage(pageNum, page.pageSize);
      if (mine !== generation) return; // a newer request won
      rows.value = result.rows;
      total.value = result.total;
      page.pageNum = pageNum;
    } catch (e) {
      if (mine === generation) error.value = errorMessage(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function reload(): Promise<void> {
    return load(1);
  }

  return { rows, total, loading, error, page, load, reload };
}

export type PagedList<T> = ReturnType<typeof usePagedList<T>>;
