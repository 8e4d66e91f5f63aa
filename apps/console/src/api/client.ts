import createClient from 'openapi-fetch';
import { apiBaseUrl } from '@/runtime';
import type { components, paths } from './schema';
import { sessionFetch } from './transport';

/** The one API client: typed from the gateway's OpenAPI document (`npm run api:generate`). */
export const api = createClient<paths>({ baseUrl: apiBaseUrl(), fetch: sessionFetch });

export type Schemas = components['schemas'];
export type Task = Schemas['TaskReply'];
export type InstanceSummary = Schemas['InstanceSummaryReply'];
export type InstanceDetail = Schemas['InstanceDetailReply'];

/** A fresh key per user action, so a double click or a retried request starts one instance. */
export function idempotencyKey(prefix: string): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}:${random}`;
}
