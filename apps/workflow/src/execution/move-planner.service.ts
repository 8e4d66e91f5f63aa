import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, MoveReply, NodeRef } from '@app/contracts';
import type { MoveFacts, MovePlan } from '../engine';
import { ExecutionRepository } from './execution.repository';
import { ExecutionService } from './execution.service';
import { mapTask } from '../tasks/task.mapper';

/** Glue between the pure planner (engine) and the durable step: facts in, a `move` command out. */
@Injectable()
export class MovePlanner {
  constructor(
    private readonly execution: ExecutionService,
    private readonly rows: ExecutionRepository,
  ) {}

  /** Tokens, join arrivals and completed nodes of the instance as the engine sees it now. */
  async facts(manager: EntityManager, instanceId: string): Promise<MoveFacts> {
    const instance = await this.rows.findInstance(manager, instanceId);
    const { compiled, snapshot } = await this.execution.inspect(manager, instance);
    const facts: MoveFacts = {
      definition: compiled,
      activeElements: snapshot.activeElements,
      completedElements: snapshot.completedElements,
      joinArrivals: snapshot.joinArrivals,
    };
    return facts;
  }

  /** What the move will do: the open tasks it cancels and the nodes it starts (a dry run answers this). */
  async preview(
    manager: EntityManager,
    instanceId: string,
    facts: MoveFacts,
    plan: MovePlan,
  ): Promise<MoveReply> {
    const definition = facts.definition;
    const leaving = new Set(plan.leaveElementIds);
    const open = await this.rows.openTasksById(manager, instanceId);
    const inLeaving = (elementId: string): boolean => {
      let element = definition.elementsById.get(elementId);
      for (let depth = 0; element && depth < 64; depth++) {
        if (leaving.has(element.id) || (element.attachedTo && leaving.has(element.attachedTo))) return true;
        element = definition.elementsById.get(element.parentId);
      }
      return false;
    };
    const target = definition.elementsById.get(plan.targetElementId);
    const createdNodes: NodeRef[] = [{ elementId: plan.targetElementId, name: target?.name ?? null }];
    const instance = await this.rows.findInstance(manager, instanceId);
    return {
      dryRun: true,
      instanceStatus: instance.status,
      cancelledTasks: open.filter((t) => inLeaving(t.elementId)).map(mapTask),
      createdNodes,
      createdTasks: [],
    };
  }

  /** Runs the move in the caller's transaction (instance locked) and reports like `preview`. */
  async apply(
    manager: EntityManager,
    instanceId: string,
    plan: MovePlan,
    actor: Pick<Actor, 'id'>,
    finishedTaskIds: string[] = [],
    variables?: Record<string, unknown>,
  ): Promise<MoveReply> {
    const instance = await this.execution.lockInstance(manager, instanceId);
    const step = await this.execution.apply(
      manager,
      instance,
      {
        type: 'move',
        fromElementIds: plan.leaveElementIds,
        toElementId: plan.targetElementId,
        resetJoins: plan.resetJoins,
        ...(variables && { variables }),
      },
      { actorId: actor.id, finishedTaskIds },
    );
    if (step.cancelledTasks.length > 0) {
      await this.rows.updateTasks(
        manager,
        step.cancelledTasks.map((t) => t.id),
        { outcome: 'moved' },
      );
      for (const task of step.cancelledTasks) task.outcome = 'moved';
    }
    const target = (await this.execution.inspectDefinition(manager, instance)).elementsById.get(
      plan.targetElementId,
    );
    return {
      dryRun: false,
      instanceStatus: step.instance.status,
      cancelledTasks: step.cancelledTasks.map(mapTask),
      createdNodes: [{ elementId: plan.targetElementId, name: target?.name ?? null }],
      createdTasks: step.createdTasks.map(mapTask),
    };
  }
}
