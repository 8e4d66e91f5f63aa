import { defineStore } from 'pinia';
import { ref } from 'vue';

/** Routes the gateway answers through the workflow app: only their answers tell it is back. */
const WORKFLOW_ROUTES = /\/api\/v1\/(workflow|work-orders|work-order-|forms|monitoring|reports)/;

/** Set while the gateway answers 503: 5004 workflow unavailable, 5003 database unreachable. */
export const useServiceStore = defineStore('service', () => {
  const unavailableCode = ref<number | null>(null);

  function report(code: number | null, path = ''): void {
    if (code !== null) unavailableCode.value = code;
    // the workflow banner stays until a workflow-backed route answers again
    else if (unavailableCode.value !== 5004 || WORKFLOW_ROUTES.test(path)) unavailableCode.value = null;
  }

  return { unavailableCode, report };
});
