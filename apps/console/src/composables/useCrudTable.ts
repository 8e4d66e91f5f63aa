import { ElMessage, ElMessageBox } from 'element-plus';
import { reactive, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError, errorMessage } from '@/api/errors';
import { usePagedList } from './usePagedList';

/** A list page as the gateway's paged routes answer it (`rows` may be absent when empty). */
export interface ApiPage<T> {
  rows?: T[];
  total: number;
  pageNum: number;
  pageSize: number;
}

export interface CrudOptions<Row, Form extends object, Saved> {
  /** One page of rows through the typed client (a tree answers its roots as one page). */
  fetch: (pageNum: number, pageSize: number) => Promise<ApiPage<Row>>;
  pageSize?: number;
  /** The form for a new row; `seed` fills in what the caller already knows (a parent, …). */
  blank: () => Form;
  /** The form for editing `row` (views that only create leave it out). */
  fromRow?: (row: Row) => Form;
  /** Create (`editing` null) or update; the view builds the body the gateway documents. */
  save: (form: Form, editing: Row | null) => Promise<Saved>;
  /** Runs after a successful save, once the list has reloaded. */
  saved?: (result: Saved, created: boolean) => void;
  /** The "done" toast after a save (off where the view shows its own result). */
  toast?: boolean;
}

/**
 * The list / create / edit / delete pattern of the administration views: a paged list, one dialog
 * with its form and the server's 4101 errors per field, and row actions that reload the list and
 * report a failure as a message. The view keeps its template and builds its request bodies.
 */
export function useCrudTable<Row, Form extends object, Saved = unknown>(
  options: CrudOptions<Row, Form, Saved>,
) {
  const { t } = useI18n();
  const list = usePagedList<Row>(async (pageNum, pageSize) => {
    const page = await options.fetch(pageNum, pageSize);
    return { rows: page.rows ?? [], total: page.total, pageNum: page.pageNum, pageSize: page.pageSize };
  }, options.pageSize);

  const dialog = ref(false);
  const editing = ref(null) as Ref<Row | null>;
  const form = reactive(options.blank()) as Form;
  const fieldErrors = ref<Record<string, string>>({});
  const busy = ref(false);

  /** Opens the dialog on `row` (edit) or a blank form (create), `seed` applied on top. */
  function open(row: Row | null, seed: Partial<Form> = {}): void {
    editing.value = row;
    Object.assign(form, row !== null && options.fromRow ? options.fromRow(row) : options.blank(), seed);
    fieldErrors.value = {};
    dialog.value = true;
  }

  async function save(): Promise<void> {
    busy.value = true;
    fieldErrors.value = {};
    const current = editing.value;
    try {
      const result = await options.save(form, current);
      dialog.value = false;
      if (options.toast !== false) ElMessage.success(t('common.ok'));
      await list.load();
      options.saved?.(result, current === null);
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) fieldErrors.value = e.byField();
      ElMessage.error(errorMessage(e));
    } finally {
      busy.value = false;
    }
  }

  /** A row action (delete, restore, rotate, …): asks first when `confirm` is given, then reloads. */
  async function act(run: () => Promise<unknown>, confirm?: string): Promise<void> {
    if (confirm !== undefined) {
      try {
        await ElMessageBox.confirm(confirm, { type: 'warning' });
      } catch {
        return;
      }
    }
    try {
      await run();
      await list.load();
    } catch (e) {
      ElMessage.error(errorMessage(e));
    }
  }

  /** Delete after the usual "delete {name}?" question. */
  function remove(name: string, run: () => Promise<unknown>): Promise<void> {
    return act(run, t('admin.confirmDelete', { name }));
  }

  /** Element Plus types a table row as `any`; views read it back as their row type. */
  const asRow = (row: unknown) => row as Row;

  return { list, dialog, editing, form, fieldErrors, busy, open, save, act, remove, asRow };
}
