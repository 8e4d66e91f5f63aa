import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException } from '@app/common';
import { IdentityChangeFeed } from '../../identity/shared/identity-change-feed';
import { uniqueViolation } from '../../shared/dto-helpers';
import type { DingTalkDepartment, DingTalkUser } from './dingtalk.client';
import { DingTalkService } from './dingtalk.service';
import {
  type DirectoryChangeDto,
  type DirectorySyncCountsDto,
  type DirectorySyncDto,
  type DirectorySyncReplyDto,
  type SyncAction,
} from './directory-sync.dto';
import { DirectorySyncRepository, type LocalStaff } from './directory-sync.repository';

interface WantedDepartment {
  dingtalkId: string;
  name: string;
  parentDingtalkId: string | null;
}
interface WantedStaff {
  dingtalkId: string;
  realName: string;
  phone: string | null;
  employeeNo: string | null;
  title: string | null;
  departmentDingtalkId: string;
}

const counts = (): DirectorySyncCountsDto => ({ create: 0, update: 0, link: 0, unchanged: 0, missing: 0 });

/**
 * Copies DingTalk's departments and staff into the directory (beyond seed 002, which only looks them
 * up). Records are linked by their DingTalk id, so a second run changes nothing (idempotent); members
 * already in the directory are matched by phone or employee number before any is created. Only the
 * fields DingTalk gives are written; nothing is deleted or disabled (members gone from DingTalk are
 * reported as `missing`). A dry run answers the same plan and writes nothing.
 */
@Injectable()
export class DirectorySyncService {
  constructor(
    private readonly dingtalk: DingTalkService,
    private readonly repository: DirectorySyncRepository,
    private readonly feed: IdentityChangeFeed,
  ) {}

  async sync(actor: Actor, dto: DirectorySyncDto): Promise<DirectorySyncReplyDto> {
    if (actor.dataScope !== 'all')
      throw AppException.forbidden(
        'DATA_SCOPE_ALL_NEEDED',
        'the directory sync writes the whole directory: data scope all needed',
      );
    const rootId = dto.rootId ?? '1';
    const dryRun = dto.dryRun === true;
    // Everything is read from DingTalk before the transaction starts: no upstream call holds locks.
    const departments = flatten(await this.dingtalk.departmentTree(rootId), null);
    const staff = await this.wantedStaff(departments);
    const run = (manager: EntityManager, write: boolean) =>
      this.apply(manager, write, departments, staff, rootId === '1');
    if (dryRun) return { dryRun, ...(await run(this.repository.manager(), false)) };
    try {
      return await this.feed.transaction(async (manager, changed) => {
        const result = await run(manager, true);
        if (result.changes.some((c) => c.action !== 'missing')) changed({ kind: 'all' });
        return { dryRun, ...result };
      });
    } catch (error) {
      if (uniqueViolation(error))
        throw AppException.conflict(
          'DIRECTORY_CONFLICT',
          'a DingTalk phone number or employee number belongs to another member here',
        );
      throw error;
    }
  }

  /** Each DingTalk user once, in the first synced department of their list (else where found). */
  private async wantedStaff(departments: WantedDepartment[]): Promise<WantedStaff[]> {
    const synced = new Set(departments.map((d) => d.dingtalkId));
    const users = new Map<string, WantedStaff>();
    for (const department of departments) {
      for (const user of await this.dingtalk.usersOf(department.dingtalkId)) {
        if (users.has(user.userid)) continue;
        users.set(user.userid, toWanted(user, department.dingtalkId, synced));
      }
    }
    return [...users.values()];
  }

  private async apply(
    manager: EntityManager,
    write: boolean,
    wantedDepartments: WantedDepartment[],
    wantedStaff: WantedStaff[],
    whole: boolean,
  ): Promise<Omit<DirectorySyncReplyDto, 'dryRun'>> {
    const changes: DirectoryChangeDto[] = [];
    const tally = { departments: counts(), staff: counts() };
    const record = (change: DirectoryChangeDto) => {
      tally[change.kind === 'department' ? 'departments' : 'staff'][change.action] += 1;
      if (change.action !== 'unchanged') changes.push(change);
    };

    // departments, parents first
    const linked = await this.repository.linkedDepartments(manager);
    const localByDingtalk = new Map(linked.map((d) => [d.dingtalkId!, d]));
    const dingtalkByLocal = new Map(linked.map((d) => [d.id, d.dingtalkId!]));
    const localIdOf = new Map(linked.map((d) => [d.dingtalkId!, d.id as string | null]));
    for (const wanted of wantedDepartments) {
      const parentId = wanted.parentDingtalkId ? (localIdOf.get(wanted.parentDingtalkId) ?? null) : null;
      const local = localByDingtalk.get(wanted.dingtalkId);
      if (!local) {
        const id = write
          ? await this.repository.insertDepartment(manager, {
              name: wanted.name,
              parentId,
              dingtalkId: wanted.dingtalkId,
            })
          : null;
        localIdOf.set(wanted.dingtalkId, id);
        record(change('department', 'create', wanted.dingtalkId, wanted.name, id, ['name', 'parentId']));
        continue;
      }
      const fields: string[] = [];
      if (local.name !== wanted.name) fields.push('name');
      const currentParent = local.parentId ? (dingtalkByLocal.get(local.parentId) ?? null) : null;
      if (currentParent !== wanted.parentDingtalkId) fields.push('parentId');
      if (write && fields.length > 0)
        await this.repository.updateDepartment(manager, local.id, { name: wanted.name, parentId });
      record(
        change(
          'department',
          fields.length ? 'update' : 'unchanged',
          wanted.dingtalkId,
          wanted.name,
          local.id,
          fields,
        ),
      );
    }

    // staff
    const candidates = await this.repository.candidateStaff(
      wantedStaff.map((s) => s.dingtalkId),
      wantedStaff.flatMap((s) => (s.phone ? [s.phone] : [])),
      wantedStaff.flatMap((s) => (s.employeeNo ? [s.employeeNo] : [])),
      manager,
    );
    const byLink = new Map(candidates.filter((s) => s.dingtalkUserId).map((s) => [s.dingtalkUserId!, s]));
    const seen = new Set<string>();
    for (const wanted of wantedStaff) {
      seen.add(wanted.dingtalkId);
      const departmentId = localIdOf.get(wanted.departmentDingtalkId) ?? null;
      const linkedMember = byLink.get(wanted.dingtalkId);
      const matched =
        linkedMember ??
        candidates.find(
          (s) =>
            !s.dingtalkUserId &&
            ((wanted.phone && s.phone === wanted.phone) ||
              (wanted.employeeNo && s.employeeNo === wanted.employeeNo)),
        );
      const values = {
        realName: wanted.realName,
        ...(wanted.phone !== null && { phone: wanted.phone }),
        ...(wanted.employeeNo !== null && { employeeNo: wanted.employeeNo }),
        ...(wanted.title !== null && { title: wanted.title }),
        departmentId,
        dingtalkUserId: wanted.dingtalkId,
      };
      if (!matched) {
        const id = write
          ? await this.repository.insertStaff(manager, {
              phone: null,
              employeeNo: null,
              title: null,
              ...values,
            })
          : null;
        record(change('staff', 'create', wanted.dingtalkId, wanted.realName, id, Object.keys(values)));
        continue;
      }
      if (!linkedMember) candidates.splice(candidates.indexOf(matched), 1); // one DingTalk user per member
      const fields = differing(matched, values, departmentId === null && !write);
      const action: SyncAction = linkedMember ? (fields.length ? 'update' : 'unchanged') : 'link';
      if (write && (action === 'update' || action === 'link'))
        await this.repository.updateStaff(manager, matched.id, values);
      record(change('staff', action, wanted.dingtalkId, wanted.realName, matched.id, fields));
    }
    if (whole)
      for (const member of byLink.values())
        if (!seen.has(member.dingtalkUserId!))
          record(change('staff', 'missing', member.dingtalkUserId!, member.realName, member.id, []));
    return { ...tally, changes };
  }
}

/** The tree as a list, every department after its parent. */
function flatten(node: DingTalkDepartment, parent: string | null): WantedDepartment[] {
  const self = { dingtalkId: String(node.id), name: node.name.slice(0, 64), parentDingtalkId: parent };
  return [self, ...node.children.flatMap((child) => flatten(child, self.dingtalkId))];
}

function toWanted(user: DingTalkUser, foundIn: string, synced: Set<string>): WantedStaff {
  const primary = user.deptIdList.map(String).find((id) => synced.has(id)) ?? foundIn;
  const text = (value: string | null, max: number) =>
    value && value.trim() ? value.trim().slice(0, max) : null;
  return {
    dingtalkId: user.userid,
    realName: user.name.slice(0, 64),
    phone: text(user.mobile, 32),
    employeeNo: text(user.jobNumber, 32),
    title: text(user.title, 64),
    departmentDingtalkId: primary,
  };
}

/** Fields of `values` that differ from the member (a department still to be created differs). */
function differing(
  member: LocalStaff,
  values: Record<string, unknown>,
  departmentPending: boolean,
): string[] {
  return Object.entries(values)
    .filter(([key, value]) =>
      key === 'departmentId' && departmentPending ? true : member[key as keyof LocalStaff] !== value,
    )
    .map(([key]) => key);
}

function change(
  kind: DirectoryChangeDto['kind'],
  action: SyncAction,
  dingtalkId: string,
  name: string,
  localId: string | null,
  fields: string[],
): DirectoryChangeDto {
  return { kind, action, dingtalkId, name, localId, fields: action === 'unchanged' ? [] : fields };
}
