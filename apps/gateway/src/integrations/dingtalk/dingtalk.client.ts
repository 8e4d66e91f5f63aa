import { Inject, Injectable } from '@nestjs/common';
import { AppException } from '@app/common';
import { GatewayEnv } from '../../config/gateway.env';
import { fetchJson, upstreamFailure } from '../upstream';

const SYSTEM = 'DingTalk';
/** errcodes meaning "this access_token is no longer valid": fetch a new one and replay once. */
const TOKEN_INVALID = new Set([40001, 40014, 42001, 88]);
/** Guards against a runaway (or cyclic) tree from the upstream. */
const MAX_DEPARTMENTS = 5000;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface DingTalkDepartment {
  id: number;
  name: string;
  parentId: number | null;
  children: DingTalkDepartment[];
}

export interface DingTalkUser {
  userid: string;
  unionid: string | null;
  name: string;
  mobile: string | null;
  email: string | null;
  title: string | null;
  jobNumber: string | null;
  deptIdList: number[];
  leader: boolean;
  admin: boolean;
  boss: boolean;
  active: boolean;
  hiredDate: number | null;
}

export interface DingTalkAttendance {
  id: string | null;
  recordId: string | null;
  userId: string;
  workDate: number;
  checkType: string;
  timeResult: string;
  locationResult: string | null;
  baseCheckTime: number | null;
  userCheckTime: number | null;
  sourceType: string | null;
  planId: string | null;
  groupId: string | null;
}

class TokenInvalid extends Error {}

/**
 * DingTalk open platform (oapi, ../shared/CONNECTORS.md). The access token is cached until shortly
 * before it expires and renewed once when DingTalk calls it invalid. Departments come one level per
 * call (`listsub`), so the tree is built by recursion; users by department with cursor paging;
 * attendance in 7-day × 50-user requests, each paged while `hasMore`. Nothing personal is cached.
 */
@Injectable()
export class DingTalkClient {
  private token: { value: string; until: number } | null = null;
  private fetching: Promise<string> | null = null;

  constructor(@Inject(GatewayEnv) private readonly config: GatewayEnv) {}

  get configured(): boolean {
    return Boolean(this.config.DINGTALK_APP_KEY && this.config.DINGTALK_APP_SECRET);
  }

  async department(id: number): Promise<{ id: number; name: string; parentId: number | null }> {
    const result = await this.call('/topapi/v2/department/get', { dept_id: id, language: 'zh_CN' });
    const dept = isObject(result) ? result : {};
    return { id, name: String(dept.name ?? ''), parentId: numberOrNull(dept.parent_id) };
  }

  /** The department and everything below it. */
  async departmentTree(rootId: number): Promise<DingTalkDepartment> {
    const root = await this.department(rootId);
    const node: DingTalkDepartment = { ...root, children: [] };
    const seen = new Set<number>([rootId]);
    const walk = async (parent: DingTalkDepartment): Promise<void> => {
      const result = await this.call('/topapi/v2/department/listsub', {
        dept_id: parent.id,
        language: 'zh_CN',
      });
      for (const item of Array.isArray(result) ? result.filter(isObject) : []) {
        const id = Number(item.dept_id);
        if (!Number.isSafeInteger(id) || seen.has(id)) continue;
        seen.add(id);
        if (seen.size > MAX_DEPARTMENTS)
          throw upstreamFailure(SYSTEM, `more than ${MAX_DEPARTMENTS} departments`);
        parent.children.push({ id, name: String(item.name ?? ''), parentId: parent.id, children: [] });
      }
      for (const child of parent.children) await walk(child);
    };
    await walk(node);
    return node;
  }

  /** Direct members of a department, every page (cursor / has_more / next_cursor). */
  async usersOf(departmentId: number): Promise<DingTalkUser[]> {
    const users: DingTalkUser[] = [];
    for (let cursor = 0, page = 0; ; page += 1) {
      const result = await this.call('/topapi/v2/user/list', { dept_id: departmentId, cursor, size: 100 });
      const list = isObject(result) && Array.isArray(result.list) ? result.list.filter(isObject) : [];
      users.push(...list.map(mapUser));
      const next = isObject(result) ? Number(result.next_cursor) : NaN;
      if (!isObject(result) || result.has_more !== true || !Number.isFinite(next) || page > 10_000)
        return users;
      cursor = next;
    }
  }

  /**
   * Attendance records of users between two days (`yyyy-MM-dd`, both included): DingTalk takes at
   * most 7 days and 50 users per request, and pages by offset / limit (≤ 50) while `hasMore`.
   */
  async attendance(userIds: string[], from: string, to: string): Promise<DingTalkAttendance[]> {
    const records: DingTalkAttendance[] = [];
    for (const users of chunks(userIds, 50)) {
      for (const [start, end] of weeks(from, to)) {
        for (let offset = 0; ; offset += 50) {
          const body = await this.callRaw('/attendance/list', {
            workDateFrom: `${start} 00:00:00`,
            workDateTo: `${end} 23:59:59`,
            userIdList: users,
            offset,
            limit: 50,
            isI18n: false,
          });
          const rows = Array.isArray(body.recordresult) ? body.recordresult.filter(isObject) : [];
          records.push(...rows.map(mapAttendance));
          if (body.hasMore !== true || offset > 100_000) break;
        }
      }
    }
    return records;
  }

  /** A topapi call: `errcode` 0 and the answer's `result`. */
  private async call(path: string, body: Json): Promise<unknown> {
    return (await this.callRaw(path, body)).result;
  }

  private async callRaw(path: string, body: Json): Promise<Json> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.post(path, body, await this.accessToken());
      } catch (error) {
        if (!(error instanceof TokenInvalid)) throw error;
        this.token = null;
        if (attempt > 0) throw upstreamFailure(SYSTEM, 'access token refused right after it was issued');
      }
    }
  }

  private async post(path: string, body: Json, token: string): Promise<Json> {
    const url = `${this.base()}${path}?access_token=${encodeURIComponent(token)}`;
    const { body: answer } = await fetchJson(SYSTEM, url, {
      method: 'POST',
      body,
      timeoutMs: this.config.UPSTREAM_TIMEOUT_MS,
    });
    if (!isObject(answer)) throw upstreamFailure(SYSTEM, `${path} answered no object`);
    const code = Number(answer.errcode ?? 0);
    if (TOKEN_INVALID.has(code)) throw new TokenInvalid();
    if (code !== 0)
      throw upstreamFailure(SYSTEM, `${path}: ${String(answer.errmsg ?? 'error')} (errcode ${code})`);
    return answer;
  }

  /** The cached token, or a new one (`gettoken`), shared by concurrent callers. */
  private async accessToken(): Promise<string> {
    if (!this.configured)
      throw AppException.conflict(
        'DINGTALK_NOT_CONFIGURED',
        'the DingTalk connector is not configured (DINGTALK_APP_KEY …)',
      );
    if (this.token && this.token.until > Date.now()) return this.token.value;
    this.fetching ??= this.fetchToken().finally(() => (this.fetching = null));
    return this.fetching;
  }

  private async fetchToken(): Promise<string> {
    const query = new URLSearchParams({
      appkey: this.config.DINGTALK_APP_KEY!,
      appsecret: this.config.DINGTALK_APP_SECRET!,
    });
    const { body } = await fetchJson(SYSTEM, `${this.base()}/gettoken?${query.toString()}`, {
      method: 'GET',
      timeoutMs: this.config.UPSTREAM_TIMEOUT_MS,
    });
    if (!isObject(body) || Number(body.errcode ?? 0) !== 0 || typeof body.access_token !== 'string') {
      const message = isObject(body) ? String(body.errmsg ?? 'refused') : 'refused';
      throw upstreamFailure(SYSTEM, `gettoken failed: ${message}`);
    }
    // Renewed five minutes early, so a token never expires between the check and the call.
    const seconds = Math.max(60, Number(body.expires_in ?? 7200) - 300);
    this.token = { value: body.access_token, until: Date.now() + seconds * 1000 };
    return body.access_token;
  }

  private base(): string {
    return this.config.DINGTALK_API_URL.replace(/\/+$/, '');
  }
}

function numberOrNull(value: unknown): number | null {
  const n = Number(value);
  return value === undefined || value === null || !Number.isFinite(n) ? null : n;
}

const stringOrNull = (value: unknown): string | null =>
  value === undefined || value === null || value === '' ? null : String(value);

function mapUser(u: Json): DingTalkUser {
  return {
    userid: String(u.userid ?? ''),
    unionid: stringOrNull(u.unionid),
    name: String(u.name ?? ''),
    mobile: stringOrNull(u.mobile),
    email: stringOrNull(u.email),
    title: stringOrNull(u.title),
    jobNumber: stringOrNull(u.job_number),
    deptIdList: Array.isArray(u.dept_id_list) ? u.dept_id_list.map(Number).filter(Number.isFinite) : [],
    leader: u.leader === true,
    admin: u.admin === true,
    boss: u.boss === true,
    active: u.active !== false,
    hiredDate: numberOrNull(u.hired_date),
  };
}

function mapAttendance(r: Json): DingTalkAttendance {
  return {
    id: stringOrNull(r.id),
    recordId: stringOrNull(r.recordId),
    userId: String(r.userId ?? ''),
    workDate: Number(r.workDate ?? 0),
    checkType: String(r.checkType ?? ''),
    timeResult: String(r.timeResult ?? ''),
    locationResult: stringOrNull(r.locationResult),
    baseCheckTime: numberOrNull(r.baseCheckTime),
    userCheckTime: numberOrNull(r.userCheckTime),
    sourceType: stringOrNull(r.sourceType),
    planId: stringOrNull(r.planId),
    groupId: stringOrNull(r.groupId),
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `[from, to]` (calendar days, both included) cut into spans of at most 7 days. */
export function weeks(from: string, to: string): [string, string][] {
  const day = 86_400_000;
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const spans: [string, string][] = [];
  for (let t = start; t <= end; t += 7 * day) {
    const last = Math.min(t + 6 * day, end);
    spans.push([new Date(t).toISOString().slice(0, 10), new Date(last).toISOString().slice(0, 10)]);
  }
  return spans;
}
