import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  startStack,
  type Stack,
  TEST_ADMIN_PASSWORD,
  type TestMember,
  type TestSession,
} from '@app/testing';
import {
  CHROMIUM,
  HAVE_CHROMIUM,
  launchChromium,
  Person,
  releasePeople,
  type ConsoleBrowser,
} from './browser';

// The staff console in a real browser against the real stack (gateway + workflow + PostgreSQL), as
// `npm start` runs it. Without a Chromium the browser journeys are skipped with one line saying so.
if (!HAVE_CHROMIUM) {
  process.stdout.write(
    `console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`,
  );
}
const browserIt = HAVE_CHROMIUM ? it : it.skip;

async function ok<T = unknown>(
  request: Promise<{ status: number; body: EnvelopeBody<T>; text: string }>,
): Promise<T> {
  const answer = await request;
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 500)}`);
  return answer.body.data;
}

describe('staff console', () => {
  let stack: Stack;
  let admin: TestSession;
  let chrome: ConsoleBrowser | null = null;
  let zhangsan: TestMember;
  let lisi: TestMember;
  let zhaoliu: TestMember;
  let qianqi: TestMember;
  const people: Person[] = [];

  const open = async (name: string) => {
    const person = await Person.open(chrome!.browser, name, stack.http.baseUrl);
    people.push(person);
    return person;
  };

  beforeAll(async () => {
    stack = await startStack({ label: 'console', gatewayEnv: { LOGIN_RATE_ACCOUNT_LIMIT: '50' } });
    admin = await loginAsAdmin(stack.http);
    zhangsan = await createStaff(admin.http, { account: 'zhangsan', realName: '张三' });
    lisi = await createStaff(admin.http, { account: 'lisi', realName: '李四' });
    zhaoliu = await createStaff(admin.http, { account: 'zhaoliu', realName: '赵六' });
    qianqi = await createStaff(admin.http, { account: 'qianqi', realName: '钱七' });
    // The leave process of the journeys: 填写申请 (initiator) → 部门审批 (李四) → 人事备案 (赵六 or 钱七 claim it).
    const fixture = (name: string) => readFileSync(join(__dirname, name), 'utf8');
    await ok(
      admin.http.post('/api/v1/forms', {
        formKey: 'console-leave',
        name: '请假单',
        schema: JSON.parse(fixture('leave.form.json')),
      }),
    );
    await ok(
      admin.http.post('/api/v1/workflow/deployments', {
        xml: fixture('leave.bpmn')
          .replace('{{APPROVER}}', lisi.id)
          .replace('{{HR}}', `${zhaoliu.id},${qianqi.id}`),
      }),
    );
    // A work-order type whose start form has a pattern the server checks.
    await ok(
      admin.http.post('/api/v1/forms', {
        formKey: 'console-repair',
        name: '报修单',
        schema: JSON.parse(fixture('repair.form.json')),
      }),
    );
    await ok(
      admin.http.post('/api/v1/workflow/deployments', {
        xml: fixture('repair.bpmn').replace('{{FIXER}}', lisi.id),
      }),
    );
    await ok(admin.http.post('/api/v1/work-order-types', { name: '报修', definitionKey: 'consoleRepair' }));
    if (HAVE_CHROMIUM) chrome = await launchChromium();
  });

  afterEach(() => releasePeople(people));

  afterAll(async () => {
    await chrome?.close();
    await stack?.stop();
  });

  describe('served by the gateway at /console/', () => {
    it('answers index.html for the console and its client-side routes, never cached, with the base path and time zone', async () => {
      for (const path of ['/console/', '/console', '/console/workbench', '/console/tasks/42']) {
        const answer = await stack.http.request('GET', path);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('content-type')).toContain('text/html');
        expect(answer.headers.get('cache-control')).toBe('no-cache');
        expect(answer.text).toContain('<base href="/console/" />');
        expect(answer.text).toContain('<meta name="flowdesk-time-zone" content="Asia/Shanghai" />');
      }
    });

    it('serves hashed assets for a year and answers 404 for a missing one', async () => {
      const index = (await stack.http.request('GET', '/console/')).text;
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(index)?.[1];
      expect(script).toBeDefined();
      const asset = await stack.http.request('GET', `/console/${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await stack.http.request('GET', '/console/assets/missing-123.js')).status).toBe(404);
      const icon = await stack.http.request('GET', '/console/favicon.svg');
      expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    });
  });

  describe('the API the console relies on', () => {
    it('people: names by ids and picker search for any member, enabled members only, nothing personal', async () => {
      const member = await loginAs(stack.http, qianqi.account, qianqi.password);
      const byIds = await ok<{ id: string; name: string; account: string | null }[]>(
        member.http.get(`/api/v1/people?ids=${zhangsan.id},${lisi.id}`),
      );
      expect(byIds.map((p) => p.name).sort()).toEqual(['张三', '李四']);
      expect(Object.keys(byIds[0]!).sort()).toEqual(['account', 'departmentName', 'id', 'name']);
      const gone = await createStaff(admin.http, { account: 'sunba', realName: '孙八' });
      await ok(admin.http.post(`/api/v1/staff/${gone.id}/disable`, {}));
      const found = await ok<{ account: string }[]>(
        member.http.get(`/api/v1/people?keyword=${encodeURIComponent('八')}`),
      );
      expect(found).toEqual([]);
      expect((await member.http.get('/api/v1/people?ids=1,abc')).status).toBe(400);
      expect((await stack.http.get('/api/v1/people?keyword=a')).status).toBe(401);
    });

    it('a task lists what its caller may do, and completing it checks its form on the server', async () => {
      const applicant = await loginAs(stack.http, qianqi.account, qianqi.password);
      const started = await ok<{ id: string; tasks: { id: string; elementId: string }[] }>(
        applicant.http.post('/api/v1/workflow/instances', { definitionKey: 'consoleLeave' }),
      );
      const apply = started.tasks.find((t) => t.elementId === 'apply')!;
      const mine = await ok<{ actions: string[] }>(applicant.http.get(`/api/v1/workflow/tasks/${apply.id}`));
      expect(mine.actions).toEqual(['complete', 'reject', 'return', 'delegate', 'transfer']);
      const other = await loginAs(stack.http, zhaoliu.account, zhaoliu.password);
      expect((await other.http.get(`/api/v1/workflow/tasks/${apply.id}`)).status).toBe(404);
      const adminView = await ok<{ actions: string[] }>(admin.http.get(`/api/v1/workflow/tasks/${apply.id}`));
      expect(adminView.actions).toEqual(['transfer']);

      const refused = await applicant.http.post<EnvelopeBody>(`/api/v1/workflow/tasks/${apply.id}/complete`, {
        variables: { reason: '', days: 0 },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe(4101);
      expect(refused.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'variables.reason', reason: 'is required' },
          { field: 'variables.days', reason: 'must be at least 1' },
        ]),
      );
      // out of the way of the journeys below
      await ok(applicant.http.post(`/api/v1/workflow/instances/${started.id}/stop`, {}));
    });
  });

  describe('signing in and the session', () => {
    browserIt('signs in with account and password, shows 待办, switches to English and back', async () => {
      const person = await open('admin');
      await person.page.goto('/console/');
      await person.screenshot('sign-in', 'form');
      await person.page.locator('input[name=account]').fill('admin');
      person.allow(/HTTP 401 POST \/api\/v1\/auth\/login/);
      await person.page.locator('input[type=password]').fill('wrong-password');
      await person.page.locator('input[type=password]').press('Enter');
      await person.page.locator('[data-test=login-error]').waitFor();
      await person.screenshot('sign-in', 'wrong-password');

      await person.page.locator('input[type=password]').fill(TEST_ADMIN_PASSWORD);
      await person.page.locator('input[type=password]').press('Enter');
      await person.page.locator('[data-test=tab-todo]').waitFor();
      expect(await person.page.locator('[data-test=tab-todo]').innerText()).toContain('待办');
      await person.screenshot('sign-in', 'workbench');

      await person.page.locator('[data-test=language]').click();
      await person.page.getByText('To-do').waitFor();
      expect(await person.page.locator('[data-test=tab-claimable]').innerText()).toContain('Claimable');
      await person.screenshot('language', 'english');
      await person.page.reload();
      await person.page.getByText('To-do').waitFor(); // the choice survives a reload
      await person.page.locator('[data-test=language]').click();
      await person.page.getByText('待办').first().waitFor();
    });

    browserIt('a reset password must be changed before anything else; the new one works', async () => {
      const wangwu = await createStaff(admin.http, { account: 'wangwu', realName: '王五' });
      await admin.http.post(`/api/v1/staff/${wangwu.id}/password-reset`, {
        password: 'Temp-pass-123',
        mustChangePassword: true,
      });
      const person = await open('wangwu');
      await person.page.goto('/console/');
      await person.page.locator('input[name=account]').fill('wangwu');
      await person.page.locator('input[type=password]').fill('Temp-pass-123');
      await person.page.locator('input[type=password]').press('Enter');
      await person.page.locator('input[name=oldPassword]').waitFor();
      await person.screenshot('must-change-password', 'form');
      await person.page.goto('/console/workbench'); // not before the change
      await person.page.locator('input[name=oldPassword]').waitFor();
      await person.page.locator('input[name=oldPassword]').fill('Temp-pass-123');
      await person.page.locator('input[name=newPassword]').fill('New-pass-4567');
      await person.page.locator('input[name=confirm]').fill('New-pass-4567');
      await person.page.locator('[data-test=password-submit]').click();
      await person.page.locator('[data-test=tab-todo]').waitFor();
      const relogin = await stack.http.post<EnvelopeBody<{ mustChangePassword: boolean }>>(
        '/api/v1/auth/login',
        {
          account: 'wangwu',
          password: 'New-pass-4567',
        },
      );
      expect(relogin.body.data.mustChangePassword).toBe(false);
    });

    browserIt('a session ended elsewhere sends the console back to sign-in; sign out ends it', async () => {
      const person = await open('zhangsan');
      await person.signIn(zhangsan.account, zhangsan.password);
      // Changing the password ends every session of the member (README): the console's tokens die.
      const other = await stack.http.post<EnvelopeBody<{ accessToken: string }>>('/api/v1/auth/login', {
        account: zhangsan.account,
        password: zhangsan.password,
      });
      const changed = await stack.http.post(
        '/api/v1/auth/password',
        { oldPassword: zhangsan.password, newPassword: 'Zhangsan-2nd-pass' },
        { token: other.body.data.accessToken },
      );
      expect(changed.status).toBe(200);
      zhangsan.password = 'Zhangsan-2nd-pass';
      person.allow(/HTTP 401 /);
      await person.page.locator('[data-test=search]').click();
      await person.page.locator('input[name=account]').waitFor();
      expect(person.page.url()).toContain('/console/login');
      await person.screenshot('session', 'ended-elsewhere');

      await person.signIn(zhangsan.account, zhangsan.password);
      await person.page.locator('[data-test=user-menu]').click();
      await person.page.locator('[data-test=logout]').click();
      await person.page.locator('input[name=account]').waitFor();
      await person.page.goto('/console/workbench');
      await person.page.locator('input[name=account]').waitFor();
    });
  });

  describe('the daily work of approvers and initiators', () => {
    /** Opens the first task row named `name` in the given workbench tab. */
    async function openTask(person: Person, tab: 'todo' | 'claimable' | 'done' | 'copied', name: string) {
      await person.page.goto('/console/workbench');
      await person.page.locator(`[data-test=tab-${tab}]`).click();
      const row = person.page.locator('[data-test=task-table] tr', { hasText: name }).first();
      await row.waitFor();
      await row.locator('[data-test=open-task]').click();
      await person.page.locator('[data-test=task-head]').waitFor();
    }

    /** form-js takes typed values into its state after a 300 ms debounce: leave the field and let it. */
    const settle = async (person: Person) => {
      await person.page.keyboard.press('Tab');
      await person.page.waitForTimeout(400);
    };

    const field = (person: Person, label: string) =>
      person.page.locator('.fjs-form-field', { hasText: label }).locator('input');

    browserIt(
      'leave: start through the form, return to the initiator, resubmit, approve, claim, transfer, finish with its timeline',
      async () => {
        const journey = 'leave';
        // 1. 张三 starts a leave request and fills its form in the first step.
        const applicant = await open('zhangsan');
        await applicant.signIn(zhangsan.account, zhangsan.password);
        await applicant.page.locator('[data-test=nav-start]').click();
        await applicant.page.locator('[data-test=start-consoleLeave]').click();
        await applicant.page.locator('[data-test=start-title]').fill('张三的请假');
        await applicant.screenshot(journey, 'start');
        await applicant.page.locator('[data-test=start-submit]').click();
        await applicant.page.locator('[data-test=task-head]', { hasText: '填写申请' }).waitFor();
        await field(applicant, '请假事由').fill('家中有事');
        // The server checks the task's form: 0 days is refused and the reason shows on that field.
        await field(applicant, '天数').fill('0');
        await settle(applicant);
        applicant.allow(/HTTP 400 POST \/api\/v1\/workflow\/tasks\/\d+\/complete$/);
        await applicant.page.locator('[data-test=op-complete]').click();
        const days = applicant.page.locator('.fjs-form-field', { hasText: '天数' });
        await days.locator('.fjs-form-field-error', { hasText: '不能小于 1' }).waitFor();
        await applicant.screenshot(journey, 'apply-form-error');
        await field(applicant, '天数').fill('3');
        await days.locator('.fjs-form-field-error').waitFor({ state: 'detached' });
        await applicant.screenshot(journey, 'apply-form');
        await applicant.page.locator('[data-test=op-complete]').click();
        await applicant.page.locator('[data-test=tab-todo]').waitFor();

        // 2. 李四 finds it in 待办, sees the diagram with the active node, returns it to the initiator.
        const approver = await open('lisi');
        await approver.signIn(lisi.account, lisi.password);
        await approver.page.locator('[data-test=tab-todo]', { hasText: /待办\s*1/ }).waitFor();
        await openTask(approver, 'todo', '部门审批');
        expect(await field(approver, '天数').inputValue()).toBe('3');
        await approver.page.getByRole('tab', { name: '流程图' }).click();
        await approver.page.locator('[data-element-id=approve].fd-active').waitFor();
        await approver.page.locator('[data-element-id=apply].fd-completed').waitFor();
        await approver.page.locator('[data-element-id=apply]').hover();
        await approver.page.locator('[data-test=node-tip]', { hasText: '张三' }).waitFor();
        await approver.screenshot(journey, 'diagram-active');
        await approver.page.getByRole('tab', { name: '表单' }).click();
        // Only what 李四 may do here: no claim, no resolve.
        expect(await approver.page.locator('[data-test=op-claim]').count()).toBe(0);
        expect(await approver.page.locator('[data-test=op-resolve]').count()).toBe(0);
        await approver.page.locator('[data-test=comment]').fill('天数请写清楚');
        await approver.page.locator('[data-test=op-return]').click();
        await approver.page.locator('[data-test=return-preview]', { hasText: '填写申请' }).waitFor();
        expect(await approver.page.locator('[data-test=return-preview]').innerText()).toContain('部门审批');
        await approver.screenshot(journey, 'return-preview');
        await approver.page.locator('[data-test=return-confirm]').click();
        await approver.page.locator('[data-test=tab-todo]').waitFor();

        // 3. 张三 edits and resubmits.
        await openTask(applicant, 'todo', '填写申请');
        expect(await field(applicant, '天数').inputValue()).toBe('3');
        await field(applicant, '天数').fill('5');
        await settle(applicant);
        await applicant.page.locator('[data-test=comment]').fill('改为 5 天');
        await applicant.page.locator('[data-test=op-complete]').click();
        await applicant.page.locator('[data-test=tab-todo]').waitFor();

        // 4. 李四 approves and copies 赵六 in, found in the directory by name (the API takes ids).
        await openTask(approver, 'todo', '部门审批');
        expect(await field(approver, '天数').inputValue()).toBe('5');
        await approver.page.locator('[data-test=comment]').fill('同意');
        await approver.page.locator('details.more summary').click();
        await approver.page.locator('[data-test=copy-to]').click();
        await approver.page.keyboard.type('赵');
        await approver.page.locator('.el-select-dropdown__item:visible', { hasText: '赵六' }).click();
        await approver.page.keyboard.press('Escape');
        await approver.page.locator('[data-test=copy-to] .el-tag', { hasText: '赵六' }).waitFor();
        await approver.page.locator('[data-test=op-complete]').click();
        await approver.page.locator('[data-test=tab-todo]').waitFor();

        // 5. 赵六, a candidate, claims it from 待领 and transfers it to 钱七, who completes it.
        const hr = await open('zhaoliu');
        await hr.signIn(zhaoliu.account, zhaoliu.password);
        await hr.page.locator('[data-test=tab-copied]', { hasText: /抄送我\s*1/ }).waitFor();
        await hr.page.locator('[data-test=tab-claimable]').click();
        const claimable = hr.page.locator('[data-test=task-table] tr', { hasText: '人事备案' }).first();
        await claimable.locator('[data-test=claim]').click();
        await hr.page.locator('[data-test=task-head]', { hasText: '赵六' }).waitFor();
        await hr.screenshot(journey, 'claimed');
        expect(await hr.page.locator('[data-test=op-claim]').count()).toBe(0);
        await hr.page.locator('[data-test=op-transfer]').click();
        await hr.page.locator('input[name=user]').fill('钱');
        await hr.page.locator('.el-autocomplete-suggestion li', { hasText: '钱七 (qianqi)' }).click();
        await hr.page.locator('[data-test=person-confirm]').click();
        await hr.page.locator('[data-test=tab-todo]').waitFor();

        const hr2 = await open('qianqi');
        await hr2.signIn(qianqi.account, qianqi.password);
        await openTask(hr2, 'todo', '人事备案');
        await hr2.page.locator('[data-test=op-complete]').click();
        await hr2.page.locator('[data-test=tab-todo]').waitFor();

        // 6. 张三 sees it finished, with its timeline.
        await applicant.page.locator('[data-test=nav-instances]').click();
        await applicant.page.locator('[data-test=instances-finished]').click();
        const finished = applicant.page
          .locator('[data-test=instance-table] tr', { hasText: '张三的请假' })
          .first();
        await finished.locator('[data-test=instance-status]', { hasText: '已完成' }).waitFor();
        await finished.locator('[data-test=instance-detail]').click();
        const timeline = applicant.page.locator('[data-test=timeline]');
        await timeline.locator('[data-test=timeline-entry]', { hasText: '钱七' }).first().waitFor(); // names follow the ids
        const text = await timeline.innerText();
        for (const expected of [
          '填写申请',
          '部门审批',
          '退回',
          '天数请写清楚',
          '改为 5 天',
          '同意',
          '人事备案',
          '钱七',
          '转办',
        ])
          expect(text).toContain(expected);
        await applicant.screenshot(journey, 'finished-timeline');
      },
      // five people sign in and work one request through: minutes on a loaded CI machine
      360_000,
    );

    browserIt('a server form error is shown on its field when creating a work order too', async () => {
      const person = await open('zhangsan-wo');
      await person.signIn(zhangsan.account, zhangsan.password);
      await person.page.locator('[data-test=nav-work-orders]').click();
      await person.page.locator('[data-test=work-order-new]').click();
      await person.page.locator('[data-test=work-order-type]').click();
      await person.page.locator('.el-select-dropdown__item', { hasText: '报修' }).click();
      await person.page.locator('[data-test=work-order-title]').fill('空调不制冷');
      await field(person, '房号').fill('A-301');
      await field(person, '联系电话').fill('12345');
      person.allow(/HTTP 400 POST \/api\/v1\/work-orders$/);
      const answer = person.page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/work-orders') && r.request().method() === 'POST',
      );
      await person.page.locator('[data-test=work-order-submit]').click();
      expect((await answer).status()).toBe(400);
      const mobile = person.page.locator('.fjs-form-field', { hasText: '联系电话' });
      await mobile.locator('.fjs-form-field-error', { hasText: '格式不正确' }).waitFor();
      await person.screenshot('form-error', 'on-field');

      await field(person, '联系电话').fill('13812345678');
      // form-js re-validates the field a moment later and the message goes: wait, so the button stops moving
      await mobile.locator('.fjs-form-field-error').waitFor({ state: 'detached' });
      await person.page.locator('[data-test=work-order-submit]').click();
      await person.page.locator('[data-test=work-order-head]', { hasText: '空调不制冷' }).waitFor();
      await person.page.locator('[data-test=work-order-timeline]').waitFor();
      await person.screenshot('work-order', 'detail');
    });
  });

  describe('operations offered only when the server allows them', () => {
    browserIt('撤回 appears once there is a completion to take back, works, and goes again', async () => {
      const initiator = await loginAs(stack.http, qianqi.account, qianqi.password);
      const started = await ok<{ id: string; tasks: { id: string }[] }>(
        initiator.http.post('/api/v1/workflow/instances', {
          definitionKey: 'consoleLeave',
          title: '钱七的撤回',
        }),
      );
      const person = await open('qianqi-revoke');
      await person.signIn(qianqi.account, qianqi.password);
      await person.page.goto(`/console/instances/${started.id}`);
      // nothing completed yet: the server would answer 409, so no 撤回 (urge and stop are there)
      await person.page.locator('[data-test=instance-urge]').waitFor();
      expect(await person.page.locator('[data-test=instance-revoke]').count()).toBe(0);

      await ok(
        initiator.http.post(`/api/v1/workflow/tasks/${started.tasks[0]!.id}/complete`, {
          variables: { reason: '看病', days: 2 },
        }),
      );
      await person.page.reload();
      await person.page.locator('[data-test=instance-revoke]').click();
      await person.page.locator('.el-descriptions', { hasText: '填写申请' }).waitFor();
      await person.page.locator('[data-test=instance-urge]').waitFor();
      // taken back already: nothing left to revoke
      expect(await person.page.locator('[data-test=instance-revoke]').count()).toBe(0);
      await person.screenshot('revoke', 'taken-back');
      // 取消 ends the run for good: the page asks first, and a "no" leaves it running
      await person.page.locator('[data-test=instance-stop]').click();
      await person.page.locator('.el-message-box__btns .el-button:not(.el-button--primary)').click();
      await person.page.locator('.el-message-box').waitFor({ state: 'hidden' });
      expect(await person.page.locator('[data-test=instance-status]').innerText()).toBe('进行中');
      await person.page.locator('[data-test=instance-stop]').click();
      await person.page.locator('.el-message-box__btns .el-button--primary').click();
      await person.page.locator('[data-test=instance-status]', { hasText: '已取消' }).waitFor();
    });

    browserIt('a delegate is offered only 完成委派, and resolving hands the task back', async () => {
      const initiator = await loginAs(stack.http, qianqi.account, qianqi.password);
      const started = await ok<{ id: string; tasks: { id: string }[] }>(
        initiator.http.post('/api/v1/workflow/instances', {
          definitionKey: 'consoleLeave',
          title: '钱七的委派',
        }),
      );
      const approve = await ok<{ createdTasks: { id: string }[] }>(
        initiator.http.post(`/api/v1/workflow/tasks/${started.tasks[0]!.id}/complete`, {
          variables: { reason: '看病', days: 2 },
        }),
      );
      const taskId = approve.createdTasks[0]!.id;
      const owner = await loginAs(stack.http, lisi.account, lisi.password);
      await ok(owner.http.post(`/api/v1/workflow/tasks/${taskId}/delegate`, { userId: zhaoliu.id }));

      const person = await open('zhaoliu-delegate');
      await person.signIn(zhaoliu.account, zhaoliu.password);
      await person.page.goto(`/console/tasks/${taskId}`);
      await person.page.locator('[data-test=op-resolve]').waitFor();
      for (const op of ['complete', 'reject', 'return', 'transfer', 'delegate'])
        expect(await person.page.locator(`[data-test=op-${op}]`).count()).toBe(0);
      await person.screenshot('delegate', 'resolve-only');
      await person.page.locator('[data-test=op-resolve]').click();
      await person.page.locator('[data-test=tab-todo]').waitFor();
      const back = await ok<{ assigneeId: string; actions: string[] }>(
        owner.http.get(`/api/v1/workflow/tasks/${taskId}`),
      );
      expect(back.assigneeId).toBe(lisi.id);
      expect(back.actions).toContain('complete');
      await ok(initiator.http.post(`/api/v1/workflow/instances/${started.id}/stop`, {}));
    });
  });

  // Last: it stops the workflow app for a while.
  browserIt(
    'a workflow outage shows a clear banner instead of a blank page, and it goes when the service is back',
    async () => {
      const person = await open('lisi-outage');
      await person.signIn(lisi.account, lisi.password);
      person.allow(/HTTP 503 /);
      await stack.workflow.stop();
      try {
        await person.page.locator('[data-test=search]').click();
        const banner = person.page.locator('[data-test=service-banner]');
        await banner.waitFor();
        expect(await banner.innerText()).toContain('流程服务暂不可用');
        // the rest of the console still answers: the inbox is the gateway's own
        await person.page.locator('[data-test=nav-inbox]').click();
        await person.page.locator('[data-test=inbox-table]').waitFor();
        expect(await banner.isVisible()).toBe(true);
        await person.screenshot('outage', 'banner');
      } finally {
        await stack.workflow.start();
      }
      await person.page.locator('[data-test=nav-workbench]').click();
      await person.page.locator('[data-test=service-banner]').waitFor({ state: 'detached' });
    },
  );
});
