/**
 * Route groups of the API-wide rate limits: each has its own budget per caller and per client IP, so a
 * burst of list calls cannot starve writes, and exports (heavy) get a small budget of their own.
 */
export const RATE_LIMIT_GROUPS = ['auth', 'read', 'write', 'export', 'legacy'] as const;
export type RateLimitGroup = (typeof RATE_LIMIT_GROUPS)[number];

/** Never limited: probes, metrics, the API description and the console's static files. */
const UNLIMITED = /^\/(api\/v1\/health(\/|$)|metrics$|docs(-json|\/|$)|console(\/|$)|favicon\.ico$)/;
const PLATFORM = /^\/api\/v1(\/|$)/;
const AUTH = /^\/api\/v1\/auth(\/|$)/;
/** A path segment `export` or `exports` (CRM exports, data-model record export). */
const EXPORT = /\/exports?(\/|$)/;

/** The group a request falls in, or null when it is never limited. `url` may carry a query string. */
export function rateLimitGroupOf(method: string, url: string): RateLimitGroup | null {
  const path = url.split('?', 1)[0];
  if (method === 'OPTIONS' || UNLIMITED.test(path)) return null;
  if (!PLATFORM.test(path)) return path === '/' ? null : 'legacy';
  if (AUTH.test(path)) return 'auth';
  if (EXPORT.test(path)) return 'export';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

/** Hits allowed per window for one group; 0 = no limit on that dimension. */
export interface GroupLimits {
  perCaller: number;
  perIp: number;
}

export interface RateLimitPolicy {
  windowSeconds: number;
  groups: Record<RateLimitGroup, GroupLimits>;
}
