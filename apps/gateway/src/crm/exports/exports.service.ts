import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { type Actor, flattenValidationErrors } from '@app/contracts';
import { AppException, toCsv } from '@app/common';
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

/** Rows read, mapped and written per step of an export (its memory does not grow with the export). */
const CHUNK = 1000;

type Dto = Record<string, unknown>;
type Column = [header: string, value: (row: Dto) => unknown];

const names = (refs: unknown) => ((refs as { name: string }[] | null) ?? []).map((r) => r.name).join(';');
const name = (ref: unknown) => (ref as { name: string } | null)?.name ?? '';
const plain = (...keys: string[]): Column[] => keys.map((key) => [key, (row) => row[key]]);

interface Exporter {
  query: ClassConstructor<{ pageNum: number; pageSize: number; status?: string }>;
  batches: (actor: Actor, query: never) => AsyncGenerator<unknown[]>;
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
        batches: (a, q) => organizations.listBatches(a, q, CHUNK),
        columns: [
          ...plain('id', 'name', 'detail', 'type', 'province', 'city', 'county', 'address', 'legalPerson'),
          ...plain('registeredCapital', 'registrationDate', 'website', 'note'),
          ['creator', (r) => name(r.creator)],
          ...plain('createdAt', 'updatedAt'),
        ],
      },
      customers: {
        query: CustomerListQueryDto,
        batches: (a, q) => customers.listBatches(a, q, CHUNK),
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
        batches: (a, q) => potentials.listBatches(a, q, CHUNK),
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
        batches: (a, q) => followUps.listBatches(a, q, CHUNK),
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
        batches: (a, q) => demands.listBatches(a, q, CHUNK),
        columns: [
          ...plain('id', 'organizationId', 'organizationName', 'content', 'attach', 'note', 'recordTime'),
          ['operator', (r) => name(r.creator)],
          ['followers', (r) => names(r.followers)],
          ['customers', (r) => names(r.customers)],
        ],
      },
      satisfaction: {
        query: SatisfactionListQueryDto,
        batches: (a, q) => satisfaction.listBatches(a, q, CHUNK),
        columns: [
          ...plain('id', 'organizationId', 'organizationName', 'value', 'attach', 'note', 'recordTime'),
          ['operator', (r) => name(r.creator)],
          ['followers', (r) => names(r.followers)],
          ['customers', (r) => names(r.customers)],
        ],
      },
      contracts: {
        query: ContractListQueryDto,
        batches: (a, q) => contracts.listBatches(a, q, CHUNK),
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

  /**
   * The CSV (UTF-8 with a BOM, so spreadsheet programs read Chinese correctly) as a stream: the query is
   * validated first (a bad one answers 4101), then rows are read from a cursor a chunk at a time as the
   * client takes them, so an export of a million rows holds one chunk in memory.
   */
  async export(actor: Actor, entity: ExportEntity, rawQuery: Record<string, unknown>): Promise<Readable> {
    const exporter = this.exporters[entity];
    const query = plainToInstance(exporter.query, rawQuery);
    const found = await validate(query, {
      whitelist: true,
      validationError: { target: false, value: false },
    });
    if (found.length) throw AppException.invalid(flattenValidationErrors(found));
    if (query.status === '-1' || query.status === 'all') query.status = entity === 'potentials' ? 'all' : '1';
    return Readable.from(csvLines(exporter, exporter.batches(actor, query as never)), { objectMode: false });
  }
}

async function* csvLines(exporter: Exporter, batches: AsyncGenerator<unknown[]>): AsyncGenerator<string> {
  yield toCsv([exporter.columns.map(([header]) => header)]);
  for await (const rows of batches)
    if (rows.length > 0)
      yield toCsv(
        (rows as Dto[]).map((row) => exporter.columns.map(([, value]) => value(row) ?? '')),
        { bom: false },
      );
}
