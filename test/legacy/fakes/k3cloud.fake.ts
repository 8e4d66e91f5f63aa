import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Kingdee K/3 Cloud WebAPI speaking the shapes of ../shared/CONNECTORS.md: ValidateUser /
 * LoginByAppSecret answering `KDSVCSessionId`, the `kdservice-sessionid` header or cookie, "会话信息已丢失"
 * when the session is gone, `ExecuteBillQuery` as a bare 2-D array paged by StartRow / Limit (errors as
 * `[[{Result:{ResponseStatus}}]]`), and `QueryBusinessInfo` metadata with a head entry and an entry table.
 */
export interface K3Form {
  name: string;
  primaryKey: string;
  head: { key: string; name: string }[];
  /** Fields of a sub-table (entry): the sync must leave them out (main table only). */
  entry: { key: string; name: string }[];
  rows: Record<string, string | number | null>[];
}

export interface K3Call {
  operation: string;
  body: Record<string, unknown>;
  session: string | null;
}

const STUB = '/k3cloud/Kingdee.BOS.WebApi.ServicesStub.';
const LOST = {
  IsSuccess: false,
  ErrorCode: 500,
  MsgCode: 1,
  Errors: [{ Message: '会话信息已丢失，请重新登录' }],
};

export class FakeK3Cloud {
  readonly forms = new Map<string, K3Form>();
  readonly calls: K3Call[] = [];
  private readonly sessions = new Set<string>();
  /** 'down': every call answers HTTP 503; 'refuse': ExecuteBillQuery answers a ResponseStatus error. */
  failure: 'down' | 'refuse' | null = null;
  logins = 0;
  private server!: Server;
  url = '';

  constructor(
    readonly account = { acctid: '5f1e0d', username: 'erp_sync', password: 'K3#secret', lcid: 2052 },
    /** The third-party system registered in K/3 Cloud for LoginByAppSecret (appid + appsecret). */
    readonly app = { id: '226458_x2aM06tJ3vh4', secret: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/k3cloud/`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The server restarted: every session is gone. */
  loseSessions(): void {
    this.sessions.clear();
  }

  callsOf(operation: string): K3Call[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !req.url?.startsWith(STUB) || !req.url.endsWith('.common.kdsvc')) {
      send(404, { message: 'not found' });
      return;
    }
    const operation = req.url.slice(STUB.length, -'.common.kdsvc'.length);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const cookie = /kdservice-sessionid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? null;
    const session = (req.headers['kdservice-sessionid'] as string | undefined) ?? cookie;
    this.calls.push({ operation, body, session });
    if (this.failure === 'down') {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html>Service Unavailable</html>');
      return;
    }
    const valid = session !== null && this.sessions.has(session);
    switch (operation) {
      case 'AuthService.ValidateUser':
      case 'AuthService.LoginByAppSecret': {
        const a = this.account;
        const ok =
          body.acctid === a.acctid &&
          body.username === a.username &&
          (operation === 'AuthService.ValidateUser'
            ? body.password === a.password
            : body.appid === this.app.id && body.appsecret === this.app.secret);
        if (!ok) {
          send(200, {
            LoginResultType: 0,
            Message: '用户名或密码错误',
            MessageCode: 'CheckPasswordPolicy',
            IsSuccessByAPI: false,
          });
          return;
        }
        const id = randomUUID();
        this.sessions.add(id);
        this.logins += 1;
        send(
          200,
          {
            LoginResultType: 1,
            Message: null,
            MessageCode: null,
            KDSVCSessionId: id,
            Context: { SessionId: id, UserToken: randomUUID(), UserName: a.username },
            IsSuccessByAPI: true,
            Lcid: a.lcid,
          },
          { 'set-cookie': `ASP.NET_SessionId=${randomUUID()}; path=/; HttpOnly` },
        );
        return;
      }
      case 'DynamicFormService.QueryBusinessInfo': {
        if (!valid) return send(200, { Result: { ResponseStatus: LOST } });
        const params = (body.parameters as { FormId?: string }[] | undefined)?.[0];
        const form = this.forms.get(String(params?.FormId));
        if (!form) {
          send(200, {
            Result: {
              ResponseStatus: { IsSuccess: false, ErrorCode: 500, Errors: [{ Message: '业务对象不存在' }] },
            },
          });
          return;
        }
        const field = (f: { key: string; name: string }) => ({
          Key: f.key,
          Name: [{ Key: 2052, Value: f.name }],
          FieldName: f.key.toUpperCase(),
        });
        send(200, {
          Result: {
            ResponseStatus: { IsSuccess: true },
            NeedReturnData: {
              Id: params?.FormId,
              Name: [{ Key: 2052, Value: form.name }],
              Entrys: [
                { Key: 'FBillHead', EntryType: 0, PrimaryKey: form.primaryKey, Fields: form.head.map(field) },
                { Key: 'FEntity', EntryType: 1, PrimaryKey: 'FEntryID', Fields: form.entry.map(field) },
              ],
            },
          },
        });
        return;
      }
      case 'DynamicFormService.ExecuteBillQuery': {
        if (!valid) return send(200, [[{ Result: { ResponseStatus: LOST } }]]);
        const data = body.data as Record<string, unknown>;
        const form = this.forms.get(String(data.FormId));
        const keys = String(data.FieldKeys ?? '').split(',');
        const unknownKey =
          form && keys.find((k) => !form.head.some((f) => f.key === k) && k !== form.primaryKey);
        if (!form || unknownKey || this.failure === 'refuse') {
          const message = !form ? '业务对象不存在' : unknownKey ? `字段${unknownKey}不存在` : '服务器繁忙';
          send(200, [
            [
              {
                Result: {
                  ResponseStatus: { IsSuccess: false, ErrorCode: 500, Errors: [{ Message: message }] },
                },
              },
            ],
          ]);
          return;
        }
        // FilterString: `FModifyDate>='2024-01-01'` (the only form the connector sends).
        const filter = /^(\w+)>='([^']+)'$/.exec(String(data.FilterString ?? ''));
        const rows = form.rows
          .filter((row) => !filter || String(row[filter[1]] ?? '') >= filter[2])
          .sort((a, b) =>
            String(a[form.primaryKey]).localeCompare(String(b[form.primaryKey]), 'en', { numeric: true }),
          );
        const start = Number(data.StartRow ?? 0);
        const limit = Number(data.Limit ?? 0) || rows.length;
        send(
          200,
          rows.slice(start, start + limit).map((row) => keys.map((k) => row[k] ?? null)),
        );
        return;
      }
      default:
        send(404, { message: `unknown operation ${operation}` });
    }
  }
}
