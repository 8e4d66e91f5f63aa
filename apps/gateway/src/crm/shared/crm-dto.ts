import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { AppException, PageQueryDto, parseClientDateTime } from '@app/common';
import { EmptyAsUndefined, IsBusinessTime } from '../../shared/dto-helpers';

export {
  EmptyAsUndefined,
  IsBigintId,
  IsBusinessTime,
  IsCalendarDate,
  ParseIdPipe,
  ToIdList,
} from '../../shared/dto-helpers';

/** Undefined stays undefined; anything else must be present (PATCH: `null` clears, absent keeps). */
export const isPresent = (_: object, value: unknown) => value !== undefined;

/** Id arrays in bodies: seed clients send numbers (`[1,2,3]`), the platform strings; a scalar is a list of one. */
export function ToIdArray() {
  return Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === null) return value;
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) =>
      typeof item === 'number' && Number.isSafeInteger(item) ? String(item) : item,
    );
  });
}

/**
 * A number as a phone's call or message log reports it: any text up to 32 characters. A hidden caller
 * comes as "" or Android's "-1" / "-2"; a refused row refuses its whole batch, which the phone sends again at
 * every sync and never gets past.
 */
export const IsReportedNumber = () => applyDecorators(IsString(), MaxLength(32));

/**
 * An attachment link (seed 001's event_attach / demand_attach / attach): http(s) on any host, the legacy
 * server's own `localhost:9015` and intranet names included.
 */
export const IsAttachmentUrl = () =>
  applyDecorators(
    IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }),
    MaxLength(2048),
  );

/** A reported number that can be a customer's phone: only these are matched to customers. */
export const isDialable = (reported: string) => /^[0-9+\-() ]{3,32}$/.test(reported) && /\d/.test(reported);

const MONEY = /^-?\d{1,12}(\.\d{1,2})?$/;

/** Money: a number or numeric string with at most two decimals, up to 12 integer digits. */
export function IsMoney(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isMoney',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an amount with at most 2 decimals`, ...options },
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'number' && Number.isFinite(value) && MONEY.test(String(value))) ||
          (typeof value === 'string' && MONEY.test(value.trim())),
      },
    });
}

export const moneyString = (value: string | number | null | undefined): string | null =>
  value === null || value === undefined ? null : Number(value).toFixed(2);

/** The named fields of a record, in the order named (answers and timelines keep their key order). */
export function pick<T extends object, K extends keyof T>(record: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(fields.map((field) => [field, record[field]])) as Pick<T, K>;
}

export const iso = (value: Date | null | undefined): string | null => (value ? value.toISOString() : null);

/** A time given by the client (ISO 8601 or `yyyy-MM-dd HH:mm:ss` in TZ_BUSINESS), or null/undefined as given. */
export function clientTime(
  value: string | null | undefined,
  timeZone: string,
  field: string,
): Date | null | undefined {
  if (value === undefined || value === null) return value;
  return parseClientDateTime(value, timeZone, field);
}

/** `startTime` / `endTime` of the seed-001 lists; each list has its default window. */
export class TimeWindowQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'ISO 8601 or yyyy-MM-dd HH:mm:ss (TZ_BUSINESS); default: the list’s window',
  })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBusinessTime()
  startTime?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 or yyyy-MM-dd HH:mm:ss (TZ_BUSINESS); default now' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBusinessTime()
  endTime?: string;
}

export interface TimeWindow {
  from: Date;
  to: Date;
}

export const ONE_WEEK_MS = 7 * 86_400_000;
export const ONE_YEAR_MS = 365 * 86_400_000;

/** The window of a list: `[startTime, endTime]`, defaults `now − defaultSpan` and now (seed 001). */
export function resolveWindow(
  query: { startTime?: string; endTime?: string },
  timeZone: string,
  defaultSpanMs: number,
  now = new Date(),
): TimeWindow {
  const to = query.endTime ? parseClientDateTime(query.endTime, timeZone, 'endTime') : now;
  const from = query.startTime
    ? parseClientDateTime(query.startTime, timeZone, 'startTime')
    : new Date(to.getTime() - defaultSpanMs);
  if (from.getTime() > to.getTime())
    throw AppException.invalid([{ field: 'startTime', reason: 'startTime must not be after endTime' }]);
  return { from, to };
}

export class StaffRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

/** What a demand, follow-up or satisfaction record links to and when it was written. */
interface LinkedRecord {
  creatorId: string;
  followerIds: string[];
  customerIds: string[];
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The staff and customers a linked record's timeline entry names. */
export const linkedIds = (r: LinkedRecord) => ({
  customerIds: r.customerIds.map(String),
  followerIds: r.followerIds.map(String),
});

/** The last fields of a linked record's answer: its creator, followers and customers by name, and its times. */
export function linkedRefs(r: LinkedRecord, staff: Map<string, string>, customers: Map<string, string>) {
  return {
    creator: { id: r.creatorId, name: staff.get(r.creatorId) ?? '' },
    followers: r.followerIds.map((id) => ({ id: String(id), name: staff.get(String(id)) ?? '' })),
    customers: r.customerIds.map((id) => ({ id: String(id), name: customers.get(String(id)) ?? '' })),
    deleted: r.deletedAt !== null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export class ChangeDto {
  @ApiProperty() id!: string;
  @ApiProperty({
    description: 'organization, customer, potential, follow_up, demand, satisfaction, contract',
  })
  entityType!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty({ description: 'created, updated, deleted, restored, imported, import_undone' })
  action!: string;
  @ApiProperty() actorId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) actorName!: string | null;
  @ApiProperty({ description: '{ field: { from, to } }', type: 'object', additionalProperties: true })
  changes!: Record<string, { from: unknown; to: unknown }>;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/**
 * Totals of the /api/v1 customer and organization lists are exact up to this many records; beyond it the
 * page says `more: true` (counting a million rows costs ~250 ms, counting 10,001 a few ms).
 */
export const CRM_LIST_TOTAL_CAP = 10_000;
