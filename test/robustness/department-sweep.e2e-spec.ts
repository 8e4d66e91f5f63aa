import {
  createDepartment,
  createRole,
  createStaff,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
} from '@app/testing';
import { deploy, mapLimit, ok } from '../workflow/workflow-helpers';

interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: { type?: string; enum?: unknown[]; default?: unknown; example?: unknown; format?: string };
  example?: unknown;
}
interface Document {
  paths: Record<string, Record<string, { parameters?: Parameter[]; tags?: string[] }>>;
}

const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="sweepDefs" targetNamespace="http://flowdesk.example/sweep">
  <process id="sweepProc" name="Sweep" isExecutable="true">
    <startEvent id="s" camunda:initiator="initiator" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    <userTask id="t" name="Handle" camunda:assignee="\${initiator}" /><sequenceFlow id="f2" sourceRef="t" targetRef="e" />
    <endEvent id="e" />
  </process>
</definitions>`;

/** Read-type permissions held alike by both departments' members; none that sees everything. */
const PERMISSIONS = [
  'department:read',
  'group:read',
  'role:read',
  'menu:read',
  'staff:read',
  'crm:read',
  'crm:write',
  'crm:phone',
  'crm:export',
  'stats:read',
  'datarecord:read',
  'datarecord:export',
  'monitoring:read',
  'message:read',
  'workflow:use',
];

/**
 * DESIGN §3: a record outside the caller's data scope never appears — in lists, search, export,
 * statistics or record reads. Two members of two departments hold the same role (data scope
 * `department`); A's records carry a marker. Every GET route of the gateway's OpenAPI document is asked
 * by B — with the defaults, with every free-text filter set to the marker, and with A's record ids in
 * the path — and no answer may hold the marker. Then each route's query parameters get wrong types
 * (arrays, objects, huge and negative numbers): no answer is a 5xx.
 */
describe('authorization sweep: department A never shows to department B, on every GET route', () => {
  let stack: Stack;
  let a: HttpClient;
  let b: HttpClient;
  let document: Document;
  const MARK = `泄漏A${Date.now().toString(36)}`;
  // what B searches for: a fuzzy search for it finds A's records, an answer that echoes it holds no MARK
  const SEARCH = MARK.slice(0, -2);
  const ids: string[] = [];
  /** Seed 004's routes (`/workflow/...`) are called through a registered application, as its clients do. */
  let seedApp: { clientId: string; secret: string };
  const tokens = new Map<HttpClient, string>();
  const routes: { path: string; parameters: Parameter[] }[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'department_sweep', gatewayEnv: { LOGIN_RATE_IP_LIMIT: '1000' } });
    const admin = (await loginAsAdmin(stack.http)).http;
    const role = await createRole(admin, {
      code: 'sweep_peer',
      permissions: PERMISSIONS,
      dataScope: 'department',
    });
    const deptA = await createDepartment(admin, 'Sweep A');
    const deptB = await createDepartment(admin, 'Sweep B');
    const staffA = await createStaff(admin, { account: 'sweep_a', departmentId: deptA, roleIds: [role] });
    const staffB = await createStaff(admin, { account: 'sweep_b', departmentId: deptB, roleIds: [role] });
    const sessionA = await loginAs(stack.http, staffA.account, staffA.password);
    const sessionB = await loginAs(stack.http, staffB.account, staffB.password);
    [a, b] = [sessionA.http, sessionB.http];
    tokens.set(a, sessionA.accessToken).set(b, sessionB.accessToken);
    // 注册应用 (seed 004): the front end its members call through; the member's own rights decide
    seedApp = ok<{ clientId: string; secret: string }>(
      await admin.post('/api/v1/applications', { type: 'app', name: 'sweep 前端', permissions: ['*'] }),
    );
    await deploy(admin, PROCESS);

    // A's records, each carrying the marker
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const keep = <T extends { id: string }>(value: T) => (ids.push(String(value.id)), value);
    const org = keep(ok<{ id: string }>(await a.post('/api/v1/crm/organizations', { name: `${MARK} 公司` })));
    const customer = keep(
      ok<{ id: string }>(
        await a.post('/api/v1/crm/customers', {
          realName: MARK,
          phone: '13912345678',
          organizationIds: [org.id],
          stage: 5,
          comment: MARK,
        }),
      ),
    );
    const potential = keep(
      ok<{ id: string }>(
        await a.post('/api/v1/crm/potentials', {
          organizationId: org.id,
          directorId: staffA.id,
          recordTime: at,
        }),
      ),
    );
    keep(
      ok<{ id: string }>(
        await a.post('/api/v1/crm/follow-ups', {
          potentialId: potential.id,
          followerIds: [staffA.id],
          customerIds: [customer.id],
          recordTime: at,
          gain: MARK,
        }),
      ),
    );
    for (const [path, body] of [
      ['demands', { content: MARK }],
      ['satisfaction', { value: 5 }],
      ['contracts', { name: MARK, signTime: at, amount: 10 }],
    ] as const)
      keep(
        ok<{ id: string }>(
          await a.post(`/api/v1/crm/${path}`, {
            organizationId: org.id,
            followerIds: [staffA.id],
            recordTime: at,
            ...body,
          }),
        ),
      );
    ok(
      await a.post('/api/v1/crm/sms', [
        { sender: 'E-sweep', receiver: 'C-sweep', senderRole: 1, occurTime: at, content: MARK },
      ]),
    );
    const order = keep(
      ok<{ id: string; instanceId: string; openTasks: { id: string }[] }>(
        await a.post('/api/v1/work-orders', {
          title: MARK,
          systemId: 'sweep',
          definitionKey: 'sweepProc',
          description: MARK,
          formData: { note: MARK },
        }),
      ),
    );
    ids.push(order.instanceId, ...order.openTasks.map((t) => t.id));

    document = (await stack.http.get<Document>('/docs-json')).body;
    // every GET but the server-sent event stream, which never ends (its events are per member)
    for (const [path, operations] of Object.entries(document.paths))
      if (operations.get && !path.endsWith('/events/stream'))
        routes.push({ path, parameters: operations.get.parameters ?? [] });
  }, 120_000);
  afterAll(() => stack?.stop());

  /** A value of the parameter's type; free text gets `text`. */
  const valueOf = (p: Parameter, text: string): string | undefined => {
    const s = p.schema ?? {};
    if (s.enum?.length) return String(s.enum[0]);
    const given = p.example ?? s.example ?? s.default;
    if (s.type === 'integer' || s.type === 'number') return given === undefined ? undefined : String(given);
    if (s.type === 'boolean') return 'true';
    if (s.format === 'date-time' || s.format === 'date')
      return given === undefined ? undefined : String(given);
    if (s.type === 'string' && !/id$|ids$|time|date|from|to$/i.test(p.name)) return text;
    return given === undefined ? undefined : String(given);
  };
  /** Seed 004's app headers (requestType=app, appID, secretKey, accessToken) on its routes. */
  const seedHeaders = (http: HttpClient, target: string): Record<string, string> =>
    target.startsWith('/workflow/')
      ? {
          requestType: 'app',
          appID: seedApp.clientId,
          secretKey: seedApp.secret,
          accessToken: tokens.get(http)!,
        }
      : {};
  /** GET with a deadline: a route that never answers is a finding, not a hung test. */
  const get = async (http: HttpClient, target: string) => {
    const began = Date.now();
    try {
      const res = await fetch(`${stack.http.baseUrl}${target}`, {
        headers: {
          ...(http as unknown as { defaults: Record<string, string> }).defaults,
          ...seedHeaders(http, target),
          'accept-language': 'en',
        },
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      return { status: res.status, text };
    } catch (error) {
      return { status: 599, text: `no answer in ${Date.now() - began} ms: ${String(error)}` };
    }
  };
  const url = (path: string, query: [string, string][]) =>
    `${path}${query.length ? '?' : ''}${query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;

  it('no list, search, export, statistic or record read answers B with A’s records', async () => {
    const asked: string[] = [];
    for (const route of routes) {
      const query = route.parameters.filter((p) => p.in === 'query');
      const path = route.parameters.filter((p) => p.in === 'path');
      const required = query.filter((p) => p.required);
      const base: [string, string][] = required.flatMap((p) => {
        const v = valueOf(p, SEARCH);
        return v === undefined ? [] : [[p.name, v] as [string, string]];
      });
      const searched: [string, string][] = query.flatMap((p) => {
        const v = valueOf(p, SEARCH);
        return v === undefined ? [] : [[p.name, v] as [string, string]];
      });
      // path ids: each of A's record ids in every id slot; enum slots take each value
      const fills: Record<string, string>[] = [{}];
      for (const p of path) {
        const choices = p.schema?.enum?.map(String) ?? ids;
        const next: Record<string, string>[] = [];
        for (const fill of fills.slice(0, 50)) for (const c of choices) next.push({ ...fill, [p.name]: c });
        fills.splice(0, fills.length, ...next);
      }
      for (const fill of fills) {
        const concrete = route.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
          encodeURIComponent(fill[name] ?? '1'),
        );
        for (const q of [base, searched]) asked.push(url(concrete, q));
      }
    }
    const leaks: string[] = [];
    const failures: string[] = [];
    const wrongCalls: string[] = [];
    const statuses: Record<number, number> = {};
    const began = Date.now();
    await mapLimit([...new Set(asked)], 6, async (target) => {
      const answer = await get(b, target);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      // 4000 (wrong call: no app headers) would probe nothing
      if (answer.text.includes('"code":4000')) wrongCalls.push(`GET ${target}: ${answer.text.slice(0, 200)}`);
      if (answer.status >= 500) failures.push(`${answer.status} GET ${target}`);
      if (answer.text.includes(MARK)) leaks.push(`GET ${target}: ${answer.text.slice(0, 300)}`);
    });
    // the probe itself works: A finds its own records by the same search
    for (const path of ['/api/v1/crm/customers', '/api/v1/crm/organizations', '/api/v1/work-orders'])
      expect([
        path,
        (
          await get(
            a,
            `${path}?keyword=${encodeURIComponent(SEARCH)}&name=${encodeURIComponent(SEARCH)}&realName=${encodeURIComponent(SEARCH)}`,
          )
        ).text.includes(MARK),
      ]).toEqual([path, true]);
    // and through seed 004's app: A's instance is in A's own and to-do lists, in neither of B's
    for (const path of ['/workflow/process/ownList', '/workflow/process/todoList']) {
      const totals = await Promise.all(
        [a, b].map(
          async (who) =>
            (JSON.parse((await get(who, `${path}?pageNum=1&pageSize=10`)).text) as { total: number }).total,
        ),
      );
      expect([path, totals]).toEqual([path, [1, 0]]);
    }
    console.log(
      `department sweep: ${new Set(asked).size} requests in ${Date.now() - began} ms, by status ${JSON.stringify(statuses)}`,
    );
    // most answers are real reads, not refusals (a rate limit or a missing permission would hide leaks)
    expect(statuses[429] ?? 0).toBe(0);
    expect(statuses[200]).toBeGreaterThan(60);
    expect(asked.length).toBeGreaterThan(100);
    expect(wrongCalls).toEqual([]);
    expect(leaks).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('wrong types in every query parameter (arrays, objects, huge and negative numbers) never answer 5xx', async () => {
    const WRONG = [
      '1&{n}=2',
      '-1',
      '0',
      '1e400',
      '99999999999999999999999999',
      '-99999999999',
      '[object Object]',
      '%00',
      '',
    ];
    const targets: string[] = [];
    for (const route of routes) {
      if (route.path.includes('{')) continue;
      const query = route.parameters.filter((p) => p.in === 'query');
      for (const p of query) {
        for (const w of WRONG) targets.push(`${route.path}?${p.name}=${w.replace('{n}', p.name)}`);
        targets.push(`${route.path}?${p.name}[a]=1`, `${route.path}?${p.name}[]=1&${p.name}[]=2`);
      }
      for (const size of ['-5', '0', '100000', '1.5'])
        targets.push(`${route.path}?pageSize=${size}&pageNum=${size}&pageNo=${size}`);
    }
    const failures: string[] = [];
    const began = Date.now();
    await mapLimit(targets, 6, async (target) => {
      const answer = await get(b, target);
      if (answer.status >= 500) failures.push(`${answer.status} GET ${target}: ${answer.text.slice(0, 200)}`);
    });
    console.log(`query fuzz: ${targets.length} requests in ${Date.now() - began} ms`);
    expect(targets.length).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });
});
