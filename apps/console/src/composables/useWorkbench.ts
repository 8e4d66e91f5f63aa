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

/** What the address keeps of the workbench (reload, back, a shared link): scope, filters, page. */
export interface WorkbenchState {
  scope: TaskScope;
  filters: TaskFilters;
  pageNum: number;
  pageSize: number;
}

const PAGE_SIZES = [10, 20, 50];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The state a route query describes; anything missing or malformed falls back to the default. */
export function workbenchFromQuery(query: Record<string, unknown>): WorkbenchState {
  const text = (key: string) => (typeof query[key] === 'string' ? query[key] : '');
  const from = text('from');
  const to = text('to');
  const pageNum = Number(text('page'));
  const pageSize = Number(text('size'));
  return {
    scope: TASK_SCOPES.find((s) => s === query.scope) ?? 'todo',
    filters: {
      processName: text('process'),
      category: text('category'),
      started: DAY.test(from) && DAY.test(to) ? [from, to] : null,
    },
    pageNum: Number.isInteger(pageNum) && pageNum > 1 ? pageNum : 1,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : 10,
  };
}

/** The route query of a state, defaults left out so the plain address stays plain. */
export function workbenchToQuery(state: WorkbenchState): Record<string, string> {
  const { scope, filters, pageNum, pageSize } = state;
  return {
    ...(scope !== 'todo' ? { scope } : {}),
    ...(filters.processName.trim() ? { process: filters.processName.trim() } : {}),
    ...(filters.category ? { category: filters.category } : {}),
    ...(filters.started ? { from: filters.started[0], to: filters.started[1] } : {}),
    ...(pageNum > 1 ? { page: String(pageNum) } : {}),
    ...(pageSize !== 10 ? { size: String(pageSize) } : {}),
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
export function useWorkbench(initial: TaskScope | WorkbenchState = 'todo') {
  const start = typeof initial === 'string' ? workbenchFromQuery({ scope: initial }) : initial;
  const scope = ref<TaskScope>(start.scope);
  const filters = reactive<TaskFilters>({ ...start.filters });
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
  }, start.pageSize);

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

  /** The first load: the page the address named (search() starts at page 1). */
  async function open(): Promise<void> {
    await Promise.all([list.load(start.pageNum), refreshCounts()]);
  }

  const state = (): WorkbenchState => ({
    scope: scope.value,
    filters: { ...filters },
    pageNum: list.page.pageNum,
    pageSize: list.page.pageSize,
  });

  async function switchTo(next: TaskScope): Promise<void> {
    scope.value = next;
    await list.reload();
  }

  function resetFilters(): Promise<void> {
    Object.assign(filters, { processName: '', category: '', started: null });
    return search();
  }

  return { scope, filters, counts, ...list, search, open, state, switchTo, resetFilters };
}
