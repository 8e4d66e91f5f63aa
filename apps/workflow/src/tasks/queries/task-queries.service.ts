import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  type GetTaskCommand,
  type ListTasksCommand,
  type PageReply,
  type ReturnTargetReply,
  type TaskDetailReply,
  type TaskReply,
} from '@app/contracts';
import { containsPattern, parseClientDateTime } from '@app/common';
import { TaskEntity } from '@app/database';
import { candidateKeysOfActor, identitiesOf } from '../../common/candidate-keys';
import { isTaskParticipant, maySeeTask, seesEverything } from '../../common/visibility';
import { WorkflowException, WorkflowReason } from '../../common/workflow.exception';
import { WorkflowEnv } from '../../config/workflow.env';
import { returnTargets } from '../../engine';
import { MovePlanner } from '../../execution/move-planner.service';
import { denyTask } from '../task-denial';
import { taskActionsFor } from '../task-actions';
import { mapTask } from '../task.mapper';

/** What a caller sees of tasks: the lists (todo, claimable, done, copied), one task, its return targets. */
@Injectable()
export class TaskQueriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly planner: MovePlanner,
    @Inject(WorkflowEnv) private readonly config: WorkflowEnv,
  ) {}

  async list(command: ListTasksCommand): Promise<PageReply<TaskReply>> {
    const { actor } = command;
    const qb = this.dataSource.getRepository(TaskEntity).createQueryBuilder('t');
    switch (command.scope) {
      case 'todo':
        qb.where(
          `t.status = 'open' AND (t.assignee_id IN (:...ids) OR (t.assignee_id IS NULL AND t.candidates && :keys))`,
        );
        break;
      case 'claimable':
        qb.where(`t.status = 'open' AND t.assignee_id IS NULL AND t.candidates && :keys`);
        break;
      case 'done':
        qb.where(`t.status = 'completed' AND t.ended_by = :me`);
        break;
      case 'copied':
        qb.where(`t.id IN (SELECT c.task_id FROM workflow.task_copy c WHERE c.user_id IN (:...ids))`);
        break;
    }
    qb.setParameters({ me: actor.id, ids: identitiesOf(actor), keys: candidateKeysOfActor(actor) });
    if (command.assignedOnly) qb.andWhere('t.assignee_id IN (:...ids)');
    if (command.processName)
      qb.andWhere('t.process_name ILIKE :pn', { pn: containsPattern(command.processName) });
    if (command.processKey) qb.andWhere('t.definition_key = :pk', { pk: command.processKey });
    if (command.category) qb.andWhere('t.category = :cat', { cat: command.category });
    if (command.instanceId) qb.andWhere('t.instance_id = :iid', { iid: command.instanceId });
    const tz = this.config.TZ_BUSINESS;
    if (command.startedFrom)
      qb.andWhere('t.instance_started_at >= :from', {
        from: parseClientDateTime(command.startedFrom, tz, 'beginTime'),
      });
    if (command.startedTo)
      qb.andWhere('t.instance_started_at <= :to', {
        to: parseClientDateTime(command.startedTo, tz, 'endTime'),
      });
    qb.orderBy(command.scope === 'done' ? 't.ended_at' : 't.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .skip((command.pageNum - 1) * command.pageSize)
      .take(command.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return { total, pageNum: command.pageNum, pageSize: command.pageSize, rows: rows.map(mapTask) };
  }

  async get(command: GetTaskCommand): Promise<TaskDetailReply> {
    const task = await this.dataSource.getRepository(TaskEntity).findOneBy({ id: command.taskId });
    if (!task || !maySeeTask(command.actor, task))
      throw WorkflowException.missing(WorkflowReason.TaskNotFound, 'task', command.taskId);
    return { ...mapTask(task), actions: taskActionsFor(command.actor, task) };
  }

  /** Legal return targets of an open task (see the planner in the engine). */
  async returnTargets(command: GetTaskCommand): Promise<ReturnTargetReply[]> {
    const task = await this.dataSource.getRepository(TaskEntity).findOneBy({ id: command.taskId });
    if (!task || !maySeeTask(command.actor, task))
      throw WorkflowException.missing(WorkflowReason.TaskNotFound, 'task', command.taskId);
    if (!isTaskParticipant(command.actor, task) && !seesEverything(command.actor)) denyTask(task);
    if (task.status !== 'open') return [];
    const facts = await this.planner.facts(this.dataSource.manager, task.instanceId);
    return returnTargets(facts, task.elementId).map((t) => ({ ...t }));
  }
}
