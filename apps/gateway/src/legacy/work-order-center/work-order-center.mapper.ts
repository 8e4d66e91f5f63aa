import type { DefinitionReply, InstanceSummaryReply, PageReply, TaskReply } from '@app/contracts';
import type { PersonName } from '../../identity/directory/directory.repository';
import { legacyDateTime, legacyDuration, legacyDurationSeconds } from '../legacy-query';

/** Seed 004 lists: RuoYi's TableDataInfo, `total` and `rows` beside `code` / `msg`. */
export interface LegacyTable<T> {
  total: number;
  rows: T[];
  code: 200;
  msg: string;
}

export function legacyTable<T, R>(page: PageReply<T>, map: (row: T) => R): LegacyTable<R> {
  return { total: page.total, rows: page.rows.map(map), code: 200, msg: '查询成功' };
}

export function mapLegacyDefinition(
  d: DefinitionReply,
  timeZone: string,
  startForm?: { id: string; name: string },
) {
  return {
    definitionId: d.id,
    processName: d.name,
    processKey: d.key,
    category: d.category,
    version: d.version,
    formId: startForm?.id ?? null,
    formName: startForm?.name ?? null,
    deploymentId: d.id,
    suspended: d.suspended,
    deploymentTime: legacyDateTime(d.deployedAt, timeZone),
    iconId: null,
  };
}

type Names = Map<string, PersonName>;

/**
 * The row of todoList / finishedList (seed 004 "rows业务数据"). As the examples show: `procVars` holds the
 * instance's variables with `initiator` and its `processStatus`, `processStatus` is the instance's status,
 * and a finished task's `duration` counts seconds (`1天5小时8分42秒`).
 */
export function mapLegacyTask(t: TaskReply, names: Names, timeZone: string, procDefVersion: number | null) {
  const assignee = t.assigneeId ? names.get(t.assigneeId) : undefined;
  const starter = names.get(t.initiatorId);
  return {
    taskId: t.id,
    taskName: t.name,
    taskDefKey: t.elementId,
    assigneeId: t.assigneeId,
    deptName: assignee?.departmentName ?? null,
    startDeptName: starter?.departmentName ?? null,
    assigneeName: assignee?.name ?? null,
    startUserId: t.initiatorId,
    startUserName: starter?.name ?? null,
    category: t.category,
    procVars: t.instance
      ? { initiator: t.initiatorId, ...t.instance.variables, processStatus: t.instance.status }
      : null,
    taskLocalVars: null,
    deployId: t.definitionId,
    procDefId: t.definitionId,
    procDefKey: t.definitionKey,
    procDefName: t.processName,
    procDefVersion,
    procInsId: t.instanceId,
    hisProcInsId: t.instanceId,
    duration: t.endedAt ? legacyDurationSeconds(t.createdAt, t.endedAt) : legacyDuration(t.createdAt, null),
    comment: null,
    commentList: null,
    candidate: t.candidates.join(',') || null,
    createTime: legacyDateTime(t.createdAt, timeZone),
    finishTime: legacyDateTime(t.endedAt, timeZone),
    processStatus: t.instance?.status ?? null,
    proInsCreateTime: legacyDateTime(t.instanceStartedAt, timeZone),
  };
}

export function mapLegacyInstance(i: InstanceSummaryReply, names: Names, timeZone: string) {
  const starter = names.get(i.initiatorId);
  return {
    taskId: null,
    taskName: i.currentNodes.join(',') || null,
    taskDefKey: null,
    assigneeId: null,
    deptName: null,
    startDeptName: starter?.departmentName ?? null,
    assigneeName: null,
    startUserId: i.initiatorId,
    startUserName: starter?.name ?? null,
    category: i.category,
    procVars: null,
    taskLocalVars: null,
    deployId: i.definitionId,
    procDefId: i.definitionId,
    procDefKey: i.definitionKey,
    procDefName: i.processName,
    procDefVersion: i.definitionVersion,
    procInsId: i.id,
    hisProcInsId: i.id,
    duration: legacyDuration(i.startedAt, i.endedAt),
    comment: null,
    commentList: null,
    candidate: null,
    createTime: legacyDateTime(i.startedAt, timeZone),
    finishTime: legacyDateTime(i.endedAt, timeZone),
    processStatus: i.status,
    proInsCreateTime: legacyDateTime(i.startedAt, timeZone),
  };
}

/** What every seed-004 task operation answers in `data`. */
export function taskRef(taskId: string | null, instanceId: string) {
  return { TaskId: taskId, ProcessInstanceId: instanceId };
}
