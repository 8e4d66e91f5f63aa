import { ElMessage } from 'element-plus';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError, errorMessage } from '@/api/errors';

/** Empty text is sent as null: on an edit that clears the field, on a create it is the default. */
export const textOrNull = (value: string): string | null => value.trim() || null;

/**
 * Saving a CRM record dialog (customer, organization): the server checks the body; a 4101 answer is
 * put on the inputs it names (the form keeps what was typed), a conflict (4090: a customer code already
 * used) and any other failure are said above the form.
 */
export function useRecordForm() {
  const { t } = useI18n();
  const fieldErrors = ref<Record<string, string>>({});
  const failure = ref('');
  const busy = ref(false);

  function clear(): void {
    fieldErrors.value = {};
    failure.value = '';
  }

  /** Runs the save; its result, or null when it failed (and the failure is shown). */
  async function submit<T>(run: () => Promise<T>): Promise<T | null> {
    clear();
    busy.value = true;
    try {
      const saved = await run();
      ElMessage.success(t('common.ok'));
      return saved;
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) fieldErrors.value = e.byField();
      else if (e instanceof ApiError && (e.status === 409 || e.code === 4090))
        failure.value = t('crm.conflict', { reason: e.message });
      else failure.value = errorMessage(e);
      return null;
    } finally {
      busy.value = false;
    }
  }

  return { fieldErrors, failure, busy, clear, submit };
}
