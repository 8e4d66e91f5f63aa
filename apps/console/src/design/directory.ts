import { api } from '@/api/client';
import { unwrap } from '@/api/errors';

export interface Option {
  value: string;
  label: string;
}

/**
 * What the designer's properties panel picks from: people (searched as you type), groups and roles
 * (candidate groups, written as `group:<id>` / `role:<code>`) and the form list. Loaded once per
 * designer; the panel reads it synchronously.
 */
export class FlowdeskDirectory {
  forms: Option[] = [];
  groups: Option[] = [];
  private readonly names = new Map<string, string>();

  /** `has` is the caller's permission check: a designer without `role:read` is not asked for roles. */
  async load(has: (permission: string) => boolean): Promise<void> {
    const none = Promise.resolve({ rows: [] });
    const [forms, groups, roles] = await Promise.allSettled([
      api.GET('/api/v1/forms', { params: { query: { pageSize: 100 } } }).then(unwrap),
      has('group:read')
        ? api.GET('/api/v1/groups', { params: { query: { pageSize: 100 } } }).then(unwrap)
        : none,
      has('role:read')
        ? api.GET('/api/v1/roles', { params: { query: { pageSize: 100 } } }).then(unwrap)
        : none,
    ]);
    if (forms.status === 'fulfilled')
      this.forms = (forms.value.rows ?? []).map((f) => ({
        value: f.formKey,
        label: `${f.name} (${f.formKey})`,
      }));
    const groupOptions: Option[] = [];
    if (groups.status === 'fulfilled')
      for (const g of groups.value.rows ?? []) groupOptions.push({ value: `group:${g.id}`, label: g.name });
    if (roles.status === 'fulfilled')
      for (const r of roles.value.rows ?? [])
        groupOptions.push({ value: `role:${r.code}`, label: `${r.name} (${r.code})` });
    this.groups = groupOptions;
  }

  async search(keyword: string): Promise<Option[]> {
    if (!keyword.trim()) return [];
    const found = unwrap(await api.GET('/api/v1/people', { params: { query: { keyword: keyword.trim() } } }));
    for (const p of found) this.names.set(p.id, p.name);
    return found.map((p) => ({
      value: p.id,
      label: `${p.name} (${p.account ?? p.id}${p.departmentName ? ` · ${p.departmentName}` : ''})`,
    }));
  }

  /** Names of staff ids already in the diagram (ids stay ids when unknown). */
  async resolve(ids: string[]): Promise<void> {
    const missing = ids.filter((id) => /^\d+$/.test(id) && !this.names.has(id));
    if (!missing.length) return;
    const found = unwrap(await api.GET('/api/v1/people', { params: { query: { ids: missing.join(',') } } }));
    for (const p of found) this.names.set(p.id, p.name);
  }

  nameOf(value: string): string {
    return this.names.get(value) ?? this.groups.find((g) => g.value === value)?.label ?? value;
  }
}
