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

// Issue 13, form design: a form designed in the browser (fields from the palette, label, key and rules
// in the properties panel), previewed with test data, saved as versions, bound to a process's start
// event and deployed; the start screen shows it, and the server's refusal of a value appears on the
// field it names.
if (!HAVE_CHROMIUM) {
  process.stdout.write(
    `console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`,
  );
}
const browserIt = HAVE_CHROMIUM ? it : it.skip;

/** A start event, one approval by `approver`, an end; `startForm` on the start event when given. */
const tripXml = (key: string, approver: string, startForm?: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="${key}Defs" targetNamespace="http://flowdesk.example/console">
  <bpmn:process id="${key}" name="出差申请" isExecutable="true">
    <bpmn:startEvent id="start" name="发起"${startForm ? ` camunda:formKey="${startForm}"` : ''} />
    <bpmn:sequenceFlow id="toApprove" sourceRef="start" targetRef="approve" />
    <bpmn:userTask id="approve" name="出差审批" camunda:assignee="${approver}" />
    <bpmn:sequenceFlow id="toEnd" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" name="结束" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="${key}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="approve_di" bpmnElement="approve"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="402" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="toApprove_di" bpmnElement="toApprove"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="toEnd_di" bpmnElement="toEnd"><di:waypoint x="340" y="120" /><di:waypoint x="402" y="120" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

interface FormBody {
  formKey: string;
  version: number;
  schema: {
    components: { type: string; key: string; label: string; validate?: Record<string, unknown> }[];
  };
}

describe('staff console: form design', () => {
  let stack: Stack;
  let chrome: ConsoleBrowser | null = null;
  let zhaoliu: TestMember;
  let qianqi: TestMember;
  const people: Person[] = [];
  const open = async (name: string) => {
    const person = await Person.open(chrome!.browser, name, stack.http.baseUrl);
    people.push(person);
    return person;
  };

  beforeAll(async () => {
    stack = await startStack({ label: 'console-forms', gatewayEnv: { LOGIN_RATE_ACCOUNT_LIMIT: '50' } });
    const admin = await loginAsAdmin(stack.http);
    zhaoliu = await createStaff(admin.http, { account: 'zhaoliu', realName: '赵六' });
    qianqi = await createStaff(admin.http, { account: 'qianqi', realName: '钱七' });
    // the process the designed form is bound to: deployed without any form
    const deployed = await admin.http.post('/api/v1/workflow/deployments', {
      xml: tripXml('tripRequest', qianqi.id),
    });
    expect(deployed.status).toBe(200);
    if (HAVE_CHROMIUM) chrome = await launchChromium();
  });

  afterEach(() => releasePeople(people));

  afterAll(async () => {
    await chrome?.close();
    await stack?.stop();
  });

  it('refuses start data that the start form does not accept, naming each field, and starts nothing', async () => {
    const admin = await loginAsAdmin(stack.http);
    const form = await admin.http.post('/api/v1/forms', {
      formKey: 'http-trip',
      name: '出差申请单',
      schema: {
        type: 'default',
        components: [
          { type: 'textfield', key: 'reason', label: '出差事由', validate: { required: true } },
          { type: 'number', key: 'budget', label: '预算', validate: { min: 100 } },
        ],
      },
    });
    expect(form.status).toBe(200);
    expect(
      (
        await admin.http.post('/api/v1/workflow/deployments', {
          xml: tripXml('httpTrip', qianqi.id, 'http-trip'),
        })
      ).status,
    ).toBe(200);
    const member = await stack.http.post<EnvelopeBody<{ accessToken: string }>>('/api/v1/auth/login', {
      account: zhaoliu.account,
      password: zhaoliu.password,
    });
    const token = member.body.data.accessToken;

    const refused = await stack.http.post<EnvelopeBody>(
      '/api/v1/workflow/instances',
      { definitionKey: 'httpTrip', variables: { budget: 50 } },
      { token },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(4101);
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'variables.reason', reason: 'is required' },
        { field: 'variables.budget', reason: 'must be at least 100' },
      ]),
    );
    expect(refused.body.errors).toHaveLength(2);
    const none = await admin.http.get<EnvelopeBody<{ total: number }>>(
      '/api/v1/workflow/instances?scope=all&definitionKey=httpTrip',
    );
    expect(none.body.data.total).toBe(0);

    // accepted data starts it; a variable outside the form passes as it is
    const started = await stack.http.post<EnvelopeBody<{ id: string }>>(
      '/api/v1/workflow/instances',
      { definitionKey: 'httpTrip', variables: { reason: '北京出差', budget: 300, note: '随行 2 人' } },
      { token },
    );
    expect(started.status).toBe(200);
    const instance = await admin.http.get<EnvelopeBody<{ variables: Record<string, unknown> }>>(
      `/api/v1/workflow/instances/${started.body.data.id}`,
    );
    expect(instance.body.data.variables).toMatchObject({
      reason: '北京出差',
      budget: 300,
      note: '随行 2 人',
    });

    // a process whose start has no form takes any variables
    const formless = await stack.http.post(
      '/api/v1/workflow/instances',
      { definitionKey: 'tripRequest', variables: { budget: 5 } },
      { token },
    );
    expect(formless.status).toBe(200);
  });

  browserIt(
    'designs a form with the palette and the properties panel, previews it, saves versions, binds it to a start event, and shows the server refusal on its field',
    async () => {
      const journey = 'forms';
      const boss = await open('admin');
      const page = boss.page;
      await boss.signIn('admin', TEST_ADMIN_PASSWORD);
      await page.locator('[data-test=nav-design]').click();
      await page.locator('#tab-design-forms').click();
      await page.locator('[data-test=form-new]').click();

      // Two fields dragged from the palette onto the canvas.
      const editor = page.locator('[data-test=form-editor]');
      const fields = editor.locator('.fjs-editor-form-root .fjs-element[data-field-type]');
      // A drop the editor missed (dragula starts a drag only after a few mouse moves, and the canvas may
      // still be laying out under load) is dragged again, as a person would; at most three tries.
      const drag = async (type: string, count: number) => {
        for (let attempt = 1; ; attempt++) {
          const from = (await editor.locator(`.fjs-palette-field[data-field-type=${type}]`).boundingBox())!;
          const onto = (await editor.locator('.fjs-editor-form-root').boundingBox())!;
          await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
          await page.mouse.down();
          await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height / 2 + 20, { steps: 5 });
          await page.mouse.move(onto.x + onto.width / 2, onto.y + onto.height - 20, { steps: 10 });
          await page.mouse.up();
          try {
            await fields.nth(count - 1).waitFor({ timeout: 10_000 });
            return;
          } catch (missed) {
            if (attempt === 3 || (await fields.count()) >= count) throw missed;
          }
        }
      };
      await editor.locator('.fjs-palette-field[data-field-type=textfield]').waitFor();
      await drag('textfield', 1);
      await drag('number', 2);
      await drag('select', 3);
      expect(await fields.count()).toBe(3);

      // The editor speaks the console's Chinese: palette groups and entries, a new field's label, and
      // the properties panel's groups and common entries (form-js ships them in English only).
      expect(await editor.locator('.fjs-palette-header').innerText()).toBe('组件');
      expect(await editor.locator('.fjs-palette-group-title').allInnerTexts()).toEqual(
        expect.arrayContaining(['输入', '选择', '展示', '容器', '操作']),
      );
      expect(await editor.locator('.fjs-palette-field[data-field-type=textfield]').innerText()).toContain(
        '单行文本',
      );
      expect(await editor.locator('.fjs-palette-search').getAttribute('placeholder')).toBe('搜索组件');
      await editor.locator('.fjs-palette-search').fill('数字');
      await editor.locator('.fjs-palette-field').first().waitFor();
      expect(
        await editor.locator('.fjs-palette-field').evaluateAll((els) => els.map((e) => e.dataset.fieldType)),
      ).toEqual(['number']);
      await editor.locator('.fjs-palette-search').fill('');
      expect(await fields.nth(0).locator('label').first().innerText()).toBe('单行文本');
      await fields.nth(0).click();
      const chrome = editor.locator('.fjs-properties-panel');
      await chrome.locator('.bio-properties-panel-group-header-title', { hasText: '常规' }).waitFor();
      const panelText = await chrome.innerText();
      for (const words of ['标签', '说明', '字段标识', '默认值', '只读', '校验', '必填', '显示条件', '布局'])
        expect(panelText).toContain(words);
      for (const english of ['Field label', 'Key', 'Required', 'Validation', 'General'])
        expect(panelText).not.toContain(english);

      // Label, key and rules of each in the properties panel (its general and validation groups open).
      const panel = editor.locator('.fjs-properties-panel');
      /** Selects a field (a click on the selected one would unselect it) and waits for its panel. */
      const select = async (index: number) => {
        const id = await fields.nth(index).getAttribute('data-id');
        const its = editor.locator(`.fjs-properties-panel[data-field="${id}"]`);
        if ((await its.count()) === 0) await fields.nth(index).click();
        await its.waitFor();
      };
      const describeField = async (index: number, label: string, key: string) => {
        await select(index);
        await panel.locator('#bio-properties-panel-label').click();
        await page.keyboard.press('ControlOrMeta+A');
        await page.keyboard.type(label);
        await panel.locator('#bio-properties-panel-key').fill(key);
        await fields.nth(index).locator('label', { hasText: label }).waitFor();
      };
      await describeField(0, '出差事由', 'reason');
      await panel.locator('#bio-properties-panel-required').check();
      await describeField(1, '预算', 'budget');
      await panel.locator('#bio-properties-panel-min').fill('100');
      await select(0); // leaving the panel commits the last entry
      expect(await panel.locator('#bio-properties-panel-key').inputValue()).toBe('reason');
      expect(await panel.locator('#bio-properties-panel-required').isChecked()).toBe(true);
      await select(1);
      expect(await panel.locator('#bio-properties-panel-key').inputValue()).toBe('budget');
      expect(await panel.locator('#bio-properties-panel-min').inputValue()).toBe('100');
      await boss.screenshot(journey, 'designed');

      // Preview with test data.
      await page.locator('#tab-preview').click();
      await page
        .locator('[data-test=preview-data]')
        .fill(JSON.stringify({ reason: '上海参展', budget: 2400 }));
      await page.locator('[data-test=preview-apply]').click();
      const preview = page.locator('[data-test=form-preview]');
      const previewed = (label: string) =>
        preview.locator('.fjs-form-field', { hasText: label }).locator('input');
      await previewed('出差事由').waitFor();
      // form-js's own words in a rendered form are Chinese too: an empty select says 请选择 (not
      // "Select"), with the Chinese first option the editor gave it
      const choice = preview.locator('.fjs-form-field', { hasText: '下拉选择' });
      expect(await choice.locator('.fjs-select-display').innerText()).toBe('请选择');
      await choice.locator('.fjs-select-display').click();
      await preview.locator('.fjs-dropdownlist-item', { hasText: '选项 1' }).waitFor();
      await page.keyboard.press('Escape');
      expect(await previewed('出差事由').inputValue()).toBe('上海参展');
      expect(await previewed('预算').inputValue()).toBe('2400');
      await boss.screenshot(journey, 'preview');
      await page.locator('#tab-design').click();

      // A malformed key and a key in use are refused on the key input. The API saves the next version
      // of an existing key, so a new form typed with another form's key replaced that form.
      const admin = await loginAsAdmin(stack.http);
      const other = await admin.http.post('/api/v1/forms', {
        formKey: 'expense-form',
        name: '报销单',
        schema: { type: 'default', components: [] },
      });
      expect(other.status).toBe(200);
      const keyError = page.locator('[data-test=form-key-item] .el-form-item__error');
      boss.allow(/HTTP 400 POST \/api\/v1\/forms$/);
      await page.locator('[data-test=form-key]').fill('bad key');
      await page.locator('[data-test=form-save]').click();
      await keyError.waitFor();
      expect(await keyError.innerText()).toMatch(/[\u4e00-\u9fff]/);
      await page.locator('[data-test=form-key]').fill('expense-form');
      await page.locator('[data-test=form-save]').click();
      await keyError.filter({ hasText: '报销单' }).waitFor();
      await boss.screenshot(journey, 'key-taken');
      expect(await page.locator('[data-test=form-version]').count()).toBe(0);
      expect(await page.locator('[data-test=form-errors]').count()).toBe(0);
      const untouched = await admin.http.get<EnvelopeBody<FormBody>>('/api/v1/forms/expense-form');
      expect(untouched.body.data).toMatchObject({ version: 1, schema: { components: [] } });

      // Saved as version 1, then a label changed and saved as version 2.
      await page.locator('[data-test=form-key]').fill('trip-form');
      await page.locator('[data-test=form-name]').fill('出差申请单');
      await page.locator('[data-test=form-save]').click();
      await page.locator('[data-test=form-version]', { hasText: '1' }).waitFor();
      await describeField(1, '预算（元）', 'budget');
      await page.locator('[data-test=form-save]').click();
      await page.locator('[data-test=form-version]', { hasText: '2' }).waitFor();
      expect(await keyError.count()).toBe(0);

      const saved = await admin.http.get<EnvelopeBody<FormBody>>('/api/v1/forms/trip-form');
      expect(saved.body.data.version).toBe(2);
      expect(saved.body.data.schema.components.map((c) => [c.type, c.key, c.label])).toEqual([
        ['textfield', 'reason', '出差事由'],
        ['number', 'budget', '预算（元）'],
        ['select', expect.stringMatching(/^select_/), '下拉选择'],
      ]);
      expect(saved.body.data.schema.components[0]!.validate).toMatchObject({ required: true });
      expect(saved.body.data.schema.components[1]!.validate).toMatchObject({ min: 100 });

      // Bound to the start event of 出差申请 and deployed as its next version. The second save's message
      // stacks under the first one's, over this button, until the first goes: Playwright's click waits
      // until nothing covers the button (browser.ts stops the message sliding in, which could land on
      // the button between the press and the release and swallow the click).
      await page.locator('[data-test=form-bind]').click();
      await page.locator('[data-test=bind-process]').click();
      await page.locator('[data-test=bind-option-tripRequest]').click();
      await page.locator('[data-test=bind-start]').click();
      await page.locator('[data-test=bind-deploy]').click();
      await page.locator('[data-test=form-bound]', { hasText: 'tripRequest' }).waitFor();
      await boss.screenshot(journey, 'bound');
      const defs = await admin.http.get<
        EnvelopeBody<{ rows: { version: number; startFormKey: string | null }[] }>
      >('/api/v1/workflow/definitions?key=tripRequest&latestOnly=true');
      expect(defs.body.data.rows[0]).toMatchObject({ version: 2, startFormKey: 'trip-form' });

      // 赵六 opens the start screen: the designed fields are there.
      const applicant = await open('zhaoliu');
      await applicant.signIn(zhaoliu.account, zhaoliu.password);
      await applicant.page.locator('[data-test=nav-start]').click();
      await applicant.page.locator('[data-test=start-tripRequest]').click();
      const field = (label: string) =>
        applicant.page.locator('[data-test=form] .fjs-form-field', { hasText: label });
      await field('出差事由').locator('input').fill('北京出差');
      await field('预算（元）').locator('input').fill('50');
      await applicant.page.keyboard.press('Tab');

      // A budget under the minimum: the server refuses it, and says so on the budget field.
      applicant.allow(/HTTP 400 POST \/api\/v1\/workflow\/instances$/);
      const [refusal] = await Promise.all([
        applicant.page.waitForResponse(
          (r) =>
            r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/workflow/instances',
        ),
        applicant.page.locator('[data-test=start-submit]').click(),
      ]);
      expect(refusal.status()).toBe(400);
      expect(await refusal.json()).toMatchObject({
        code: 4101,
        errors: [{ field: 'variables.budget', reason: 'must be at least 100' }],
      });
      await field('预算（元）').locator('.fjs-form-field-error', { hasText: '不能小于 100' }).waitFor();
      expect(await field('出差事由').locator('.fjs-form-field-error').count()).toBe(0);
      await applicant.screenshot(journey, 'refused-on-field');

      // Corrected, it starts.
      await field('预算（元）').locator('input').fill('300');
      await applicant.page.keyboard.press('Tab');
      await applicant.page.locator('[data-test=start-submit]').click();
      await applicant.page.waitForURL(/\/console\/instances\/\d+/);
      const instanceId = /instances\/(\d+)/.exec(applicant.page.url())![1]!;
      const instance = await admin.http.get<EnvelopeBody<{ variables: Record<string, unknown> }>>(
        `/api/v1/workflow/instances/${instanceId}`,
      );
      expect(instance.body.data.variables).toMatchObject({ reason: '北京出差', budget: 300 });
      await applicant.screenshot(journey, 'started');
    },
    // a long journey through three heavy pages: room for a loaded CI machine
    240_000,
  );
});
