import { reactive, ref } from 'vue';
import { api, type Task } from '@/api/client';
import { unwrap } from '@/api/errors';
import { dayRange } from '@/utils/time';
import { usePagedList } from './usePagedList';

export const TASK_SCOPES = ['todo', 'claimable', 'done', 'copied'] as const;
export type TaskScope = (typeof TASK_SCOPES)[number];

export interface TaskFilters {
  processName: string;
  category: string;
  started: [string, string] | null;
}

/** Query of one task list: the scope plus the filters that are set. */
export function taskQuery(scope: TaskScope, filters: TaskFilters, pageNum: number, pageSize: number) {
  const { from, to } = dayRange(filters.started);
  return {
    scope,
    pageNum,
    pageSize,
    ...(filters.processName.trim() ? { processName: filters.processName.trim() } : {}),
    ...(filters.category ? { category: filters.category } : {}),
    ...(from ? { startedFrom: from } : {}),
    ...(to ? { startedTo: to } : {}),
  };
}

async function fetchTasks(scope: TaskScope, filters: TaskFilters, pageNum: number, pageSize: number) {
  return unwrap(
    await api.GET('/api/v1/workflow/tasks', {
      params: { query: taskQuery(scope, filters, pageNum, pageSize) },
    }),
  );
}

/** 待办 / 待领 / 已办 / 抄送我: the active list, the counts of all four under the same filters. */
export function useWorkbench(initialScope: TaskScope = 'todo') {
  const scope = ref<TaskScope>(initialScope);
  const filters = reactive<TaskFilters>({ processName: '', category: '', started: null });
  const counts = reactive<Record<TaskScope, number | null>>({
    todo: null,
    claimable: null,
    done: null,
    copied: null,
  });
  const list = usePagedList<Task>(async (pageNum, pageSize) => {
    const page = await fetchTasks(scope.value, filters, pageNum, pageSize);
    counts[scope.value] = page.total;
    return { rows: page.rows ?? [], total: page.total, pageNum: page.pageNum, pageSize: page.pageSize };
  });

  async function refreshCounts(): Promise<void> {
    await Promise.all(
      TASK_SCOPES.filter((s) => s !== scope.value).map(async (s) => {
        try {
          counts[s] = (await fetchTasks(s, filters, 1, 1)).total;
        } catch {
          counts[s] = null;
        }
      }),
    );
  }

  async function search(): Promise<void> {
    await Promise.all([list.reload(), refreshCounts()]);
  }

  async function switchTo(next: TaskScope): Promise<void> {
    scope.value = next;
    await list.reload();
  }

  function resetFilters(): Promise<void> {
    Object.assign(filters, { processName: '', category: '', started: null });
    return search();
  }

  return { scope, filters, counts, ...list, search, switchTo, resetFilters };
}
