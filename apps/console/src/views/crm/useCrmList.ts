import { onMounted, reactive, type UnwrapNestedRefs } from 'vue';
import type { ApiPage } from '@/composables/useCrudTable';
import { usePagedList } from '@/composables/usePagedList';
import { compact } from './crm';

/**
 * A CRM list page (customers, organizations): its filters, the query they make (empty ones left out,
 * the same for the list and its export) and the paged list, loaded on mount and again on reset.
 */
export function useCrmList<Row, Filters extends object, Query extends Record<string, unknown>>(options: {
  blank: () => Filters;
  query: (filters: UnwrapNestedRefs<Filters>) => Query;
  fetch: (query: Partial<Query>, pageNum: number, pageSize: number) => Promise<ApiPage<Row>>;
}) {
  const filters = reactive(options.blank());
  const query = () => compact(options.query(filters));
  const list = usePagedList<Row>(async (pageNum, pageSize) => {
    const page = await options.fetch(query(), pageNum, pageSize);
    return { rows: page.rows ?? [], total: page.total, pageNum: page.pageNum, pageSize: page.pageSize };
  });
  onMounted(() => list.reload());

  function reset(): void {
    Object.assign(filters, options.blank());
    void list.reload();
  }

  return { filters, query, list, reset };
}
