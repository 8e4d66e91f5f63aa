import { Injectable } from '@nestjs/common';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { type Actor, flattenValidationErrors } from '@app/contracts';
import { AppException, type Page, toCsv } from '@app/common';
import { ContractListQueryDto } from '../contracts/contract.dto';
import { ContractsService } from '../contracts/contracts.service';
import { CustomerListQueryDto } from '../customers/customer.dto';
import { CustomersService } from '../customers/customers.service';
import { DemandListQueryDto } from '../demands/demand.dto';
import { DemandsService } from '../demands/demands.service';
import { FollowUpListQueryDto } from '../follow-ups/follow-up.dto';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { OrganizationListQueryDto } from '../organizations/organization.dto';
import { OrganizationsService } from '../organizations/organizations.service';
import { PotentialListQueryDto } from '../potentials/potential.dto';
import { PotentialsService } from '../potentials/potentials.service';
import { SatisfactionListQueryDto } from '../satisfaction/satisfaction.dto';
import { SatisfactionService } from '../satisfaction/satisfaction.service';

export const EXPORT_ENTITIES = [
  'organizations',
  'customers',
  'potentials',
  'follow-ups',
  'demands',
  'satisfaction',
  'contracts',
] as const;
export type ExportEntity = (typeof EXPORT_ENTITIES)[number];

/** At most this many rows per export: narrow the filters beyond it. */
export const MAX_EXPORT_ROWS = 100_000;
const CHUNK = 1000;

type Dto = Record<string, unknown>;
type Column = [header: string, value: (row: Dto) => unknown];

const names = (refs: unknown) => ((refs as { name: string }[] | null) ?? []).map((r) => r.name).join(';');
const name = (ref: unknown) => (ref as { name: string } | null)?.name ?? '';
const plain = (...keys: string[]): Column[] => keys.map((key) => [key, (row) => row[key]]);

interface Exporter {
  query: ClassConstructor<{ pageNum: number; pageSize: number; status?: string }>;
  list: (actor: Actor, query: never) => Promise<Page<unknown>>;
  columns: Column[];
}

/**
 * CSV export of any CRM list with that list's filters, within the caller's data scope; deleted records
 * are never exported (a `status` asking for them is ignored).
 */
@Injectable()
export class ExportsService {
  private readonly exporters: Record<ExportEntity, Exporter>;

  constructor(
    organizations: OrganizationsService,
    customers: CustomersService,
    potentials: PotentialsService,
    followUps: FollowUpsService,
    demands: DemandsService,
    satisfaction: SatisfactionService,
    contracts: ContractsService,
  ) {
    this.exporters = {
      organizations: {
        query: OrganizationListQueryDto,
        list: (a, q) => organizations.list(a, q),
        columns: [
          ...plain('id', 'name', 'detail', 'type', 'province', 'city', 'county', 'address', 'legalPerson'),
          ...plain('registeredCapital', 'registrationDate', 'website', 'note'),
          ['creator', (r) => name(r.creator)],
          ...plain('createdAt', 'updatedAt'),
        ],
      },
      customers: {
        query: CustomerListQueryDto,
        list: (a, q) => customers.list(a, q),
        columns: [
          ...plain(
            'id',
            'code',
            'realName',
            'nickName',
            'phone',
            'type',
            'job',
            'sex',
            'level',
            'isVip',
            'isSenior',
          ),
          ...plain(
            'vipDueTime',
            'navigationDueTime',
            'stage',
            'comment',
            'contactStatus',
            'wechatStatus',
            'note',
          ),
          ['organizationNames', (r) => names(r.organizations)],
          ['creator', (r) => name(r.creator)],
          ['owner', (r) => name(r.owner)],
          ...plain('createdAt', 'updatedAt'),
        ],
      },
      potentials: {
        query: PotentialListQueryDto,
        list: (a, q) => potentials.list(a, q),
        columns: [
          ...plain('id', 'organizationId', 'organizationName'),
          ['director', (r) => name(r.director)],
          ...plain('recordTime', 'status', 'note'),
          ['creator', (r) => name(r.creator)],
          ...plain('createdAt'),
        ],
      },
      'follow-ups': {
        query: FollowUpListQueryDto,
        list: (a, q) => followUps.list(a, q),
        columns: [
          ...plain(
            'id',
            'potentialId',
            'organizationId',
            'organizationName',
            'event',
            'gain',
            'attach',
            'note',
            'recordTime',
          ),
          ['operator', (r) => name(r.creator)],
          ['followers', (r) => names(r.followers)],
          ['customers', (r) => names(r.customers)],
        ],
      },
      demands: {
        query: DemandListQueryDto,
        list: (a, q) => demands.list(a, q),
        columns: [
          ...plain('id', 'organizationId', 'organizationName', 'content', 'attach', 'note', 'recordTime'),
          ['operator', (r) => name(r.creator)],
          ['followers', (r) => names(r.followers)],
          ['customers', (r) => names(r.customers)],
        ],
      },
      satisfaction: {
        query: SatisfactionListQueryDto,
        list: (a, q) => satisfaction.list(a, q),
        columns: [
          ...plain('id', 'organizationId', 'organizationName', 'value', 'attach', 'note', 'recordTime'),
          ['operator', (r) => name(r.creator)],
          ['followers', (r) => names(r.followers)],
          ['customers', (r) => names(r.customers)],
        ],
      },
      contracts: {
        query: ContractListQueryDto,
        list: (a, q) => contracts.list(a, q),
        columns: [
          ...plain('id', 'organizationId', 'organizationName', 'name', 'code', 'amount', 'signTime'),
          ...plain('remitAmount', 'remitTime', 'note'),
          ['followers', (r) => names(r.followers)],
          ['creator', (r) => name(r.creator)],
          ['editor', (r) => name(r.editor)],
        ],
      },
    };
  }

  /** The CSV text (UTF-8 with a BOM, so spreadsheet programs read Chinese correctly). */
  async export(actor: Actor, entity: ExportEntity, rawQuery: Record<string, unknown>): Promise<string> {
    const exporter = this.exporters[entity];
    const query = plainToInstance(exporter.query, rawQuery);
    const found = await validate(query, {
      whitelist: true,
      validationError: { target: false, value: false },
    });
    if (found.length) throw AppException.invalid(flattenValidationErrors(found));
    if (query.status === '-1' || query.status === 'all') query.status = entity === 'potentials' ? 'all' : '1';
    const lines: unknown[][] = [exporter.columns.map(([header]) => header)];
    for (let pageNum = 1; ; pageNum += 1) {
      Object.assign(query, { pageNum, pageSize: CHUNK });
      const page = await exporter.list(actor, query as never);
      if (page.total > MAX_EXPORT_ROWS)
        throw AppException.invalid([
          { field: 'query', reason: `${page.total} rows: narrow the filters to at most ${MAX_EXPORT_ROWS}` },
        ]);
      for (const row of page.rows as Dto[]) lines.push(exporter.columns.map(([, value]) => value(row) ?? ''));
      if (pageNum * CHUNK >= page.total) break;
    }
    return toCsv(lines);
  }
}
