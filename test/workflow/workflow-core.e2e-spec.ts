import { existsSync } from 'node:fs';
import { Client } from 'pg';
import {
  createRole,
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  refusalOf,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import {
  complete,
  corpusXml,
  deploy,
  fixtureXml,
  instance,
  ok,
  openTasks,
  start,
  type TaskView,
  until,
} from './workflow-helpers';

describe('workflow core over HTTP (gateway → TCP → workflow → PostgreSQL)', () => {
  let stack: Stack;
  let admin: TestSession;
  let users: Record<'ann' | 'lea' | 'max' | 'hui' | 'bo', TestSession>;

  beforeAll(async () => {
    stack = await startStack({ label: 'workflow_core' });
    admin = await loginAsAdmin(stack.http);
    const staffRole = await roleId(admin.http, 'staff');
    const lead = await createRole(admin.http, { code: 'lead', permissions: [], dataScope: 'own' });
    const manager = await createRole(admin.http, { code: 'manager', permissions: [], dataScope: 'own' });
    const make = async (account: string, roles: string[]) => {
      const member = await createStaff(admin.http, { account, roleIds: [staffRole, ...roles] });
      return loginAs(stack.http, member.account, member.password);
    };
    users = {
      ann: await make('ann', []),
      lea: await make('lea', [lead]),
      max: await make('max', [manager]),
      hui: await make('hui', []),
      bo: await make('bo', []),
    };
  });
  afterAll(() => stack?.stop());

  const only = (tasks: TaskView[], name: string) => {
    const found = tasks.filter((t) => t.name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };

  describe('definitions', () => {
    it('a deploy upload that is not one file `file` is 4101 naming the field (4000 or 413 before)', async () => {
      const send = async (body: FormData | string, contentType?: string) =>
        refusalOf(
          await admin.http.request('POST', '/api/v1/workflow/deployments', {
            rawBody: body,
            headers: contentType ? { 'content-type': contentType } : {},
          }),
        );
      const xml = corpusXml('rvp-leave2-exclusive-conditional-flow.bpmn');
      const otherField = new FormData();
      otherField.append('bpmn', new Blob([xml]), 'leave2.bpmn');
      expect(await send(otherField)).toEqual([400, 4101, ['bpmn']]);
      const twoFiles = new FormData();
      twoFiles.append('file', new Blob([xml]), 'a.bpmn');
      twoFiles.append('file', new Blob([xml]), 'b.bpmn');
      expect(await send(twoFiles)).toEqual([400, 4101, ['file']]);
      const huge = new FormData();
      huge.append('file', new Blob([xml, ' '.repeat(5 * 1024 * 1024)]), 'huge.bpmn');
      expect(await send(huge)).toEqual([400, 4101, ['file']]);
      const cutShort = '--x\r\nContent-Disposition: form-data; name="file"; filename="a.bpmn"\r\n\r\n<?xml';
      expect(await send(cutShort, 'multipart/form-data; boundary=x')).toEqual([400, 4101, ['body']]);
      // a file and `xml` beside it: which one was meant is not ours to guess (the file won silently)
      const both = new FormData();
      both.append('file', new Blob([xml]), 'a.bpmn');
      both.append('xml', xml.replace('isExecutable', 'name="other" isExecutable'));
      expect(await send(both)).toEqual([400, 4101, ['xml']]);
    });

    it('deploys a multipart upload, versions each redeploy of a key, suspends and activates', async () => {
      const form = new FormData();
      form.append(
        'file',
        new Blob([corpusXml('rvp-leave2-exclusive-conditional-flow.bpmn')], { type: 'text/xml' }),
        'leave2.bpmn20.xml',
      );
      const upload = await fetch(`${stack.http.baseUrl}/api/v1/workflow/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.accessToken}` },
        body: form,
      });
      const first = (
        (await upload.json()) as EnvelopeBody<{
          id: string;
          key: string;
          version: number;
          resourceName: string;
          vendors: string[];
        }>
      ).data;
      expect(upload.status).toBe(200);
      expect(first).toMatchObject({
        key: 'leave2',
        version: 1,
        resourceName: 'leave2.bpmn20.xml',
        vendors: ['flowable'],
      });

      const second = await deploy(admin.http, corpusXml('rvp-leave2-exclusive-conditional-flow.bpmn'));
      expect(second.version).toBe(2);

      const latest = ok<{ total: number; rows: { id: string; version: number; latest: boolean }[] }>(
        await admin.http.get('/api/v1/workflow/definitions?key=leave2&latestOnly=true'),
      );
      expect(latest.rows.map((r) => r.version)).toEqual([2]);
      const all = ok<{ total: number }>(await admin.http.get('/api/v1/workflow/definitions?key=leave2'));
      expect(all.total).toBe(2);

      const xml = ok<{ xml: string }>(await admin.http.get(`/api/v1/workflow/definitions/${first.id}/xml`));
      expect(xml.xml).toBe(corpusXml('rvp-leave2-exclusive-conditional-flow.bpmn'));

      expect(
        ok(await admin.http.patch(`/api/v1/workflow/definitions/${second.id}`, { suspended: true })),
      ).toMatchObject({ suspended: true });
      const refused = await admin.http.post('/api/v1/workflow/instances', { definitionKey: 'leave2' });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 4090, reason: 'DEFINITION_SUSPENDED' });
      ok(await admin.http.patch(`/api/v1/workflow/definitions/${second.id}`, { suspended: false }));
      expect((await start(admin.http, { definitionKey: 'leave2' })).status).toBe('running');
    });

    it('refuses deploys without workflow:deploy (4001) and unknown ids (404)', async () => {
      const denied = await users.ann.http.post('/api/v1/workflow/deployments', {
        xml: fixtureXml('single-task.bpmn'),
      });
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ code: 4001 });
      expect((await admin.http.get('/api/v1/workflow/definitions/999999')).status).toBe(404);
    });

    it('a role granting workflow:deploy lets a process designer deploy', async () => {
      const role = await createRole(admin.http, {
        code: 'process_designer',
        permissions: ['workflow:deploy'],
        dataScope: 'own',
      });
      const member = await createStaff(admin.http, { account: 'designer1', roleIds: [role] });
      const designer = await loginAs(stack.http, member.account, member.password);
      const res = await designer.http.post('/api/v1/workflow/deployments', {
        xml: fixtureXml('single-task.bpmn'),
      });
      expect(res.status).toBe(200);
    });

    it.each([
      ['REFUSE-camunda-groovy-script-mi.bpmn', 'miScriptTask'],
      ['REFUSE-camunda-examples-javascript-script.bpmn', 'ScriptTask_1'],
      ['REFUSE-camunda-examples-java-class-service.bpmn', 'ServiceTask_1'],
    ])('refuses %s at deploy, naming %s', async (file, elementId) => {
      const res = await admin.http.post<EnvelopeBody>('/api/v1/workflow/deployments', {
        xml: corpusXml(file),
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 4101, reason: 'INVALID_DEFINITION' });
      expect(res.body.errors?.map((e) => e.field)).toContain(`xml#${elementId}`);
    });

    it.each([
      ['unsafe-constructor.bpmn', 'constructor'],
      ['javascript-condition.bpmn', 'language'],
    ])('refuses %s (expression reaching %s) and runs nothing', async (file, word) => {
      const res = await admin.http.post<EnvelopeBody>('/api/v1/workflow/deployments', {
        xml: fixtureXml(file),
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(4101);
      expect(JSON.stringify(res.body.errors)).toContain(word);
      expect(existsSync('/tmp/flowdesk-pwned')).toBe(false);
    });

    it('answers malformed XML with 4101', async () => {
      const res = await admin.http.post<EnvelopeBody>('/api/v1/workflow/deployments', {
        xml: '<definitions><process id="x">',
      });
      expect(res.body).toMatchObject({ code: 4101, reason: 'INVALID_DEFINITION' });
    });
  });

  describe('leave approval with an exclusive gateway on ${day > 3}', () => {
    beforeAll(async () => {
      await deploy(admin.http, fixtureXml('leave-approval.flowable.bpmn'));
      await deploy(admin.http, fixtureXml('leave-approval.camunda.bpmn'));
    });

    it('long leave goes to the manager and then HR, with claim, wrong callers and history', async () => {
      const started = await start(users.ann.http, {
        definitionKey: 'leaveApproval',
        businessKey: 'LV-1',
        variables: { day: 5, hrUser: users.hui.staffId },
      });
      expect(started.serialNo).toMatch(/^leaveApproval_\d{6}_\d{4}$/);
      const apply = only(started.tasks, '申请');
      expect(apply.assigneeId).toBe(users.ann.staffId);

      // someone else may neither complete nor claim it, and learns nothing of it (404 as a read)
      const wrong = await users.bo.http.post(`/api/v1/workflow/tasks/${apply.id}/complete`, {});
      expect(wrong.status).toBe(404);
      expect(wrong.body).toMatchObject({ code: 404 });

      const step = await complete(users.ann.http, apply.id, { comment: '请批准' });
      const managerTask = only(step.createdTasks, '经理审批');
      expect(managerTask.assigneeId).toBeNull();
      expect(managerTask.candidates).toEqual(['group:role:manager']);

      // the manager sees it as claimable; the lead does not
      const claimable = ok<{ rows: TaskView[] }>(
        await users.max.http.get('/api/v1/workflow/tasks?scope=claimable'),
      );
      expect(claimable.rows.map((t) => t.id)).toContain(managerTask.id);
      const leadTodo = ok<{ rows: TaskView[] }>(
        await users.lea.http.get('/api/v1/workflow/tasks?scope=todo'),
      );
      expect(leadTodo.rows.map((t) => t.id)).not.toContain(managerTask.id);
      // …and, taking no part in this instance, cannot tell that it exists (404 as a read)
      expect((await users.lea.http.post(`/api/v1/workflow/tasks/${managerTask.id}/claim`)).status).toBe(404);

      ok(await users.max.http.post(`/api/v1/workflow/tasks/${managerTask.id}/claim`));
      ok(await users.max.http.post(`/api/v1/workflow/tasks/${managerTask.id}/unclaim`));
      ok(await users.max.http.post(`/api/v1/workflow/tasks/${managerTask.id}/claim`));
      const done = await complete(users.max.http, managerTask.id, { comment: '同意' });
      const again = await users.max.http.post(`/api/v1/workflow/tasks/${managerTask.id}/complete`, {});
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 4090, reason: 'TASK_ALREADY_HANDLED' });
      expect((await users.max.http.post('/api/v1/workflow/tasks/999999/complete', {})).status).toBe(404);

      const hr = only(done.createdTasks, '人事备案');
      expect(hr.candidates).toEqual([`user:${users.hui.staffId}`]);
      expect((await complete(users.hui.http, hr.id)).instanceStatus).toBe('completed');

      const detail = await instance(users.ann.http, started.id);
      expect(detail.status).toBe('completed');
      expect(detail.history!.map((h) => h.elementId)).toEqual([
        'start',
        'apply',
        'days',
        'manager',
        'hr',
        'end',
      ]);
      expect(detail.history!.find((h) => h.elementId === 'manager')?.actorId).toBe(users.max.staffId);
      expect(detail.comments!.map((c) => c.message)).toEqual(['请批准', '同意']);

      const doneByMax = ok<{ rows: TaskView[] }>(
        await users.max.http.get('/api/v1/workflow/tasks?scope=done'),
      );
      expect(doneByMax.rows.map((t) => t.id)).toEqual([managerTask.id]);
      const mine = ok<{ rows: { id: string }[] }>(
        await users.ann.http.get('/api/v1/workflow/instances?scope=started&finished=true'),
      );
      expect(mine.rows.map((r) => r.id)).toContain(started.id);
      // a stranger cannot even see the instance
      expect((await users.bo.http.get(`/api/v1/workflow/instances/${started.id}`)).status).toBe(404);
    });

    it('short leave goes to the lead (Camunda namespace file with && and !)', async () => {
      const started = await start(users.ann.http, {
        definitionKey: 'leaveApprovalCamunda',
        variables: { day: 9, urgent: true },
      });
      const step = await complete(users.ann.http, only(started.tasks, 'Apply').id);
      const lead = only(step.createdTasks, 'Lead');
      expect((await complete(users.lea.http, lead.id)).instanceStatus).toBe('completed');
      const diagram = ok<{
        xml: string;
        activeActivityIds: string[];
        completedActivityIds: string[];
        takenFlowIds: string[];
      }>(await users.ann.http.get(`/api/v1/workflow/instances/${started.id}/diagram`));
      expect(diagram.xml).toContain('leaveApprovalCamunda');
      expect(diagram.activeActivityIds).toEqual([]);
      expect(diagram.completedActivityIds).toEqual(expect.arrayContaining(['apply', 'lead', 'end']));
      expect(diagram.takenFlowIds).toEqual(expect.arrayContaining(['toApply', 'short', 'leadDone']));
      expect(diagram.takenFlowIds).not.toContain('long');
    });

    it('refuses bad variables with 4101 and leaves the task open', async () => {
      const started = await start(users.ann.http, { definitionKey: 'leaveApproval', variables: { day: 1 } });
      const apply = only(started.tasks, '申请');
      let deep: unknown = 'bottom';
      for (let i = 0; i < 40; i++) deep = { deeper: deep };
      for (const rawBody of [
        JSON.stringify({ variables: { nested: deep } }),
        '{"variables":{"__proto__":{"polluted":true}}}',
      ]) {
        const bad = await users.ann.http.request<EnvelopeBody>(
          'POST',
          `/api/v1/workflow/tasks/${apply.id}/complete`,
          {
            rawBody,
            headers: { 'content-type': 'application/json' },
          },
        );
        expect(bad.status).toBe(400);
        expect(bad.body.code).toBe(4101);
      }
      expect((await openTasks(users.ann.http, started.id)).map((t) => t.id)).toEqual([apply.id]);
    });
  });

  describe('corpus files through the gateway', () => {
    it('rvp-leave3: parallel fork and join', async () => {
      await deploy(admin.http, corpusXml('rvp-leave3-parallel.bpmn'));
      const started = await start(admin.http, { definitionKey: 'leave3' });
      const step = await complete(admin.http, only(started.tasks, '申请人').id);
      expect(step.createdTasks.map((t) => t.name).sort()).toEqual(['科研部门', '综合部门'].sort());
      const first = await complete(admin.http, only(step.createdTasks, '综合部门').id);
      expect(first.createdTasks).toEqual([]); // the join waits
      const joined = await complete(admin.http, only(step.createdTasks, '科研部门').id);
      expect((await complete(admin.http, only(joined.createdTasks, '总经理').id)).instanceStatus).toBe(
        'completed',
      );
    });

    it('rvp-leave5: sequential then parallel countersign (all must sign)', async () => {
      await deploy(admin.http, corpusXml('rvp-leave5-countersign-mi.bpmn'));
      const ids = [admin.staffId, users.ann.staffId, users.bo.staffId, users.hui.staffId];
      const started = await start(admin.http, {
        definitionKey: 'leave5',
        variables: { userList: [ids[0], ids[1]], userList2: [ids[2], ids[3]] },
      });
      let tasks = (await complete(admin.http, only(started.tasks, '申请人').id)).createdTasks;
      expect(tasks.map((t) => t.assigneeId)).toEqual([ids[0]]); // sequential: one at a time
      tasks = (await complete(admin.http, tasks[0].id)).createdTasks;
      expect(tasks.map((t) => t.assigneeId)).toEqual([ids[1]]);
      tasks = (await complete(users.ann.http, tasks[0].id)).createdTasks;
      expect(tasks.map((t) => t.assigneeId).sort()).toEqual([ids[2], ids[3]].sort()); // parallel
      expect(
        (await complete(users.bo.http, tasks.find((t) => t.assigneeId === ids[2])!.id)).createdTasks,
      ).toEqual([]);
      const last = await complete(users.hui.http, tasks.find((t) => t.assigneeId === ids[3])!.id);
      expect((await complete(admin.http, only(last.createdTasks, '总经理').id)).instanceStatus).toBe(
        'completed',
      );
    });

    it('camunda MI with completion condition 3/5 ≥ 0.6: the other two are cancelled and the process ends', async () => {
      await deploy(admin.http, corpusXml('camunda-mi-parallel-collection-completion.bpmn'));
      const ids = [admin, users.ann, users.bo, users.hui, users.lea].map((u) => u.staffId);
      const started = await start(admin.http, {
        definitionKey: 'miParallelUserTasksBasedOnCollection',
        variables: { assigneeList: ids },
      });
      expect(started.tasks).toHaveLength(5);
      expect(started.tasks.map((t) => t.multiInstance?.total)).toEqual([5, 5, 5, 5, 5]);
      const by = (session: TestSession) => started.tasks.find((t) => t.assigneeId === session.staffId)!;
      await complete(users.ann.http, by(users.ann).id);
      await complete(users.bo.http, by(users.bo).id);
      expect((await complete(users.hui.http, by(users.hui).id)).instanceStatus).toBe('completed');
      const late = await users.lea.http.post(`/api/v1/workflow/tasks/${by(users.lea).id}/complete`, {});
      expect(late.body).toMatchObject({ code: 4090 });
    });

    it('camunda nested parallel fork/join', async () => {
      await deploy(admin.http, corpusXml('camunda-parallel-nested-fork-join.bpmn'));
      const started = await start(admin.http, { definitionKey: 'nestedForkJoin' });
      const ab = (await complete(admin.http, only(started.tasks, 'Task 0').id)).createdTasks;
      expect((await complete(admin.http, only(ab, 'Task A').id)).createdTasks).toEqual([]);
      const b = (await complete(admin.http, only(ab, 'Task B').id)).createdTasks;
      expect(b.map((t) => t.name).sort()).toEqual(['Task B1', 'Task B2']);
      await complete(admin.http, only(b, 'Task B1').id);
      const c = (await complete(admin.http, only(b, 'Task B2').id)).createdTasks;
      expect((await complete(admin.http, only(c, 'Task C').id)).instanceStatus).toBe('completed');
    });

    it('camunda call activity with in/out mappings and sourceExpression arithmetic', async () => {
      await deploy(admin.http, corpusXml('camunda-callactivity-simple-subprocess.bpmn'));
      await deploy(admin.http, corpusXml('camunda-callactivity-in-out.bpmn'));
      const parent = await start(admin.http, {
        definitionKey: 'subProcessDataInputOutput',
        variables: { superVariable: 'Hello from the super process.' },
      });
      const children = ok<{ rows: { id: string; parentInstanceId: string }[] }>(
        await admin.http.get('/api/v1/workflow/instances?scope=started&definitionKey=simpleSubProcess'),
      );
      const child = children.rows.find((r) => r.parentInstanceId === parent.id)!;
      const childDetail = await instance(admin.http, child.id);
      expect(childDetail.variables).toMatchObject({ subVariable: 'Hello from the super process.' });
      await complete(admin.http, only(childDetail.tasks, 'Task in subprocess').id, {
        variables: { subVariable: 'Hello from sub process.' },
      });
      const afterChild = await instance(admin.http, parent.id);
      expect(afterChild.variables).toMatchObject({ superVariable: 'Hello from sub process.' });
      await complete(admin.http, only(afterChild.tasks, 'Task in super process').id, { variables: { x: 5 } });
      const second = ok<{ rows: { id: string; parentInstanceId: string; status: string }[] }>(
        await admin.http.get(
          '/api/v1/workflow/instances?scope=started&definitionKey=simpleSubProcess&finished=false',
        ),
      ).rows.find((r) => r.parentInstanceId === parent.id)!;
      await complete(admin.http, only(await openTasks(admin.http, second.id), 'Task in subprocess').id, {
        variables: { y: 10 },
      });
      const back = await instance(admin.http, parent.id);
      expect(back.variables).toMatchObject({ z: 15 });
      expect((await complete(admin.http, only(back.tasks, 'Task in super process').id)).instanceStatus).toBe(
        'completed',
      );
    });
  });

  describe('timers fire from database jobs', () => {
    it('a boundary timer cancels the task and escalates; completing first cancels the timer', async () => {
      await deploy(admin.http, fixtureXml('boundary-timer.bpmn'));
      const late = await start(users.ann.http, {
        definitionKey: 'boundaryTimer',
        variables: { due: 'PT1S' },
      });
      const escalated = await until(
        async () => {
          const tasks = await openTasks(users.ann.http, late.id);
          return tasks.some((t) => t.name === 'Escalated') ? tasks : undefined;
        },
        15_000,
        'escalation',
      );
      expect(escalated.map((t) => t.name)).toEqual(['Escalated']);

      const onTime = await start(users.ann.http, {
        definitionKey: 'boundaryTimer',
        variables: { due: 'PT1H' },
      });
      const jobs = ok<{ id: string; status: string; elementId: string }[]>(
        await admin.http.get(`/api/v1/workflow/jobs?instanceId=${onTime.id}`),
      );
      expect(jobs).toEqual([expect.objectContaining({ elementId: 'late', status: 'pending' })]);
      expect((await complete(users.ann.http, only(onTime.tasks, 'Handle').id)).instanceStatus).toBe(
        'completed',
      );
      const after = ok<{ status: string }[]>(
        await admin.http.get(`/api/v1/workflow/jobs?instanceId=${onTime.id}`),
      );
      expect(after.map((j) => j.status)).toEqual(['cancelled']);
    });

    it('an operator can run a pending job now (flowable file with PT1H / PT4H timers)', async () => {
      await deploy(admin.http, corpusXml('flowable-boundary-and-intermediate-timers.bpmn'));
      const started = await start(admin.http, { definitionKey: 'threeTimersProcess' });
      const jobs = ok<{ id: string; elementId: string }[]>(
        await admin.http.get(`/api/v1/workflow/jobs?instanceId=${started.id}&status=pending`),
      );
      expect(jobs).toHaveLength(2); // reminder PT1H (non-interrupting) and PT4H (interrupting), in due order
      const denied = await users.ann.http.post(`/api/v1/workflow/jobs/${jobs[1].id}/execute`);
      expect(denied.status).toBe(403);
      ok(await admin.http.post(`/api/v1/workflow/jobs/${jobs[1].id}/execute`));
      await until(
        async () => (await instance(admin.http, started.id)).status !== 'running' || undefined,
        15_000,
        'timer',
      );
    });
  });

  describe('idempotency and serial numbers', () => {
    it('replays a start and a complete with the same Idempotency-Key', async () => {
      await deploy(admin.http, fixtureXml('single-task.bpmn'));
      const key = { 'idempotency-key': 'start-abc-1' };
      const a = await start(
        users.ann.http,
        { definitionKey: 'singleTask', variables: { pool: 'role:manager' } },
        key,
      );
      const b = await start(
        users.ann.http,
        { definitionKey: 'singleTask', variables: { pool: 'role:manager' } },
        key,
      );
      expect(b.id).toBe(a.id);
      const other = await users.ann.http.post(
        '/api/v1/workflow/instances',
        { definitionKey: 'singleTask', variables: { pool: 'x' } },
        { headers: key },
      );
      expect(other.body).toMatchObject({ code: 4090, reason: 'IDEMPOTENCY_KEY_REUSED' });

      const done1 = await complete(users.max.http, a.tasks[0].id, {}, { 'idempotency-key': 'c-1' });
      const done2 = await complete(users.max.http, a.tasks[0].id, {}, { 'idempotency-key': 'c-1' });
      expect(done2).toEqual(done1);
      expect(await openTasks(users.ann.http, a.id)).toHaveLength(1); // applied once: only "Second" is open
    });

    it('gives concurrent starts distinct serial numbers without gaps', async () => {
      const started = await Promise.all(
        Array.from({ length: 12 }, () =>
          start(users.bo.http, { definitionKey: 'singleTask', variables: { pool: 'x' } }),
        ),
      );
      const seqs = started.map((s) => Number(s.serialNo.split('_').pop())).sort((x, y) => x - y);
      expect(new Set(seqs).size).toBe(12);
      expect(seqs[11] - seqs[0]).toBe(11);
    });
  });

  it("one request id from the client reaches both apps' log lines; the workflow app's error id reaches the client", async () => {
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    const requestId = `trace-${Date.now()}`;
    try {
      // A missing table makes the workflow app's query fail (no coded error): logged there with an error id.
      await db.query('ALTER TABLE workflow.job RENAME TO job_hidden');
      const res = await admin.http.withHeaders({ 'x-request-id': requestId }).get('/api/v1/workflow/jobs');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 5003 });
      expect(res.headers.get('x-request-id')).toBe(requestId);
      const { errorId } = res.body as EnvelopeBody & { errorId?: string };
      expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
      const linesWith = (logs: string) =>
        logs
          .split('\n')
          .filter((line) => line.includes(errorId!))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      // Both processes write the line before answering, but their pipes reach this test in their own time.
      const logged = (app: { logs(): string }) =>
        until(async () => {
          const lines = linesWith(app.logs());
          return lines.length > 0 ? lines : undefined;
        });
      expect(await logged(stack.workflow)).toContainEqual(
        expect.objectContaining({ errorId, requestId, pattern: 'workflow.job.list', msg: 'command failed' }),
      );
      expect(await logged(stack.gateway)).toContainEqual(expect.objectContaining({ errorId, requestId }));
    } finally {
      await db.query('ALTER TABLE workflow.job_hidden RENAME TO job');
      await db.end();
    }
  });
});
