import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/contracts';
import { GatewayEnv } from '../../config/gateway.env';
import { CreateCustomerDto, CustomerListQueryDto, UpdateCustomerDto } from '../../crm/customers/customer.dto';
import { CustomersService } from '../../crm/customers/customers.service';
import {
  CreateOrganizationDto,
  OrganizationListQueryDto,
  UpdateOrganizationDto,
} from '../../crm/organizations/organization.dto';
import { OrganizationsService } from '../../crm/organizations/organizations.service';
import { asSeed, done, type FieldNames, listed, PAGE_NAMES, platformDto } from './crm-backend-envelope';
import type {
  CustomerBodyDto,
  CustomerQueryDto,
  DelCustomerDto,
  DelOrganizationDto,
  OrganizationBodyDto,
  OrganizationQueryDto,
} from './crm-backend.dto';
import {
  CrmBackendMapper,
  flagOf,
  idOf,
  idsOf,
  isCreate,
  numberOf,
  pageOf,
  sexOf,
  textOf,
} from './crm-backend.mapper';
import { codeOf, requiredId } from './crm-backend-user.service';

const ORGANIZATION_NAMES: FieldNames = {
  ...PAGE_NAMES,
  name: 'groupName',
  detail: 'groupDetail',
  province: 'provience',
  legalPerson: 'legal_person',
  registeredCapital: 'register_capital',
  registrationDate: 'registerDate',
  creatorId: 'creator_id',
  organizationId: 'organization_id',
};
const CUSTOMER_NAMES: FieldNames = {
  ...PAGE_NAMES,
  organizationIds: 'organization_id',
  organizationId: 'organization_id',
  organizationName: 'organization_name',
  avatarUrl: 'avatar',
  phone: 'phoneNumber',
  cid: 'cid',
  openId: 'openId',
  legalPerson: 'legal_person',
  registeredCapital: 'register_capital',
  registrationDate: 'registerDate',
  creatorId: 'creator_id',
};

/** 客户单位 and 客户 over the platform's organization and customer services (data scope included). */
@Injectable()
export class CrmBackendCustomersService {
  private readonly map: CrmBackendMapper;

  constructor(
    private readonly organizations: OrganizationsService,
    private readonly customers: CustomersService,
    config: GatewayEnv,
  ) {
    this.map = new CrmBackendMapper(config.TZ_BUSINESS);
  }

  async listOrganizations(actor: Actor, query: OrganizationQueryDto) {
    const dto = platformDto(
      OrganizationListQueryDto,
      {
        ...pageOf(query),
        name: textOf(query.organization_name),
        status: query.status === undefined || query.status === '' ? undefined : String(query.status),
        creatorId: idOf(query.creator_id),
      },
      { ...ORGANIZATION_NAMES, name: 'organization_name' },
    );
    const page = await this.organizations.exactList(actor, dto);
    return listed(
      page.rows.map((o) => this.map.organization(o)),
      page,
    );
  }

  async saveOrganization(actor: Actor, body: OrganizationBodyDto) {
    const fields = {
      name: textOf(body.groupName),
      detail: body.groupDetail,
      type: textOf(body.type),
      province: body.provience ?? body.province,
      city: body.city,
      county: body.county,
      address: body.address,
      note: body.note,
      legalPerson: body.legal_person,
      registeredCapital: textOf(body.register_capital),
      registrationDate: body.registerDate,
      website: body.website ?? body.wesite,
      creatorId: idOf(body.creator_id),
    };
    return asSeed(ORGANIZATION_NAMES, async () => {
      if (isCreate(body.organization_id)) {
        const created = await this.organizations.create(
          actor,
          platformDto(CreateOrganizationDto, fields, ORGANIZATION_NAMES),
        );
        return done('操作成功', { id: Number(created.id) });
      }
      const id = requiredId(body.organization_id, 'organization_id');
      await this.organizations.update(
        actor,
        id,
        platformDto(UpdateOrganizationDto, fields, ORGANIZATION_NAMES),
      );
      return done('操作成功', { id: Number(id) });
    });
  }

  /** `status` −1 deletes, 1 restores. */
  async setOrganizationStatus(actor: Actor, query: DelOrganizationDto) {
    const id = requiredId(query.organization_id, 'organization_id');
    const action = codeOf({ '-1': 'delete', '1': 'restore' }, query.status, 'status', 'delete');
    await this.organizations.setDeleted(actor, id, action === 'delete');
    return done(action === 'delete' ? '删除成功' : '操作成功');
  }

  async listCustomers(actor: Actor, query: CustomerQueryDto) {
    const dto = platformDto(
      CustomerListQueryDto,
      {
        ...pageOf(query),
        organizationName: textOf(query.organization_name),
        organizationId: idOf(query.organization_id),
        name: textOf(query.name),
        status: query.status === undefined || query.status === '' ? undefined : String(query.status),
        phone: textOf(query.phoneNumber),
        creatorId: idOf(query.creator_id),
      },
      CUSTOMER_NAMES,
    );
    const page = await this.customers.exactList(actor, dto);
    return listed(
      page.rows.map((c) => this.map.customer(c)),
      page,
    );
  }

  /** `cid` and `openId` are kept as sent; `job` comes back as the number it was sent as. */
  async saveCustomer(actor: Actor, body: CustomerBodyDto) {
    const fields = {
      realName: textOf(body.realName),
      type: textOf(body.type),
      organizationIds: idsOf(body.organization_id),
      nickName: textOf(body.nickName),
      avatarUrl: body.avatar,
      phone: textOf(body.phoneNumber),
      job: textOf(body.job),
      cid: textOf(body.cid),
      openId: textOf(body.openId),
      sex: sexOf(body.sex),
      level: numberOf(body.level),
      isVip: flagOf(body.isVip),
      isSenior: flagOf(body.isSenior),
      vipDueTime: body.vipDueTime,
      navigationDueTime: body.navigationDueTime,
      note: body.note,
      legalPerson: body.legal_person,
      registeredCapital: textOf(body.register_capital),
      registrationDate: body.registerDate,
      website: body.website,
      creatorId: idOf(body.creator_id),
    };
    return asSeed(CUSTOMER_NAMES, async () => {
      if (isCreate(body.customer_id)) {
        const created = await this.customers.create(
          actor,
          platformDto(CreateCustomerDto, fields, CUSTOMER_NAMES),
        );
        return done('操作成功', { id: Number(created.id) });
      }
      const id = requiredId(body.customer_id, 'customer_id');
      await this.customers.update(actor, id, platformDto(UpdateCustomerDto, fields, CUSTOMER_NAMES));
      return done('操作成功', { id: Number(id) });
    });
  }

  async deleteCustomer(actor: Actor, query: DelCustomerDto) {
    await this.customers.setDeleted(actor, requiredId(query.customer_id, 'customer_id'), true);
    return done('删除成功');
  }
}
