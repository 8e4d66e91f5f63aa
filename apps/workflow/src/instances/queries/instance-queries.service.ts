import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  type Actor,
  type DiagramReply,
  type GetInstanceCommand,
  type InstanceDetailReply,
  type InstanceSummaryReply,
  type ListInstancesCommand,
  type PageReply,
} from '@app/contracts';
import { containsPattern, parseClientDateTime } from '@app/common';
import { ActivityHistoryEntity, CommentEntity, ProcessInstanceEntity, TaskEntity } from '@app/database';
import { applyFormFilters, pickFormValues } from '../../common/form-field-filter';
import { restrictInstancesTo } from '../../common/visibility';
import { WorkflowException, WorkflowReason } from '../../common/workflow.exception';
import { WorkflowEnv } from '../../config/workflow.env';
import { DefinitionRegistry } from '../../definitions/definition.registry';
import { checkFormFieldList } from '../../forms/form-lookup';
import { mapTask } from '../../tasks/task.mapper';
import { mapComment, mapHistory, mapInstance } from '../instance.mapper';

const ENDED = ['completed', 'rejected', 'stopped', 'discarded', 'failed'];

/** What a caller sees of instances: the lists, one instance with its history, its diagram. */
@Injectable()
export class InstanceQueriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: DefinitionRegistry,
    @Inject(WorkflowEnv) private readonly config: WorkflowEnv,
  ) {}

  async list(command: ListInstancesCommand): Promise<PageReply<InstanceSummaryReply>> {
    const qb = this.dataSource.getRepository(ProcessInstanceEntity).createQueryBuilder('i');
    if (command.scope === 'started') qb.andWhere('i.initiator_id = :me', { me: command.actor.id });
    else restrictInstancesTo(qb, 'i', command.actor);
    if (command.status) qb.andWhere('i.status = :status', { status: command.status });
    if (command.finished === true) qb.andWhere('i.status IN (:...ended)', { ended: ENDED });
    if (command.finished === false) qb.andWhere(`i.status = 'running'`);
    if (command.definitionKey) qb.andWhere('i.definition_key = :key', { key: command.definitionKey });
    if (command.category) qb.andWhere('i.category = :category', { category: command.category });
    if (command.processName)
      qb.andWhere('i.process_name ILIKE :pn', { pn: containsPattern(command.processName) });
    if (command.businessKey) qb.andWhere('i.business_key = :bk', { bk: command.businessKey });
    if (command.startedFrom)
      qb.andWhere('i.started_at >= :from', {
        from: parseClientDateTime(command.startedFrom, this.config.TZ_BUSINESS, 'startedFrom'),
      });
    if (command.startedTo)
      qb.andWhere('i.started_at <= :to', {
        to: parseClientDateTime(command.startedTo, this.config.TZ_BUSINESS, 'startedTo'),
      });
    await checkFormFieldList(this.dataSource.manager, this.registry, command);
    applyFormFilters(qb, 'i.variables', command.formFilters);
    qb.orderBy('i.started_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .skip((command.pageNum - 1) * command.pageSize)
      .take(command.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    const names = await this.currentNodeNames(rows.map((r) => r.id));
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
    const [tasks, history, comments] = await Promise.all([
      this.dataSource
        .getRepository(TaskEntity)
        .find({ where: { instanceId: instance.id, status: 'open' }, order: { id: 'ASC' } }),
      this.dataSource
        .getRepository(ActivityHistoryEntity)
        .find({ where: { instanceId: instance.id }, order: { id: 'ASC' } }),
      this.dataSource
        .getRepository(CommentEntity)
        .find({ where: { instanceId: instance.id }, order: { id: 'ASC' } }),
    ]);
    return {
      ...mapInstance(instance, [...new Set(tasks.map((t) => t.name))]),
      variables: instance.variables,
      tasks: tasks.map(mapTask),
      history: history.map(mapHistory),
      comments: comments.map(mapComment),
      version: instance.version,
    };
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
    const qb = this.dataSource
      .getRepository(ProcessInstanceEntity)
      .createQueryBuilder('i')
      .where('i.id = :id', { id });
    restrictInstancesTo(qb, 'i', actor);
    const instance = await qb.getOne();
    if (!instance) throw WorkflowException.missing(WorkflowReason.InstanceNotFound, 'instance', id);
    return instance;
  }

  private async currentNodeNames(ids: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (ids.length === 0) return result;
    const rows: { instance_id: string; names: string[] }[] = await this.dataSource.query(
      `SELECT instance_id, array_agg(DISTINCT name) AS names FROM workflow.task WHERE status = 'open' AND instance_id = ANY($1::bigint[]) GROUP BY instance_id`,
      [ids],
    );
    for (const row of rows) result.set(String(row.instance_id), row.names);
    return result;
  }
}
