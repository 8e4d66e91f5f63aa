import {
  createRole,
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, fixtureXml, ok, start } from '../workflow/workflow-helpers';

/** Seed 000's routes replayed as its document writes them: form login, session cookie, path paging. */
describe('legacy 000: 云改商机上报支撑系统', () => {
  let stack: Stack;
  let admin: TestSession;
  let cookie: string;
  const member = { account: 'zhang000', password: 'Pw-zhang000-123456' };
  const leaders: Record<string, TestSession> = {};

  const call = async <T = EnvelopeBody>(
    method: string,
    path: string,
    body?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${stack.http.baseUrl}${path}`, {
      method,
      headers: { cookie, ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    // behind a proxy (TRUST_PROXY): X-Forwarded-Proto tells whether the client came over HTTPS
    stack = await startStack({ label: 'legacy_000', gatewayEnv: { TRUST_PROXY: 'true' } });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    await createStaff(admin.http, { ...member, roleIds: [staff] });
    await deploy(admin.http, fixtureXml('single-task.bpmn'));
    ok(await admin.http.post('/api/v1/work-order-templates/opportunityReport/deploy', {}), 'deploy');
    for (const code of ['town_branch_leader', 'city_gov_enterprise']) {
      const role = await createRole(admin.http, { code, permissions: [], dataScope: 'own' });
      const leader = await createStaff(admin.http, { account: `${code}_1`, roleIds: [role] });
      leaders[code] = await loginAs(stack.http, leader.account, leader.password);
    }
  });
  afterAll(() => stack?.stop());

  it('POST /doLogin (form-urlencoded) answers {msg:"",status:"ok"} and sets the session cookie, not Secure over plain HTTP', async () => {
    const res = await fetch(`${stack.http.baseUrl}/doLogin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ accountId: member.account, pass: member.password }).toString(),
    });
    const body = (await res.json()) as { msg: string; status: string; token: string };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ msg: '', status: 'ok' });
    const setCookie = res.headers.get('set-cookie')!;
    // the document's clients are plain-HTTP intranet pages: a Secure cookie would never come back
    expect(setCookie).toMatch(/^flowdesk_token=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    cookie = setCookie.split(';')[0];
    const kept = await call<EnvelopeBody>('GET', '/currentProcessInstances/10/1');
    expect(kept.body.code).toBe(200);
  });

  it('over HTTPS (X-Forwarded-Proto from the trusted proxy) the session cookie is Secure', async () => {
    const res = await fetch(`${stack.http.baseUrl}/doLogin`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-proto': 'https',
      },
      body: new URLSearchParams({ accountId: member.account, pass: member.password }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(
      /^flowdesk_token=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Strict$/,
    );
  });

  it('/doLogin validation failures answer its own {msg,status:"error"} shape (HTTP 200), naming the field', async () => {
    for (const body of [{ accountId: '', pass: 'x' }, { accountId: member.account }]) {
      const res = await fetch(`${stack.http.baseUrl}/doLogin`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body as Record<string, string>).toString(),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toBeNull();
      const answer = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(answer).sort()).toEqual(['msg', 'status']);
      expect(answer.status).toBe('error');
      expect(answer.msg).toMatch(body.accountId === '' ? /accountId/ : /pass/);
    }
  });

  it('a wrong password answers status "error" with HTTP 200, like every business failure of seed 000', async () => {
    const res = await call<{ status: string; msg: string }>('POST', '/doLogin', {
      accountId: member.account,
      pass: 'wrong-password',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('error');
    // S000-01: {"msg":"用户名或密码错误","status":"error"}, an unknown account alike (it said 令牌无效或已过期)
    expect(res.body).toEqual({ msg: '用户名或密码错误', status: 'error' });
    const unknown = await call('POST', '/doLogin', { accountId: 'nobody000', pass: 'wrong-password' });
    expect(unknown.body).toEqual(res.body);
    const noCookie = await fetch(`${stack.http.baseUrl}/currentProcessInstances/10/1`);
    expect(noCookie.status).toBe(200);
    expect(((await noCookie.json()) as EnvelopeBody).code).toBe(4004);
  });

  it('lists, diagram and claim work with the cookie alone; the platform sees the same state', async () => {
    const me = ok<{ staffId?: string; profile: { id: string } }>(
      await stack.http.get('/api/v1/me', {
        headers: { authorization: `Bearer ${decodeURIComponent(cookie.split('=')[1])}` },
      }),
    );
    const started = await start(admin.http, {
      definitionKey: 'singleTask',
      variables: { pool: 'role:staff' },
    });
    const claimable = await call<EnvelopeBody<{ total: number; rows: { id: string }[] }>>(
      'GET',
      '/needAcceptTasks/10/1',
    );
    expect(claimable.body.code).toBe(200);
    expect(claimable.body.data.rows.map((t) => t.id)).toContain(started.tasks[0].id);
    const held = await call<EnvelopeBody<{ rows: { id: string }[] }>>('GET', '/acceptedTasks/10/1');
    expect(held.body.data.rows.map((t) => t.id)).not.toContain(started.tasks[0].id);

    const claimed = await call<EnvelopeBody>('POST', `/task/${started.tasks[0].id}/receive`);
    expect(claimed.body.code).toBe(200);
    const heldNow = await call<EnvelopeBody<{ rows: { id: string; assigneeId: string }[] }>>(
      'GET',
      '/acceptedTasks/10/1',
    );
    expect(heldNow.body.data.rows).toEqual([
      expect.objectContaining({ id: started.tasks[0].id, assigneeId: me.profile.id }),
    ]);
    const platform = ok<{ assigneeId: string }>(
      await admin.http.get(`/api/v1/workflow/tasks/${started.tasks[0].id}`),
    );
    expect(platform.assigneeId).toBe(me.profile.id);
    const again = await call<EnvelopeBody>('POST', `/task/${started.tasks[0].id}/receive`);
    expect(again.body.code).toBe(200); // claiming one's own task again is a no-op

    const mine = await start(stack.http.withToken(decodeURIComponent(cookie.split('=')[1])), {
      definitionKey: 'singleTask',
      variables: { pool: 'x' },
    });
    const current = await call<EnvelopeBody<{ total: number; rows: { id: string }[] }>>(
      'GET',
      '/currentProcessInstances/10/1',
    );
    expect(current.body.data.rows.map((r) => r.id)).toEqual([mine.id]);
    const finished = await call<EnvelopeBody<{ total: number }>>('GET', '/histProcessInstances/10/1');
    expect(finished.body.data.total).toBe(0);
    const diagram = await call<EnvelopeBody<{ xml: string; activeActivityIds: string[] }>>(
      'GET',
      `/processDiagram/${mine.id}`,
    );
    expect(diagram.body.data.activeActivityIds).toEqual(['approve']);
    expect(diagram.body.data.xml).toContain('singleTask');
    const foreign = await call<EnvelopeBody>('GET', '/processDiagram/999999');
    expect(foreign.body.code).toBe(404);
  });

  it('POST /process starts the opportunity report with the 15 fields; claim and complete run it to the end', async () => {
    type Progress = {
      processInstanceId: string;
      serialNumber: string;
      workOrderId: string;
      status: string;
      taskId: string | null;
      openTasks: { taskId: string; name: string; elementId: string }[];
    };
    // the document's 15 fields, yes/no answers in the spellings its clients use
    const report = {
      custName: '南昌某制造公司',
      lastVisitDate: '2026-11-18',
      opportunityType: '云网融合',
      custBusinessNeeds: '专线 + 云主机',
      isNeedSupport: 'Y',
      isSigned: false,
      isAccepted: '0',
      accNbr: '0791-86660000',
      memo: '年底前签约',
      isSubstLeaderApprove: '是',
      isZhengQiApprove: '是',
      boCollaborationOrderNo: '',
      isMarketingSuccess: '否',
      deliveryConfirmLetter: '',
      expectedRevenueIncreasePerMonth: '8000.5',
    };
    const bad = await call('POST', '/process', { ...report, isNeedSupport: 'maybe', custName: '' });
    expect(bad.status).toBe(200);
    expect(bad.body.code).toBe(4101);
    expect(
      (bad.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field).sort(),
    ).toEqual(['custName', 'isNeedSupport']);
    const missing = await call('POST', '/process', { custName: '只有名称' });
    expect(missing.body.code).toBe(4101); // the built-in start form requires the visit date, type, needs …
    expect((missing.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['lastVisitDate', 'opportunityType', 'custBusinessNeeds']),
    );

    // a client sends every field; the later stages' yes/no answers are "" = not decided yet
    const undecided = await call<EnvelopeBody<Progress>>('POST', '/process', {
      ...report,
      isSubstLeaderApprove: '',
      isZhengQiApprove: '',
      isMarketingSuccess: '',
    });
    expect(undecided.status).toBe(200);
    expect(undecided.body.code).toBe(200);
    expect(undecided.body.data.openTasks.map((t) => t.elementId)).toEqual(['townLeaderApproval']);
    const undecidedOrder = ok<{ formData: Record<string, unknown> }>(
      await admin.http.get(`/api/v1/work-orders/${undecided.body.data.workOrderId}`),
    );
    expect(undecidedOrder.formData).not.toHaveProperty('isSubstLeaderApprove');
    expect(undecidedOrder.formData).not.toHaveProperty('isMarketingSuccess');

    const started = await call<EnvelopeBody<Progress>>('POST', '/process', report, {
      'idempotency-key': 'proc-1',
    });
    expect(started.body.code).toBe(200);
    const p = started.body.data;
    expect(p).toMatchObject({ status: 'running', serialNumber: expect.stringMatching(/^SJSB_\d{6}_\d{4}$/) });
    expect(p.openTasks.map((t) => t.elementId)).toEqual(['townLeaderApproval']);
    const again = await call<EnvelopeBody<Progress>>('POST', '/process', report, {
      'idempotency-key': 'proc-1',
    });
    expect(again.body.data.processInstanceId).toBe(p.processInstanceId);
    const running = await call<EnvelopeBody<{ rows: { id: string }[] }>>(
      'GET',
      '/currentProcessInstances/50/1',
    );
    expect(running.body.data.rows.map((r) => r.id)).toContain(p.processInstanceId);

    // the leaders claim (领取) then complete with their stage's field, as seed 000 clients would
    const leaderCall = async <T>(
      who: TestSession,
      method: string,
      path: string,
      body?: Record<string, unknown>,
    ) => {
      const res = await fetch(`${stack.http.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${who.accessToken}`, 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
      });
      return (await res.json()) as EnvelopeBody<T>;
    };
    const town = leaders.town_branch_leader;
    const claimable = await leaderCall<{ rows: { id: string }[] }>(town, 'GET', '/needAcceptTasks/20/1');
    expect(claimable.data.rows.map((r) => r.id)).toContain(p.taskId);
    expect((await leaderCall(town, 'POST', `/task/${p.taskId}/receive`)).code).toBe(200);
    const wrong = await leaderCall(town, 'POST', `/task/${p.taskId}/complete`, {
      isSubstLeaderApprove: 'ok',
    });
    expect(wrong.code).toBe(4101);
    const afterTown = await leaderCall<Progress>(town, 'POST', `/task/${p.taskId}/complete`, {
      isSubstLeaderApprove: true,
      comment: '同意',
    });
    expect(afterTown.code).toBe(200);
    expect(afterTown.data.openTasks.map((t) => t.elementId)).toEqual(['cityApproval']);
    const city = leaders.city_gov_enterprise;
    const cityTask = afterTown.data.openTasks[0].taskId;
    expect((await leaderCall(city, 'POST', `/task/${cityTask}/receive`)).code).toBe(200);
    let step = await leaderCall<Progress>(city, 'POST', `/task/${cityTask}/complete`, {
      isZhengQiApprove: 'Y',
    });
    for (const [elementId, fields] of [
      ['collaborationOrder', { boCollaborationOrderNo: 'XT-2026-0100' }],
      ['marketingOutcome', { isMarketingSuccess: 1 }],
      ['deliveryConfirmation', { deliveryConfirmLetter: 'JF-0100' }],
    ] as const) {
      expect(step.data.openTasks.map((t) => t.elementId)).toEqual([elementId]);
      const next = step.data.openTasks[0].taskId;
      step = await call<EnvelopeBody<Progress>>('POST', `/task/${next}/complete`, fields).then((r) => r.body);
      expect(step.code).toBe(200);
    }
    expect(step.data.status).toBe('completed');

    // the same record on the platform and in the history list
    const order = ok<{ status: string; formData: Record<string, unknown> }>(
      await admin.http.get(`/api/v1/work-orders/${p.workOrderId}`),
    );
    expect(order.status).toBe('completed');
    expect(order.formData).toMatchObject({
      custName: report.custName,
      isNeedSupport: '是',
      isSigned: '否',
      isSubstLeaderApprove: '是',
      isZhengQiApprove: '是',
      isMarketingSuccess: '是',
      deliveryConfirmLetter: 'JF-0100',
    });
    const finished = await call<EnvelopeBody<{ rows: { id: string }[] }>>(
      'GET',
      '/histProcessInstances/50/1',
    );
    expect(finished.body.data.rows.map((r) => r.id)).toContain(p.processInstanceId);
  });

  it('POST /process as a form (application/x-www-form-urlencoded) with all 15 fields, later ones empty, as a plain page posts it', async () => {
    const res = await fetch(`${stack.http.baseUrl}/process`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        custName: '赣州某物流公司',
        lastVisitDate: '2026-11-19',
        opportunityType: '物联网',
        custBusinessNeeds: '车辆定位',
        isNeedSupport: '否',
        isSigned: '否',
        isAccepted: '',
        accNbr: '',
        memo: '',
        isSubstLeaderApprove: '',
        isZhengQiApprove: '',
        boCollaborationOrderNo: '',
        isMarketingSuccess: '',
        deliveryConfirmLetter: '',
        expectedRevenueIncreasePerMonth: '1200',
      }).toString(),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as EnvelopeBody<{ status: string; openTasks: { elementId: string }[] }>;
    expect(body.code).toBe(200);
    expect(body.data.status).toBe('running');
    expect(body.data.openTasks.map((t) => t.elementId)).toEqual(['townLeaderApproval']);
  });

  it('POST /staff/password changes the password and renews the cookie', async () => {
    const res = await call<EnvelopeBody>('POST', '/staff/password', {
      oldPassword: member.password,
      newPassword: 'New-Passw0rd-000',
    });
    expect(res.body.code).toBe(200);
    const renewed = res.headers.get('set-cookie');
    expect(renewed).toMatch(/^flowdesk_token=/);
    const stale = await call<EnvelopeBody>('GET', '/currentProcessInstances/10/1');
    expect(stale.body.code).toBe(4004); // the old session ended
    cookie = renewed!.split(';')[0];
    expect((await call<EnvelopeBody>('GET', '/currentProcessInstances/10/1')).body.code).toBe(200);
    const wrongOld = await call<EnvelopeBody>('POST', '/staff/password', {
      oldPassword: 'nope-nope',
      newPassword: 'Another-Passw0rd',
    });
    expect(wrongOld.status).toBe(200);
    expect(wrongOld.body).toMatchObject({ code: 4101, errors: [{ field: 'oldPassword' }] });
  });
});
