import {
  createDepartment,
  createStaff,
  loginAs,
  loginAsAdmin,
  type EnvelopeBody,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { ok } from '../workflow/workflow-helpers';

/**
 * Issue 20: instance and work-order lists filter and show by form fields, as yudao's process report
 * does, within the caller's visibility. Syntax: `formField.<key>[<operator>]=<value>`, `formFields=a,b`.
 */

const REPORT = {
  custName: '江西某科技公司',
  lastVisitDate: '2026-11-20',
  opportunityType: '云网融合',
  custBusinessNeeds: '专线 + 云主机',
  isNeedSupport: '是',
  isSigned: '否',
  isAccepted: '否',
  accNbr: '0791-88886666',
  memo: '重点客户',
  expectedRevenueIncreasePerMonth: 12000.5,
};

interface Row {
  id: string;
  instanceId?: string | null;
  formValues?: Record<string, unknown>;
}
interface Answer {
  status: number;
  body: { code: number; errors?: { field: string; reason: string }[] };
}

describe('instance and work-order lists by form fields', () => {
  let stack: Stack;
  let admin: TestSession;
  let east: TestSession;
  let west: TestSession;
  const orders: Record<string, { id: string; instanceId: string }> = {};

  beforeAll(async () => {
    stack = await startStack({ label: 'form_field_filters' });
    admin = await loginAsAdmin(stack.http);
    ok(await admin.http.post('/api/v1/work-order-templates/opportunityReport/deploy', {}), 'deploy');
    const eastDept = await createDepartment(admin.http, '东区');
    const westDept = await createDepartment(admin.http, '西区');
    const e = await createStaff(admin.http, { account: 'east1', departmentId: eastDept });
    const w = await createStaff(admin.http, { account: 'west1', departmentId: westDept });
    east = await loginAs(stack.http, e.account, e.password);
    west = await loginAs(stack.http, w.account, w.password);
    const create = async (s: TestSession, name: string, custName: string, revenue: number) => {
      const order = ok<{ id: string; instanceId: string }>(
        await s.http.post<EnvelopeBody<{ id: string; instanceId: string }>>('/api/v1/work-orders', {
          title: `商机 ${custName}`,
          systemId: 'opportunity',
          definitionKey: 'opportunityReport',
          formData: { ...REPORT, custName, expectedRevenueIncreasePerMonth: revenue },
        }),
        `create ${name}`,
      );
      orders[name] = order;
    };
    await create(east, 'small', '南昌小微科技', 80);
    await create(east, 'big', '赣州大型制造', 25000);
    await create(east, 'mid', '九江科技园', 100);
    await create(west, 'westBig', '西部科技集团', 90000);
  });
  afterAll(async () => {
    if (process.env.SHOW_LOGS)
      console.log(stack?.gateway.logs().slice(-5000), stack?.workflow.logs().slice(-5000));
    await stack?.stop();
  });

  const ids = async (s: TestSession, path: string) =>
    ok<{ total: number; rows: Row[] }>(await s.http.get(path), path).rows.map((r) => r.id);
  const name = (id: string, key: 'id' | 'instanceId' = 'id') =>
    Object.entries(orders).find(([, o]) => o[key] === id)?.[0] ?? id;
  const q = encodeURIComponent;

  it('work orders: a numeric and a text filter over the form data, only within what the caller sees', async () => {
    const numeric = await ids(east, `/api/v1/work-orders?formField.expectedRevenueIncreasePerMonth[gte]=100`);
    // 80 is below; westBig (90000) matches but belongs to another department's member
    expect(numeric.map((id) => name(id)).sort()).toEqual(['big', 'mid']);
    const text = await ids(east, `/api/v1/work-orders?formField.custName[contains]=${q('科技')}`);
    expect(text.map((id) => name(id)).sort()).toEqual(['mid', 'small']);
    // both at once (ANDed), the deepObject spelling, and a range below
    const both = await ids(
      east,
      `/api/v1/work-orders?${q('formField[custName][contains]')}=${q('科技')}&formField.expectedRevenueIncreasePerMonth[lt]=100`,
    );
    expect(both.map((id) => name(id))).toEqual(['small']);
    // the west member sees only their own, through the same filter
    expect(
      (await ids(west, `/api/v1/work-orders?formField.expectedRevenueIncreasePerMonth[gte]=100`)).map((id) =>
        name(id),
      ),
    ).toEqual(['westBig']);
    // eq and in; formFields shows the named fields on each row
    const shown = ok<{ rows: Row[] }>(
      await east.http.get(
        `/api/v1/work-orders?formField.custName[in]=${q('赣州大型制造,九江科技园')}&formFields=custName,expectedRevenueIncreasePerMonth`,
      ),
    );
    expect(
      shown.rows
        .map((r) => r.formValues)
        .sort((a, b) => String(a?.custName).localeCompare(String(b?.custName))),
    ).toEqual(
      [
        { custName: '九江科技园', expectedRevenueIncreasePerMonth: 100 },
        { custName: '赣州大型制造', expectedRevenueIncreasePerMonth: 25000 },
      ].sort((a, b) => a.custName.localeCompare(b.custName)),
    );
    expect(
      (await ids(east, `/api/v1/work-orders?formField.expectedRevenueIncreasePerMonth=25000`)).map((id) =>
        name(id),
      ),
    ).toEqual(['big']);
  });

  it('instances: the same filters over the variables; scope=all of an admin sees every department', async () => {
    const mine = await ids(
      east,
      `/api/v1/workflow/instances?scope=all&formField.expectedRevenueIncreasePerMonth[gte]=100&formField.custName[contains]=${q('科技')}`,
    );
    expect(mine.map((id) => name(id, 'instanceId'))).toEqual(['mid']);
    const all = ok<{ rows: Row[] }>(
      await admin.http.get(
        `/api/v1/workflow/instances?scope=all&definitionKey=opportunityReport&formField.expectedRevenueIncreasePerMonth[gt]=1000&formFields=custName`,
      ),
    );
    expect(all.rows.map((r) => name(r.id, 'instanceId')).sort()).toEqual(['big', 'westBig']);
    expect(all.rows.map((r) => r.formValues?.custName).sort()).toEqual(
      ['西部科技集团', '赣州大型制造'].sort(),
    );
    const texts = await ids(
      west,
      `/api/v1/workflow/instances?scope=all&formField.custName[starts_with]=${q('西部')}`,
    );
    expect(texts.map((id) => name(id, 'instanceId'))).toEqual(['westBig']);
    expect(
      await ids(west, `/api/v1/workflow/instances?scope=all&formField.custName[starts_with]=${q('赣州')}`),
    ).toEqual([]);
  });

  it('a bad operator, key or operand is 4101 naming the parameter; with definitionKey only its form fields', async () => {
    const refused = async (path: string) => {
      const answer = (await east.http.get(path)) as unknown as Answer;
      expect(answer.body.code).toBe(4101);
      return answer.body.errors!.map((e) => e.field);
    };
    expect(await refused('/api/v1/work-orders?formField.custName[like]=x')).toEqual([
      'formField.custName[like]',
    ]);
    expect(await refused(`/api/v1/workflow/instances?${q("formField.cust'Name[eq]")}=x`)).toEqual([
      "formField.cust'Name[eq]",
    ]);
    expect(
      await refused('/api/v1/workflow/instances?formField.expectedRevenueIncreasePerMonth[gte]=lots'),
    ).toEqual(['formField.expectedRevenueIncreasePerMonth[gte]']);
    expect(
      await refused(
        '/api/v1/work-orders?definitionKey=opportunityReport&formField.salary[gt]=1&formFields=custName,secret',
      ),
    ).toEqual(['formField.salary[gt]', 'formFields']);
    expect(
      await refused('/api/v1/workflow/instances?definitionKey=opportunityReport&formField.password[eq]=1'),
    ).toEqual(['formField.password[eq]']);
    // a task form's field of the same process is allowed
    expect(
      await ids(
        east,
        '/api/v1/work-orders?definitionKey=opportunityReport&formField.isSubstLeaderApprove[empty]=',
      ),
    ).toHaveLength(3);
  });
});
