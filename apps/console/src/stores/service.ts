import { defineStore } from 'pinia';
import { ref } from 'vue';

/** Set while the gateway answers 503: 5004 workflow unavailable, 5003 database unreachable. */
export const useServiceStore = defineStore('service', () => {
  const unavailableCode = ref<number | null>(null);
  function report(code: number | null): void {
    unavailableCode.value = code;
  }
  return { unavailableCode, report };
});
