import { Inject, Injectable } from '@nestjs/common';
import {
  type GetTaskCommand,
  type ListTasksCommand,
  type PageReply,
  type ReturnTargetReply,
  type TaskDetailReply,
  type TaskReply,
} from '@app/contracts';
import { parseClientDateTime } from '@app/common';
import type { TaskEntity } from '@app/database';
import { isTaskParticipant, seesEverything } from '../../common/visibility';
import { WorkflowException, WorkflowReason } from '../../common/workflow.exception';
import { WorkflowEnv } from '../../config/workflow.env';
import { returnTargets } from '../../engine';
import { ExecutionService } from '../../execution/execution.service';
import { MovePlanner } from '../../execution/move-planner.service';
import { denyTask } from '../task-denial';
import { taskActionsFor } from '../task-actions';
import { mapTask } from '../task.mapper';
import { TasksRepository } from '../tasks.repository';
import { TaskSteps } from '../commands/task-steps.service';

/** What a caller sees of tasks: the lists (todo, claimable, done, copied), one task, its return targets. */
@Injectable()
export class TaskQueriesService {
  constructor(
    private readonly repository: TasksRepository,
    private readonly steps: TaskSteps,
    private readonly planner: MovePlanner,
    private readonly execution: ExecutionService,
    @Inject(WorkflowEnv) private readonly config: WorkflowEnv,
  ) {}

  async list(command: ListTasksCommand): Promise<PageReply<TaskReply>> {
    const tz = this.config.TZ_BUSINESS;
    const [rows, total] = await this.repository.page({
      ...command,
      startedFrom: command.startedFrom
        ? parseClientDateTime(command.startedFrom, tz, 'beginTime')
        : undefined,
      startedTo: command.startedTo ? parseClientDateTime(command.startedTo, tz, 'endTime') : undefined,
    });
    const mapped = rows.map(mapTask);
    if (command.withInstance) {
      const instances = await this.repository.instancesOf(mapped.map((t) => t.instanceId));
      for (const task of mapped) task.instance = instances.get(task.instanceId);
    }
    return { total, pageNum: command.pageNum, pageSize: command.pageSize, rows: mapped };
  }

  async get(command: GetTaskCommand): Promise<TaskDetailReply> {
    const task = await this.visibleTask(command);
    return { ...mapTask(task), actions: taskActionsFor(command.actor, task) };
  }

  /** Legal return targets of an open task (see the planner in the engine). */
  async returnTargets(command: GetTaskCommand): Promise<ReturnTargetReply[]> {
    const task = await this.visibleTask(command);
    if (!isTaskParticipant(command.actor, task) && !seesEverything(command.actor)) denyTask(task);
    if (task.status !== 'open') return [];
    // a read: the facts of one snapshot
    const facts = await this.execution.transaction((manager) => this.planner.facts(manager, task.instanceId));
    return returnTargets(facts, task.elementId).map((t) => ({ ...t }));
  }

  /** The task if the caller may see it (the rule of `TaskSteps.maySee`), else 404. */
  private async visibleTask(command: GetTaskCommand): Promise<TaskEntity> {
    const task = await this.repository.findById(command.taskId);
    if (!task || !(await this.steps.maySee(command.actor, task)))
      throw WorkflowException.missing(WorkflowReason.TaskNotFound, 'task', command.taskId);
    return task;
  }
}
