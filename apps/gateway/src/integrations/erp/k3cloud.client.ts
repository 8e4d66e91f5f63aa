import { Inject, Injectable } from '@nestjs/common';
import { AppException } from '@app/common';
import { GatewayEnv } from '../../config/gateway.env';
import { fetchJson, upstreamFailure } from '../upstream';

const SYSTEM = 'ERP K/3 Cloud';
const SERVICE = 'Kingdee.BOS.WebApi.ServicesStub';
const SESSION_LOST = /会话信息已丢失|重新登录|session.*(lost|expired)/i;

/** One field of a form's main table as QueryBusinessInfo describes it. */
export interface K3Field {
  key: string;
  name: string;
}

export interface K3FormMeta {
  formId: string;
  name: string;
  /** The main table's primary-key field key (FID for bills). */
  primaryKey: string;
  fields: K3Field[];
}

export interface K3BillQuery {
  formId: string;
  fieldKeys: string[];
  filterString: string;
  orderString: string;
}

class SessionLost extends Error {}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `ResponseStatus` wherever a K/3 answer hides it (`Result.ResponseStatus`, `[[{Result:{…}}]]`). */
function responseStatus(body: unknown): Json | null {
  let node: unknown = body;
  while (Array.isArray(node) && node.length > 0) node = node[0];
  if (!isObject(node)) return null;
  const result = isObject(node.Result) ? node.Result : node;
  const status = result.ResponseStatus;
  return isObject(status) ? status : null;
}

function failureText(status: Json): string {
  const errors = Array.isArray(status.Errors) ? (status.Errors as unknown[]) : [];
  const messages = errors.map((e) => (isObject(e) ? String(e.Message ?? '') : '')).filter(Boolean);
  return messages.join('; ') || String(status.Message ?? status.ErrorCode ?? 'failed');
}

/**
 * Kingdee K/3 Cloud WebAPI (../shared/CONNECTORS.md): signs in by `AuthService.ValidateUser` (user
 * and password) or `LoginByAppSecret`, keeps the `kdservice-sessionid` session (header and cookie),
 * signs in again and replays once when the server says the session is lost, and reads forms with
 * `ExecuteBillQuery` (paged by StartRow / Limit) and `QueryBusinessInfo` (metadata).
 */
@Injectable()
export class K3CloudClient {
  private session: { id: string; aspNet: string | null } | null = null;
  private signingIn: Promise<void> | null = null;

  constructor(@Inject(GatewayEnv) private readonly config: GatewayEnv) {}

  get configured(): boolean {
    const c = this.config;
    return Boolean(
      c.ERP_K3_URL &&
      c.ERP_K3_ACCT_ID &&
      c.ERP_K3_USERNAME &&
      (c.ERP_K3_PASSWORD || (c.ERP_K3_APP_ID && c.ERP_K3_APP_SECRET)),
    );
  }

  /** The main table of a form: its fields (Key / Name pairs) and primary key. */
  async formMeta(formId: string): Promise<K3FormMeta> {
    const body = await this.call('QueryBusinessInfo', { parameters: [{ FormId: formId }] });
    const status = responseStatus(body);
    const root = isObject(body) && isObject(body.Result) ? body.Result : body;
    const data = isObject(root) ? (root.NeedReturnData ?? root.Result ?? root) : null;
    if (status && status.IsSuccess === false) throw upstreamFailure(SYSTEM, failureText(status));
    const entries = isObject(data) && Array.isArray(data.Entrys) ? (data.Entrys as unknown[]) : [];
    const head =
      entries.find((e) => isObject(e) && (e.Key === 'FBillHead' || e.EntryType === 0 || e.IsHead === true)) ??
      entries[0];
    if (!isObject(head) || !Array.isArray(head.Fields))
      throw upstreamFailure(SYSTEM, `no metadata for form ${formId}`);
    const fields = (head.Fields as unknown[]).filter(isObject).map((f) => ({
      key: String(f.Key ?? ''),
      name: localized(f.Name) ?? String(f.Key ?? ''),
    }));
    return {
      formId,
      name: (isObject(data) ? localized(data.Name) : null) ?? formId,
      primaryKey: String(head.PrimaryKey ?? head.PkFieldName ?? 'FID'),
      fields,
    };
  }

  /** Every row of a bill query, page by page (StartRow += Limit until a short page). */
  async *billRows(query: K3BillQuery, pageSize: number): AsyncGenerator<unknown[][]> {
    for (let startRow = 0; ; startRow += pageSize) {
      const body = await this.call('ExecuteBillQuery', {
        data: {
          FormId: query.formId,
          FieldKeys: query.fieldKeys.join(','),
          FilterString: query.filterString,
          OrderString: query.orderString,
          TopRowCount: 0,
          StartRow: startRow,
          Limit: pageSize,
        },
      });
      if (!Array.isArray(body)) throw upstreamFailure(SYSTEM, 'ExecuteBillQuery did not answer rows');
      const status = responseStatus(body);
      if (status) throw upstreamFailure(SYSTEM, failureText(status));
      const rows = body.filter((row): row is unknown[] => Array.isArray(row));
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
    }
  }

  /** One WebAPI call; signs in first if needed, and once more if the session was lost. */
  private async call(operation: string, body: unknown): Promise<unknown> {
    if (!this.configured) {
      throw AppException.conflict('ERP_NOT_CONFIGURED', 'the ERP connector is not configured (ERP_K3_URL …)');
    }
    for (let attempt = 0; ; attempt += 1) {
      if (!this.session) await this.signIn();
      try {
        return await this.post(`DynamicFormService.${operation}`, body);
      } catch (error) {
        if (!(error instanceof SessionLost) || attempt > 0) {
          if (error instanceof SessionLost)
            throw upstreamFailure(SYSTEM, 'session lost again after signing in');
          throw error;
        }
        this.session = null;
      }
    }
  }

  private async post(service: string, body: unknown): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (this.session) {
      headers['kdservice-sessionid'] = this.session.id;
      headers.cookie = [
        `kdservice-sessionid=${this.session.id}`,
        ...(this.session.aspNet ? [`ASP.NET_SessionId=${this.session.aspNet}`] : []),
      ].join('; ');
    }
    const { body: answer } = await fetchJson(SYSTEM, this.url(service), {
      method: 'POST',
      body,
      headers,
      timeoutMs: this.config.UPSTREAM_TIMEOUT_MS,
    });
    const status = responseStatus(answer);
    if (status && (Number(status.MsgCode) === 1 || SESSION_LOST.test(failureText(status))))
      throw new SessionLost();
    return answer;
  }

  private signIn(): Promise<void> {
    // Concurrent calls share one sign-in.
    this.signingIn ??= this.doSignIn().finally(() => (this.signingIn = null));
    return this.signingIn;
  }

  private async doSignIn(): Promise<void> {
    const c = this.config;
    const byAppSecret = Boolean(c.ERP_K3_APP_ID && c.ERP_K3_APP_SECRET);
    const operation = byAppSecret ? 'AuthService.LoginByAppSecret' : 'AuthService.ValidateUser';
    const body = byAppSecret
      ? {
          acctid: c.ERP_K3_ACCT_ID,
          username: c.ERP_K3_USERNAME,
          appid: c.ERP_K3_APP_ID,
          appsecret: c.ERP_K3_APP_SECRET,
          lcid: c.ERP_K3_LCID,
        }
      : {
          acctid: c.ERP_K3_ACCT_ID,
          username: c.ERP_K3_USERNAME,
          password: c.ERP_K3_PASSWORD,
          lcid: c.ERP_K3_LCID,
        };
    const { body: answer, headers } = await fetchJson(SYSTEM, this.url(operation), {
      method: 'POST',
      body,
      timeoutMs: c.UPSTREAM_TIMEOUT_MS,
    });
    if (!isObject(answer) || Number(answer.LoginResultType) !== 1) {
      const message = isObject(answer) ? String(answer.Message ?? 'refused') : 'refused';
      throw upstreamFailure(SYSTEM, `sign-in failed: ${message}`);
    }
    const context = isObject(answer.Context) ? answer.Context : {};
    const id = String(answer.KDSVCSessionId ?? context.SessionId ?? '');
    if (!id) throw upstreamFailure(SYSTEM, 'sign-in answered no session id');
    const aspNet = /ASP\.NET_SessionId=([^;]+)/.exec(headers.get('set-cookie') ?? '')?.[1] ?? null;
    this.session = { id, aspNet };
  }

  private url(service: string): string {
    const base = this.config.ERP_K3_URL!.replace(/\/+$/, '');
    return `${base}/${SERVICE}.${service}.common.kdsvc`;
  }
}

/** K/3 names are `[{Key:2052, Value:"销售订单"}]` or a plain string. */
function localized(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const zh = value.find((v) => isObject(v) && Number(v.Key) === 2052) ?? value[0];
    return isObject(zh) && typeof zh.Value === 'string' ? zh.Value : null;
  }
  return null;
}
