import { Actor } from '@app/contracts';
import type { TaskEntity } from '@app/database';
import { taskActionsFor } from '../task-actions';

const actor = (id: string, extra: Partial<Actor> = {}) =>
  Object.assign(new Actor(), { id, kind: 'staff', account: `u${id}`, ...extra });
const task = (extra: Partial<TaskEntity>) =>
  ({
    status: 'open',
    assigneeId: null,
    ownerId: null,
    delegationState: null,
    candidates: [],
    miTotal: null,
    miIndex: null,
    ...extra,
  }) as TaskEntity;

describe('taskActionsFor', () => {
  const holder = actor('7');
  const stranger = actor('8');
  const admin = actor('1', { permissions: ['workflow:admin'] });

  it('gives the holder the approval operations, and unclaim only when candidates could take it back', () => {
    expect(taskActionsFor(holder, task({ assigneeId: '7' }))).toEqual([
      'complete',
      'reject',
      'return',
      'delegate',
      'transfer',
    ]);
    expect(taskActionsFor(holder, task({ assigneeId: 'u7', candidates: ['user:7', 'user:9'] }))).toContain(
      'unclaim',
    );
  });

  it('lets a candidate claim (or act directly) while nobody holds the task; others get nothing', () => {
    const open = task({ candidates: ['group:role:lead', 'user:9'] });
    expect(taskActionsFor(actor('5', { roles: ['lead'] }), open)).toEqual([
      'claim',
      'complete',
      'reject',
      'return',
      'delegate',
      'transfer',
    ]);
    expect(taskActionsFor(stranger, open)).toEqual([]);
    expect(taskActionsFor(stranger, task({ assigneeId: '7' }))).toEqual([]);
  });

  it('a delegate may only resolve (Flowable: a pending delegation is resolved); the owner keeps completing but cannot delegate again', () => {
    const delegated = task({ assigneeId: '8', ownerId: '7', delegationState: 'pending' });
    expect(taskActionsFor(stranger, delegated)).toEqual(['resolve']);
    expect(taskActionsFor(holder, delegated)).toEqual(['complete', 'reject', 'return', 'transfer']);
  });

  it('an administrator may transfer and unclaim anyone’s task and change countersigners', () => {
    expect(
      taskActionsFor(admin, task({ assigneeId: '7', candidates: ['user:7'], miTotal: 3, miIndex: 0 })),
    ).toEqual(['transfer', 'unclaim', 'addSigner', 'removeSigner']);
    expect(taskActionsFor(admin, task({ candidates: ['user:9'] }))).toEqual(['transfer']);
  });

  it('a countersigner with an open task may add or remove signers; nothing is possible on a closed task', () => {
    expect(taskActionsFor(holder, task({ assigneeId: '7', miTotal: 2, miIndex: 1 }))).toContain('addSigner');
    expect(taskActionsFor(holder, task({ assigneeId: '7', status: 'completed' }))).toEqual([]);
  });
});
