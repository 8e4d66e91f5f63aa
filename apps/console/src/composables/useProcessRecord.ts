import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { api, type Schemas } from '@/api/client';
import { unwrap } from '@/api/errors';
import { usePeopleStore } from '@/stores/people';
import { nodeDetails, processTrail } from './useProcessTrail';

/**
 * The process side of an instance or task page: the instance with its history, its diagram, the form
 * (the task's when a task is named; the start form, read-only, when the step has none), the names of everyone in them, and the 流转记录 built from them.
 */
export function useProcessRecord() {
  const { t } = useI18n();
  const people = usePeopleStore();
  const instance = ref<Schemas['InstanceDetailReply'] | null>(null);
  const diagram = ref<Schemas['DiagramReply'] | null>(null);
  const processForm = ref<Schemas['ProcessFormReply'] | null>(null);
  /** The form shown is the start form (the step has none of its own): read-only, never submitted. */
  const showsStartForm = ref(false);
  const trail = computed(() => (instance.value ? processTrail(instance.value) : []));
  const details = computed(() =>
    nodeDetails(
      trail.value,
      {
        who: t('task.who'),
        entered: t('workbench.createdAt'),
        left: t('workbench.endedAt'),
        comment: t('task.comment'),
      },
      people.nameOf,
    ),
  );

  /** Reads the instance, its diagram and form (none when there is none), then the names of its initiator, `also` and the history's people. */
  async function loadProcess(
    instanceId: string,
    taskId?: string,
    also: (string | null | undefined)[] = [],
  ): Promise<void> {
    const [detail, picture, form] = await Promise.all([
      api.GET('/api/v1/workflow/instances/{id}', { params: { path: { id: instanceId } } }).then(unwrap),
      api
        .GET('/api/v1/workflow/instances/{id}/diagram', { params: { path: { id: instanceId } } })
        .then(unwrap),
      api
        .GET('/api/v1/forms/process', {
          params: { query: taskId ? { instanceId, taskId } : { instanceId } },
        })
        .then(unwrap)
        .catch(() => null),
    ]);
    instance.value = detail;
    diagram.value = picture;
    // A step without a form of its own shows what was applied for, as Flowable UI and RuoYi do: the
    // start form with the instance's data (an approver saw an empty 表单 tab before).
    showsStartForm.value = false;
    if (form && !form.form) {
      const start = await api
        .GET('/api/v1/forms/process', { params: { query: { definitionId: form.definitionId } } })
        .then(unwrap)
        .catch(() => null);
      if (start?.form) {
        processForm.value = { ...form, form: start.form, formKey: start.formKey, elementId: start.elementId };
        showsStartForm.value = true;
      } else processForm.value = form;
    } else processForm.value = form;
    await people.resolve([
      detail.initiatorId,
      ...also,
      ...detail.history.map((h) => h.actorId),
      ...detail.comments.map((c) => c.actorId),
    ]);
  }

  return { instance, diagram, processForm, showsStartForm, trail, details, loadProcess };
}
