import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '@app/contracts';
import { AppException, type Page } from '@app/common';

/** Seed 001's page information beside `data` (or as the second element of `data` on two stats routes). */
export interface PageInfo {
  total: number;
  page: number;
  count: number;
}

export const pageInfo = (page: Page<unknown>): PageInfo => ({
  total: page.total,
  page: page.pageNum,
  count: page.pageSize,
});

/** `{status:0,msg}` plus `data` when there is some. */
export function done(msg: string, data?: unknown): { status: 0; msg: string; data?: unknown } {
  return data === undefined ? { status: 0, msg } : { status: 0, msg, data };
}

/** Lists: `{status:0,msg,data:[...],page_info:{total,page,count}}`. */
export function listed<T>(rows: T[], page: Page<unknown>) {
  return { status: 0 as const, msg: '查询成功', data: rows, page_info: pageInfo(page) };
}

/** Platform field names → the seed's spelling, used to rename the fields of validation failures. */
export type FieldNames = Record<string, string>;

export const PAGE_NAMES: FieldNames = {
  pageNum: 'page',
  pageSize: 'count',
  startTime: 'start_time',
  endTime: 'end_time',
};

function renamed(error: unknown, names: FieldNames): unknown {
  if (!(error instanceof AppException) || !error.errors?.length) return error;
  const errors = error.errors.map((e) => {
    const [head, ...rest] = e.field.split(/(?=[.[])/);
    const seed = names[head] ?? head;
    return { field: seed + rest.join(''), reason: e.reason.replace(new RegExp(`\\b${head}\\b`, 'g'), seed) };
  });
  return new AppException(error.code, error.reason, error.message, errors);
}

/**
 * The platform request DTO built from the seed's fields and validated with the platform's own rules
 * (one copy of every rule), failures named as the seed names the field.
 */
export function platformDto<T extends object>(cls: ClassConstructor<T>, plain: object, names: FieldNames): T {
  const defined = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  const instance = plainToInstance(cls, defined, { exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length > 0) throw renamed(AppException.invalid(flattenValidationErrors(errors)), names);
  return instance;
}

/** Runs a platform call, renaming the fields of its validation failures to the seed's spelling. */
export async function asSeed<T>(names: FieldNames, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw renamed(error, names);
  }
}
