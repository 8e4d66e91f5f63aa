import { Inject, Injectable } from '@nestjs/common';
import { AppException } from '@app/common';
import { GatewayEnv } from '../../config/gateway.env';
import { legacyDateTime } from '../../legacy/legacy-query';
import {
  type DingTalkAttendance,
  DingTalkClient,
  type DingTalkDepartment,
  type DingTalkUser,
} from './dingtalk.client';
import { DAY, USER_ID } from './dingtalk.dto';

/** At most this many days per attendance look-up (DingTalk itself reaches back half a year). */
const MAX_ATTENDANCE_DAYS = 62;

/** Read-only DingTalk look-ups (seed 002, S002-12 … S002-14): input checked here, answers never stored. */
@Injectable()
export class DingTalkService {
  constructor(
    private readonly client: DingTalkClient,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  departmentTree(id: string | undefined): Promise<DingTalkDepartment> {
    return this.client.departmentTree(departmentId(id));
  }

  usersOf(id: string | undefined): Promise<DingTalkUser[]> {
    return this.client.usersOf(departmentId(id));
  }

  /** Days default to today (business time zone); `startTime` ≤ `endTime`, at most 62 days. */
  attendance(userIds: string[], startTime?: string, endTime?: string): Promise<DingTalkAttendance[]> {
    for (const id of userIds) {
      if (!USER_ID.test(id))
        throw AppException.invalid([{ field: 'id', reason: 'must be a DingTalk user id' }]);
    }
    const today = legacyDateTime(new Date(), this.config.TZ_BUSINESS)!.slice(0, 10);
    const from = day('startTime', startTime) ?? today;
    // "默认今天": without endTime the window ends today, or MAX_ATTENDANCE_DAYS after startTime if sooner.
    const to =
      day('endTime', endTime) ?? minDay(today < from ? from : today, addDays(from, MAX_ATTENDANCE_DAYS - 1));
    const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (span < 0) throw AppException.invalid([{ field: 'endTime', reason: 'is before startTime' }]);
    if (span >= MAX_ATTENDANCE_DAYS)
      throw AppException.invalid([
        { field: 'endTime', reason: `at most ${MAX_ATTENDANCE_DAYS} days after startTime` },
      ]);
    return this.client.attendance(userIds, from, to);
  }
}

function departmentId(value: string | undefined): number {
  const id = Number(value);
  if (!value || !/^\d{1,15}$/.test(value) || id < 1)
    throw AppException.invalid([
      { field: 'id', reason: 'must be a DingTalk department id (the company root is 1)' },
    ]);
  return id;
}

function day(field: string, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  const parsed = new Date(`${v}T00:00:00Z`);
  if (!DAY.test(v) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== v)
    throw AppException.invalid([{ field, reason: 'must be a day (yyyy-MM-dd)' }]);
  return v;
}

function addDays(value: string, days: number): string {
  return new Date(Date.parse(`${value}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const minDay = (a: string, b: string): string => (a < b ? a : b);
