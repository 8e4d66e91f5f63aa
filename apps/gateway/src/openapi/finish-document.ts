import { OPENAPI_AUTH_EXTENSION } from '@app/auth';
import { ErrorEnvelopeDto } from '@app/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { LEGACY_ANSWER_BY_TAG, LEGACY_ANSWER_SCHEMAS } from '../legacy/legacy-answers';
import { rateLimitGroupOf } from '../rate-limit/route-groups';
import { operationIdOf } from './operation-ids';
import { TAG_DESCRIPTIONS } from './tags';

type Operation = Record<string, unknown> & {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: object }>;
  responses?: Record<string, Record<string, unknown>>;
  security?: Array<Record<string, string[]>>;
  summary?: string;
  description?: string;
  tags?: string[];
};

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** The app/service caller headers of seed 004 (DESIGN §2), as `apiKey` schemes used together. */
const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The access token of `POST /api/v1/auth/login` (also accepted in an `accessToken` header).',
  },
  requestType: {
    type: 'apiKey',
    in: 'header',
    name: 'requestType',
    description:
      '`app` with `appID`, or `service` with `serverID`, plus `secretKey` (a registered application).',
  },
  appId: {
    type: 'apiKey',
    in: 'header',
    name: 'appID',
    description: 'The application id (with `requestType: app`).',
  },
  serverId: {
    type: 'apiKey',
    in: 'header',
    name: 'serverID',
    description: 'The service id (with `requestType: service`).',
  },
  secretKey: { type: 'apiKey', in: 'header', name: 'secretKey', description: 'The application’s secret.' },
};
const CALLER_HEADERS = new Set([
  'authorization',
  'accesstoken',
  'requesttype',
  'appid',
  'serverid',
  'secretkey',
]);
const BEARER = { bearer: [] };
const APP = { requestType: [], appId: [], secretKey: [] };
const SERVICE = { requestType: [], serverId: [], secretKey: [] };

const ERROR = { $ref: '#/components/schemas/ErrorEnvelopeDto' };

/** Internal references (decision ids such as A-12 or D-3, seed requirement ids such as S001-07) stay out of public text. */
const ID = String.raw`(?:[AD]-\d+|S\d{3}-\d+(?:\/\d+)?)`;
export const INTERNAL_ID = new RegExp(String.raw`\b${ID}\b`);
export function withoutInternalIds(text: string): string {
  return text
    .replace(new RegExp(String.raw`\s*\((?:${ID}\s*[,;]?\s*)+\)`, 'g'), '') // "(A-12)", "(S000-01, S001-10)"
    .replace(new RegExp(String.raw`(?<=\()${ID}\s*[,;]\s*`, 'g'), '') // "(S002-12; the root …)"
    .replace(new RegExp(String.raw`\s*[,;]\s*${ID}\b`, 'g'), ''); // "(admin, A-65)", "(one step, A-47; …)"
}

function scrub(value: unknown): unknown {
  if (typeof value === 'string') return withoutInternalIds(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'description' || key === 'summary' || typeof inner === 'object')
        (value as Record<string, unknown>)[key] = scrub(inner);
    }
  }
  return value;
}

/**
 * A query, path or header value is a string on the wire: a parameter documented from a field that takes
 * any JSON value (legacy form fields shared by body and query DTOs) is published as a string.
 */
function stringParameters(operation: Operation): void {
  for (const parameter of operation.parameters ?? []) {
    const schema = parameter.schema as Record<string, unknown> | undefined;
    if (!schema || schema.type || schema.$ref || !(schema.oneOf || schema.allOf)) continue;
    delete schema.oneOf;
    delete schema.allOf;
    schema.type = 'string';
    if (typeof schema.example === 'number') schema.example = String(schema.example);
  }
}

/** Adds a path parameter the route uses but does not document (a string unless documented otherwise). */
function declarePathParameters(path: string, operation: Operation): void {
  const declared = new Set((operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
    if (declared.has(name)) continue;
    operation.parameters = [
      ...(operation.parameters ?? []),
      { name, in: 'path', required: true, schema: { type: 'string' } },
    ];
  }
}

function secure(operation: Operation): void {
  const auth = operation[OPENAPI_AUTH_EXTENSION];
  delete operation[OPENAPI_AUTH_EXTENSION];
  operation.security = auth === 'public' ? [] : auth === 'staff' ? [BEARER] : [BEARER, APP, SERVICE];
  // the caller headers are the security schemes now, not parameters of each operation
  operation.parameters = (operation.parameters ?? []).filter(
    (p) => !(p.in === 'header' && CALLER_HEADERS.has(p.name.toLowerCase())),
  );
  if (!operation.parameters.length) delete operation.parameters;
  if (auth === 'public') return;
  const responses = (operation.responses ??= {});
  responses['401'] ??= { description: 'code 4004: no or an invalid token or application credentials' };
  responses['403'] ??= { description: 'code 4001 | 4002: no permission, or the account is disabled' };
}

/**
 * Refusals that come before any route runs, so every operation can answer them in the error envelope:
 * a request line or headers too large, a URL that is not percent-encoded UTF-8, a malformed body, and,
 * where there is a body, one over the body limit.
 */
function transportRefusals(operation: Operation, path: string, method: string): void {
  const responses = (operation.responses ??= {});
  // the API-wide rate limits answer before routing, on every route of a limited group
  if (rateLimitGroupOf(method.toUpperCase(), path))
    responses['429'] ??= {
      description: 'code 429: over a rate limit of the route’s group (RATE_LIMIT_*); retry after the window',
      content: { 'application/json': { schema: ERROR } },
    };
  responses['400'] ??= {
    description: 'code 4101 | 4000: a malformed request (URL, headers or body)',
    content: { 'application/json': { schema: ERROR } },
  };
  if (operation.requestBody)
    responses['413'] ??= {
      description: 'code 413: the body is over the body limit (BODY_LIMIT_BYTES)',
      content: { 'application/json': { schema: ERROR } },
    };
}

function answerSchemas(operation: Operation, path: string): void {
  const responses = (operation.responses ??= {});
  const legacy = operation.tags?.map((tag) => LEGACY_ANSWER_BY_TAG[tag]).find(Boolean);
  const ok = responses['200'] ?? responses['201'];
  if (legacy && ok && !ok.content) {
    ok.description ||= 'the answer in the surface’s own envelope';
    ok.content = { 'application/json': { schema: { $ref: `#/components/schemas/${legacy}` } } };
  }
  for (const [status, response] of Object.entries(responses)) {
    if (!/^[45]\d\d$/.test(status)) continue;
    // legacy surfaces answer their own shape; the platform answers the error envelope
    if (!response.content && path.startsWith('/api/v1/'))
      response.content = { 'application/json': { schema: ERROR } };
    if (legacy && !response.content)
      response.content = { 'application/json': { schema: { $ref: `#/components/schemas/${legacy}` } } };
  }
}

/**
 * Turns Nest's generated document into the published contract: readable operation ids, the caller
 * schemes as `security`, every path parameter declared, one shared error envelope, legacy answer
 * schemas, described tags, no internal ids. The checks in test/contract keep it that way.
 */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  components.securitySchemes = SECURITY_SCHEMES as NonNullable<typeof components.securitySchemes>;
  components.schemas = { ...components.schemas, ...(LEGACY_ANSWER_SCHEMAS as object) };
  if (!components.schemas?.ErrorEnvelopeDto) throw new Error(`${ErrorEnvelopeDto.name} is not registered`);
  const used = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      // an alias spelling of a route (`/workflow/task/ transfer`) is served, not published twice
      if (/\[[1-9]\d*\]$/.test(operation.operationId ?? '')) {
        delete (item as Record<string, unknown>)[method];
        continue;
      }
      operation.operationId = operationIdOf(operation.operationId ?? '', path);
      declarePathParameters(path, operation);
      stringParameters(operation);
      secure(operation);
      transportRefusals(operation, path, method);
      answerSchemas(operation, path);
      for (const tag of operation.tags ?? []) used.add(tag);
    }
    if (!METHODS.some((method) => (item as Record<string, unknown>)[method])) delete document.paths[path];
  }
  const order = Object.keys(TAG_DESCRIPTIONS);
  document.tags = [...used]
    .sort((a, b) => (order.indexOf(a) + 1 || 1e6) - (order.indexOf(b) + 1 || 1e6))
    .map((name) => (TAG_DESCRIPTIONS[name] ? { name, description: TAG_DESCRIPTIONS[name] } : { name }));
  document.servers = [{ url: '/', description: 'this gateway' }];
  // Nest's placeholder for untyped query fields, unused once those are strings
  if (!JSON.stringify(document.paths).includes('#/components/schemas/Object'))
    delete components.schemas?.Object;
  scrub(document.paths);
  scrub(document.components);
  scrub(document.info);
  return document;
}
