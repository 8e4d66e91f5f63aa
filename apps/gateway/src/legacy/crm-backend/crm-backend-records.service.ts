import { Injectable } from '@nestjs/common';
import { type Actor, ErrorCode } from '@app/contracts';
import { AppException, type Page, PageQueryDto } from '@app/common';
import { GatewayEnv } from '../../config/gateway.env';
import { ContractListQueryDto, CreateContractDto, UpdateContractDto } from '../../crm/contracts/contract.dto';
import { ContractsService } from '../../crm/contracts/contracts.service';
import { CreateDemandDto, DemandListQueryDto, UpdateDemandDto } from '../../crm/demands/demand.dto';
import { DemandsService } from '../../crm/demands/demands.service';
import {
  CreateFollowUpDto,
  FollowUpListQueryDto,
  UpdateFollowUpDto,
} from '../../crm/follow-ups/follow-up.dto';
import { FollowUpsService } from '../../crm/follow-ups/follow-ups.service';
import {
  CreatePotentialDto,
  type PotentialDto,
  PotentialListQueryDto,
  UpdatePotentialDto,
} from '../../crm/potentials/potential.dto';
import { PotentialsService } from '../../crm/potentials/potentials.service';
import {
  CreateSatisfactionDto,
  SatisfactionListQueryDto,
  UpdateSatisfactionDto,
} from '../../crm/satisfaction/satisfaction.dto';
import { SatisfactionService } from '../../crm/satisfaction/satisfaction.service';
import { StatsQueryDto } from '../../stats/stats.dto';
import { StatsService } from '../../stats/stats.service';
import {
  asSeed,
  done,
  type FieldNames,
  listed,
  PAGE_NAMES,
  pageInfo,
  platformDto,
} from './crm-backend-envelope';
import type {
  ContractBodyDto,
  ContractQueryDto,
  DelContractDto,
  DelDemandDto,
  DelFollowDto,
  DelPotentialDto,
  DelSatisfyDto,
  DemandBodyDto,
  DemandQueryDto,
  FollowBodyDto,
  FollowQueryDto,
  PotentialBodyDto,
  PotentialQueryDto,
  SatisfyBodyDto,
  SatisfyQueryDto,
  StatsQueryDto as SeedStatsQueryDto,
} from './crm-backend.dto';
import { CrmBackendMapper, idOf, idsOf, isCreate, numberOf, pageOf, textOf } from './crm-backend.mapper';
import { codeOf, requiredId } from './crm-backend-user.service';

const RECORD_NAMES: FieldNames = {
  ...PAGE_NAMES,
  organizationId: 'organization_id',
  organizationIds: 'organization_ids',
  directorId: 'director_id',
  recordTime: 'record_time',
  potentialId: 'protent_id',
  followerIds: 'follower_id',
  signTime: 'sign_time',
  remitAmount: 'remit_amount',
  remitTime: 'remit_time',
  creatorId: 'creator_id',
};
const FOLLOW_NAMES = {
  ...RECORD_NAMES,
  customerIds: 'customers_id',
  attach: 'event_attach',
  note: 'event_note',
};
const DEMAND_NAMES = {
  ...RECORD_NAMES,
  customerIds: 'customer_id',
  attach: 'demand_attach',
  note: 'demand_note',
};
const SATISFY_NAMES = { ...RECORD_NAMES, customerIds: 'customers_id' };

const present = (value: unknown) => value !== undefined && value !== null && value !== '';
const windowOf = (q: { start_time?: unknown; end_time?: unknown; page?: unknown; count?: unknown }) => ({
  ...pageOf(q),
  startTime: textOf(q.start_time),
  endTime: textOf(q.end_time),
});

/** 潜在客户记录, 拜访记录, 需求变更, 满意度, 合同 and 统计 over the platform's CRM and stats services. */
@Injectable()
export class CrmBackendRecordsService {
  private readonly map: CrmBackendMapper;

  constructor(
    private readonly potentials: PotentialsService,
    private readonly followUps: FollowUpsService,
    private readonly demands: DemandsService,
    private readonly satisfaction: SatisfactionService,
    private readonly contracts: ContractsService,
    private readonly stats: StatsService,
    config: GatewayEnv,
  ) {
    this.map = new CrmBackendMapper(config.TZ_BUSINESS);
  }

  // ------------------------------------------------------------ potentials

  /** With `potent_id`: that record as a list of 0 or 1 rows; else the filtered window. */
  async listPotentials(actor: Actor, query: PotentialQueryDto) {
    const one = query.potent_id ?? query.protent_id;
    if (present(one)) {
      const id = requiredId(one, query.potent_id !== undefined ? 'potent_id' : 'protent_id');
      const found = await this.potentials.get(actor, id).catch((error: unknown) => {
        if (error instanceof AppException && error.code === ErrorCode.NotFound) return null;
        throw error;
      });
      const rows = found ? [this.map.potential(found)] : [];
      const page = platformDto(PageQueryDto, pageOf(query), PAGE_NAMES);
      return listed(rows, { total: rows.length, pageNum: page.pageNum, pageSize: page.pageSize, rows });
    }
    const dto = platformDto(
      PotentialListQueryDto,
      {
        ...windowOf(query),
        organizationId: idOf(query.organization_id),
        directorId: idOf(query.director_id),
        status: present(query.status) ? String(query.status) : undefined,
      },
      RECORD_NAMES,
    );
    return this.listedAs(await this.potentials.list(actor, dto), (p) => this.map.potential(p));
  }

  async savePotential(actor: Actor, body: PotentialBodyDto) {
    const idValue = body.protent_id ?? body.potent_id;
    const fields = {
      organizationId: idOf(body.organization_id),
      directorId: idOf(body.director_id),
      recordTime: textOf(body.record_time),
      note: body.note,
    };
    return asSeed(RECORD_NAMES, async () => {
      if (isCreate(idValue)) {
        const created = await this.potentials.create(
          actor,
          platformDto(CreatePotentialDto, fields, RECORD_NAMES),
        );
        return done('操作成功', { id: Number(created.id) });
      }
      const id = requiredId(idValue, body.protent_id !== undefined ? 'protent_id' : 'potent_id');
      await this.potentials.update(actor, id, platformDto(UpdatePotentialDto, fields, RECORD_NAMES));
      return done('操作成功', { id: Number(id) });
    });
  }

  /** −1 deletes; 0…3 restores the record if deleted and sets that status. */
  async setPotentialStatus(actor: Actor, query: DelPotentialDto) {
    const field = query.potent_id !== undefined ? 'potent_id' : 'protent_id';
    const id = requiredId(query.potent_id ?? query.protent_id, field);
    const status = codeOf(
      { '-1': '-1', '0': '0', '1': '1', '2': '2', '3': '3' },
      query.status,
      'status',
      '-1',
    );
    if (status === '-1') {
      await this.potentials.setDeleted(actor, id, true);
      return done('删除成功');
    }
    const current: PotentialDto = await this.potentials.get(actor, id);
    if (current.deleted) await this.potentials.setDeleted(actor, id, false);
    await this.potentials.update(
      actor,
      id,
      platformDto(UpdatePotentialDto, { status: Number(status) }, RECORD_NAMES),
    );
    return done('操作成功');
  }

  // ------------------------------------------------------------ follow-ups

  async listFollowUps(actor: Actor, query: FollowQueryDto) {
    const dto = platformDto(
      FollowUpListQueryDto,
      {
        ...windowOf(query),
        potentialId: idOf(query.protent_id ?? query.potent_id),
        organizationId: idOf(query.organization_id),
      },
      FOLLOW_NAMES,
    );
    return this.listedAs(await this.followUps.list(actor, dto), (f) => this.map.followUp(f));
  }

  async saveFollowUp(actor: Actor, body: FollowBodyDto) {
    const fields = {
      customerIds: idsOf(body.customers_id ?? body.customer_id),
      followerIds: idsOf(body.follower_id),
      recordTime: textOf(body.record_time),
      event: numberOf(body.event),
      gain: textOf(body.gain),
      attach: body.event_attach ?? body.attach,
      note: body.event_note ?? body.note,
    };
    return asSeed(FOLLOW_NAMES, async () => {
      if (isCreate(body.follow_id)) {
        const potentialId = idOf(body.protent_id ?? body.potent_id);
        const created = await this.followUps.create(
          actor,
          platformDto(CreateFollowUpDto, { ...fields, potentialId }, FOLLOW_NAMES),
        );
        return done('创建成功', { id: Number(created.id) });
      }
      const id = requiredId(body.follow_id, 'follow_id');
      await this.followUps.update(actor, id, platformDto(UpdateFollowUpDto, fields, FOLLOW_NAMES));
      return done('创建成功', { id: Number(id) }); // the one message the seed gives this route
    });
  }

  async deleteFollowUp(actor: Actor, query: DelFollowDto) {
    await this.followUps.setDeleted(actor, requiredId(query.follow_id, 'follow_id'), true);
    return done('删除成功');
  }

  // --------------------------------------------------------------- demands

  async listDemands(actor: Actor, query: DemandQueryDto) {
    const dto = platformDto(
      DemandListQueryDto,
      { ...windowOf(query), organizationId: idOf(query.organization_id) },
      DEMAND_NAMES,
    );
    return this.listedAs(await this.demands.list(actor, dto), (d) => this.map.demand(d));
  }

  async saveDemand(actor: Actor, body: DemandBodyDto) {
    const fields = {
      customerIds: idsOf(body.customer_id ?? body.customers_id),
      organizationId: idOf(body.organization_id),
      followerIds: idsOf(body.follower_id),
      recordTime: textOf(body.record_time),
      content: textOf(body.content),
      attach: body.demand_attach ?? body.attach,
      note: body.demand_note ?? body.note,
    };
    return asSeed(DEMAND_NAMES, async () => {
      if (isCreate(body.demand_id)) {
        const created = await this.demands.create(actor, platformDto(CreateDemandDto, fields, DEMAND_NAMES));
        return done('操作成功', { id: Number(created.id) });
      }
      const id = requiredId(body.demand_id, 'demand_id');
      await this.demands.update(actor, id, platformDto(UpdateDemandDto, fields, DEMAND_NAMES));
      return done('操作成功', { id: Number(id) });
    });
  }

  async deleteDemand(actor: Actor, query: DelDemandDto) {
    await this.demands.setDeleted(actor, requiredId(query.demand_id, 'demand_id'), true);
    return done('删除成功');
  }

  // ---------------------------------------------------------- satisfaction

  async listSatisfaction(actor: Actor, query: SatisfyQueryDto) {
    const dto = platformDto(
      SatisfactionListQueryDto,
      {
        ...windowOf(query),
        organizationId: idOf(query.organization_id),
        customerIds: present(query.customers_id) ? query.customers_id : undefined,
      },
      SATISFY_NAMES,
    );
    return this.listedAs(await this.satisfaction.list(actor, dto), (s) => this.map.satisfaction(s));
  }

  /** The seed's example sends no organization and one customer as a number. */
  async saveSatisfaction(actor: Actor, body: SatisfyBodyDto) {
    const fields = {
      organizationId: idOf(body.organization_id),
      customerIds: idsOf(body.customers_id ?? body.customer_id),
      recordTime: textOf(body.record_time),
      followerIds: idsOf(body.follower_id),
      attach: body.attach,
      value: numberOf(body.value),
      note: body.note,
    };
    return asSeed(SATISFY_NAMES, async () => {
      if (isCreate(body.satisfy_id)) {
        const created = await this.satisfaction.create(
          actor,
          platformDto(CreateSatisfactionDto, fields, SATISFY_NAMES),
        );
        return done('录入成功', { id: Number(created.id) });
      }
      const id = requiredId(body.satisfy_id, 'satisfy_id');
      await this.satisfaction.update(actor, id, platformDto(UpdateSatisfactionDto, fields, SATISFY_NAMES));
      return done('录入成功', { id: Number(id) }); // the one message the seed gives this route
    });
  }

  async deleteSatisfaction(actor: Actor, query: DelSatisfyDto) {
    await this.satisfaction.setDeleted(actor, requiredId(query.satisfy_id, 'satisfy_id'), true);
    return done('删除成功');
  }

  // ------------------------------------------------------------- contracts

  async listContracts(actor: Actor, query: ContractQueryDto) {
    const dto = platformDto(
      ContractListQueryDto,
      { ...windowOf(query), organizationId: idOf(query.organization_id) },
      RECORD_NAMES,
    );
    return this.listedAs(await this.contracts.list(actor, dto), (c) => this.map.contract(c));
  }

  /** `editor_id` is ignored: the editor is the caller. */
  async saveContract(actor: Actor, body: ContractBodyDto) {
    const fields = {
      organizationId: idOf(body.organization_id),
      name: textOf(body.name),
      signTime: textOf(body.sign_time),
      code: textOf(body.code),
      amount: body.amount,
      remitAmount: body.remit_amount,
      remitTime: textOf(body.remit_time),
      creatorId: idOf(body.creator_id),
      followerIds: idsOf(body.follower_id),
      note: body.note,
    };
    return asSeed(RECORD_NAMES, async () => {
      if (isCreate(body.contract_id)) {
        const created = await this.contracts.create(
          actor,
          platformDto(CreateContractDto, fields, RECORD_NAMES),
        );
        return done('操作成功', { id: Number(created.id) });
      }
      const id = requiredId(body.contract_id, 'contract_id');
      await this.contracts.update(actor, id, platformDto(UpdateContractDto, fields, RECORD_NAMES));
      return done('操作成功', { id: Number(id) });
    });
  }

  async deleteContract(actor: Actor, query: DelContractDto) {
    await this.contracts.setDeleted(actor, requiredId(query.contract_id, 'contract_id'), true);
    return done('删除成功');
  }

  // ----------------------------------------------------------------- stats

  /** `data` = rows, `page_info` beside it. */
  async signing(actor: Actor, query: SeedStatsQueryDto) {
    // the example lists 83, 84, 1: the newest min_sign_time first
    const page = await this.stats.signing(actor, this.statsQuery(query), 'exact', 'newest');
    return {
      status: 0,
      msg: '查询成功',
      data: page.rows.map((r) => this.map.signing(r)),
      page_info: pageInfo(page),
    };
  }

  /** `data = [rows, page_info]`. */
  async demandCounts(actor: Actor, query: SeedStatsQueryDto) {
    // the example lists counts 30, 10, 5, 2 (organization null last): most first
    const page = await this.stats.demands(actor, this.statsQuery(query), 'exact', 'most');
    return {
      status: 0,
      msg: '查询成功',
      data: [page.rows.map((r) => this.map.demandCount(r)), pageInfo(page)],
    };
  }

  /** `data = [rows, page_info]`. */
  async followCounts(actor: Actor, query: SeedStatsQueryDto) {
    const page = await this.stats.followUps(actor, this.statsQuery(query), 'exact');
    return {
      status: 0,
      msg: '查询成功',
      data: [page.rows.map((r) => this.map.followCount(r)), pageInfo(page)],
    };
  }

  private statsQuery(query: SeedStatsQueryDto): StatsQueryDto {
    return platformDto(
      StatsQueryDto,
      {
        ...windowOf(query),
        organizationIds: present(query.organization_ids) ? query.organization_ids : undefined,
      },
      RECORD_NAMES,
    );
  }

  private listedAs<D, R>(page: Page<D>, row: (dto: D) => R) {
    return listed(page.rows.map(row), page);
  }
}
