import { randomBytes } from 'node:crypto';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { WorkflowPattern } from '@app/contracts';
import {
  type EnvelopeBody,
  type HttpClient,
  loginAsAdmin,
  OtlpCollector,
  type Stack,
  startStack,
} from '@app/testing';
import { deploy, fixtureXml, ok, start, until } from '../workflow/workflow-helpers';

const TIMEOUT_MS = 1500;
const SPAN_KIND = { SERVER: 2, CLIENT: 3 };

describe('gateway ↔ workflow link over TCP', () => {
  let stack: Stack;
  let api: HttpClient;
  const collector = new OtlpCollector();

  beforeAll(async () => {
    // Tracing on in both apps through the standard variables, exporting OTLP/JSON to a collector of the test.
    const endpoint = await collector.start();
    stack = await startStack({
      label: 'workflow_link',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      gatewayEnv: { WORKFLOW_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
    api = (await loginAsAdmin(stack.http)).http;
  });
  afterAll(async () => {
    await stack?.stop();
    await collector.stop();
  });

  it('traces a task completion across both apps, with the request id on both sides', async () => {
    await deploy(api, fixtureXml('boundary-timer.bpmn'));
    const started = await start(api, { definitionKey: 'boundaryTimer', variables: { due: 'PT1H' } });
    const traceId = randomBytes(16).toString('hex');
    const done = await api.post(
      `/api/v1/workflow/tasks/${started.tasks[0].id}/complete`,
      {},
      { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } },
    );
    expect(done.status).toBe(200);
    const requestId = done.headers.get('x-request-id');

    const wanted = [
      ['flowdesk-gateway', 'POST /api/v1/workflow/tasks/:id/complete'],
      ['flowdesk-gateway', 'workflow workflow.task.complete'],
      ['flowdesk-workflow', 'workflow workflow.task.complete'],
      ['flowdesk-workflow', 'engine complete-task'],
    ];
    const spans = await until(
      async () => {
        const found = collector.trace(traceId);
        return wanted.every(([service, name]) => found.some((s) => s.service === service && s.name === name))
          ? found
          : undefined;
      },
      15_000,
      'spans of the completion from both apps',
    );
    const one = (service: string, name: string) => {
      const span = spans.find((s) => s.service === service && s.name === name);
      if (!span)
        throw new Error(
          `no ${service} span ${name} in ${JSON.stringify(spans.map((s) => [s.service, s.name]))}`,
        );
      return span;
    };
    const http = one('flowdesk-gateway', 'POST /api/v1/workflow/tasks/:id/complete');
    const client = one('flowdesk-gateway', 'workflow workflow.task.complete');
    const server = one('flowdesk-workflow', 'workflow workflow.task.complete');
    const engine = one('flowdesk-workflow', 'engine complete-task');
    expect(http.kind).toBe(SPAN_KIND.SERVER);
    expect(client).toMatchObject({ kind: SPAN_KIND.CLIENT, parentSpanId: http.spanId });
    expect(server).toMatchObject({ kind: SPAN_KIND.SERVER, parentSpanId: client.spanId });
    expect(engine.parentSpanId).toBe(server.spanId);
    expect(http.attributes['flowdesk.request_id']).toBe(requestId);
    expect(server.attributes['flowdesk.request_id']).toBe(requestId);
  });

  it('serves liveness and readiness probes on both apps', async () => {
    const workflowProbe = `${stack.workflow.origin}/api/v1/health`;
    for (const url of [`${workflowProbe}/live`, `${workflowProbe}/ready`]) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
    }
    const ready = (await (await fetch(`${workflowProbe}/ready`)).json()) as { data: unknown };
    expect(ready.data).toMatchObject({
      info: { database: { status: 'up' }, link: { status: 'up', transport: 'tcp' } },
    });
    const gatewayReady = await stack.http.get('/api/v1/health/ready');
    expect(gatewayReady.body).toMatchObject({ code: 200, data: { workflow: { status: 'up' } } });
  });

  it('with SHUTDOWN_GRACE_MS, a stopping gateway answers readiness 503 at once and keeps serving until the grace ends', async () => {
    const { gateway, http } = await stack.addGateway({ SHUTDOWN_GRACE_MS: '4000' });
    const session = await loginAsAdmin(http);
    const stopping = gateway.stop(); // SIGTERM, as an orchestrator sends it
    const probe = `${gateway.origin}/api/v1/health/ready`;
    const drained = await until(
      async () => {
        const res = await fetch(probe);
        return res.status === 503
          ? ((await res.json()) as { msg: string; data: { status: string } })
          : undefined;
      },
      3000,
      'readiness 503 after SIGTERM',
    );
    expect(drained).toMatchObject({ msg: 'shutting down', data: { status: 'shutting_down' } });
    // still serving inside the grace: a load balancer has time to take it out before anything is refused
    const me = await session.http.get<EnvelopeBody<unknown>>('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.code).toBe(200);
    await stopping;
    await expect(fetch(probe)).rejects.toThrow(); // then it closes
  });

  it('a gateway stopped by SIGTERM finishes the workflow request in hand, then exits by itself', async () => {
    const { gateway, http } = await stack.addGateway();
    const session = await loginAsAdmin(http);
    stack.workflow.pause(); // the request waits on the link while the stop begins
    try {
      const inHand = session.http.get<EnvelopeBody<{ app: string }>>('/api/v1/workflow/ping');
      await new Promise((r) => setTimeout(r, 300));
      const stopping = gateway.stop();
      await new Promise((r) => setTimeout(r, 300));
      stack.workflow.resume();
      const answer = await inHand;
      expect(answer.status).toBe(200);
      expect(answer.body.data.app).toBe('workflow');
      await stopping;
      // it closed by itself: the answered connection did not hold it open until the harness's SIGKILL
      expect(gateway.exit?.signal).not.toBe('SIGKILL');
    } finally {
      stack.workflow.resume();
    }
  });

  it('proves the link with a ping that carries the workflow version', async () => {
    const res =
      await api.get<EnvelopeBody<{ app: string; version: string; roundTripMs: number }>>(
        '/api/v1/workflow/ping',
      );
    expect(res.status).toBe(200);
    expect(res.body.data.app).toBe('workflow');
    expect(res.body.data.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.body.data.roundTripMs).toBeGreaterThan(0);
  });

  it('answers 5004 at once while the workflow app is killed, and heals when it is back', async () => {
    await stack.workflow.kill();
    const started = Date.now();
    const down = await api.get('/api/v1/workflow/ping');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 5004, reason: 'WORKFLOW_UNAVAILABLE', data: null });

    const health = await stack.http.get('/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({
      code: 5004,
      data: { info: { database: { status: 'up' } }, error: { workflow: { status: 'down' } } },
    });
    // The probes: still live and ready (CRM and identity work without the workflow app), link reported down.
    expect((await stack.http.get('/api/v1/health/live')).status).toBe(200);
    const ready = await stack.http.get('/api/v1/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      code: 200,
      data: { status: 'ok', info: { database: { status: 'up' } }, workflow: { status: 'down' } },
    });
    expect((await api.get('/api/v1/crm/customers')).status).toBe(200);
    expect((await api.get('/api/v1/me')).status).toBe(200);

    await stack.workflow.start();
    const healed = await api.get('/api/v1/workflow/ping');
    expect(healed.status).toBe(200);
    expect(healed.body.code).toBe(200);
  });

  it('answers 5004 within the timeout when the workflow app hangs, and recovers when it wakes', async () => {
    await api.get('/api/v1/workflow/ping'); // an open connection to the process we freeze
    stack.workflow.pause();
    try {
      const started = Date.now();
      const slow = await api.get('/api/v1/workflow/ping');
      const elapsed = Date.now() - started;
      expect(slow.status).toBe(503);
      expect(slow.body).toMatchObject({ code: 5004, reason: 'WORKFLOW_TIMEOUT' });
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1500);
    } finally {
      stack.workflow.resume();
    }
    const after = await api.get('/api/v1/workflow/ping');
    expect(after.status).toBe(200);
  });

  it('the gateway validates a command once: a bad list query is 4101 naming the field', async () => {
    for (const [query, field] of [
      ['pageSize=500', 'pageSize'],
      ['pageNum=0', 'pageNum'],
      [`key=${'k'.repeat(256)}`, 'key'],
      ['latestOnly=maybe', 'latestOnly'],
    ]) {
      const res = await api.get(`/api/v1/workflow/definitions?${query}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 4101, errors: [{ field }] });
    }
    const good = await api.get('/api/v1/workflow/definitions?pageSize=5&latestOnly=true');
    expect(good.body).toMatchObject({ code: 200, data: { pageSize: 5 } });
  });

  it('the todo list, relayed as the workflow app wrote it, is byte for byte the envelope of its tasks as the task route gives them', async () => {
    // every column of a listed task set, text that JSON escapes, and a multi-instance pair
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="relayDefs" targetNamespace="http://flowdesk.example/relay">
  <process id="relayedList" name="审批 &quot;A&quot; \\ tab&#9;line&#8232;end" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="f2" sourceRef="fork" targetRef="sign" />
    <sequenceFlow id="f3" sourceRef="fork" targetRef="pick" />
    <userTask id="sign" name="会签 &lt;b&gt;" camunda:assignee="\${signer}">
      <multiInstanceLoopCharacteristics isSequential="false" camunda:collection="\${signers}" camunda:elementVariable="signer" />
    </userTask>
    <userTask id="pick" name="Pick &quot;one&quot;" camunda:candidateUsers="\${me}" camunda:formKey="form:pick"
      camunda:priority="70" camunda:dueDate="\${due}" />
    <sequenceFlow id="f4" sourceRef="sign" targetRef="join" />
    <sequenceFlow id="f5" sourceRef="pick" targetRef="join" />
    <parallelGateway id="join" />
    <sequenceFlow id="f6" sourceRef="join" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;
    ok(await api.post('/api/v1/workflow/categories', { code: 'relay', name: 'Relay "cat"' }));
    await deploy(api, xml, { category: 'relay' });
    const me = ok<{ profile: { id: string } }>(await api.get('/api/v1/me'), 'me').profile.id;
    const started = await start(api, {
      definitionKey: 'relayedList',
      variables: { signers: [me, me], me, due: '2030-01-02T03:04:05.678Z' },
    });
    expect(started.tasks).toHaveLength(3);
    for (const language of ['zh', 'en']) {
      const headers = { 'accept-language': language };
      const list = await api.get(`/api/v1/workflow/tasks?instanceId=${started.id}&pageSize=5`, { headers });
      expect(list.status).toBe(200);
      expect(list.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const listed = JSON.parse(list.text) as EnvelopeBody<{ rows: { id: string }[] }>;
      expect(listed.data.rows).toHaveLength(3);
      const rows = [];
      for (const row of listed.data.rows) {
        const detail = await api.get(`/api/v1/workflow/tasks/${row.id}`, { headers });
        const { actions: _actions, ...task } = (JSON.parse(detail.text) as EnvelopeBody<{ actions: unknown }>)
          .data;
        rows.push(task);
      }
      const expected = JSON.stringify({ ...listed, data: { total: 3, pageNum: 1, pageSize: 5, rows } });
      expect(list.text).toBe(expected);
    }
    // the rows did carry every kind of value
    const text = (await api.get(`/api/v1/workflow/tasks?instanceId=${started.id}`)).text;
    for (const part of [
      '"priority":70',
      '"formKey":"form:pick"',
      '"dueAt":"2030-01-02T03:04:05.678Z"',
      '"category":"relay"',
    ])
      expect(text).toContain(part);
    expect(text).toContain(`"candidates":["user:${me}"]`);
    expect(text).toMatch(/"multiInstance":\{"index":1,"total":2\}/);
    expect(text).toContain('"processName":"审批 \\"A\\" \\\\ tab');
  });

  it('the workflow app validates a command whose message does not say the gateway validated it', async () => {
    const link = ClientProxyFactory.create({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port: Number(stack.workflow.env.WORKFLOW_TCP_PORT) },
    });
    try {
      const actor = { id: '1', kind: 'staff', permissions: ['*'], dataScope: 'all' };
      const send = (meta: object, body: object) =>
        firstValueFrom(link.send(WorkflowPattern.DefinitionList, { meta, body })).catch((e: unknown) => e);
      for (const meta of [{}, { validated: 'yes' }])
        expect(await send(meta, { actor, pageSize: 500 })).toMatchObject({
          code: 4101,
          errors: [{ field: 'pageSize' }],
        });
      expect(await send({}, { actor: { ...actor, dataScope: 'everything' } })).toMatchObject({
        code: 4101,
        errors: [{ field: 'actor.dataScope' }],
      });
      expect(await send({ validated: true }, { actor, pageNum: 1, pageSize: 5 })).toMatchObject({
        pageSize: 5,
      });
    } finally {
      link.close();
    }
  });

  it('refuses commands without the link secret when one is configured', async () => {
    const secured = await startStack({
      label: 'workflow_link_secret',
      workflowEnv: { WORKFLOW_LINK_SECRET: 'a-shared-secret-of-enough-length' },
      gatewayEnv: { WORKFLOW_LINK_SECRET: 'a-different-secret-of-enough-len' },
    });
    try {
      const admin = (await loginAsAdmin(secured.http)).http;
      const res = await admin.get('/api/v1/workflow/ping');
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 4001, reason: 'LINK_SECRET_MISMATCH' });
    } finally {
      await secured.stop();
    }
  });
});
