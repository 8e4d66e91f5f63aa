import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { type EnvelopeBody, loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { corpusXml, instance, ok, start, type TaskView, until } from './workflow-helpers';

/**
 * RuoYi-Vue-Plus's leave2 file (the conformance corpus) with the listeners RuoYi / yudao designers add
 * in its empty `<extensionElements />`: yudao's `${leaveApplyEndProcessor}` at the process end, a task
 * listener that notifies, an audit listener. `replace` puts them where the designer would.
 */
function leaveWithListeners(unmappedOnGeneralManager = false): string {
  const xml = corpusXml('rvp-leave2-exclusive-conditional-flow.bpmn');
  const leader = `<userTask id="Activity_0r8rs5v" name="组长" default="Flow_1z12r58" flowable:assignee="1">
      <extensionElements>
        <flowable:taskListener event="create" delegateExpression="\${leaveNotify}" />
        <flowable:executionListener event="end" delegateExpression="\${leaveAudit}" />
      </extensionElements>`;
  const manager = `<userTask id="Activity_1ex621m" name="总经理" flowable:assignee="1">
      <extensionElements>
        <flowable:executionListener event="start" class="org.dromara.workflow.listener.LeaveAuditListener" />${
          unmappedOnGeneralManager
            ? '\n        <flowable:taskListener event="complete" delegateExpression="${leaveArchiveProcessor}" />'
            : ''
        }
      </extensionElements>`;
  const out = xml
    .replace(
      '<process id="leave2" name="请假流程（排他网关）">',
      `<process id="leave2" name="请假流程（排他网关）">
    <extensionElements>
      <flowable:executionListener event="end" delegateExpression="\${leaveApplyEndProcessor}" />
    </extensionElements>`,
    )
    .replace(
      /<userTask id="Activity_0r8rs5v" name="组长" default="Flow_1z12r58" flowable:assignee="1">\s*<extensionElements \/>/,
      leader,
    )
    .replace(
      /<userTask id="Activity_1ex621m" name="总经理" flowable:assignee="1">\s*<extensionElements \/>/,
      manager,
    );
  if (out.split('Listener').length < 5) throw new Error('the corpus file changed: listeners not placed');
  return out;
}

const MAPPING =
  'leaveApplyEndProcessor=publish, leaveNotify=publish,leaveAudit=ignore,org.dromara.workflow.listener.LeaveAuditListener=ignore';

interface Published {
  topic: string;
  body: { instanceId: string; data: Record<string, unknown> };
}

/** Issue 14, Build 6: named listeners stay refused unless BPMN_LISTENERS maps them to ignore / publish. */
describe('listeners by name (BPMN_LISTENERS)', () => {
  let stack: Stack;
  let admin: TestSession;
  let db: Client;
  let server: Server;
  const received: Published[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ topic: String(req.headers['x-flowdesk-topic']), body: JSON.parse(body) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stack = await startStack({
      label: 'named_listeners',
      gatewayEnv: {
        WORKFLOW_EVENTS_POLL_MS: '100',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_POLL_MS: '100',
      },
      workflowEnv: { BPMN_LISTENERS: MAPPING },
    });
    admin = await loginAsAdmin(stack.http);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    ok(
      await admin.http.post('/api/v1/webhooks', { name: 'listeners', url, topics: ['listener.published'] }),
      'webhook',
    );
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
    server?.close();
  });

  it('a listener the mapping does not name is refused at deploy, naming the element and the listener', async () => {
    const res = await admin.http.post<EnvelopeBody>('/api/v1/workflow/deployments', {
      xml: leaveWithListeners(true),
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 4101, reason: 'INVALID_DEFINITION' });
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        field: 'xml#Activity_1ex621m',
        reason: expect.stringContaining('delegateExpression="${leaveArchiveProcessor}"'),
      }),
    ]);
  });

  it('with the mapping the file deploys unchanged and runs; published listeners reach the webhook, ignored ones nothing', async () => {
    ok(await admin.http.post('/api/v1/workflow/deployments', { xml: leaveWithListeners() }), 'deploy');
    const run = await start(admin.http, { definitionKey: 'leave2', businessKey: 'LEAVE-7' });
    const finish = async (name: string, variables?: Record<string, unknown>) => {
      const task = (await instance(admin.http, run.id)).tasks.find(
        (t: TaskView) => t.name === name && t.status === 'open',
      )!;
      const path = `/api/v1/workflow/tasks/${task.id}/complete`;
      let answer = await admin.http.post(path, variables ? { variables } : {});
      if (answer.status === 403) {
        ok(await admin.http.post(`/api/v1/workflow/tasks/${task.id}/transfer`, { userId: admin.staffId }));
        answer = await admin.http.post(path, variables ? { variables } : {});
      }
      ok(answer, `complete ${name}`);
      return task;
    };
    await finish('申请人');
    const leader = await finish('组长', { entity: { leaveDays: 5 } });
    await finish('总经理');
    expect((await instance(admin.http, run.id)).status).toBe('completed');

    const events = await until(
      async () => {
        const mine = received.filter((r) => r.body.instanceId === run.id);
        return mine.length >= 2 ? mine : undefined;
      },
      20_000,
      'listener webhooks',
    );
    expect(events.every((e) => e.topic === 'listener.published')).toBe(true);
    expect(events.map((e) => e.body.data)).toEqual([
      expect.objectContaining({
        processKey: 'leave2',
        instanceId: run.id,
        businessKey: 'LEAVE-7',
        elementId: 'Activity_0r8rs5v',
        elementName: '组长',
        listenerType: 'task',
        event: 'create',
        listener: 'leaveNotify',
        taskId: leader.id,
      }),
      expect.objectContaining({
        processKey: 'leave2',
        instanceId: run.id,
        elementId: 'leave2',
        listenerType: 'execution',
        event: 'end',
        listener: 'leaveApplyEndProcessor',
      }),
    ]);
    // the ignored listeners (leaveAudit, the LeaveAuditListener class) wrote nothing to the outbox
    const { rows } = await db.query<{ listener: string }>(
      `SELECT payload->>'listener' AS listener FROM workflow.outbox_event
        WHERE instance_id = $1 AND topic = 'listener.published' ORDER BY created_at`,
      [run.id],
    );
    expect(rows.map((r) => r.listener)).toEqual(['leaveNotify', 'leaveApplyEndProcessor']);
  });
});
