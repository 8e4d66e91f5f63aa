import { Client } from 'pg';
import {
  type AppProcess,
  freePort,
  type HttpClient,
  loginAsAdmin,
  metricSum,
  scrape,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { complete, deploy, instance, openTasks, start } from './workflow-helpers';

// submit → (amount > 1000 ? manager : lead) → end; every task is the initiator's
const APPROVAL = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="hot" targetNamespace="http://flowdesk.example/test">
  <process id="hotApproval" name="Hot approval" isExecutable="true">
    <startEvent id="start" camunda:initiator="initiator" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="submit" />
    <userTask id="submit" name="Submit" camunda:assignee="\${initiator}" />
    <sequenceFlow id="f2" sourceRef="submit" targetRef="decide" />
    <exclusiveGateway id="decide" default="f4" />
    <sequenceFlow id="f3" sourceRef="decide" targetRef="manager">
      <conditionExpression>\${amount &gt; 1000}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="f4" sourceRef="decide" targetRef="lead" />
    <userTask id="manager" name="Manager" camunda:assignee="\${initiator}" />
    <userTask id="lead" name="Lead" camunda:assignee="\${initiator}" />
    <sequenceFlow id="f5" sourceRef="manager" targetRef="end" />
    <sequenceFlow id="f6" sourceRef="lead" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

// first → (amount > 1000 ? second : third) → end; every task is the administrators' to claim
const CLAIMED = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="hotc" targetNamespace="http://flowdesk.example/test">
  <process id="hotClaim" name="Hot claim" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="first" />
    <userTask id="first" name="First" camunda:candidateGroups="role:super_admin" />
    <sequenceFlow id="f2" sourceRef="first" targetRef="decide" />
    <exclusiveGateway id="decide" default="f4" />
    <sequenceFlow id="f3" sourceRef="decide" targetRef="second">
      <conditionExpression>\${amount &gt; 1000}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="f4" sourceRef="decide" targetRef="third" />
    <userTask id="second" name="Second" camunda:candidateGroups="role:super_admin" />
    <userTask id="third" name="Third" camunda:candidateGroups="role:super_admin" />
    <sequenceFlow id="f5" sourceRef="second" targetRef="end" />
    <sequenceFlow id="f6" sourceRef="third" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

/**
 * A workflow app keeps the engines of running instances in memory between commands (WORKFLOW_HOT_ENGINES).
 * A kept engine must never run a command on a state other than the saved one: not after another app
 * changed the instance, and not after the command that used it rolled back.
 */
describe('hot engines never run on a stale state', () => {
  let stack: Stack;
  let admin: TestSession;
  /** The same admin through a second gateway whose workflow app is a second replica (own memory). */
  let other: HttpClient;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({ label: 'hot_engines', workflowEnv: { WORKFLOW_HOT_ENGINES: '16' } });
    const tcp = await freePort();
    await stack.addWorkflowReplica({ WORKFLOW_TCP_PORT: String(tcp) });
    const second = await stack.addGateway({ WORKFLOW_TCP_PORT: String(tcp) });
    admin = await loginAsAdmin(stack.http);
    other = second.http.withToken(admin.accessToken);
    await deploy(admin.http, APPROVAL);
    await deploy(admin.http, CLAIMED);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.query(`DROP TRIGGER IF EXISTS refuse_comment ON workflow.comment`).catch(() => undefined);
    await db?.query(`DROP TRIGGER IF EXISTS refuse_assigned ON workflow.outbox_event`).catch(() => undefined);
    await db?.end();
    await stack?.stop();
  });

  const hotEngines = async (app: AppProcess, result: string) =>
    metricSum(await scrape(`${app.origin}/metrics`), 'flowdesk_workflow_hot_engines_total', { result });
  const taskAt = async (instanceId: string, elementId: string) => {
    const task = (await openTasks(admin.http, instanceId)).find((t) => t.elementId === elementId);
    if (!task) throw new Error(`instance ${instanceId} has no open task at ${elementId}`);
    return task;
  };
  const startApproval = async (http: HttpClient) => {
    const started = await start(http, { definitionKey: 'hotApproval', variables: { amount: 5 } });
    expect(started.tasks.map((t) => t.elementId)).toEqual(['submit']);
    return started.id;
  };

  it('a command right after the start runs on the engine the start kept', async () => {
    const id = await startApproval(admin.http);
    const hits = await hotEngines(stack.workflow, 'hit');
    await complete(admin.http, (await taskAt(id, 'submit')).id);
    expect(await hotEngines(stack.workflow, 'hit')).toBe(hits + 1);
    await complete(admin.http, (await taskAt(id, 'lead')).id);
    expect((await instance(admin.http, id)).status).toBe('completed');
  });

  it('after another workflow app moved the instance on, the first app recovers it from the database', async () => {
    const id = await startApproval(admin.http); // the first app keeps its engine waiting at submit
    // the second app completes submit with a large amount: the instance goes to manager there
    await complete(other, (await taskAt(id, 'submit')).id, { variables: { amount: 5000 } });
    const manager = await taskAt(id, 'manager');
    const stale = await hotEngines(stack.workflow, 'stale');
    // the first app must not use its engine (still at submit): it is at another version than the row
    const answer = await complete(admin.http, manager.id);
    expect(answer.instanceStatus).toBe('completed');
    expect(await hotEngines(stack.workflow, 'stale')).toBe(stale + 1);
    const done = await instance(admin.http, id);
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({ amount: 5000 });
  });

  describe('a command that rolls back after its engine step', () => {
    beforeAll(async () => {
      // the database refuses the completion's comment: its last write, after the engine step
      await db.query(`CREATE OR REPLACE FUNCTION workflow.refuse_comment() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'comment refused by the test'; END $$`);
      await db.query(`CREATE TRIGGER refuse_comment BEFORE INSERT ON workflow.comment
        FOR EACH ROW WHEN (NEW.message = 'refused') EXECUTE FUNCTION workflow.refuse_comment()`);
    });

    const refusedCompletion = async (id: string) => {
      const hits = await hotEngines(stack.workflow, 'hit');
      const submit = await taskAt(id, 'submit');
      const answer = await admin.http.post(`/api/v1/workflow/tasks/${submit.id}/complete`, {
        comment: 'refused',
      });
      // a database failure: 503 (the text says more when it is something else)
      expect({ status: answer.status, text: answer.text }).toMatchObject({ status: 503 });
      // the refused command did run on the kept engine (it moved that engine past submit)
      expect(await hotEngines(stack.workflow, 'hit')).toBe(hits + 1);
      expect((await taskAt(id, 'submit')).id).toBe(submit.id);
      return submit;
    };

    it('does not leave its engine kept: the next command starts again from the saved state', async () => {
      const id = await startApproval(admin.http);
      const submit = await refusedCompletion(id);
      const answer = await complete(admin.http, submit.id, { comment: 'ok' });
      expect(answer.createdTasks.map((t) => t.elementId)).toEqual(['lead']);
    });

    it('does not keep its engine for the version it would have written either', async () => {
      const id = await startApproval(admin.http);
      const submit = await refusedCompletion(id);
      // the second app writes that next version, with another outcome (manager, not lead)
      await complete(other, submit.id, { variables: { amount: 5000 } });
      const answer = await complete(admin.http, (await taskAt(id, 'manager')).id);
      expect(answer.instanceStatus).toBe('completed');
      expect((await instance(admin.http, id)).variables).toMatchObject({ amount: 5000 });
    });
  });

  describe('task-only changes (claim, unclaim) move the version, not the state', () => {
    const startClaimed = async () => {
      const started = await start(admin.http, { definitionKey: 'hotClaim', variables: { amount: 5 } });
      expect(started.tasks.map((t) => t.elementId)).toEqual(['first']);
      return started.id;
    };
    const post = (http: HttpClient, taskId: string, action: 'claim' | 'unclaim') =>
      http.post(`/api/v1/workflow/tasks/${taskId}/${action}`, {});
    const claim = async (http: HttpClient, taskId: string) =>
      expect((await post(http, taskId, 'claim')).status).toBe(200);

    it('the completion after claims and unclaims runs on the engine the start kept', async () => {
      const id = await startClaimed();
      const first = await taskAt(id, 'first');
      await claim(admin.http, first.id);
      expect((await post(admin.http, first.id, 'unclaim')).status).toBe(200);
      await claim(admin.http, first.id);
      const [hits, stale] = [
        await hotEngines(stack.workflow, 'hit'),
        await hotEngines(stack.workflow, 'stale'),
      ];
      const answer = await complete(admin.http, first.id);
      expect(answer.createdTasks.map((t) => t.elementId)).toEqual(['third']);
      expect(await hotEngines(stack.workflow, 'hit')).toBe(hits + 1);
      expect(await hotEngines(stack.workflow, 'stale')).toBe(stale);
    });

    it('a claim does not revive an engine that another workflow app made stale', async () => {
      const id = await startClaimed(); // the first app keeps its engine waiting at first
      const first = await taskAt(id, 'first');
      await claim(other, first.id);
      await complete(other, first.id, { variables: { amount: 5000 } }); // the instance goes to second there
      const second = await taskAt(id, 'second');
      await claim(admin.http, second.id); // the first app bumps the version its old engine does not stand for
      const stale = await hotEngines(stack.workflow, 'stale');
      const answer = await complete(admin.http, second.id);
      expect(answer.instanceStatus).toBe('completed');
      expect(await hotEngines(stack.workflow, 'stale')).toBe(stale + 1);
      expect((await instance(admin.http, id)).variables).toMatchObject({ amount: 5000 });
    });

    it('a claim that rolls back leaves the kept engine at the version it stands for', async () => {
      const id = await startClaimed();
      const first = await taskAt(id, 'first');
      // the database refuses the claim's event: its last write, after the version bump
      await db.query(`CREATE OR REPLACE FUNCTION workflow.refuse_assigned() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'assignment refused by the test'; END $$`);
      await db.query(`CREATE TRIGGER refuse_assigned BEFORE INSERT ON workflow.outbox_event
        FOR EACH ROW WHEN (NEW.topic = 'task.assigned') EXECUTE FUNCTION workflow.refuse_assigned()`);
      try {
        const refused = await post(admin.http, first.id, 'claim');
        expect({ status: refused.status, text: refused.text }).toMatchObject({ status: 503 });
      } finally {
        await db.query(`DROP TRIGGER refuse_assigned ON workflow.outbox_event`);
      }
      // the second app writes the version the refused claim would have written, with another state
      await complete(other, first.id, { variables: { amount: 5000 } });
      const second = await taskAt(id, 'second');
      const stale = await hotEngines(stack.workflow, 'stale');
      const answer = await complete(admin.http, second.id);
      expect(answer.instanceStatus).toBe('completed');
      expect(await hotEngines(stack.workflow, 'stale')).toBe(stale + 1);
      expect((await instance(admin.http, id)).variables).toMatchObject({ amount: 5000 });
    });
  });
});
