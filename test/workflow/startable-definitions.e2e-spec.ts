import { Client } from 'pg';
import {
  createDepartment,
  createStaff,
  type EnvelopeBody,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  refusalOf,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, ok, start, until } from './workflow-helpers';

interface Listed {
  total: number;
  rows: { key: string }[];
}

const process = (key: string, starters: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:flowable="http://flowable.org/bpmn" id="${key}Defs" targetNamespace="http://flowdesk.example/starters">
  <process id="${key}" name="Startable ${key}" isExecutable="true" ${starters}>
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    <userTask id="t" name="Do" /><sequenceFlow id="f2" sourceRef="t" targetRef="e" />
    <endEvent id="e" />
  </process>
</definitions>`;

/**
 * The start page's list (`startable=true`) holds what the caller may start, by the rule the start
 * itself applies: candidate starters (Camunda's / Flowable's `candidateStarterUsers` / `Groups`)
 * restrict a process, none means everyone, admins start anything — Camunda's `startableByUser`.
 */
describe('workflow: the startable definitions list follows candidate starters', () => {
  let stack: Stack;
  let admin: TestSession;
  let member: TestSession;
  let outsider: TestSession;

  const startable = async (http: HttpClient, query = '') =>
    ok<Listed>(
      await http.get(`/api/v1/workflow/definitions?name=Startable&startable=true${query}`),
      'startable list',
    );
  const keys = (page: Listed) => page.rows.map((r) => r.key);

  beforeAll(async () => {
    stack = await startStack({ label: 'startable_definitions' });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    const sales = await createDepartment(admin.http, 'Starters sales');
    const support = await createDepartment(admin.http, 'Starters support');
    const group = ok<{ id: string }>(
      await admin.http.post('/api/v1/groups', { name: 'contract signers' }),
    ).id;
    const make = async (account: string, departmentId: string, groupIds: string[]) => {
      const made = await createStaff(admin.http, { account, departmentId, groupIds, roleIds: [staff] });
      return loginAs(stack.http, made.account, made.password);
    };
    member = await make('signer', sales, [group]);
    outsider = await make('helper', support, []);
    await deploy(admin.http, process('contract', `camunda:candidateStarterGroups="${group}"`));
    await deploy(admin.http, process('expense', ''));
    // Flowable's attribute, naming the outsider by sign-in name
    await deploy(admin.http, process('helpdesk', 'flowable:candidateStarterUsers="helper"'));
  });
  afterAll(() => stack?.stop());

  it('lists a group-restricted process for a member of the group only, with the total and pages', async () => {
    expect(await startable(member.http)).toMatchObject({
      total: 2,
      rows: [{ key: 'contract' }, { key: 'expense' }],
    });
    expect(await startable(outsider.http)).toMatchObject({
      total: 2,
      rows: [{ key: 'expense' }, { key: 'helpdesk' }],
    });
    // a page shorter than the list: the total still counts only what the caller may start
    const first = await startable(member.http, '&pageSize=1');
    const second = await startable(member.http, '&pageSize=1&pageNum=2');
    expect([first.total, second.total, ...keys(first), ...keys(second)]).toEqual([
      2,
      2,
      'contract',
      'expense',
    ]);
    expect(await startable(outsider.http, '&pageSize=1&pageNum=3')).toMatchObject({ total: 2, rows: [] });
  });

  it('lists everything for an admin, and every listed process starts for the caller while the rest are refused', async () => {
    expect(await startable(admin.http)).toMatchObject({ total: 3 });
    expect(keys(await startable(admin.http))).toEqual(['contract', 'expense', 'helpdesk']);
    for (const [who, session] of [
      ['member', member],
      ['outsider', outsider],
    ] as const) {
      const listed = keys(await startable(session.http));
      for (const key of ['contract', 'expense', 'helpdesk']) {
        const answer = await session.http.post<EnvelopeBody>('/api/v1/workflow/instances', {
          definitionKey: key,
        });
        expect([who, key, listed.includes(key) ? 200 : 403]).toEqual([who, key, answer.status]);
        if (answer.status === 403) expect(refusalOf(answer)[1]).toBe(4001);
      }
    }
    expect((await start(member.http, { definitionKey: 'expense' })).status).toBe('running');
  });

  it('does not hand one caller the startable page the gateway kept for another', async () => {
    // the same query, asked first by the member (kept) and then by the outsider
    const query = '&pageSize=5';
    expect(keys(await startable(member.http, query))).toEqual(['contract', 'expense']);
    expect(keys(await startable(outsider.http, query))).toEqual(['expense', 'helpdesk']);
    expect(keys(await startable(member.http, query))).toEqual(['contract', 'expense']);
    // and a list that is not startable stays the same for everyone
    const all = ok<Listed>(await member.http.get('/api/v1/workflow/definitions?name=Startable'));
    expect(ok<Listed>(await outsider.http.get('/api/v1/workflow/definitions?name=Startable'))).toEqual(all);
    expect(all.total).toBe(3);
  });

  it('reads the starters of versions stored before they were kept on the row when the workflow app starts', async () => {
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      // as a database upgraded by the migration leaves them: the column added, empty
      await db.query(`UPDATE workflow.process_definition SET starters = NULL`);
      await stack.addWorkflowReplica();
      const { rows } = await db.query<{ key: string; starters: string[] | null }>(
        `SELECT key, starters FROM workflow.process_definition WHERE key IN ('expense', 'helpdesk') ORDER BY key`,
      );
      expect(rows).toEqual([
        { key: 'expense', starters: [] },
        { key: 'helpdesk', starters: ['user:helper'] },
      ]);
      const listed = await until(async () => {
        const page = await startable(outsider.http);
        return page.total === 2 ? page : undefined;
      }, 10_000);
      expect(keys(listed)).toEqual(['expense', 'helpdesk']);
    } finally {
      await db.end();
    }
  });

  it('lists versions an older replica stored without starters during a rolling upgrade, without a restart', async () => {
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      // an older workflow replica deploys after this one read the starters: the row's starters stay NULL
      await db.query(
        `UPDATE workflow.process_definition SET starters = NULL WHERE key IN ('expense', 'helpdesk')`,
      );
      // queries this test alone asks, so no page the gateway kept answers them
      expect(keys(await startable(outsider.http, '&pageSize=9'))).toEqual(['expense', 'helpdesk']);
      expect(keys(await startable(member.http, '&pageSize=9'))).toEqual(['contract', 'expense']);
    } finally {
      await db.end();
    }
  });
});
