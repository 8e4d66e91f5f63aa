import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type Actor,
  actorHas,
  type CorrelateMessageCommand,
  type DeletedReply,
  ErrorCode,
  type InstanceRefCommand,
  type InstanceSummaryReply,
  type JumpInstanceCommand,
  type MoveReply,
  type RelaunchInstanceCommand,
  type RelaunchReply,
  type SignerCommand,
  type StartInstanceCommand,
  type StartInstanceReply,
  type UrgeReply,
  WorkflowEventTopic,
} from '@app/contracts';
import type { CommentType, ProcessDefinitionEntity, ProcessInstanceEntity } from '@app/database';
import { identitiesOf } from '../../common/candidate-keys';
import { mayStart, starterKeysOf } from '../../common/starters';
import { assertRunning, notYours, WorkflowException, WorkflowReason } from '../../common/workflow.exception';
import { DefinitionRegistry } from '../../definitions/definition.registry';
import { planMove } from '../../engine';
import { checkStartData } from '../../forms/form-lookup';
import { FormsRepository } from '../../forms/forms.repository';
import { ExecutionService, type StepResult } from '../../execution/execution.service';
import { IdempotencyService } from '../../execution/idempotency.service';
import { InstanceQueriesService } from '../queries/instance-queries.service';
import { InstancesRepository } from '../instances.repository';
import { mapInstance } from '../instance.mapper';
import { mapTask } from '../../tasks/task.mapper';
import { MovePlanner } from '../../execution/move-planner.service';
import { RevokeRule } from '../revoke-rule';
import { UrgeRule } from '../urge-rule';
import { RELAUNCHABLE } from '../instance-actions';

/** Commands on an instance: start, correlate, stop / discard, delete, relaunch, revoke, urge, admin jump, countersign. */
@Injectable()
export class InstanceCommandsService {
  constructor(
    private readonly repository: InstancesRepository,
    private readonly forms: FormsRepository,
    private readonly queries: InstanceQueriesService,
    private readonly execution: ExecutionService,
    private readonly registry: DefinitionRegistry,
    private readonly planner: MovePlanner,
    private readonly revokeRule: RevokeRule,
    private readonly urgeRule: UrgeRule,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * The serial number comes with the COMMIT (ExecutionService.start), so the reply is mapped after it; a
   * reply kept for replays (Idempotency-Key) is stored in the transaction and takes the number before.
   */
  async start(command: StartInstanceCommand): Promise<StartInstanceReply> {
    if (!command.idempotencyKey)
      return this.startReply(await this.execution.transaction((manager) => this.startIn(manager, command)));
    return this.execution.transaction((manager) =>
      this.idempotency.once(manager, 'instance.start', command, async () => {
        const started = await this.startIn(manager, command);
        await this.execution.serialNoOf(manager, started.step.instance);
        return this.startReply(started);
      }),
    );
  }

  private async startIn(
    manager: EntityManager,
    command: StartInstanceCommand,
  ): Promise<{ step: StepResult; nodes: string[] }> {
    const { actor } = command;
    const definition = command.definitionId
      ? await this.startableById(manager, command.definitionId)
      : await this.registry.latestActive(command.definitionKey!, manager);
    await this.requireStarter(actor, definition);
    await checkStartData(this.forms, this.registry, definition, command.variables ?? {}, manager);
    const step = await this.execution.start(manager, {
      definition,
      actor,
      variables: command.variables,
      businessKey: command.businessKey,
      title: command.title,
    });
    return { step, nodes: await this.startedNodes(manager, step) };
  }

  private startReply({ step, nodes }: { step: StepResult; nodes: string[] }): StartInstanceReply {
    return { ...mapInstance(step.instance, nodes), tasks: step.createdTasks.map(mapTask) };
  }

  /** Delivers a message or signal to an instance that waits for it (admin or a participant). */
  async correlate(command: CorrelateMessageCommand): Promise<InstanceSummaryReply> {
    const { actor } = command;
    await this.queries.visibleInstance(actor, command.id);
    for (const field of ['executionId', 'all'] as const)
      if (command.kind === 'signal' && command[field] !== undefined)
        throw new WorkflowException(
          ErrorCode.InvalidParameter,
          WorkflowReason.InvalidCorrelation,
          `${field} addresses a message; a signal reaches every execution that waits for it`,
          [{ field, reason: 'messages only' }],
        );
    return this.execution.transaction((manager) =>
      this.idempotency.once(manager, 'instance.correlate', command, async () => {
        const instance = await this.execution.lockInstance(manager, command.id);
        const step = await this.execution.apply(
          manager,
          instance,
          command.kind === 'message'
            ? {
                type: 'message',
                name: command.name,
                variables: command.variables,
                executionId: command.executionId,
                all: command.all,
              }
            : { type: 'signal', name: command.name, variables: command.variables },
          { actorId: actor.id },
        );
        return mapInstance(step.instance, await this.currentNodes(manager, step.instance));
      }),
    );
  }

  /**
   * Stop (取消) or discard (废弃): the initiator or an admin ends it; it stays in history; running children
   * end too. A rejected run may still be discarded (seed 002 A-50).
   */
  end(
    command: InstanceRefCommand,
    status: 'stopped' | 'discarded',
    within?: EntityManager,
  ): Promise<InstanceSummaryReply> {
    const operation = status === 'stopped' ? 'instance.stop' : 'instance.discard';
    return this.onInstance(
      command,
      operation,
      async (instance, manager) => {
        const { actor } = command;
        this.requireInitiatorOrAdmin(actor, instance);
        const type: CommentType = status === 'stopped' ? 'stop' : 'discard';
        if (status === 'discarded' && instance.status === 'rejected') {
          // seed 002 "任何时候均可废弃": a rejected run may still be discarded; nothing runs any more
          await this.repository.markDiscarded(manager, instance.id);
          await this.comment(manager, instance, actor, type, command.comment || status);
          return mapInstance({ ...instance, status: 'discarded', version: instance.version + 1 });
        }
        assertRunning(instance);
        await this.comment(manager, instance, actor, type, command.comment || status);
        const step = await this.execution.endTree(manager, instance, status, command.comment || status, {
          actorId: actor.id,
        });
        return mapInstance(step.instance);
      },
      within,
    );
  }

  /** Delete (admin): removes an ended instance's runtime data (tasks, history, comments, jobs, copies). */
  delete(command: InstanceRefCommand): Promise<DeletedReply> {
    return this.onInstance(command, 'instance.delete', async (instance, manager) => {
      if (!this.isAdmin(command.actor)) throw notYours(instance);
      if (instance.status === 'running') {
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.InstanceNotRunning,
          `instance ${instance.id} is running: stop it first`,
        );
      }
      const ids = await this.repository.runTree(manager, instance.id);
      await this.repository.deleteRuntime(manager, ids);
      // the gateway purges what hangs on them (files on their comments)
      await this.execution.emit(manager, WorkflowEventTopic.InstanceDeleted, instance, { instanceIds: ids });
      return { deleted: true as const };
    });
  }

  /** Relaunch (重新发起): the initiator starts a rejected or discarded instance again with edited variables. */
  relaunch(command: RelaunchInstanceCommand): Promise<RelaunchReply> {
    return this.onInstance(command, 'instance.relaunch', async (previous, manager) => {
      const { actor } = command;
      if (previous.initiatorId !== actor.id) {
        throw new WorkflowException(
          ErrorCode.NoPermission,
          WorkflowReason.NotInitiator,
          `only the initiator may relaunch instance ${previous.id}`,
        );
      }
      if (!RELAUNCHABLE.includes(previous.status)) {
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.NotRelaunchable,
          `instance ${previous.id} is ${previous.status}: only rejected or discarded instances are relaunched`,
        );
      }
      const again = await this.repository.findRelaunchOf(manager, previous.id);
      if (again) {
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.AlreadyDone,
          `instance ${previous.id} was relaunched already as ${again.id}`,
        );
      }
      const definition = await this.registry.latestActive(previous.definitionKey, manager);
      const step = await this.execution.start(manager, {
        definition,
        actor,
        variables: { ...previous.variables, ...(command.variables ?? {}) },
        businessKey: previous.businessKey,
        title: command.title ?? previous.title,
        relaunchedFromId: previous.id,
      });
      // A work order follows its process: it moves to the new run (and so reads running again).
      await this.repository.moveWorkOrders(manager, previous.id, step.instance.id);
      await this.execution.serialNoOf(manager, step.instance); // the reply is kept for replays

      await this.comment(
        manager,
        previous,
        actor,
        'system',
        command.comment || `relaunched as ${step.instance.id}`,
      );
      return {
        ...mapInstance(step.instance, [...new Set(step.createdTasks.map((t) => t.name))]),
        tasks: step.createdTasks.map(mapTask),
      };
    });
  }

  /** Revoke (撤回): the checks are RevokeRule's, which the instance detail asks too. */
  revoke(command: InstanceRefCommand): Promise<MoveReply> {
    return this.onInstance(command, 'instance.revoke', async (instance, manager) => {
      const { actor } = command;
      const { last, plan } = await this.revokeRule.plan(manager, actor, instance);
      const moved = await this.planner.apply(manager, instance.id, plan, actor);
      await this.repository.markRevoked(manager, last.id);
      await this.repository.addComment(manager, {
        instanceId: instance.id,
        taskId: last.id,
        type: 'revoke',
        actorId: actor.id,
        message: command.comment || `revoked the completion of ${last.name}`,
      });
      return moved;
    });
  }

  /** Urge (催办): the checks are UrgeRule's, which the instance detail asks too; the people are told through the outbox. */
  urge(command: InstanceRefCommand): Promise<UrgeReply> {
    return this.onInstance(command, 'instance.urge', async (instance, manager) => {
      const { actor } = command;
      const { open, notified, nextAllowedAt } = await this.urgeRule.check(manager, actor, instance);
      await this.comment(manager, instance, actor, 'urge', command.comment || 'urged');
      await this.execution.emit(manager, WorkflowEventTopic.InstanceUrged, instance, {
        serialNo: instance.serialNo,
        processName: instance.processName,
        urgedBy: actor.id,
        message: command.comment ?? null,
        tasks: open.map((t) => ({
          taskId: t.id,
          name: t.name,
          assigneeId: t.assigneeId,
          candidates: t.candidates,
        })),
        notify: notified,
      });
      return { instanceId: instance.id, notified, nextAllowedAt: nextAllowedAt.toISOString() };
    });
  }

  /** Admin jump (seed 002 nextNodeSeq): every token of the node's scope moves to it, if that is consistent. */
  jump(command: JumpInstanceCommand): Promise<MoveReply> {
    const operation = command.dryRun ? 'instance.jump.dry-run' : 'instance.jump';
    return this.onInstance(command, operation, async (instance, manager) => {
      const { actor } = command;
      if (!this.isAdmin(actor)) throw notYours(instance);
      assertRunning(instance);
      const facts = await this.planner.facts(manager, instance.id);
      if (facts.activeElements.includes(command.targetElementId)) {
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.AlreadyDone,
          `<${command.targetElementId}> is the current node already`,
        );
      }
      const result = planMove(facts, command.targetElementId, { leaveAllTokens: true });
      if (!result.ok) {
        throw new WorkflowException(
          ErrorCode.InvalidParameter,
          WorkflowReason.IllegalMoveTarget,
          result.reason,
          [{ field: 'targetElementId', reason: result.reason }],
        );
      }
      const preview = await this.planner.preview(manager, instance.id, facts, result.plan);
      if (command.dryRun) return preview;
      const moved = await this.planner.apply(manager, instance.id, result.plan, actor);
      await this.comment(
        manager,
        instance,
        actor,
        'jump',
        command.comment || `jumped to ${preview.createdNodes.map((n) => n.name ?? n.elementId).join(', ')}`,
      );
      return moved;
    });
  }

  /** Countersign (加签 / 减签) on a running multi-instance node: an admin or a signer with an open task there. */
  changeSigner(command: SignerCommand, change: 'add' | 'remove'): Promise<StartInstanceReply> {
    return this.onInstance(command, `instance.signer.${change}`, async (instance, manager) => {
      const { actor } = command;
      const open = await this.repository.openTasks(instance.id, manager, command.elementId);
      const signs = open.some((t) => t.assigneeId !== null && identitiesOf(actor).includes(t.assigneeId));
      if (!this.isAdmin(actor) && !signs) throw notYours(instance);
      assertRunning(instance);
      const compiled = await this.execution.inspectDefinition(manager, instance);
      const mi = compiled.elementsById.get(command.elementId)?.multiInstance;
      const name = mi?.collectionVariable ?? /^\$\{\s*([A-Za-z_]\w*)\s*\}$/.exec(mi?.collection ?? '')?.[1];
      const current = name ? instance.variables[name] : undefined;
      if (!mi || !Array.isArray(current)) {
        throw new WorkflowException(
          ErrorCode.InvalidParameter,
          WorkflowReason.IllegalMoveTarget,
          `<${command.elementId}> is not a multi-instance node with a signer collection`,
          [{ field: 'elementId', reason: 'not a countersign node' }],
        );
      }
      const present = current.some((v) => String(v) === command.userId);
      if (change === 'add' && present)
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.SignerPresent,
          `${command.userId} signs already`,
        );
      if (change === 'remove' && !present)
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.SignerAbsent,
          `${command.userId} does not sign`,
        );
      const signer = current.find((v) => String(v) === command.userId) ?? command.userId;
      const step = await this.execution.apply(
        manager,
        instance,
        {
          type: change === 'add' ? 'add-signer' : 'remove-signer',
          elementId: command.elementId,
          signer: signer as string,
        },
        { actorId: actor.id },
      );
      await this.comment(
        manager,
        instance,
        actor,
        'countersign',
        command.comment ||
          `${change === 'add' ? 'added' : 'removed'} signer ${command.userId} at ${command.elementId}`,
      );
      const tasks = await this.repository.openTasks(instance.id, manager);
      return {
        ...mapInstance(step.instance, [...new Set(tasks.map((t) => t.name))]),
        tasks: tasks.map(mapTask),
      };
    });
  }

  // ---------------------------------------------------------------- helpers

  private async startableById(manager: EntityManager, id: string): Promise<ProcessDefinitionEntity> {
    const definition = await this.registry.byId(id, manager);
    if (definition.suspended) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.DefinitionSuspended,
        `definition ${id} is suspended`,
      );
    }
    return definition;
  }

  /** camunda:candidateStarterUsers / Groups restrict who may start; none means everyone (work orders too). */
  async requireStarter(actor: Actor, definition: ProcessDefinitionEntity): Promise<void> {
    const { process } = (await this.registry.compile(definition)).model;
    if (mayStart(actor, starterKeysOf(process))) return;
    throw new WorkflowException(
      ErrorCode.NoPermission,
      WorkflowReason.NotStarter,
      `you may not start ${definition.key}`,
    );
  }

  /**
   * A new instance's open tasks are the ones its start step created, unless a later step in the same
   * transaction moved it on (a called child that ended at once resumed it: its version is past 1).
   */
  private async startedNodes(manager: EntityManager, step: StepResult): Promise<string[]> {
    if (step.instance.version !== 1) return this.currentNodes(manager, step.instance);
    const open = step.createdTasks.filter((t) => t.status === 'open');
    open.sort((a, b) => Number(a.id) - Number(b.id));
    return [...new Set(open.map((t) => t.name))];
  }

  private async currentNodes(manager: EntityManager, instance: ProcessInstanceEntity): Promise<string[]> {
    const tasks = await this.repository.openTasks(instance.id, manager);
    return [...new Set(tasks.map((t) => t.name))];
  }

  /** Visibility (404), idempotency, then the instance row locked for the rest of the transaction. */
  private async onInstance<R>(
    command: InstanceRefCommand,
    operation: string,
    work: (instance: ProcessInstanceEntity, manager: EntityManager) => Promise<R>,
    within?: EntityManager,
  ): Promise<R> {
    const { actor } = command;
    await this.queries.visibleInstance(actor, command.id);
    return this.execution.transaction(
      (manager) =>
        this.idempotency.once(manager, operation, command, async () => {
          const instance = await this.execution.lockInstance(manager, command.id);
          return work(instance, manager);
        }),
      within,
    );
  }

  private async comment(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    actor: Actor,
    type: CommentType,
    message: string,
  ): Promise<void> {
    await this.repository.addComment(manager, {
      instanceId: instance.id,
      taskId: null,
      type,
      actorId: actor.id,
      message,
    });
  }

  private isAdmin(actor: Actor): boolean {
    return actorHas(actor, 'workflow:admin');
  }

  private requireInitiatorOrAdmin(actor: Actor, instance: ProcessInstanceEntity): void {
    if (instance.initiatorId !== actor.id && !this.isAdmin(actor)) throw notYours(instance);
  }
}
