import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  type CompleteTaskCommand,
  ErrorCode,
  type HandOverTaskCommand,
  type InterveneWorkOrderCommand,
  type SignerCommand,
  type WorkflowCommandOf,
  WorkflowPattern,
} from '@app/contracts';
import { AppException } from '@app/common';
import { enabledStaffIdsByRef } from '@app/database';

interface NamedUser {
  field: string;
  ref: string;
}

const handOver = (c: HandOverTaskCommand | SignerCommand): NamedUser[] => [
  { field: 'userId', ref: c.userId },
];

/** The commands that hand work to people, and where they name them. */
const NAMED_USERS: Partial<Record<WorkflowPattern, (command: never) => NamedUser[]>> = {
  [WorkflowPattern.TaskDelegate]: handOver,
  [WorkflowPattern.TaskTransfer]: handOver,
  [WorkflowPattern.InstanceAddSigner]: handOver,
  [WorkflowPattern.TaskComplete]: (c: CompleteTaskCommand) => [
    ...(c.copyTo ?? []).map((ref, i) => ({ field: `copyTo[${i}]`, ref })),
    ...Object.entries(c.nextAssignees ?? {}).flatMap(([element, refs]) =>
      (Array.isArray(refs) ? refs : []).map((ref, i) => ({ field: `nextAssignees.${element}[${i}]`, ref })),
    ),
  ],
  [WorkflowPattern.WorkOrderIntervene]: (c: InterveneWorkOrderCommand) =>
    c.action === 'reassign' && c.userId ? [{ field: 'userId', ref: c.userId }] : [],
};

/**
 * The workflow app cannot see the directory, so before a command gives work to someone the gateway
 * checks that they exist and are enabled (by staff id or account name): an unknown person answers
 * 4200 naming the field, instead of a task assigned to nobody.
 */
@Injectable()
export class NamedUsers {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async check<P extends WorkflowPattern>(pattern: P, command: WorkflowCommandOf<P>): Promise<void> {
    const named = NAMED_USERS[pattern]?.(command as never) ?? [];
    if (named.length === 0) return;
    const known = await enabledStaffIdsByRef(
      this.dataSource.manager,
      named.map((n) => String(n.ref)),
    );
    const unknown = named.filter((n) => !known.has(String(n.ref)));
    if (unknown.length > 0)
      throw new AppException(
        ErrorCode.UserNotFound,
        'USER_NOT_FOUND',
        `no enabled user ${unknown.map((u) => u.ref).join(', ')}`,
        unknown.map((u) => ({ field: u.field, reason: `no enabled user ${u.ref}` })),
      );
  }
}
