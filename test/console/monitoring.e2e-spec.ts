import { Client } from 'pg';
import {
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  startStack,
  type Stack,
  TEST_ADMIN_PASSWORD,
  type TestMember,
} from '@app/testing';
import {
  CHROMIUM,
  HAVE_CHROMIUM,
  launchChromium,
  Person,
  releasePeople,
  type ConsoleBrowser,
} from './browser';

// Issue 13, monitoring centre: an abnormal (stuck) instance is listed with its reason and its task
// is reassigned from the console.
if (!HAVE_CHROMIUM) {
  process.stdout.write(
    `console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`,
  );
}
const browserIt = HAVE_CHROMIUM ? it : it.skip;

const FLOW = (assignee: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="monDefs" targetNamespace="http://flowdesk.example/console">
  <bpmn:process id="purchase" name="采购申请" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:userTask id="approve" name="采购审批" camunda:assignee="${assignee}" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe('staff console: monitoring centre', () => {
  let stack: Stack;
  let chrome: ConsoleBrowser | null = null;
  let lisi: TestMember;
  let wangwu: TestMember;
  let instance: { id: string; serialNo: string; tasks: { id: string }[] };
  const people: Person[] = [];
  const open = async (name: string) => {
    const person = await Person.open(chrome!.browser, name, stack.http.baseUrl);
    people.push(person);
    return person;
  };

  beforeAll(async () => {
    stack = await startStack({ label: 'console-monitoring', gatewayEnv: { LOGIN_RATE_ACCOUNT_LIMIT: '50' } });
    const admin = await loginAsAdmin(stack.http);
    const zhangsan = await createStaff(admin.http, { account: 'zhangsan', realName: '张三' });
    lisi = await createStaff(admin.http, { account: 'lisi', realName: '李四' });
    wangwu = await createStaff(admin.http, { account: 'wangwu', realName: '王五' });
    expect((await admin.http.post('/api/v1/workflow/deployments', { xml: FLOW(lisi.id) })).status).toBe(200);
    const applicant = await loginAs(stack.http, zhangsan.account, zhangsan.password);
    const started = await applicant.http.post<EnvelopeBody<typeof instance>>('/api/v1/workflow/instances', {
      definitionKey: 'purchase',
    });
    instance = started.body.data;
    // 李四 is away: nothing has moved for four days.
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    await db.query(
      `UPDATE workflow.process_instance SET updated_at = now() - interval '100 hours' WHERE id = $1`,
      [instance.id],
    );
    await db.end();
    if (HAVE_CHROMIUM) chrome = await launchChromium();
  });

  afterEach(() => releasePeople(people));

  afterAll(async () => {
    await chrome?.close();
    await stack?.stop();
  });

  browserIt(
    'lists the stuck instance with its reason, opens it, and reassigns its task to another member',
    async () => {
      const journey = 'monitoring';
      const boss = await open('admin');
      const page = boss.page;
      await boss.signIn('admin', TEST_ADMIN_PASSWORD);
      await page.locator('[data-test=nav-monitoring]').click();
      const row = page.locator('[data-test=monitoring-table] tr', { hasText: instance.serialNo });
      await row.waitFor();
      expect(await row.locator('[data-test=monitoring-reason]').innerText()).toContain('停滞');
      await boss.screenshot(journey, 'abnormal');

      // Jump to the instance and back.
      await row.locator('[data-test=open-instance]').click();
      await page.waitForURL(new RegExp(`/console/instances/${instance.id}$`));
      await page.goBack();
      await row.waitFor();

      // Reassign 采购审批 from 李四 to 王五.
      await row.locator('[data-test=reassign-any]').click();
      const dialog = page.locator('[data-test=intervention]');
      await dialog.locator('input[name=user]').fill('王五');
      await page.locator('.el-autocomplete-suggestion li', { hasText: '王五 (wangwu)' }).click();
      await dialog.locator('textarea[name=comment]').fill('李四休假，转王五');
      await page.locator('[data-test=intervention-submit]').click();
      await dialog.waitFor({ state: 'hidden' });
      await boss.screenshot(journey, 'reassigned');

      const task = await (
        await loginAsAdmin(stack.http)
      ).http.get<EnvelopeBody<{ assigneeId: string }>>(`/api/v1/workflow/tasks/${instance.tasks[0]!.id}`);
      expect(task.body.data.assigneeId).toBe(wangwu.id);
      // 王五 now has it in 待办.
      const member = await open('wangwu');
      await member.signIn(wangwu.account, wangwu.password);
      await member.page.locator('[data-test=task-table] tr', { hasText: '采购审批' }).first().waitFor();
    },
  );
});
