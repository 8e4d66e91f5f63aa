import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * DingTalk's oapi as ../shared/CONNECTORS.md describes it: `gettoken` (cached by the caller),
 * `department/get` and `department/listsub` (one level), `user/list` (cursor, size ≤ 100),
 * `attendance/list` (≤ 7 days, ≤ 50 users, offset / limit ≤ 50, hasMore). Limits are enforced: a
 * request beyond them answers an errcode, as DingTalk does.
 */
export interface FakeDept {
  id: number;
  name: string;
  parentId: number | null;
}
export interface FakeUser {
  userid: string;
  name: string;
  deptId: number;
  mobile?: string;
  title?: string;
  job_number?: string;
}
export interface FakeRecord {
  userId: string;
  day: string;
  checkType: 'OnDuty' | 'OffDuty';
  timeResult: string;
}

export class FakeDingTalk {
  readonly departments: FakeDept[] = [];
  readonly users: FakeUser[] = [];
  readonly records: FakeRecord[] = [];
  readonly calls: { path: string; body: Record<string, unknown> }[] = [];
  tokensIssued = 0;
  /** When set, every API call (not gettoken) answers this errcode. */
  failWith: { errcode: number; errmsg: string } | null = null;
  private readonly tokens = new Set<string>();
  private server!: Server;
  url = '';

  constructor(readonly app = { key: 'dingkey', secret: 'dingsecret' }) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Tokens issued so far stop working (errcode 40014 / 42001), as after a key rotation. */
  expireTokens(): void {
    this.tokens.clear();
  }

  callsTo(path: string) {
    return this.calls.filter((c) => c.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/gettoken' && req.method === 'GET') {
      if (
        url.searchParams.get('appkey') !== this.app.key ||
        url.searchParams.get('appsecret') !== this.app.secret
      )
        return send({ errcode: 40089, errmsg: '不合法的corpid或corpsecret' });
      const token = randomUUID();
      this.tokens.add(token);
      this.tokensIssued += 1;
      return send({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
    }
    if (req.method !== 'POST') {
      res.writeHead(405);
      res.end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    this.calls.push({ path: url.pathname, body });
    if (!this.tokens.has(url.searchParams.get('access_token') ?? ''))
      return send({ errcode: 40014, errmsg: '不合法的access_token' });
    if (this.failWith) return send(this.failWith);
    switch (url.pathname) {
      case '/topapi/v2/department/get': {
        const dept = this.departments.find((d) => d.id === Number(body.dept_id));
        if (!dept) return send({ errcode: 60003, errmsg: '部门不存在' });
        return send({
          errcode: 0,
          errmsg: 'ok',
          result: { dept_id: dept.id, name: dept.name, parent_id: dept.parentId ?? undefined },
        });
      }
      case '/topapi/v2/department/listsub': {
        const parent = Number(body.dept_id);
        if (!this.departments.some((d) => d.id === parent))
          return send({ errcode: 60003, errmsg: '部门不存在' });
        const result = this.departments
          .filter((d) => d.parentId === parent)
          .map((d) => ({
            dept_id: d.id,
            name: d.name,
            parent_id: parent,
            create_dept_group: false,
            auto_add_user: false,
          }));
        return send({ errcode: 0, errmsg: 'ok', result });
      }
      case '/topapi/v2/user/list': {
        const size = Number(body.size);
        if (!(size >= 1 && size <= 100)) return send({ errcode: 40003, errmsg: 'size 不合法' });
        const cursor = Number(body.cursor ?? 0);
        const members = this.users.filter((u) => u.deptId === Number(body.dept_id));
        const page = members.slice(cursor, cursor + size);
        const more = cursor + size < members.length;
        return send({
          errcode: 0,
          errmsg: 'ok',
          result: {
            has_more: more,
            ...(more ? { next_cursor: cursor + size } : {}),
            list: page.map((u) => ({
              userid: u.userid,
              unionid: `union-${u.userid}`,
              name: u.name,
              mobile: u.mobile,
              title: u.title,
              job_number: u.job_number,
              dept_id_list: [u.deptId],
              leader: false,
              admin: false,
              boss: false,
              active: true,
              hired_date: 1_600_000_000_000,
            })),
          },
        });
      }
      case '/attendance/list': {
        const ids = body.userIdList as string[];
        const from = String(body.workDateFrom);
        const to = String(body.workDateTo);
        const limit = Number(body.limit);
        const days =
          (Date.parse(to.replace(' ', 'T') + 'Z') - Date.parse(from.replace(' ', 'T') + 'Z')) / 86_400_000;
        if (!Array.isArray(ids) || ids.length === 0 || ids.length > 50)
          return send({ errcode: 400, errmsg: 'userIdList 超过50' });
        if (!(days >= 0 && days <= 7)) return send({ errcode: 400, errmsg: '时间跨度不能超过7天' });
        if (!(limit >= 1 && limit <= 50)) return send({ errcode: 400, errmsg: 'limit 不合法' });
        const offset = Number(body.offset ?? 0);
        const matching = this.records.filter(
          (r) =>
            ids.includes(r.userId) &&
            `${r.day} 00:00:00` >= from.slice(0, 10) + ' 00:00:00' &&
            `${r.day} 00:00:00` <= to,
        );
        const page = matching.slice(offset, offset + limit);
        return send({
          errcode: 0,
          errmsg: 'ok',
          hasMore: offset + limit < matching.length,
          recordresult: page.map((r, i) => {
            const workDate = Date.parse(`${r.day}T00:00:00+08:00`);
            const base = workDate + (r.checkType === 'OnDuty' ? 9 : 18) * 3_600_000;
            return {
              id: offset + i + 1,
              recordId: offset + i + 1000,
              userId: r.userId,
              workDate,
              checkType: r.checkType,
              timeResult: r.timeResult,
              locationResult: 'Normal',
              baseCheckTime: base,
              userCheckTime: base - 60_000,
              sourceType: 'ATM',
              planId: 1,
              groupId: 1,
            };
          }),
        });
      }
      default:
        return send({ errcode: 404, errmsg: `no such api ${url.pathname}` });
    }
  }
}
