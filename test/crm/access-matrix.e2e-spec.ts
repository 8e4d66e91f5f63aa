import { parse } from 'csv-parse/sync';
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
import { listOf, ok, type Row } from './crm-helpers';

type Scope = 'own' | 'department' | 'department_and_below' | 'all';
type Kind =
  'organizations' | 'customers' | 'potentials' | 'follow-ups' | 'demands' | 'satisfaction' | 'contracts';
const KINDS: Kind[] = [
  'organizations',
  'customers',
  'potentials',
  'follow-ups',
  'demands',
  'satisfaction',
  'contracts',
];
const PERMISSIONS = ['crm:read', 'crm:write', 'crm:phone', 'stats:read', 'crm:export'];

/**
 * Every data scope × every CRM list, record, write, statistic and phone upload list, against records
 * of one's own department, a sub-department, another department, and records that are one's own only
 * because one directs or follows them. A record outside the scope never appears and is 404 directly.
 */
describe('crm: authorization matrix over the data scopes', () => {
  let stack: Stack;
  let admin: HttpClient;
  /** record ids per kind per owner label */
  const records = new Map<string, Record<Kind, string>>();
  const callers = new Map<Scope, { id: string; http: HttpClient }>();
  const sms = new Map<string, string>(); // owner label → customer code of its SMS
  let noPermission: HttpClient;
  const since = encodeURIComponent(new Date(Date.now() - 30 * 86_400_000).toISOString());

  async function seed(http: HttpClient, selfId: string, label: string, extraFollower?: string) {
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const org = await ok(http.post('/api/v1/crm/organizations', { name: `org ${label}` }));
    const customer = await ok(
      http.post('/api/v1/crm/customers', {
        realName: `cust ${label}`,
        phone: `1390000${label.length}${records.size}`,
        organizationIds: [org.id],
        stage: 5,
      }),
    );
    const director = extraFollower ?? selfId;
    const potential = await ok(
      http.post('/api/v1/crm/potentials', { organizationId: org.id, directorId: director, recordTime: at }),
    );
    const followers = extraFollower ? [selfId, extraFollower] : [selfId];
    const followUp = await ok(
      http.post('/api/v1/crm/follow-ups', {
        potentialId: potential.id,
        followerIds: followers,
        customerIds: [customer.id],
        recordTime: at,
      }),
    );
    const demand = await ok(
      http.post('/api/v1/crm/demands', {
        organizationId: org.id,
        followerIds: followers,
        recordTime: at,
        content: label,
      }),
    );
    const satisfaction = await ok(
      http.post('/api/v1/crm/satisfaction', {
        organizationId: org.id,
        followerIds: followers,
        recordTime: at,
        value: 5,
      }),
    );
    const contract = await ok(
      http.post('/api/v1/crm/contracts', {
        organizationId: org.id,
        name: label,
        signTime: at,
        amount: 10,
        followerIds: followers,
      }),
    );
    records.set(label, {
      organizations: org.id,
      customers: customer.id,
      potentials: potential.id,
      'follow-ups': followUp.id,
      demands: demand.id,
      satisfaction: satisfaction.id,
      contracts: contract.id,
    });
    await ok(
      http.post('/api/v1/crm/sms', [
        { sender: `E${label}`, receiver: `C${label}`, senderRole: 1, occurTime: at, content: label },
      ]),
    );
    await ok(
      http.post('/api/v1/crm/calls', [
        { mobile: '13911112222', billSec: 1, callDate: at, empCode: `E${label}`, callStatus: 1 },
      ]),
    );
    sms.set(label, `C${label}`);
  }

  beforeAll(async () => {
    stack = await startStack({
      label: 'crm_matrix',
      withWorkflow: false,
      gatewayEnv: { LOGIN_RATE_IP_LIMIT: '1000' },
    });
    admin = (await loginAsAdmin(stack.http)).http;
    const d1 = await createDepartment(admin, 'D1');
    const d1a = await createDepartment(admin, 'D1a', d1);
    const d2 = await createDepartment(admin, 'D2');
    const writer = await createRole(admin, {
      code: 'crm_writer',
      permissions: PERMISSIONS,
      dataScope: 'own',
    });
    for (const scope of ['own', 'department', 'department_and_below', 'all'] as Scope[]) {
      const role = await createRole(admin, {
        code: `crm_${scope}`,
        permissions: PERMISSIONS,
        dataScope: scope,
      });
      const member = await createStaff(admin, { account: `c_${scope}`, departmentId: d1, roleIds: [role] });
      callers.set(scope, {
        id: member.id,
        http: (await loginAs(stack.http, member.account, member.password)).http,
      });
    }
    for (const [label, departmentId] of [
      ['same', d1],
      ['sub', d1a],
      ['other', d2],
    ] as const) {
      const owner = await createStaff(admin, { account: `o_${label}`, departmentId, roleIds: [writer] });
      const session = await loginAs(stack.http, owner.account, owner.password);
      await seed(session.http, owner.id, label);
    }
    // records of the admin (no department) that c_own directs or follows: its own through them
    const adminSession = await loginAsAdmin(stack.http);
    await seed(adminSession.http, adminSession.staffId, 'followed', callers.get('own')!.id);
    const bare = await createStaff(admin, { account: 'c_none', departmentId: d1 });
    noPermission = (await loginAs(stack.http, bare.account, bare.password)).http;
  }, 180_000);
  afterAll(() => stack?.stop());

  /** Which owners' records each scope sees (the callers sit in D1; only c_own directs or follows 'followed'). */
  const VISIBLE: Record<Scope, string[]> = {
    own: ['followed'],
    department: ['same'],
    department_and_below: ['same', 'sub'],
    all: ['same', 'sub', 'other', 'followed'],
  };
  /** Records that are the own caller's only through direction / following (not customers: no link). */
  const visibleOf = (scope: Scope, kind: Kind) =>
    VISIBLE[scope].filter((label) => !(label === 'followed' && kind === 'customers' && scope !== 'all'));

  const SCOPES: Scope[] = ['own', 'department', 'department_and_below', 'all'];

  it.each(SCOPES)(
    '%s: lists show exactly the records in scope; others are 404 to read, edit, delete and restore',
    async (scope) => {
      const { http } = callers.get(scope)!;
      for (const kind of KINDS) {
        const query =
          kind === 'organizations' || kind === 'customers'
            ? '?pageSize=200'
            : `?pageSize=200&startTime=${since}`;
        const listed = new Set((await listOf(http, `/api/v1/crm/${kind}${query}`)).rows.map((r) => r.id));
        for (const [label, ids] of records) {
          const expected = visibleOf(scope, kind).includes(label);
          expect([kind, label, listed.has(ids[kind])]).toEqual([kind, label, expected]);
          const direct = await http.get(`/api/v1/crm/${kind}/${ids[kind]}`);
          expect([kind, label, direct.status]).toEqual([kind, label, expected ? 200 : 404]);
          if (!expected) {
            expect((await http.patch(`/api/v1/crm/${kind}/${ids[kind]}`, { note: 'x' })).status).toBe(404);
            expect((await http.delete(`/api/v1/crm/${kind}/${ids[kind]}`)).status).toBe(404);
            expect((await http.post(`/api/v1/crm/${kind}/${ids[kind]}/restore`)).status).toBe(404);
          }
        }
      }
      // fuzzy search and stage list never widen the scope
      const searched = (await listOf(http, '/api/v1/crm/organizations?name=org')).rows
        .map((r) => r.name)
        .sort();
      expect(searched).toEqual(
        visibleOf(scope, 'organizations')
          .map((l) => `org ${l}`)
          .sort(),
      );
      const stage = (await listOf(http, '/api/v1/crm/customers?stage=5')).rows.map((r) => r.realName).sort();
      expect(stage).toEqual(
        visibleOf(scope, 'customers')
          .map((l) => `cust ${l}`)
          .sort(),
      );
    },
  );

  it.each(SCOPES)('%s: CSV exports hold only records in scope', async (scope) => {
    const { http } = callers.get(scope)!;
    for (const kind of KINDS) {
      const query = kind === 'organizations' || kind === 'customers' ? '' : `?startTime=${since}`;
      const answer = await http.get(`/api/v1/crm/exports/${kind}${query}`);
      expect(answer.status).toBe(200);
      const ids = new Set(
        (parse(answer.text, { columns: true, bom: true }) as { id: string }[]).map((r) => r.id),
      );
      for (const [label, recordIds] of records)
        expect([kind, label, ids.has(recordIds[kind])]).toEqual([
          kind,
          label,
          visibleOf(scope, kind).includes(label),
        ]);
    }
  });

  it.each(SCOPES)('%s: statistics count only records in scope', async (scope) => {
    const { http } = callers.get(scope)!;
    for (const path of ['signing', 'demands', 'follow-ups']) {
      const rows = (
        await listOf<Row & { organizationId: string }>(http, `/api/v1/stats/${path}?startTime=${since}`)
      ).rows;
      const expected = VISIBLE[scope].map((label) => records.get(label)!.organizations).sort();
      expect([path, rows.map((r) => r.organizationId).sort()]).toEqual([path, expected]);
    }
  });

  it.each(SCOPES)('%s: SMS and call lists show only uploads in scope', async (scope) => {
    const { http } = callers.get(scope)!;
    const uploads = VISIBLE[scope].filter((l) => l !== 'followed' || scope === 'all');
    const smsRows = (await listOf(http, '/api/v1/crm/sms?pageSize=200')).rows
      .map((r) => r.customerCode)
      .sort();
    expect(smsRows).toEqual(uploads.map((l) => sms.get(l)).sort());
    const calls = (await listOf(http, '/api/v1/crm/calls?pageSize=200')).rows.map((r) => r.empCode).sort();
    expect(calls).toEqual(uploads.map((l) => `E${l}`).sort());
  });

  it('writes cannot reach outside the scope: links to foreign organizations, customers and staff', async () => {
    const { http } = callers.get('department')!;
    const other = records.get('other')!;
    const at = new Date().toISOString();
    expect(
      (
        await http.post('/api/v1/crm/potentials', {
          organizationId: other.organizations,
          directorId: callers.get('department')!.id,
          recordTime: at,
        })
      ).status,
    ).toBe(404);
    expect(
      (await http.post('/api/v1/crm/customers', { realName: 'x', organizationIds: [other.organizations] }))
        .status,
    ).toBe(404);
    expect(
      (
        await http.post('/api/v1/crm/follow-ups', {
          potentialId: other.potentials,
          followerIds: [callers.get('department')!.id],
          recordTime: at,
        })
      ).status,
    ).toBe(404);
    const same = records.get('same')!;
    const foreignStaff = await http.post('/api/v1/crm/demands', {
      organizationId: same.organizations,
      followerIds: [callers.get('all')!.id, '1'],
      recordTime: at,
      content: 'x',
    });
    expect(foreignStaff.body).toMatchObject({ code: 4001 });
    expect((await http.post('/api/v1/crm/organizations', { name: 'x', creatorId: '1' })).body).toMatchObject({
      code: 4001,
    });
  });

  it('no permission: 4001 everywhere', async () => {
    for (const path of [
      '/api/v1/crm/organizations',
      '/api/v1/crm/customers',
      '/api/v1/stats/signing',
      '/api/v1/crm/sms',
      '/api/v1/crm/calls',
    ])
      expect((await noPermission.get(path)).body).toMatchObject({ code: 4001 });
    expect((await noPermission.post('/api/v1/crm/organizations', { name: 'x' })).body).toMatchObject({
      code: 4001,
    });
  });
});
