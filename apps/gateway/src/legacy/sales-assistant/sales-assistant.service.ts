import { Inject, Injectable } from '@nestjs/common';
import { type Actor, ErrorCode } from '@app/contracts';
import { AppException, messageFor } from '@app/common';
import { CallsService } from '../../crm/calls/calls.service';
import { CustomersRepository } from '../../crm/customers/customers.repository';
import { CustomersService } from '../../crm/customers/customers.service';
import { StaffDirectory } from '../../crm/shared/staff-directory';
import { SmsService } from '../../crm/sms/sms.service';
import { GatewayEnv } from '../../config/gateway.env';
import { AuthService } from '../../identity/auth/auth.service';
import type { ClientContext } from '../../identity/shared/client-context';
import { legacyDateTime } from '../legacy-query';
import { SalesAssistantFailure } from './sales-assistant-envelope.interceptor';
import {
  type AddFriendDto,
  type CustomerListDto,
  type EditCommentDto,
  mapSalesCustomer,
  mapSalesSms,
  type SalesLoginDto,
  type SmsListDto,
  type UpdateFriendStatusDto,
} from './sales-assistant.dto';
import { SalesAssistantRepository } from './sales-assistant.repository';

/** A phone with nothing new uploads its empty list to learn where to resume. */
const isEmptyList = (body: unknown): boolean => Array.isArray(body) && body.length === 0;

/** WeChat status 3 (申请中) recorded by the deprecated addFriend. */
const FRIEND_REQUESTED = 3;

/**
 * Seed 003 (融助手) over the platform's identity and CRM services: each call is translated into the
 * platform call and its answer reshaped into the seed's fields. Scope, permissions and validation of
 * uploads stay in the CRM services.
 */
@Injectable()
export class SalesAssistantService {
  constructor(
    private readonly auth: AuthService,
    private readonly customers: CustomersService,
    private readonly customerRows: CustomersRepository,
    private readonly staff: StaffDirectory,
    private readonly sms: SmsService,
    private readonly calls: CallsService,
    private readonly lookups: SalesAssistantRepository,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  /** md5 login; bad credentials and disabled accounts are `{code:1}`, the rate limit stays 429. */
  async login(dto: SalesLoginDto, client: ClientContext) {
    try {
      const pair = await this.auth.loginWithMd5Password(dto.username, dto.password, client);
      const userInfo = await this.lookups.userInfo(pair.staffId);
      return { userInfo, token: pair.accessToken };
    } catch (error) {
      if (!(error instanceof AppException) || error.code === ErrorCode.TooManyRequests) throw error;
      if (error.code === ErrorCode.InvalidToken) return new SalesAssistantFailure('用户名或密码错误');
      return new SalesAssistantFailure(messageFor(error.code, 'zh'));
    }
  }

  /** Customers by stage (5 = 外包 + 会员, −1 = all) of one salesperson, within the caller's scope. */
  async customerList(actor: Actor, dto: CustomerListDto) {
    let ownerId: string | undefined;
    if (dto.empCode) {
      const owner = await this.staff.byEmployeeNo(dto.empCode);
      if (!owner) return { total: '0', rows: [] };
      ownerId = owner.id;
    }
    const [rows, total] = await this.customerRows.list(
      actor,
      { status: '1', ownerId, stage: [String(dto.customerExeStatus)] },
      { pageNum: dto.pageIndex, pageSize: dto.pageSize },
    );
    return { total: String(total), rows: rows.map(mapSalesCustomer) };
  }

  /** → `PUT /api/v1/crm/customers/{id}/comment`; a customer outside the scope is not found. */
  async editComment(actor: Actor, dto: EditCommentDto): Promise<null> {
    // a customer outside the caller's scope answers as an unknown code: no platform id, no hint it exists
    const unknown = () => AppException.notFound('customer', dto.customerCode);
    const id = await this.lookups.customerIdByCode(dto.customerCode);
    if (!id) throw unknown();
    await this.customers.setComment(actor, id, dto.comment).catch((err: unknown) => {
      throw err instanceof AppException && err.code === ErrorCode.NotFound ? unknown() : err;
    });
    return null;
  }

  async templates() {
    return (await this.sms.templates()).map((t) => ({ id: t.id, title: t.title, content: t.content }));
  }

  /** → `POST /api/v1/crm/sms`; `data` = last sync time in ms as a string; `[]` only asks for it. */
  async addMessages(actor: Actor, body: unknown): Promise<string> {
    if (isEmptyList(body)) return String(await this.sms.lastSyncTime(actor));
    return String((await this.sms.upload(actor, body)).lastSyncTime);
  }

  async getMessages(actor: Actor, dto: SmsListDto) {
    const page = await this.sms.list(actor, {
      empCode: dto.empCode || undefined,
      customerCode: dto.customerCode || undefined,
      customerMobile: dto.customerMobile || undefined,
      pageNum: dto.pageIndex,
      pageSize: dto.pageSize,
    });
    return {
      total: page.total,
      rows: page.rows.map((s) => mapSalesSms(s, this.withMillis(s.occurTime))),
    };
  }

  /** → `POST /api/v1/crm/calls`; `data` = last sync time in ms as a number; `[]` only asks for it. */
  async syncRecords(actor: Actor, body: unknown): Promise<number> {
    if (isEmptyList(body)) return this.calls.lastSyncTime(actor);
    return (await this.calls.upload(actor, body)).lastSyncTime;
  }

  /** Deprecated: records 申请中 (3) without contacting WeChat and answers 3 (A-61). */
  async addFriend(actor: Actor, dto: AddFriendDto): Promise<number> {
    await this.setFriendStatus(actor, dto.customerMobile, FRIEND_REQUESTED);
    return FRIEND_REQUESTED;
  }

  async updateFriendStatus(actor: Actor, dto: UpdateFriendStatusDto): Promise<null> {
    await this.setFriendStatus(actor, dto.customerMobile, dto.friendStatus);
    return null;
  }

  /** Every live customer with this mobile within the caller's scope → `PUT …/wechat-status`. */
  private async setFriendStatus(actor: Actor, mobile: string, status: number): Promise<void> {
    const matches = await this.customerRows
      .visible(actor, 'live')
      .andWhere('c.phone = :mobile', { mobile })
      .select('c.id')
      .getMany();
    if (matches.length === 0) throw AppException.notFound('customer with mobile', mobile);
    for (const customer of matches) await this.customers.setWechatStatus(actor, customer.id, status);
  }

  private withMillis(iso: string): string {
    return `${legacyDateTime(iso, this.config.TZ_BUSINESS)}.${iso.slice(20, 23).padEnd(3, '0')}`;
  }
}
