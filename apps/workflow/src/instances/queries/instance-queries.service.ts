import { Inject, Injectable } from '@nestjs/common';
import {
  type Actor,
  type DiagramReply,
  type GetInstanceCommand,
  type InstanceAction,
  type InstanceDetailReply,
  type InstanceSummaryReply,
  type ListInstancesCommand,
  type PageReply,
} from '@app/contracts';
import { parseClientDateTime } from '@app/common';
import type { ProcessInstanceEntity } from '@app/database';
import { pickFormValues } from '../../common/form-field-filter';
import { WorkflowException, WorkflowReason } from '../../common/workflow.exception';
import { WorkflowEnv } from '../../config/workflow.env';
import { DefinitionRegistry } from '../../definitions/definition.registry';
import { checkFormFieldList } from '../../forms/form-lookup';
import { FormsRepository } from '../../forms/forms.repository';
import { ExecutionService } from '../../execution/execution.service';
import { instanceActionsFor, RELAUNCHABLE } from '../instance-actions';
import { InstancesRepository } from '../instances.repository';
import { RevokeRule } from '../revoke-rule';
import { UrgeRule } from '../urge-rule';
import { mapTask } from '../../tasks/task.mapper';
import { mapComment, mapHistory, mapInstance } from '../instance.mapper';

/** What a caller sees of instances: the lists, one instance with its history, its diagram. */
@Injectable()
export class InstanceQueriesService {
  constructor(
    private readonly repository: InstancesRepository,
    private readonly forms: FormsRepository,
    private readonly registry: DefinitionRegistry,
    private readonly revokeRule: RevokeRule,
    private readonly urgeRule: UrgeRule,
    private readonly execution: ExecutionService,
    @Inject(WorkflowEnv) private readonly config: WorkflowEnv,
  ) {}

  async list(command: ListInstancesCommand): Promise<PageReply<InstanceSummaryReply>> {
    const tz = this.config.TZ_BUSINESS;
    await checkFormFieldList(this.forms, this.registry, command);
    const [rows, total] = await this.repository.page({
      ...command,
      startedFrom: command.startedFrom
        ? parseClientDateTime(command.startedFrom, tz, 'startedFrom')
        : undefined,
      startedTo: command.startedTo ? parseClientDateTime(command.startedTo, tz, 'startedTo') : undefined,
    });
    const names = await this.repository.currentNodeNames(rows.map((r) => r.id));
    return {
      total,
      pageNum: command.pageNum,
      pageSize: command.pageSize,
      rows: rows.map((row) => {
        const formValues = pickFormValues(row.variables, command.formFields);
        return { ...mapInstance(row, names.get(row.id) ?? []), ...(formValues ? { formValues } : {}) };
      }),
    };
  }

  async get(command: GetInstanceCommand): Promise<InstanceDetailReply> {
    const instance = await this.visibleInstance(command.actor, command.id);
    const [tasks, history, comments, actions] = await Promise.all([
      this.repository.openTasks(instance.id),
      this.repository.history(instance.id),
      this.repository.comments(instance.id),
      this.actionsFor(command.actor, instance),
    ]);
    return {
      ...mapInstance(instance, [...new Set(tasks.map((t) => t.name))]),
      variables: instance.variables,
      tasks: tasks.map(mapTask),
      history: history.map(mapHistory),
      comments: comments.map(mapComment),
      version: instance.version,
      actions,
    };
  }

  /** Revoke's check reads like its command; urge's answers what its command would in one statement. Only a running or ended-rejected run needs them. */
  private async actionsFor(actor: Actor, instance: ProcessInstanceEntity): Promise<InstanceAction[]> {
    const running = instance.status === 'running';
    const relaunchable = RELAUNCHABLE.includes(instance.status);
    const [urgeable, revocable, relaunched] =
      running || relaunchable
        ? await this.execution.transaction(async (manager) => [
            running && (await this.urgeRule.allows(manager, actor, instance)),
            running && (await this.revokeRule.allows(manager, actor, instance)),
            relaunchable && (await this.repository.findRelaunchOf(manager, instance.id)) !== null,
          ])
        : [false, false, false];
    return instanceActionsFor(actor, instance, { urgeable, revocable, relaunched });
  }

  async diagram(command: GetInstanceCommand): Promise<DiagramReply> {
    const instance = await this.visibleInstance(command.actor, command.id);
    const definition = await this.registry.byId(instance.definitionId);
    const state = instance.state as { takenFlows?: string[]; completedElements?: string[] };
    return {
      instanceId: instance.id,
      xml: definition.xml,
      activeActivityIds: instance.activeElements,
      completedActivityIds: [...(state.completedElements ?? [])],
      takenFlowIds: [...(state.takenFlows ?? [])],
    };
  }

  /** 404 for instances outside the caller's view (DESIGN §3: never reveal they exist). */
  async visibleInstance(actor: Actor, id: string): Promise<ProcessInstanceEntity> {
    const instance = await this.repository.findVisible(actor, id);
    if (!instance) throw WorkflowException.missing(WorkflowReason.InstanceNotFound, 'instance', id);
    return instance;
  }
}
