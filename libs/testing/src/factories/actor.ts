import type { Actor } from '@app/contracts';
import { contracts } from '../lazy-libs';

let next = 1000;

/** A caller as the gateway would send it; `id` defaults to a fresh number, scope to `own`. */
export function makeActor(overrides: Partial<Actor> = {}): Actor {
  return Object.assign(new (contracts().Actor)(), {
    id: String((next += 1)),
    kind: 'staff',
    groupIds: [],
    roles: [],
    permissions: [],
    dataScope: 'own',
    departmentIds: [],
    ...overrides,
  });
}

/** Admin of the workflow (sees and may do everything there). */
export function makeAdmin(overrides: Partial<Actor> = {}): Actor {
  return makeActor({ permissions: ['*'], dataScope: 'all', roles: ['super_admin'], ...overrides });
}
