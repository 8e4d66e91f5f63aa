import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { INTERNAL_ID, METHODS, withoutInternalIds } from '../finish-document';
import { previewOpenApiDocument } from '../preview-document';

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
  security?: Record<string, string[]>[];
  tags?: string[];
}

const operations = (document: OpenAPIObject) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = (item as Record<string, Operation | undefined>)[method];
      return operation ? [{ path, method, operation }] : [];
    }),
  );

// The published contract (issue 19): what clients generate from and what Swagger UI shows.
describe('the OpenAPI contract', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await previewOpenApiDocument();
  }, 60_000);

  it('gives every operation a readable, unique operationId', () => {
    const ids = operations(document).map(({ operation }) => operation.operationId);
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]+$/.test(id ?? ''))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const byRoute = Object.fromEntries(
      operations(document).map(({ path, method, operation }) => [`${method} ${path}`, operation.operationId]),
    );
    expect(byRoute).toMatchObject({
      'get /api/v1/crm/customers': 'listCustomers',
      'get /api/v1/work-orders/{id}': 'getWorkOrder',
      'post /api/v1/staff': 'createStaff',
      'post /api/v1/workflow/tasks/{id}/claim': 'claimTask',
      'post /api/v1/auth/login': 'login',
      'post /workflow/task/complete': 'legacyTaskComplete',
    });
  });

  it('declares every path parameter', () => {
    const missing = operations(document).flatMap(({ path, method, operation }) =>
      [...path.matchAll(/\{(\w+)\}/g)]
        .map(([, name]) => name)
        .filter((name) => !operation.parameters?.some((p) => p.in === 'path' && p.name === name))
        .map((name) => `${method} ${path}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('states the security of every operation: none only on public routes, the caller headers as apiKey schemes', () => {
    expect(document.components?.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      requestType: { type: 'apiKey', in: 'header', name: 'requestType' },
      appId: { type: 'apiKey', in: 'header', name: 'appID' },
      serverId: { type: 'apiKey', in: 'header', name: 'serverID' },
      secretKey: { type: 'apiKey', in: 'header', name: 'secretKey' },
    });
    const all = operations(document);
    expect(all.filter(({ operation }) => !operation.security).map(({ path }) => path)).toEqual([]);
    const open = all.filter(({ operation }) => operation.security?.length === 0).map(({ path }) => path);
    expect(open.sort()).toEqual(
      [
        '/api/v1/health',
        '/api/v1/health/live',
        '/api/v1/health/ready',
        '/api/v1/auth/login',
        '/api/v1/auth/refresh',
        '/doLogin',
        '/api/user/login',
        '/api/account/login',
      ].sort(),
    );
    const workOrder = all.find(({ path, method }) => method === 'get' && path === '/api/v1/work-orders/{id}');
    expect(workOrder?.operation.security).toEqual([
      { bearer: [] },
      { requestType: [], appId: [], secretKey: [] },
      { requestType: [], serverId: [], secretKey: [] },
    ]);
    // the headers are schemes now, not parameters repeated on each operation
    const headers = all.flatMap(({ operation }) =>
      (operation.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase()),
    );
    expect(headers).not.toEqual(expect.arrayContaining(['requesttype']));
    expect(headers).not.toEqual(expect.arrayContaining(['secretkey']));
  });

  it('shares one error envelope schema and documents an answer for every legacy operation', () => {
    expect(document.components?.schemas?.ErrorEnvelopeDto).toBeDefined();
    for (const { path, method, operation } of operations(document)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const schema = response.content?.['application/json']?.schema;
        // the health report answers 503 with its report in `data`, as the conformance fuzz test checks
        if (/^[45]/.test(status) && path.startsWith('/api/v1/') && !path.startsWith('/api/v1/health'))
          expect([`${method} ${path} ${status}`, schema]).toEqual([
            `${method} ${path} ${status}`,
            { $ref: '#/components/schemas/ErrorEnvelopeDto' },
          ]);
      }
      if (!path.startsWith('/api/v1/')) {
        const ok = operation.responses['200'] ?? operation.responses['201'];
        expect([`${method} ${path}`, ok?.content]).toEqual([`${method} ${path}`, expect.any(Object)]);
      }
    }
  });

  it('types every field precisely: no bare `object` where Nest could not read a union (string | null)', () => {
    const vague = Object.entries(document.components?.schemas ?? {}).flatMap(([name, schema]) =>
      Object.entries((schema as { properties?: Record<string, Record<string, unknown>> }).properties ?? {})
        .filter(
          ([, p]) =>
            p.type === 'object' &&
            !p.properties &&
            p.additionalProperties === undefined &&
            !p.$ref &&
            !p.allOf,
        )
        .map(([field]) => `${name}.${field}`),
    );
    expect(vague).toEqual([]);
    expect(document.components?.schemas?.CreateStaffDto).toMatchObject({
      properties: { phone: { type: 'string', nullable: true } },
    });
  });

  it('describes every tag and keeps internal decision ids out of public text', () => {
    const used = new Set(operations(document).flatMap(({ operation }) => operation.tags ?? []));
    const described = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description]));
    expect([...used].filter((tag) => !described.get(tag))).toEqual([]);
    const leaks = JSON.stringify(document)
      .split(/(?="(?:summary|description)")/)
      .map((chunk) => /^"(?:summary|description)":"((?:[^"\\]|\\.)*)"/.exec(chunk)?.[1] ?? '')
      .filter((text) => INTERNAL_ID.test(text));
    expect(leaks).toEqual([]);
  });

  it('matches the committed snapshot docs/openapi.json (run `npm run api:generate` for an intended change)', () => {
    const snapshot = JSON.parse(readFileSync(join(__dirname, '../../../../../docs/openapi.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify(document))).toEqual(snapshot);
  });
});

describe('withoutInternalIds', () => {
  it.each([
    ['alias of potent_id (A-32)', 'alias of potent_id'],
    ['Sign in (S000-01, S001-10)', 'Sign in'],
    ['Register (S004-28/29); the answer', 'Register; the answer'],
    ['removes the instance (admin, A-65)', 'removes the instance (admin)'],
    ['a tree (S002-12; the company root is 1)', 'a tree (the company root is 1)'],
    ['next one (one step, A-47; the seed-004 `targetKey`)', 'next one (one step; the seed-004 `targetKey`)'],
    ['plain text stays', 'plain text stays'],
  ])('%s', (text, expected) => expect(withoutInternalIds(text)).toBe(expected));
});
