import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createStaff,
  type EnvelopeBody,
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

// Issue 13, process design: a two-step approval drawn in the browser from an empty canvas, checked by
// the server, deployed, started from the workbench and completed.
if (!HAVE_CHROMIUM) {
  process.stdout.write(
    `console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`,
  );
}
const browserIt = HAVE_CHROMIUM ? it : it.skip;

describe('staff console: process design', () => {
  let stack: Stack;
  let chrome: ConsoleBrowser | null = null;
  let zhangsan: TestMember;
  let lisi: TestMember;
  let wangwu: TestMember;
  const people: Person[] = [];
  const open = async (name: string) => {
    const person = await Person.open(chrome!.browser, name, stack.http.baseUrl);
    people.push(person);
    return person;
  };

  beforeAll(async () => {
    stack = await startStack({ label: 'console-design', gatewayEnv: { LOGIN_RATE_ACCOUNT_LIMIT: '50' } });
    const admin = await loginAsAdmin(stack.http);
    zhangsan = await createStaff(admin.http, { account: 'zhangsan', realName: '张三' });
    lisi = await createStaff(admin.http, { account: 'lisi', realName: '李四' });
    wangwu = await createStaff(admin.http, { account: 'wangwu', realName: '王五' });
    const form = await admin.http.post('/api/v1/forms', {
      formKey: 'design-leave',
      name: '请假单',
      schema: JSON.parse(readFileSync(join(__dirname, 'leave.form.json'), 'utf8')),
    });
    expect(form.status).toBe(200);
    if (HAVE_CHROMIUM) chrome = await launchChromium();
  });

  afterEach(() => releasePeople(people));

  afterAll(async () => {
    await chrome?.close();
    await stack?.stop();
  });

  it('checks a definition without storing it and names the element and the reason', async () => {
    const admin = await loginAsAdmin(stack.http);
    const xml = (
      assignee: string,
      formKey: string,
      condition: string,
    ) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://x">
  <bpmn:process id="checked" name="校验" isExecutable="true">
    <bpmn:startEvent id="start" camunda:formKey="${formKey}" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:userTask id="approve" name="审批" camunda:assignee="${assignee}" camunda:candidateGroups="role:staff" camunda:dueDate="P2D" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end"><bpmn:conditionExpression>${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
    const good = await admin.http.post<
      EnvelopeBody<{ key: string; userTasks: number; references: unknown[] }>
    >('/api/v1/workflow/definitions/check', { xml: xml(lisi.id, 'design-leave', '${days &gt; 3}') });
    expect(good.status).toBe(200);
    expect(good.body.data).toMatchObject({ key: 'checked', userTasks: 1 });
    expect(good.body.data.references).toEqual(
      expect.arrayContaining([
        { elementId: 'approve', attribute: 'assignee', kind: 'user', value: lisi.id },
        { elementId: 'approve', attribute: 'candidateGroups', kind: 'group', value: 'role:staff' },
      ]),
    );
    // nothing was deployed
    const listed = await admin.http.get<EnvelopeBody<{ total: number }>>(
      '/api/v1/workflow/definitions?key=checked',
    );
    expect(listed.body.data.total).toBe(0);

    const bad = await admin.http.post<EnvelopeBody>('/api/v1/workflow/definitions/check', {
      xml: xml('987654', 'no-such-form', '${days &gt;}'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(4101);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'xml#f2', reason: expect.stringContaining('condition') }),
      ]),
    );
    const missing = await admin.http.post<EnvelopeBody>('/api/v1/workflow/definitions/check', {
      xml: xml('987654', 'no-such-form', '${days &gt; 3}'),
    });
    expect(missing.body.errors).toEqual(
      expect.arrayContaining([{ field: 'xml#start', reason: "formKey 'no-such-form': no such form" }]),
    );
    const nobody = await admin.http.post<EnvelopeBody>('/api/v1/workflow/definitions/check', {
      xml: xml('987654', 'design-leave', '${days &gt; 3}'),
    });
    expect(nobody.body.errors).toEqual([
      { field: 'xml#approve', reason: "assignee '987654': no such enabled member" },
    ]);
    const member = await stack.http.post<EnvelopeBody<{ accessToken: string }>>('/api/v1/auth/login', {
      account: lisi.account,
      password: lisi.password,
    });
    const refused = await stack.http.post(
      '/api/v1/workflow/definitions/check',
      { xml: xml(lisi.id, 'design-leave', '${days &gt; 3}') },
      {
        token: member.body.data.accessToken,
      },
    );
    expect(refused.status).toBe(403);
  });

  browserIt(
    'draws a two-step approval from a new diagram (its start event, assignees from the directory, a condition), deploys it, starts it from the workbench and completes it',
    async () => {
      const journey = 'design';
      const boss = await open('admin');
      const page = boss.page;
      await boss.signIn('admin', TEST_ADMIN_PASSWORD);
      await page.locator('[data-test=nav-design]').click();
      await page.locator('[data-test=design-new]').click();
      await page.locator('.djs-palette').waitFor();
      const canvas = (await page.locator('[data-test=modeler]').boundingBox())!;
      const panel = page.locator('[data-test=properties-panel]');

      // A new diagram opens as in Camunda Modeler: a process with one start event to build from.
      const startEvents = page.locator(
        '[data-test=modeler] .djs-shape[data-element-id^="StartEvent"]:not([data-element-id$="_label"])',
      );
      await startEvents.first().waitFor();
      expect(await startEvents.count()).toBe(1);

      // The process itself: click the empty canvas, name it. The modeller speaks Chinese: palette,
      // context pad, change-type menu, the panel's element type and labels.
      await page.mouse.click(canvas.x + canvas.width - 60, canvas.y + canvas.height - 60);
      const header = panel.locator('.bio-properties-panel-header-type');
      expect(await header.innerText()).toBe('流程');
      expect(await panel.innerText()).toContain('可执行');
      expect(
        await page.locator('.djs-palette [data-action="create.start-event"]').getAttribute('aria-label'),
      ).toBe('创建开始事件');
      await panel.locator('#bio-properties-panel-id').fill('twoStep');
      await panel.locator('#bio-properties-panel-name').fill('两级审批');

      // The start event it came with (named 开始, so the trail names it) gets the start form.
      await startEvents.first().click();
      expect(await header.innerText()).toBe('开始事件');
      expect(await panel.locator('#bio-properties-panel-name').inputValue()).toBe('开始');
      expect(
        await page.locator('.djs-context-pad [data-action="append.append-task"]').getAttribute('title'),
      ).toBe('追加任务');
      const startId = await panel.locator('#bio-properties-panel-id').inputValue();
      await panel.locator('#bio-properties-panel-fd-form').selectOption('design-leave');

      /** Appends a task to the selected element and makes it a user task with a name and an assignee. */
      const appendUserTask = async (name: string, person: string) => {
        await page.locator('.djs-context-pad [data-action="append.append-task"]').click();
        await page.locator('.djs-context-pad [data-action="replace"]').click();
        const userTask = page.locator('.djs-popup [data-id="replace-with-user-task"]');
        expect(await userTask.innerText()).toContain('用户任务');
        await userTask.click();
        await panel.locator('#bio-properties-panel-name').fill(name);
        await panel.locator('[data-test=fd-assignee-search]').fill(person);
        await panel.locator('[data-test=fd-person]', { hasText: person }).click();
        await panel.locator('[data-test=fd-assignee] [data-test=fd-chip]', { hasText: person }).waitFor();
        return panel.locator('#bio-properties-panel-id').inputValue();
      };
      const first = await appendUserTask('部门审批', '李四');
      await boss.screenshot(journey, 'first-step');
      await page.locator('.djs-context-pad [data-action="append.gateway"]').click();
      const gateway = await panel.locator('#bio-properties-panel-id').inputValue();
      const second = await appendUserTask('总经理审批', '王五');
      await page.locator('.djs-context-pad [data-action="append.end-event"]').click();

      // The flow from the gateway to the second step gets a condition; first a wrong one.
      const flow = page.locator('.djs-connection').nth(2);
      await flow.click({ force: true });
      const condition = panel.locator('#bio-properties-panel-fd-condition');
      await condition.fill('${days >}');
      const flowId = await panel.locator('#bio-properties-panel-id').inputValue();
      boss.allow(/HTTP 400 POST \/api\/v1\/workflow\/definitions\/check$/);
      await page.locator('[data-test=design-check]').click();
      const problem = page.locator('[data-test=design-problem]', { hasText: flowId });
      await problem.waitFor();
      expect(await problem.innerText()).toContain('condition');
      await boss.screenshot(journey, 'refused-condition');
      await condition.fill('${days > 3}');
      await page.waitForTimeout(400); // the panel's input debounce
      await page.locator('[data-test=design-check]').click();
      await page.locator('[data-test=design-checked]').waitFor();
      await boss.screenshot(journey, 'checked');

      await page.locator('[data-test=design-deploy]').click();
      await page.locator('[data-test=version-facts]').waitFor();
      expect(await page.locator('[data-test=version-facts]').innerText()).toContain('twoStep');
      await page.locator('[data-test=diagram] .djs-element').first().waitFor();
      await boss.screenshot(journey, 'deployed');

      // What was deployed is what was drawn.
      const admin = await loginAsAdmin(stack.http);
      const defs = await admin.http.get<EnvelopeBody<{ rows: { id: string; startFormKey: string }[] }>>(
        '/api/v1/workflow/definitions?key=twoStep',
      );
      expect(defs.body.data.rows[0]!.startFormKey).toBe('design-leave');
      const deployed = await admin.http.get<EnvelopeBody<{ xml: string }>>(
        `/api/v1/workflow/definitions/${defs.body.data.rows[0]!.id}/xml`,
      );
      expect(deployed.body.data.xml).toContain(`camunda:assignee="${lisi.id}"`);
      expect(deployed.body.data.xml).toContain(`camunda:assignee="${wangwu.id}"`);
      for (const id of [startId, first, gateway, second])
        expect(deployed.body.data.xml).toContain(`id="${id}"`);

      // 张三 starts it from the workbench with the bound form; 李四 then 王五 approve.
      const applicant = await open('zhangsan');
      await applicant.signIn(zhangsan.account, zhangsan.password);
      await applicant.page.locator('[data-test=nav-start]').click();
      await applicant.page.locator('[data-test=start-twoStep]').click();
      // the start page is headed by the process's name (it showed the key, twoStep)
      await applicant.page.locator('[data-test=start-head]', { hasText: '发起流程 · 两级审批' }).waitFor();
      const field = (person: Person, label: string) =>
        person.page.locator('.fjs-form-field', { hasText: label }).locator('input');
      await field(applicant, '请假事由').fill('探亲');
      await field(applicant, '天数').fill('5');
      await applicant.page.keyboard.press('Tab');
      await applicant.page.waitForTimeout(400);
      await applicant.page.locator('[data-test=start-submit]').click();
      await applicant.page.waitForURL(/\/console\/instances\/\d+/);
      const instanceId = /instances\/(\d+)/.exec(applicant.page.url())![1]!;

      for (const [member, step] of [
        [lisi, '部门审批'],
        [wangwu, '总经理审批'],
      ] as const) {
        const approver = await open(member.account);
        await approver.signIn(member.account, member.password);
        if (member === lisi) {
          // 李四 comes through the message centre: the notice reads in the console's Chinese alone
          // (it read '新任务 New task: …'), and opens the task.
          await approver.page.locator('[data-test=nav-inbox]').click();
          const notice = approver.page.locator('[data-test=inbox-table] tr', { hasText: step }).first();
          for (let tries = 0; !(await notice.isVisible()) && tries < 20; tries++) {
            await approver.page.waitForTimeout(500);
            await approver.page.reload();
            await approver.page.locator('[data-test=inbox-table]').waitFor();
          }
          expect(await notice.innerText()).toContain(`新任务: 两级审批: ${step}`);
          expect(await approver.page.locator('[data-test=inbox-table]').innerText()).not.toMatch(
            /[A-Za-z]{3,}/,
          );
          await notice.locator('[data-test=inbox-open]').click();
        } else {
          const row = approver.page.locator('[data-test=task-table] tr', { hasText: step }).first();
          await row.waitFor();
          await row.locator('[data-test=open-task]').click();
        }
        await approver.page.locator('[data-test=task-head]', { hasText: step }).waitFor();
        // The step has no form of its own: the application is shown, read-only, as in Flowable UI
        // and RuoYi (the 表单 tab was empty).
        const reason = approver.page.locator('.fjs-form-field', { hasText: '请假事由' }).locator('input');
        await reason.waitFor();
        expect(await reason.inputValue()).toBe('探亲');
        expect(await reason.isEditable()).toBe(false);
        await approver.page.locator('[data-test=op-complete]').click();
        await approver.page.locator('[data-test=tab-todo]').waitFor();
      }
      const finished = await admin.http.get<EnvelopeBody<{ status: string }>>(
        `/api/v1/workflow/instances/${instanceId}`,
      );
      expect(finished.body.data.status).toBe('completed');
      await applicant.page.reload();
      await applicant.screenshot(journey, 'completed');
    },
  );
});
