import { formatBusinessDateTime } from '@app/common';
import { Transform } from 'class-transformer';

/** Legacy clients send numbers as strings (`pageSize` is typed String in seed 004): coerce, keep the rest. */
export const ToInt = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value,
  );

/** `yyyy-MM-dd HH:mm:ss` in the business time zone, as every seed writes times. */
export function legacyDateTime(value: Date | string | null | undefined, timeZone: string): string | null {
  if (value === null || value === undefined) return null;
  return formatBusinessDateTime(typeof value === 'string' ? new Date(value) : value, timeZone);
}

/** A finished task's duration as seed 004's finishedList writes it: `1天5小时8分42秒`. */
export function legacyDurationSeconds(fromIso: string, toIso: string): string {
  const s = Math.floor(Math.max(0, new Date(toIso).getTime() - new Date(fromIso).getTime()) / 1000);
  return `${Math.floor(s / 86400)}天${Math.floor((s % 86400) / 3600)}小时${Math.floor((s % 3600) / 60)}分${s % 60}秒`;
}

/** RuoYi's duration text: `0天0小时30分钟`. */
export function legacyDuration(fromIso: string, toIso: string | null): string {
  const ms = Math.max(0, (toIso ? new Date(toIso).getTime() : Date.now()) - new Date(fromIso).getTime());
  const minutes = Math.floor(ms / 60_000);
  return `${Math.floor(minutes / 1440)}天${Math.floor((minutes % 1440) / 60)}小时${minutes % 60}分钟`;
}
