import { loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { complete, deploy, instance, ok, start } from './workflow-helpers';

/**
 * Through the API, every step recovered from PostgreSQL: an error thrown in one iteration of a
 * multi-instance sub-process is caught for that iteration only (Camunda), and a timer that fell due
 * while the instance rested waits for its job — a user completing the task first wins (Camunda's job
 * executor semantics). The job runner is off and no engine is kept between commands here: every
 * step recovers the instance from PostgreSQL, and no job runs during a test.
 */
const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t"';

const reviewRounds = `<definitions ${NS}>
  <error id="E" errorCode="REJECTED" />
  <process id="reviewRounds" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="rounds" />
    <subProcess id="rounds">
      <multiInstanceLoopCharacteristics isSequential="false"><loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics>
      <startEvent id="rs" /><sequenceFlow id="r1" sourceRef="rs" targetRef="review" />
      <subProcess id="review">
        <startEvent id="vs" /><sequenceFlow id="v1" sourceRef="vs" targetRef="work" /><userTask id="work" name="Review" />
        <sequenceFlow id="v2" sourceRef="work" targetRef="gw" /><exclusiveGateway id="gw" default="v4" />
        <sequenceFlow id="v3" sourceRef="gw" targetRef="rejected"><conditionExpression>\${reject}</conditionExpression></sequenceFlow>
        <sequenceFlow id="v4" sourceRef="gw" targetRef="fine" />
        <endEvent id="rejected"><errorEventDefinition errorRef="E" /></endEvent><endEvent id="fine" />
      </subProcess>
      <sequenceFlow id="r2" sourceRef="review" targetRef="re" /><endEvent id="re" />
      <boundaryEvent id="onReject" attachedToRef="review"><errorEventDefinition errorRef="E" /></boundaryEvent>
      <sequenceFlow id="r3" sourceRef="onReject" targetRef="rework" /><userTask id="rework" name="Rework" />
      <sequenceFlow id="r4" sourceRef="rework" targetRef="re2" /><endEvent id="re2" />
    </subProcess>
    <sequenceFlow id="f2" sourceRef="rounds" targetRef="after" /><userTask id="after" name="After rounds" />
    <sequenceFlow id="f3" sourceRef="after" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;

const guarded = `<definitions ${NS}>
  <process id="guardedTask" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="work" />
    <userTask id="work" name="Work" /><sequenceFlow id="f2" sourceRef="work" targetRef="e" /><endEvent id="e" />
    <boundaryEvent id="late" attachedToRef="work"><timerEventDefinition><timeDuration>PT1S</timeDuration></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="f3" sourceRef="late" targetRef="chase" /><userTask id="chase" name="Chase" />
  </process>
</definitions>`;

describe('error scopes and overdue timers over the API', () => {
  let stack: Stack;
  let admin: TestSession;

  beforeAll(async () => {
    stack = await startStack({
      label: 'bpmn_scopes',
      workflowEnv: { WORKFLOW_JOB_POLL_MS: '0', WORKFLOW_HOT_ENGINES: '0' },
    });
    admin = await loginAsAdmin(stack.http);
    for (const xml of [reviewRounds, guarded]) await deploy(admin.http, xml);
  });
  afterAll(() => stack?.stop());

  const openNames = async (id: string) =>
    (await instance(admin.http, id)).tasks
      .filter((t) => t.status === 'open')
      .map((t) => t.name)
      .sort();

  it('a rejection in one round of a parallel multi-instance sub-process is reworked in that round only', async () => {
    const run = await start(admin.http, { definitionKey: 'reviewRounds' });
    const reviews = (await instance(admin.http, run.id)).tasks.filter((t) => t.status === 'open');
    expect(reviews.map((t) => t.name)).toEqual(['Review', 'Review', 'Review']);
    await complete(admin.http, reviews[0]!.id, { variables: { reject: true } });
    // before: the boundary event of every round caught it (three Rework tasks, no Review left)
    expect(await openNames(run.id)).toEqual(['Review', 'Review', 'Rework']);
    for (const task of (await instance(admin.http, run.id)).tasks.filter((t) => t.status === 'open'))
      await complete(admin.http, task.id, { variables: { reject: false } });
    expect(await openNames(run.id)).toEqual(['After rounds']);
  });

  it("a user's completion after the boundary timer fell due, before its job ran, wins", async () => {
    const run = await start(admin.http, { definitionKey: 'guardedTask' });
    const [work] = (await instance(admin.http, run.id)).tasks;
    await new Promise((r) => setTimeout(r, 1500));
    // before: the overdue timer fired as the step resumed the instance, and the completion was refused
    const done = await complete(admin.http, work!.id);
    expect(done.instanceStatus).toBe('completed');
    const detail = await instance(admin.http, run.id);
    expect(detail.history!.filter((h) => h.elementId === 'chase')).toEqual([]);
    expect(detail.history!.find((h) => h.elementId === 'late')).toMatchObject({ outcome: 'cancelled' });
    const jobs = ok<{ status: string }[]>(
      await admin.http.get(`/api/v1/workflow/jobs?instanceId=${run.id}`),
      'jobs',
    );
    expect(jobs.filter((j) => j.status === 'pending')).toEqual([]);
  });
});
