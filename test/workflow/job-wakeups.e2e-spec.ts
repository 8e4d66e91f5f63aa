import { Client } from 'pg';
import { loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { deploy, fixtureXml, instance, start, until } from './workflow-helpers';

const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t"';

const waiter = `<definitions ${NS}>
  <signal id="go" name="wake-up" />
  <process id="signalWaiter" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sleep" />
    <intermediateCatchEvent id="sleep"><signalEventDefinition signalRef="go" /></intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="sleep" targetRef="woken" /><userTask id="woken" name="Woken" />
    <sequenceFlow id="f3" sourceRef="woken" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;

const waker = `<definitions ${NS}>
  <signal id="go" name="wake-up" />
  <process id="signalWaker" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="ring" />
    <intermediateThrowEvent id="ring"><signalEventDefinition signalRef="go" /></intermediateThrowEvent>
    <sequenceFlow id="f2" sourceRef="ring" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;

/**
 * A job written by a command is told to this replica's runner once the command commits (as Camunda
 * hints its job executor): with a poll of a minute, a timer still fires when it falls due and a signal
 * for another instance arrives at once, where each waited for the next poll before. Likewise the
 * outbox events a command commits answer the gateway's held fetch at once, though it polls every 20 s.
 */
describe('jobs wake the runner that wrote them; events wake the gateway', () => {
  let stack: Stack;
  let admin: TestSession;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({
      label: 'job_wakeups',
      workflowEnv: { WORKFLOW_JOB_POLL_MS: '60000' },
      // a fetch may wait a whole poll: the timeout must outlast it
      gatewayEnv: { WORKFLOW_EVENTS_POLL_MS: '20000', WORKFLOW_TIMEOUT_MS: '60000' },
    });
    admin = await loginAsAdmin(stack.http);
    for (const xml of [fixtureXml('boundary-timer.bpmn'), waiter, waker]) await deploy(admin.http, xml);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('the events of a start reach the gateway at once, not at its next poll 20 s on', async () => {
    const started = await start(admin.http, { definitionKey: 'signalWaiter' });
    const handled = async () => {
      const { rows } = await db.query(
        `SELECT count(*)::int AS events, count(p.event_id)::int AS handled
         FROM workflow.outbox_event o LEFT JOIN core.processed_event p ON p.event_id = o.id
         WHERE o.instance_id = $1`,
        [Number(started.id)],
      );
      return rows[0].events > 0 && rows[0].handled === rows[0].events ? true : undefined;
    };
    await until(handled, 5000, "the gateway handling the start's events");
  });

  const openTaskNames = async (id: string) =>
    (await instance(admin.http, id)).tasks.filter((t) => t.status === 'open').map((t) => t.name);

  it('a timer due in 2 s fires then, not at the next poll a minute on', async () => {
    const late = await start(admin.http, { definitionKey: 'boundaryTimer', variables: { due: 'PT2S' } });
    await until(
      async () => ((await openTaskNames(late.id)).join() === 'Escalated' ? true : undefined),
      15_000,
      'the timer',
    );
    // the guarded task, as the server recorded it: left by the timer, never before it was due
    const work = (await instance(admin.http, late.id)).history?.find((h) => h.elementId === 'work');
    expect(work?.outcome).toBe('cancelled');
    expect(Date.parse(work!.leftAt!) - Date.parse(work!.enteredAt)).toBeGreaterThanOrEqual(2000);
  });

  it('a signal thrown in one instance reaches another at once, not at the next poll', async () => {
    const sleeping = await start(admin.http, { definitionKey: 'signalWaiter' });
    expect(await openTaskNames(sleeping.id)).toEqual([]);
    const ringing = await start(admin.http, { definitionKey: 'signalWaker' });
    expect(ringing.status).toBe('completed');
    await until(
      async () => ((await openTaskNames(sleeping.id)).join() === 'Woken' ? true : undefined),
      15_000,
      'the signal job',
    );
  });
});
