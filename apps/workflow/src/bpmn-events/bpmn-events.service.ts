import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type BroadcastSignalCommand,
  type CorrelateMessageGloballyCommand,
  ErrorCode,
  type MessageCorrelationReply,
  type SignalReply,
  type TriggerReceiveTaskCommand,
  type TriggerReply,
} from '@app/contracts';
import type { ProcessDefinitionEntity } from '@app/database';
import { requirePermission } from '../definitions/definitions.service';
import { assertRunning, WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { DefinitionRegistry } from '../definitions/definition.registry';
import { startEventFor, waitsFor } from '../engine';
import { ExecutionService } from '../execution/execution.service';
import { IdempotencyService } from '../execution/idempotency.service';
import { BpmnEventsRepository } from './bpmn-events.repository';

/**
 * Global BPMN events (Camunda's runtime API): signals broadcast to every subscription, messages
 * correlated to exactly one. Each delivery is one instance command (instance row locked), so any
 * number of workflow replicas may serve these requests.
 */
@Injectable()
export class BpmnEventsService {
  constructor(
    private readonly execution: ExecutionService,
    private readonly registry: DefinitionRegistry,
    private readonly subscriptions: BpmnEventsRepository,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * Every running instance that waits for the signal gets it once, in its own transaction (one whose
   * definition catches it elsewhere is left as it is);
   * then every signal start event starts one instance (all in one transaction: all or none).
   */
  async broadcast(command: BroadcastSignalCommand): Promise<SignalReply> {
    requirePermission(command.actor, 'workflow:admin');
    const targets = await this.execution.transaction((manager) =>
      this.execution.signalSubscribers(manager, command.name),
    );
    const delivered: string[] = [];
    for (const id of targets) {
      const done = await this.execution.transaction(async (manager) => {
        const instance = await this.execution.lockInstance(manager, id);
        if (instance.status !== 'running') return false; // ended meanwhile
        return this.execution.deliverSignal(
          manager,
          instance,
          command.name,
          command.variables,
          command.actor.id,
        );
      });
      if (done) delivered.push(id);
    }
    // after the deliveries: a freshly started instance does not receive the signal that started it
    const started = await this.execution.transaction((manager) =>
      this.execution.startBySignal(manager, command.name, command.variables),
    );
    return { deliveries: delivered.length, instanceIds: delivered, startedInstanceIds: started };
  }

  /** Resumes a receive task by element id (one without a message name can be reached no other way). */
  async trigger(command: TriggerReceiveTaskCommand): Promise<TriggerReply> {
    requirePermission(command.actor, 'workflow:admin');
    const { actor } = command;
    return this.execution.transaction((manager) =>
      this.idempotency.once(manager, 'receive-task.trigger', command, async () => {
        const instance = await this.execution.lockInstance(manager, command.id);
        assertRunning(instance);
        const { snapshot } = await this.execution.inspect(manager, instance);
        const wait = snapshot.waits.find(
          (w) => w.type === 'receiveTask' && w.elementId === command.elementId,
        );
        if (!wait) {
          throw new WorkflowException(
            ErrorCode.Conflict,
            WorkflowReason.NoMatchingSubscription,
            `no receive task <${command.elementId}> waits in instance ${instance.id}`,
          );
        }
        const step = await this.execution.apply(
          manager,
          instance,
          { type: 'complete-task', executionId: wait.executionId, variables: command.variables },
          { actorId: actor.id },
        );
        return { instanceId: step.instance.id, status: step.instance.status };
      }),
    );
  }

  /** Exactly one waiting instance, else exactly one message start event; none or several → error. */
  async correlate(command: CorrelateMessageGloballyCommand): Promise<MessageCorrelationReply> {
    requirePermission(command.actor, 'workflow:admin');
    const { actor } = command;
    return this.execution.transaction((manager) =>
      this.idempotency.once(manager, 'message.correlate', command, async () => {
        const waiting = await this.waitingInstances(manager, command);
        if (waiting.length > 1) throw ambiguous(command.name, `${waiting.length} instances wait for it`);
        if (waiting.length === 1) {
          const instance = await this.execution.lockInstance(manager, waiting[0]!);
          const step = await this.execution.apply(
            manager,
            instance,
            { type: 'message', name: command.name, variables: command.variables },
            { actorId: actor.id },
          );
          return { instanceId: step.instance.id, started: false, status: step.instance.status };
        }
        const starts = await this.messageStarts(manager, command.name);
        if (starts.length > 1)
          throw ambiguous(command.name, `${starts.length} process definitions start with it`);
        if (starts.length === 0) {
          throw new WorkflowException(
            ErrorCode.NotFound,
            WorkflowReason.NoMatchingSubscription,
            `no running instance waits for message '${command.name}' and no definition starts with it`,
          );
        }
        const [definition, startEventId] = starts[0]!;
        const step = await this.execution.start(manager, {
          definition,
          actor,
          variables: command.variables,
          businessKey: command.businessKey ?? null,
          startEventId,
        });
        return { instanceId: step.instance.id, started: true, status: step.instance.status };
      }),
    );
  }

  private async waitingInstances(
    manager: EntityManager,
    command: CorrelateMessageGloballyCommand,
  ): Promise<string[]> {
    const rows = await this.subscriptions.runningCandidates(
      manager,
      command.businessKey ?? null,
      command.correlationKeys ?? null,
    );
    const matches: string[] = [];
    for (const row of rows) {
      const compiled = await this.registry.compileIfRunnable({ id: String(row.definition_id), xml: row.xml });
      if (compiled && waitsFor(compiled, row.active_elements ?? [], 'message', command.name))
        matches.push(String(row.id));
    }
    return matches;
  }

  /** The newest version of each key, if it is not suspended and starts with this message. */
  private async messageStarts(
    manager: EntityManager,
    name: string,
  ): Promise<Array<[ProcessDefinitionEntity, string]>> {
    const found: Array<[ProcessDefinitionEntity, string]> = [];
    for (const id of await this.subscriptions.latestDefinitionIds(manager)) {
      const definition = await this.registry.byId(id, manager);
      if (definition.suspended) continue;
      const compiled = await this.registry.compileIfRunnable(definition);
      const start = compiled && startEventFor(compiled, 'message', name);
      if (start) found.push([definition, start.id]);
    }
    return found;
  }
}

function ambiguous(name: string, detail: string): WorkflowException {
  return new WorkflowException(
    ErrorCode.Conflict,
    WorkflowReason.AmbiguousCorrelation,
    `message '${name}' is ambiguous: ${detail}; narrow it with businessKey or correlationKeys`,
  );
}
