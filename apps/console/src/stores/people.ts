import { defineStore } from 'pinia';
import { reactive } from 'vue';
import { api, type Schemas } from '@/api/client';
import { unwrap } from '@/api/errors';

type Person = Schemas['PersonDto'];

/** Names of staff ids met on screen (timeline, tasks), fetched in batches and kept for the session. */
export const usePeopleStore = defineStore('people', () => {
  const byId = reactive(new Map<string, Person>());

  function nameOf(id: string | null | undefined): string {
    if (!id) return '';
    return byId.get(id)?.name ?? id;
  }

  async function resolve(ids: (string | null | undefined)[]): Promise<void> {
    const missing = [...new Set(ids.filter((id): id is string => !!id && /^\d+$/.test(id) && !byId.has(id)))];
    if (missing.length === 0) return;
    try {
      const found = unwrap(
        await api.GET('/api/v1/people', { params: { query: { ids: missing.join(',') } } }),
      );
      for (const person of found) byId.set(person.id, person);
    } catch {
      // ids stay shown as ids
    }
  }

  async function search(keyword: string): Promise<Person[]> {
    if (!keyword.trim()) return [];
    try {
      const found = unwrap(
        await api.GET('/api/v1/people', { params: { query: { keyword: keyword.trim() } } }),
      );
      for (const person of found) byId.set(person.id, person);
      return found;
    } catch {
      return [];
    }
  }

  return { nameOf, resolve, search };
});
