import fc from 'fast-check';
import {
  createRole,
  createStaff,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import {
  deploy,
  fixtureXml,
  instance,
  type InstanceView,
  ok,
  start,
  type TaskView,
} from './workflow-helpers';

/**
 * Model-based test of the approval operations (fast-check `commands`): random sequences of claim,
 * complete, reject, return, delegate, resolve, transfer and revoke by random people on one instance.
 * After every step: no 5xx, no running instance without a task someone can act on, no task held twice,
 * no open task without its open history row, no open history row once the instance ended, and every
 * successful operation left its typed comment. At the end the instance can always be driven to its end.
 */
const NAMES = ['ann', 'lea', 'max', 'hui', 'bo'] as const;
type Name = (typeof NAMES)[number];
type Op = 'claim' | 'complete' | 'reject' | 'return' | 'delegate' | 'resolve' | 'transfer' | 'revoke';
const COMMENT_OF: Partial<Record<Op, string>> = {
  reject: 'reject',
  return: 'return',
  delegate: 'delegate',
  resolve: 'delegate',
  transfer: 'transfer',
  revoke: 'revoke',
};

interface Model {
  ended: boolean;
  steps: string[];
}
interface Real {
  instanceId: string;
}
type Detail = InstanceView & {
  tasks: (TaskView & { delegationState: string | null; ownerId: string | null })[];
  history: NonNullable<InstanceView['history']> & { taskId?: string | null }[];
};

describe('approval operations: model-based property', () => {
  let stack: Stack;
  let admin: TestSession;
  const users = {} as Record<Name, TestSession>;
  const byId = new Map<string, TestSession>();

  beforeAll(async () => {
    stack = await startStack({
      label: 'workflow_approval_model',
      workflowEnv: { WORKFLOW_JOB_POLL_MS: '0' },
    });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    const plain = await createRole(admin.http, { code: 'approver', permissions: [], dataScope: 'own' });
    for (const name of NAMES) {
      const member = await createStaff(admin.http, { account: `pm_${name}`, roleIds: [staff, plain] });
      users[name] = await loginAs(stack.http, member.account, member.password);
      byId.set(users[name].staffId, users[name]);
    }
    await deploy(admin.http, fixtureXml('approval-chain.bpmn'));
    await deploy(admin.http, fixtureXml('approval-parallel.bpmn'));
  });
  afterAll(() => stack?.stop());

  const detail = async (id: string) => (await instance(admin.http, id)) as Detail;

  async function checkInvariants(id: string, model: Model): Promise<Detail> {
    const d = await detail(id);
    const where = `after [${model.steps.join(' → ')}]`;
    if (d.status === 'running') {
      expect({ where, open: d.tasks.length > 0 }).toEqual({ where, open: true });
      for (const t of d.tasks) {
        // someone can act on every open task
        expect({ where, task: t.id, actor: t.assigneeId !== null || t.candidates.length > 0 }).toEqual({
          where,
          task: t.id,
          actor: true,
        });
        // its node has an open history row
        const rows = d.history.filter((h) => h.elementId === t.elementId && h.leftAt === null);
        expect({ where, task: t.elementId, historyOpen: rows.length > 0 }).toEqual({
          where,
          task: t.elementId,
          historyOpen: true,
        });
      }
      // no task held twice: one open task per (non multi-instance) node
      const perNode = new Map<string, number>();
      for (const t of d.tasks) perNode.set(t.elementId, (perNode.get(t.elementId) ?? 0) + 1);
      for (const [node, count] of perNode) expect({ where, node, count }).toEqual({ where, node, count: 1 });
    } else {
      model.ended = true;
      expect({ where, tasks: d.tasks }).toEqual({ where, tasks: [] });
      expect({ where, openHistory: d.history.filter((h) => h.leftAt === null) }).toEqual({
        where,
        openHistory: [],
      });
    }
    return d;
  }

  class OperationCommand implements fc.AsyncCommand<Model, Real> {
    constructor(
      readonly op: Op,
      readonly who: Name | 'holder',
      readonly pick: number,
      readonly other: Name,
    ) {}

    check(model: Readonly<Model>): boolean {
      return !model.ended;
    }

    async run(model: Model, real: Real): Promise<void> {
      const before = await detail(real.instanceId);
      const task = before.tasks[this.pick % Math.max(before.tasks.length, 1)];
      const actor = this.actorFor(task);
      const base = `/api/v1/workflow`;
      let answer: { status: number; body: { code?: number } };
      switch (this.op) {
        case 'revoke':
          answer = await actor.http.post(`${base}/instances/${real.instanceId}/revoke`, {});
          break;
        case 'return': {
          if (!task) return;
          const targets = await actor.http.get<{ data?: { elementId: string }[] }>(
            `${base}/tasks/${task.id}/return-targets`,
          );
          const list = targets.body.data ?? [];
          const target = list.length > 0 ? list[this.pick % list.length]!.elementId : 'apply';
          answer = await actor.http.post(`${base}/tasks/${task.id}/return`, { targetElementId: target });
          break;
        }
        case 'delegate':
        case 'transfer':
          if (!task) return;
          answer = await actor.http.post(`${base}/tasks/${task.id}/${this.op}`, {
            userId: users[this.other].staffId,
          });
          break;
        case 'claim':
        case 'complete':
        case 'reject':
        case 'resolve':
          if (!task) return;
          answer = await actor.http.post(`${base}/tasks/${task.id}/${this.op}`, { comment: this.op });
      }
      const step = `${this.nameOf(actor)}:${this.op}${task ? `(${task.elementId})` : ''}=${answer.status}`;
      model.steps.push(step);
      expect({ step, allowed: [200, 400, 403, 404, 409].includes(answer.status) }).toEqual({
        step,
        allowed: true,
      });
      const after = await checkInvariants(real.instanceId, model);
      const type = COMMENT_OF[this.op];
      if (answer.status === 200 && type) {
        const count = (d: InstanceView) => (d.comments ?? []).filter((c) => c.type === type).length;
        expect({ step, comments: count(after) - count(before) }).toEqual({ step, comments: 1 });
      }
    }

    /** 'holder' is whoever may act on the picked task (the initiator for a revoke): most steps do something. */
    private actorFor(task: Detail['tasks'][number] | undefined): TestSession {
      if (this.who !== 'holder') return users[this.who];
      if (this.op === 'revoke' || !task) return users.ann;
      return (task.assigneeId ? byId.get(task.assigneeId) : undefined) ?? users.max;
    }

    private nameOf(session: TestSession): string {
      return NAMES.find((n) => users[n] === session) ?? '?';
    }

    toString(): string {
      return `${this.who}:${this.op}#${this.pick}${this.op === 'delegate' || this.op === 'transfer' ? `→${this.other}` : ''}`;
    }
  }

  /** Completes (or resolves) open tasks as whoever may, until the instance ends. */
  async function driveToEnd(id: string, model: Model): Promise<string> {
    for (let round = 0; round < 30; round++) {
      const d = await checkInvariants(id, model);
      if (d.status !== 'running') return d.status;
      const task = d.tasks[0]!;
      const holder = task.assigneeId ? byId.get(task.assigneeId) : users.max; // the boss node's candidate
      const op = task.delegationState === 'pending' ? 'resolve' : 'complete';
      ok(await holder!.http.post(`/api/v1/workflow/tasks/${task.id}/${op}`, {}), `${op} ${task.elementId}`);
    }
    throw new Error(`instance ${id} did not end: ${model.steps.join(' → ')}`);
  }

  const name = fc.constantFrom(...NAMES);
  const pick = fc.nat({ max: 5 });
  const commands = [
    'claim',
    'complete',
    'complete',
    'reject',
    'return',
    'return',
    'delegate',
    'resolve',
    'transfer',
    'revoke',
  ].map((op) =>
    fc
      .tuple(
        fc.oneof({ weight: 3, arbitrary: fc.constant('holder' as const) }, { weight: 1, arbitrary: name }),
        pick,
        name,
      )
      .map(
        ([who, p, other]) => new OperationCommand(op as Op, who, p, other) as fc.AsyncCommand<Model, Real>,
      ),
  );

  it('never strands an instance, never doubles a task, never misses a history row or comment', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('approvalChain', 'approvalParallel'),
        fc.commands(commands, { maxCommands: 12 }),
        async (key, cmds) => {
          const started = await start(users.ann.http, {
            definitionKey: key,
            variables: {
              lead: users.lea.staffId,
              boss: users.max.staffId,
              userA: users.lea.staffId,
              userB: users.hui.staffId,
            },
          });
          const model: Model = { ended: false, steps: [`start ${key}`] };
          await fc.asyncModelRun(() => ({ model, real: { instanceId: started.id } }), cmds);
          const status = await driveToEnd(started.id, model);
          if (process.env.FC_DEBUG) console.log(model.steps.join(' → '));
          expect(['completed', 'rejected']).toContain(status);
        },
      ),
      { numRuns: 25, seed: Number(process.env.FC_SEED ?? Date.now() % 1_000_000), verbose: 1 },
    );
  }, 120_000);
});
