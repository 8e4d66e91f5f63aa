import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { api, type Schemas } from '@/api/client';
import { unwrap } from '@/api/errors';
import { usePeopleStore } from '@/stores/people';
import { nodeDetails, processTrail } from './useProcessTrail';

/**
 * The process side of an instance or task page: the instance with its history, its diagram, the form
 * (the task's when a task is named), the names of everyone in them, and the 流转记录 built from them.
 */
export function useProcessRecord() {
  const { t } = useI18n();
  const people = usePeopleStore();
  const instance = ref<Schemas['InstanceDetailReply'] | null>(null);
  const diagram = ref<Schemas['DiagramReply'] | null>(null);
  const processForm = ref<Schemas['ProcessFormReply'] | null>(null);
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
    processForm.value = form;
    await people.resolve([
      detail.initiatorId,
      ...also,
      ...detail.history.map((h) => h.actorId),
      ...detail.comments.map((c) => c.actorId),
    ]);
  }

  return { instance, diagram, processForm, trail, details, loadProcess };
}
