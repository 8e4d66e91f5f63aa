import { Client } from 'pg';
import { type EnvelopeBody, loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { corpusXml, deploy, instance, ok, start, until } from './workflow-helpers';

/**
 * Issue 14: global BPMN signals and messages through the REST API, and a signal thrown inside one
 * instance reaching another (through a signal job the runner delivers); an error end event of a
 * called child reaching its caller; a timer job inside a multi-instance sub-process. One stack for every case.
 */
const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t"';

const catcher = `<definitions ${NS}>
  <signal id="alertSignal" name="alert" />
  <process id="signalCatcher" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
    <userTask id="wait" name="Waiting" />
    <boundaryEvent id="onAlert" attachedToRef="wait"><signalEventDefinition signalRef="alertSignal" /></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="wait" targetRef="e1" /><endEvent id="e1" />
    <sequenceFlow id="f3" sourceRef="onAlert" targetRef="after" /><userTask id="after" name="After alert" />
    <sequenceFlow id="f4" sourceRef="after" targetRef="e2" /><endEvent id="e2" />
  </process>
</definitions>`;

const thrower = `<definitions ${NS}>
  <signal id="alertSignal" name="alert" />
  <process id="signalThrower" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="throw" />
    <intermediateThrowEvent id="throw"><signalEventDefinition signalRef="alertSignal" /></intermediateThrowEvent>
    <sequenceFlow id="f2" sourceRef="throw" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;

const payment = `<definitions ${NS}>
  <message id="paid" name="paymentReceived" />
  <process id="awaitPayment" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="receive" />
    <receiveTask id="receive" messageRef="paid" />
    <sequenceFlow id="f2" sourceRef="receive" targetRef="ship" /><userTask id="ship" name="Ship" />
    <sequenceFlow id="f3" sourceRef="ship" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;

/**
 * A review round: one Review per reviewer, each with its own deadline (the element variable); a missed
 * deadline ends that reviewer's path at an error end event, which the round's boundary turns into a
 * Chase task for the whole round.
 */
const reviewRound = `<definitions ${NS} xmlns:camunda="http://camunda.org/schema/1.0/bpmn">
  <error id="late" errorCode="LATE" />
  <process id="reviewRound" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="round" />
    <subProcess id="round">
      <multiInstanceLoopCharacteristics isSequential="false" camunda:collection="\${limits}" camunda:elementVariable="limit" />
      <startEvent id="rs" /><sequenceFlow id="r1" sourceRef="rs" targetRef="review" />
      <userTask id="review" name="Review" /><sequenceFlow id="r2" sourceRef="review" targetRef="reviewed" /><endEvent id="reviewed" />
      <boundaryEvent id="deadline" attachedToRef="review"><timerEventDefinition><timeDuration>\${limit}</timeDuration></timerEventDefinition></boundaryEvent>
      <sequenceFlow id="r3" sourceRef="deadline" targetRef="missed" /><endEvent id="missed"><errorEventDefinition errorRef="late" /></endEvent>
    </subProcess>
    <sequenceFlow id="f2" sourceRef="round" targetRef="done" /><endEvent id="done" />
    <boundaryEvent id="onLate" attachedToRef="round"><errorEventDefinition errorRef="late" /></boundaryEvent>
    <sequenceFlow id="f3" sourceRef="onLate" targetRef="chase" /><userTask id="chase" name="Chase" />
  </process>
</definitions>`;

/** A child that ends at an error end event `REJECTED` when reviewed with ok=false (a parallel Notes task too). */
const rejectingChild = (key: string) => `<definitions ${NS}>
  <error id="rejected" errorCode="REJECTED" />
  <process id="${key}" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f0" sourceRef="s" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="f1" sourceRef="fork" targetRef="review" /><sequenceFlow id="f5" sourceRef="fork" targetRef="notes" />
    <userTask id="notes" name="Notes" /><sequenceFlow id="f6" sourceRef="notes" targetRef="notesEnd" /><endEvent id="notesEnd" />
    <userTask id="review" name="Review" /><sequenceFlow id="f2" sourceRef="review" targetRef="gw" />
    <exclusiveGateway id="gw" default="f4" />
    <sequenceFlow id="f3" sourceRef="gw" targetRef="fail"><conditionExpression>\${ok == false}</conditionExpression></sequenceFlow>
    <sequenceFlow id="f4" sourceRef="gw" targetRef="done" />
    <endEvent id="fail"><errorEventDefinition errorRef="rejected" /></endEvent>
    <endEvent id="done" />
  </process>
</definitions>`;

const callingParent = (key: string, childKey: string, catcher: string) => `<definitions ${NS}>
  <error id="rejected" errorCode="REJECTED" />
  <process id="${key}" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="call" />
    <callActivity id="call" calledElement="${childKey}" />
    <sequenceFlow id="f2" sourceRef="call" targetRef="after" /><userTask id="after" name="After child" />
    <sequenceFlow id="f3" sourceRef="after" targetRef="e" /><endEvent id="e" />
    ${catcher}
  </process>
</definitions>`;

const CATCHERS = {
  byCode: `<boundaryEvent id="onError" attachedToRef="call"><errorEventDefinition errorRef="rejected" /></boundaryEvent>
    <sequenceFlow id="f4" sourceRef="onError" targetRef="handle" /><userTask id="handle" name="Handle rejection" />`,
  catchAll: `<boundaryEvent id="onError" attachedToRef="call"><errorEventDefinition /></boundaryEvent>
    <sequenceFlow id="f4" sourceRef="onError" targetRef="handle" /><userTask id="handle" name="Handle rejection" />`,
  eventSubProcess: `<subProcess id="esp" triggeredByEvent="true">
      <startEvent id="onError"><errorEventDefinition errorRef="rejected" /></startEvent>
      <sequenceFlow id="f4" sourceRef="onError" targetRef="handle" /><userTask id="handle" name="Handle rejection" />
    </subProcess>`,
  none: '',
};

/** A task with non-interrupting message and signal boundary events, each noting a change (no wait). */
const notes = `<definitions ${NS}>
  <message id="changed" name="orderChanged" /><signal id="recall" name="recall" />
  <process id="orderNotes" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="handle" />
    <userTask id="handle" name="Handle" /><sequenceFlow id="f2" sourceRef="handle" targetRef="e" /><endEvent id="e" />
    <boundaryEvent id="onChange" attachedToRef="handle" cancelActivity="false"><messageEventDefinition messageRef="changed" /></boundaryEvent>
    <sequenceFlow id="f3" sourceRef="onChange" targetRef="note" /><task id="note" />
    <sequenceFlow id="f4" sourceRef="note" targetRef="e2" /><endEvent id="e2" />
    <boundaryEvent id="onRecall" attachedToRef="handle" cancelActivity="false"><signalEventDefinition signalRef="recall" /></boundaryEvent>
    <sequenceFlow id="f5" sourceRef="onRecall" targetRef="e3" /><endEvent id="e3" />
  </process>
</definitions>`;

/** Three reviews at once, each with a non-interrupting message boundary event that notes a change. */
const reviews = `<definitions ${NS}>
  <message id="amended" name="reviewAmended" />
  <process id="reviewsWithNotes" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="round" />
    <subProcess id="round">
      <multiInstanceLoopCharacteristics isSequential="false"><loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics>
      <startEvent id="rs" /><sequenceFlow id="r1" sourceRef="rs" targetRef="review" />
      <userTask id="review" name="Review" /><sequenceFlow id="r2" sourceRef="review" targetRef="re" /><endEvent id="re" />
      <boundaryEvent id="onAmend" attachedToRef="review" cancelActivity="false"><messageEventDefinition messageRef="amended" /></boundaryEvent>
      <sequenceFlow id="r3" sourceRef="onAmend" targetRef="noted" /><endEvent id="noted" />
    </subProcess>
    <sequenceFlow id="f2" sourceRef="round" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;

/** A non-interrupting signal event sub-process that opens a Recheck task beside the main one. */
const rechecks = `<definitions ${NS}>
  <signal id="rates" name="ratesChanged" />
  <process id="quoteRechecks" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="quote" />
    <userTask id="quote" name="Quote" /><sequenceFlow id="f2" sourceRef="quote" targetRef="e" /><endEvent id="e" />
    <subProcess id="onRates" triggeredByEvent="true">
      <startEvent id="rs" isInterrupting="false"><signalEventDefinition signalRef="rates" /></startEvent>
      <sequenceFlow id="r1" sourceRef="rs" targetRef="recheck" /><userTask id="recheck" name="Recheck" />
      <sequenceFlow id="r2" sourceRef="recheck" targetRef="re" /><endEvent id="re" />
    </subProcess>
  </process>
</definitions>`;

/** A non-interrupting timer event sub-process: a Reminder task at each of three firings, one a second. */
const reminders = `<definitions ${NS}>
  <process id="quoteReminders" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="quote" />
    <userTask id="quote" name="Quote" /><sequenceFlow id="f2" sourceRef="quote" targetRef="e" /><endEvent id="e" />
    <subProcess id="onTick" triggeredByEvent="true">
      <startEvent id="tick" isInterrupting="false"><timerEventDefinition><timeCycle>R3/PT1S</timeCycle></timerEventDefinition></startEvent>
      <sequenceFlow id="r1" sourceRef="tick" targetRef="remind" /><userTask id="remind" name="Reminder" />
      <sequenceFlow id="r2" sourceRef="remind" targetRef="re" /><endEvent id="re" />
    </subProcess>
  </process>
</definitions>`;

/** Two checks in parallel; each raises an escalation that a non-interrupting event sub-process handles with a task. */
const escalations = `<definitions ${NS}>
  <escalation id="late" escalationCode="LATE" />
  <process id="parallelChecksEscalating" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="fork" />
    <parallelGateway id="fork" /><sequenceFlow id="fa" sourceRef="fork" targetRef="a" /><sequenceFlow id="fb" sourceRef="fork" targetRef="b" />
    <userTask id="a" name="Check A" /><sequenceFlow id="fa2" sourceRef="a" targetRef="xa" />
    <intermediateThrowEvent id="xa"><escalationEventDefinition escalationRef="late" /></intermediateThrowEvent>
    <sequenceFlow id="fa3" sourceRef="xa" targetRef="ea" /><endEvent id="ea" />
    <userTask id="b" name="Check B" /><sequenceFlow id="fb2" sourceRef="b" targetRef="xb" />
    <intermediateThrowEvent id="xb"><escalationEventDefinition escalationRef="late" /></intermediateThrowEvent>
    <sequenceFlow id="fb3" sourceRef="xb" targetRef="eb" /><endEvent id="eb" />
    <subProcess id="onLate" triggeredByEvent="true">
      <startEvent id="caught" isInterrupting="false"><escalationEventDefinition escalationRef="late" /></startEvent>
      <sequenceFlow id="g1" sourceRef="caught" targetRef="chase" /><userTask id="chase" name="Chase" />
      <sequenceFlow id="g2" sourceRef="chase" targetRef="ce" /><endEvent id="ce" />
    </subProcess>
  </process>
</definitions>`;

describe('BPMN signals and messages over the API', () => {
  let stack: Stack;
  let admin: TestSession;

  beforeAll(async () => {
    stack = await startStack({
      label: 'bpmn_events',
      workflowEnv: { BPMN_MIN_TIMER_CYCLE_MS: '1000' },
    });
    admin = await loginAsAdmin(stack.http);
    for (const xml of [catcher, thrower, payment, notes, reviews, rechecks, reminders, escalations])
      await deploy(admin.http, xml);
    await deploy(admin.http, corpusXml('camunda-message-start-and-none-start.bpmn'));
  });
  afterAll(() => stack?.stop());

  const taskNames = async (id: string) =>
    (await instance(admin.http, id)).tasks.filter((t) => t.status === 'open').map((t) => t.name);

  it('a signal thrown in one instance ends the waiting task of another', async () => {
    const waiting = await start(admin.http, { definitionKey: 'signalCatcher' });
    expect(await taskNames(waiting.id)).toEqual(['Waiting']);
    const throwing = await start(admin.http, { definitionKey: 'signalThrower' });
    expect(throwing.status).toBe('completed');
    await until(
      async () => ((await taskNames(waiting.id)).join() === 'After alert' ? true : undefined),
      20_000,
      'the signal job',
    );
    const detail = await instance(admin.http, waiting.id);
    expect(detail.history?.find((h) => h.elementId === 'wait')).toMatchObject({ outcome: 'cancelled' });
    expect(detail.history?.find((h) => h.elementId === 'wait')?.leftAt).not.toBeNull();
  });

  it('POST /workflow/signals broadcasts to every waiting instance, each once', async () => {
    const a = await start(admin.http, { definitionKey: 'signalCatcher' });
    const b = await start(admin.http, { definitionKey: 'signalCatcher' });
    const reply = ok<{ deliveries: number; instanceIds: string[] }>(
      await admin.http.post('/api/v1/workflow/signals', { name: 'alert', variables: { reason: 'fire' } }),
      'signal',
    );
    expect(reply.instanceIds).toEqual(expect.arrayContaining([a.id, b.id]));
    for (const id of [a.id, b.id]) {
      expect(await taskNames(id)).toEqual(['After alert']);
      expect((await instance(admin.http, id)).variables).toMatchObject({ reason: 'fire' });
    }
    // the boundary event has fired: a second broadcast reaches neither, and changes nothing on them (Camunda sets
    // a signal's variables only on the executions it reaches)
    const versions = await Promise.all(
      [a.id, b.id].map(async (id) => (await instance(admin.http, id)).version),
    );
    const again = ok<{ deliveries: number; instanceIds: string[] }>(
      await admin.http.post('/api/v1/workflow/signals', { name: 'alert', variables: { reason: 'late' } }),
      'signal again',
    );
    expect(again.instanceIds).not.toContain(a.id);
    expect(again.instanceIds).not.toContain(b.id);
    for (const [i, id] of [a.id, b.id].entries()) {
      const after = await instance(admin.http, id);
      expect(after.tasks.filter((t) => t.status === 'open').map((t) => t.name)).toEqual(['After alert']);
      expect(after.variables).toMatchObject({ reason: 'fire' });
      expect(after.version).toBe(versions[i]);
    }
  });

  it('a message correlated by business key reaches exactly that instance', async () => {
    const first = await start(admin.http, { definitionKey: 'awaitPayment', businessKey: 'ORDER-1' });
    const second = await start(admin.http, { definitionKey: 'awaitPayment', businessKey: 'ORDER-2' });
    const reply = ok<{ instanceId: string; started: boolean }>(
      await admin.http.post('/api/v1/workflow/messages', {
        name: 'paymentReceived',
        businessKey: 'ORDER-2',
        variables: { amount: 42 },
      }),
      'message',
    );
    expect(reply).toMatchObject({ instanceId: second.id, started: false });
    expect(await taskNames(second.id)).toEqual(['Ship']);
    expect((await instance(admin.http, second.id)).variables).toMatchObject({ amount: 42 });
    expect(await taskNames(first.id)).toEqual([]);

    // correlation keys narrow by process variables too
    const third = await start(admin.http, { definitionKey: 'awaitPayment', variables: { orderNo: 7 } });
    const byKey = ok<{ instanceId: string }>(
      await admin.http.post('/api/v1/workflow/messages', {
        name: 'paymentReceived',
        correlationKeys: { orderNo: 7 },
      }),
      'message by correlation key',
    );
    expect(byKey.instanceId).toBe(third.id);
  });

  it('a non-interrupting message or signal boundary event takes every one while its task runs (Camunda)', async () => {
    const order = await start(admin.http, { definitionKey: 'orderNotes', businessKey: 'ORDER-N' });
    const entered = async (elementId: string) =>
      (await instance(admin.http, order.id)).history?.filter((h) => h.elementId === elementId).length;
    for (let i = 1; i <= 3; i++) {
      const reply = ok<{ instanceId: string }>(
        await admin.http.post('/api/v1/workflow/messages', { name: 'orderChanged', businessKey: 'ORDER-N' }),
        `message ${i}`,
      );
      expect(reply.instanceId).toBe(order.id);
      expect(await entered('note')).toBe(i);
    }
    for (let i = 1; i <= 2; i++) {
      ok(await admin.http.post('/api/v1/workflow/signals', { name: 'recall' }), `signal ${i}`);
      expect(await entered('e3')).toBe(i);
    }
    expect(await taskNames(order.id)).toEqual(['Handle']);
  });

  it('a repeating reminder whose path waits at a user task is refused at deploy, naming the event (4101)', async () => {
    const reminder = notes
      .replace('id="orderNotes"', 'id="orderReminders"')
      .replace('<task id="note" />', '<userTask id="note" name="Answer the change" />');
    const res = await admin.http.post<EnvelopeBody<unknown>>('/api/v1/workflow/deployments', {
      xml: reminder,
    });
    expect([res.status, res.body.code]).toEqual([400, 4101]);
    expect(JSON.stringify(res.body.errors)).toMatch(/xml#onChange.*waits at <note>/);
  });

  it('a version stored before that refusal existed still starts and runs (an upgrade refuses only new deploys)', async () => {
    // deployed as the allowed model, then its stored XML made what an earlier release accepted
    const earlier = notes
      .replace('id="orderNotes"', 'id="orderReminded"')
      .replace('<task id="note" />', '<userTask id="note" name="Answer the change" />');
    const { id } = await deploy(admin.http, notes.replace('id="orderNotes"', 'id="orderReminded"'));
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      await db.query('UPDATE workflow.process_definition SET xml = $1 WHERE id = $2', [earlier, id]);
    } finally {
      await db.end();
    }
    ok(await admin.http.get(`/api/v1/workflow/definitions/${id}`), 'the stored version');
    const order = await start(admin.http, { definitionId: id, businessKey: 'ORDER-OLD' });
    ok(
      await admin.http.post('/api/v1/workflow/messages', { name: 'orderChanged', businessKey: 'ORDER-OLD' }),
      'message',
    );
    expect((await taskNames(order.id)).sort()).toEqual(['Answer the change', 'Handle']);
  });

  it('a stored version this server no longer compiles is a 4090 naming the element, not a 500', async () => {
    const { id } = await deploy(admin.http, notes.replace('id="orderNotes"', 'id="orderScripted"'));
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      // as if the operator had since withdrawn what let it deploy (here: a script nothing may run)
      const scripted = notes
        .replace('id="orderNotes"', 'id="orderScripted"')
        .replace(
          '<task id="note" />',
          '<scriptTask id="note" scriptFormat="javascript"><script>1</script></scriptTask>',
        );
      await db.query('UPDATE workflow.process_definition SET xml = $1 WHERE id = $2', [scripted, id]);
    } finally {
      await db.end();
    }
    for (const res of [
      await admin.http.get<EnvelopeBody<unknown>>(`/api/v1/workflow/definitions/${id}`),
      await admin.http.post<EnvelopeBody<unknown>>('/api/v1/workflow/instances', { definitionId: id }),
    ]) {
      expect([res.status, res.body.code, res.body.reason]).toEqual([409, 4090, 'DEFINITION_NOT_RUNNABLE']);
      expect(JSON.stringify(res.body.errors)).toContain('xml#note');
    }
    // it does not stop messages and signals from reaching every other definition
    const none = await admin.http.post<EnvelopeBody<unknown>>('/api/v1/workflow/messages', {
      name: 'noSuchMessage',
    });
    expect(none.body).toMatchObject({ code: 404, reason: 'NO_MATCHING_SUBSCRIPTION' });
    ok(await admin.http.post('/api/v1/workflow/signals', { name: 'recall' }), 'signal');
  });

  it('an ambiguous correlation is refused (4090) and nothing moves; no match is 404', async () => {
    const a = await start(admin.http, { definitionKey: 'awaitPayment', businessKey: 'DUP' });
    const b = await start(admin.http, { definitionKey: 'awaitPayment', businessKey: 'DUP' });
    const answer = await admin.http.post('/api/v1/workflow/messages', {
      name: 'paymentReceived',
      businessKey: 'DUP',
    });
    expect(answer.body).toMatchObject({ code: 4090, reason: 'AMBIGUOUS_CORRELATION' });
    expect(await taskNames(a.id)).toEqual([]);
    expect(await taskNames(b.id)).toEqual([]);
    const none = await admin.http.post('/api/v1/workflow/messages', { name: 'noSuchMessage' });
    expect(none.body).toMatchObject({ code: 404, reason: 'NO_MATCHING_SUBSCRIPTION' });
    const bad = await admin.http.post('/api/v1/workflow/messages', { name: '' });
    expect(bad.body).toMatchObject({ code: 4101 });
  });

  // Camunda's correlate(): MismatchingMessageCorrelationException when more than one execution matches
  it('a message three executions of one instance wait for is refused (4090) naming it and the count; nothing moves', async () => {
    const run = await start(admin.http, { definitionKey: 'reviewsWithNotes', businessKey: 'AMEND-1' });
    const before = await instance(admin.http, run.id);
    for (const answer of [
      await admin.http.post<EnvelopeBody<unknown>>('/api/v1/workflow/messages', {
        name: 'reviewAmended',
        businessKey: 'AMEND-1',
      }),
      await admin.http.post<EnvelopeBody<unknown>>(`/api/v1/workflow/instances/${run.id}/messages`, {
        name: 'reviewAmended',
      }),
    ]) {
      expect([answer.status, answer.body.code, answer.body.reason]).toEqual([
        409,
        4090,
        'AMBIGUOUS_CORRELATION',
      ]);
      expect(answer.body.msg).toMatch(/'reviewAmended'.*\b3 executions/);
    }
    const after = await instance(admin.http, run.id);
    expect(after.version).toBe(before.version);
    expect(after.history?.some((h) => h.elementId === 'noted')).toBe(false);
    expect(await taskNames(run.id)).toEqual(['Review', 'Review', 'Review']);
  });

  // Camunda: correlate() to one execution (the REST API's execution message trigger) or correlateAll();
  // the waiting executions are the open entries of the instance's activity view
  it('a message several executions wait for goes to the one named by executionId, or to all with all: true', async () => {
    const run = await start(admin.http, { definitionKey: 'reviewsWithNotes' });
    const correlate = (body: Record<string, unknown>) =>
      admin.http.post<EnvelopeBody<unknown>>(`/api/v1/workflow/instances/${run.id}/messages`, {
        name: 'reviewAmended',
        ...body,
      });
    const ambiguous = await correlate({});
    expect(ambiguous.status).toBe(409);
    const waiting = (await instance(admin.http, run.id)).history!.filter(
      (h) => h.elementId === 'onAmend' && h.leftAt === null,
    );
    expect(waiting).toHaveLength(3);
    // the refusal names them too
    for (const { executionId } of waiting) expect(ambiguous.body.msg).toContain(executionId);
    const noted = async () =>
      (await instance(admin.http, run.id)).history!.filter((h) => h.elementId === 'noted').length;

    ok(await correlate({ executionId: waiting[1]!.executionId }), 'to one execution');
    expect(await noted()).toBe(1);
    ok(await correlate({ all: true }), 'to all');
    expect(await noted()).toBe(4);
    expect(await taskNames(run.id)).toEqual(['Review', 'Review', 'Review']);

    const version = (await instance(admin.http, run.id)).version;
    const review = (await instance(admin.http, run.id)).history!.find((h) => h.elementId === 'review')!;
    for (const [body, field] of [
      [{ executionId: 'onAmend_nope' }, 'executionId'],
      [{ executionId: review.executionId }, 'executionId'], // a task: it waits for no message
      [{ executionId: waiting[0]!.executionId, all: true }, 'all'],
      [{ kind: 'signal', all: true }, 'all'],
      [{ kind: 'signal', executionId: waiting[0]!.executionId }, 'executionId'],
      [{ all: 'yes' }, 'all'],
      [{ executionId: 7 }, 'executionId'],
      [{ name: 'nothingWaitsForThis' }, 'name'],
    ] as const) {
      const answer = await correlate(body);
      expect([answer.status, answer.body.code]).toEqual([400, 4101]);
      expect(JSON.stringify(answer.body)).toContain(`"field":"${field}"`);
    }
    expect((await instance(admin.http, run.id)).version).toBe(version);
  });

  // Camunda (EscalationEventSubprocessTest): a non-interrupting escalation event sub-process handles
  // each escalation in a run of its own; the second came while the first run waited
  it('every escalation starts a run of a non-interrupting escalation event sub-process, runs side by side', async () => {
    const run = await start(admin.http, { definitionKey: 'parallelChecksEscalating' });
    const complete = async (name: string) => {
      const task = (await instance(admin.http, run.id)).tasks.find(
        (t) => t.status === 'open' && t.name === name,
      )!;
      ok(await admin.http.post(`/api/v1/workflow/tasks/${task.id}/complete`, {}), `complete ${name}`);
    };
    await complete('Check A');
    expect((await taskNames(run.id)).sort()).toEqual(['Chase', 'Check B']);
    await complete('Check B');
    expect(await taskNames(run.id)).toEqual(['Chase', 'Chase']);
    expect((await instance(admin.http, run.id)).status).toBe('running');
    await complete('Chase');
    await complete('Chase');
    expect((await instance(admin.http, run.id)).status).toBe('completed');
  });

  // Camunda: each signal starts a run of a non-interrupting event sub-process, also while one waits
  it('every signal starts a run of a non-interrupting event sub-process, runs waiting side by side', async () => {
    const run = await start(admin.http, { definitionKey: 'quoteRechecks' });
    for (let i = 1; i <= 2; i++) {
      const reply = ok<{ instanceIds: string[] }>(
        await admin.http.post('/api/v1/workflow/signals', { name: 'ratesChanged' }),
        'signal',
      );
      expect(reply.instanceIds).toContain(run.id);
    }
    expect((await taskNames(run.id)).sort()).toEqual(['Quote', 'Recheck', 'Recheck']);
    const complete = async (name: string) => {
      const task = (await instance(admin.http, run.id)).tasks.find(
        (t) => t.status === 'open' && t.name === name,
      )!;
      ok(await admin.http.post(`/api/v1/workflow/tasks/${task.id}/complete`, {}), `complete ${name}`);
    };
    await complete('Quote');
    // the process's own path has ended: a signal no longer reaches it (Flowable's
    // SignalEventSubprocessTest.testNonInterruptingSubProcess: 0 subscriptions), its runs finish
    const after = ok<{ instanceIds: string[] }>(
      await admin.http.post('/api/v1/workflow/signals', { name: 'ratesChanged' }),
      'signal',
    );
    expect(after.instanceIds).not.toContain(run.id);
    await complete('Recheck');
    expect(await taskNames(run.id)).toEqual(['Recheck']);
    await complete('Recheck');
    expect((await instance(admin.http, run.id)).status).toBe('completed');
  });

  // Camunda: each firing of a timeCycle starts a run of a non-interrupting event sub-process, also while
  // earlier runs wait; the firings come from the job table (on a kept engine or a recovered one)
  it('every firing of a timer cycle starts a run of a non-interrupting event sub-process, runs side by side', async () => {
    const run = await start(admin.http, { definitionKey: 'quoteReminders' });
    const reminderCount = async () => (await taskNames(run.id)).filter((n) => n === 'Reminder').length;
    await until(async () => ((await reminderCount()) >= 2 ? true : undefined), 15_000, 'two reminders');
    expect((await taskNames(run.id)).filter((n) => n !== 'Reminder')).toEqual(['Quote']);
    const completeOne = async (name: string) => {
      const task = (await instance(admin.http, run.id)).tasks.find(
        (t) => t.status === 'open' && t.name === name,
      )!;
      ok(await admin.http.post(`/api/v1/workflow/tasks/${task.id}/complete`, {}), `complete ${name}`);
    };
    await completeOne('Quote');
    // the process's own path has ended: the cycle's job is gone at once (Flowable's
    // TimerEventSubprocessTest.testNonInterruptingSubProcess), the instance runs for its reminders
    expect(
      ok<unknown[]>(await admin.http.get(`/api/v1/workflow/jobs?instanceId=${run.id}&status=pending`)),
    ).toEqual([]);
    const reminders = await reminderCount();
    expect(reminders).toBeGreaterThanOrEqual(2);
    expect((await instance(admin.http, run.id)).status).toBe('running');
    for (let i = 0; i < reminders; i++) await completeOne('Reminder');
    expect((await instance(admin.http, run.id)).status).toBe('completed');
  });

  it('a message start event starts the process at that start event only; a plain start takes the none start', async () => {
    const started = ok<{ instanceId: string; started: boolean }>(
      await admin.http.post('/api/v1/workflow/messages', {
        name: 'newInvoiceMessage',
        variables: { invoice: 'INV-1' },
      }),
      'message start',
    );
    expect(started.started).toBe(true);
    const byMessage = await instance(admin.http, started.instanceId);
    expect(byMessage.tasks.map((t) => t.elementId)).toEqual(['taskAfterMessageStart']);
    expect(byMessage.variables).toMatchObject({ invoice: 'INV-1' });
    const plain = await start(admin.http, { definitionKey: 'testProcess' });
    expect((await instance(admin.http, plain.id)).tasks.map((t) => t.elementId)).toEqual([
      'taskAfterNoneStart',
    ]);
  });

  it("a reviewer's deadline fired by its job: the error it throws interrupts the round to its boundary", async () => {
    await deploy(admin.http, reviewRound);
    const run = await start(admin.http, {
      definitionKey: 'reviewRound',
      variables: { limits: ['PT1S', 'PT1H'] },
    });
    expect(await taskNames(run.id)).toEqual(['Review', 'Review']);
    // the PT1S job fires its timer on a state recovered after its due time
    expect(
      await until(
        async () => ((await taskNames(run.id)).includes('Chase') ? true : undefined),
        15_000,
        'the PT1S deadline',
      ),
    ).toBe(true);
    const detail = await instance(admin.http, run.id);
    expect(detail.status).toBe('running');
    // the instance's open tasks: the two Reviews are gone, the Chase is there
    expect(detail.tasks.map((t) => [t.name, t.status])).toEqual([['Chase', 'open']]);
    expect(detail.history!.filter((h) => h.leftAt === null).map((h) => h.elementId)).toEqual(['chase']);
    expect(detail.history!.find((h) => h.elementId === 'round')).toMatchObject({ outcome: 'cancelled' });
    expect(
      ok<{ activeActivityIds: string[] }>(
        await admin.http.get(`/api/v1/workflow/instances/${run.id}/diagram`),
      ).activeActivityIds,
    ).toEqual(['chase']);
    // the other reviewer's deadline went with the round
    expect(
      ok<unknown[]>(await admin.http.get(`/api/v1/workflow/jobs?instanceId=${run.id}&status=pending`)),
    ).toEqual([]);
    const chase = detail.tasks.find((t) => t.name === 'Chase')!;
    ok(await admin.http.post(`/api/v1/workflow/tasks/${chase.id}/complete`, {}), 'complete Chase');
    expect((await instance(admin.http, run.id)).status).toBe('completed');
  });

  describe('an error end event in a called child reaches the caller (Camunda)', () => {
    const childOf = async (parentId: string): Promise<{ id: string }> => {
      const rows = ok<{ rows: { id: string; parentInstanceId: string | null }[] }>(
        await admin.http.get('/api/v1/workflow/instances?scope=all&pageSize=200'),
      ).rows;
      const found = rows.find((r) => r.parentInstanceId === parentId);
      if (!found) throw new Error(`no child of ${parentId}`);
      return found;
    };
    const complete = async (instanceId: string, name: string, variables: Record<string, unknown> = {}) => {
      const task = (await instance(admin.http, instanceId)).tasks.find(
        (t) => t.name === name && t.status === 'open',
      );
      if (!task) throw new Error(`no open task ${name} in ${instanceId}`);
      ok(
        await admin.http.post(`/api/v1/workflow/tasks/${task.id}/complete`, { variables }),
        `complete ${name}`,
      );
    };

    it.each(['byCode', 'catchAll', 'eventSubProcess'] as const)(
      'caught by the caller (%s): the call activity is interrupted and the child stops',
      async (catcher) => {
        const childKey = `rejecting_${catcher}`;
        await deploy(admin.http, rejectingChild(childKey));
        await deploy(admin.http, callingParent(`caller_${catcher}`, childKey, CATCHERS[catcher]));
        const parent = await start(admin.http, { definitionKey: `caller_${catcher}` });
        const child = await childOf(parent.id);
        expect((await taskNames(child.id)).sort()).toEqual(['Notes', 'Review']);
        await complete(child.id, 'Review', { ok: false });
        expect(await taskNames(parent.id)).toEqual(['Handle rejection']);
        const detail = await instance(admin.http, parent.id);
        expect(detail.history?.find((h) => h.elementId === 'call')).toMatchObject({ outcome: 'cancelled' });
        // the child's other branch is cancelled with it
        const after = await instance(admin.http, child.id);
        expect(after.status).toBe('stopped');
        expect(after.tasks.filter((t) => t.status === 'open')).toEqual([]);
      },
    );

    it('nothing catches it: the error end event ends its path like a none end event', async () => {
      await deploy(admin.http, rejectingChild('rejecting_none'));
      await deploy(admin.http, callingParent('caller_none', 'rejecting_none', CATCHERS.none));
      const parent = await start(admin.http, { definitionKey: 'caller_none' });
      const child = await childOf(parent.id);
      await complete(child.id, 'Review', { ok: false });
      expect(await taskNames(child.id)).toEqual(['Notes']);
      expect(await taskNames(parent.id)).toEqual([]);
      await complete(child.id, 'Notes');
      expect((await instance(admin.http, child.id)).status).toBe('completed');
      expect(await taskNames(parent.id)).toEqual(['After child']);
    });

    it('a message boundary interrupting the call activity stops the child and cancels its tasks', async () => {
      await deploy(admin.http, rejectingChild('rejecting_cancelled'));
      const parentXml = callingParent(
        'caller_cancelled',
        'rejecting_cancelled',
        `<boundaryEvent id="onCancel" attachedToRef="call"><messageEventDefinition messageRef="cancelCall" /></boundaryEvent>
    <sequenceFlow id="f4" sourceRef="onCancel" targetRef="handle" /><userTask id="handle" name="Handle cancellation" />`,
      ).replace('<process', '<message id="cancelCall" name="cancelCall" />\n  <process');
      await deploy(admin.http, parentXml);
      const parent = await start(admin.http, {
        definitionKey: 'caller_cancelled',
        businessKey: 'call-cancel-1',
      });
      const child = await childOf(parent.id);
      expect((await taskNames(child.id)).sort()).toEqual(['Notes', 'Review']);
      ok(
        await admin.http.post('/api/v1/workflow/messages', {
          name: 'cancelCall',
          businessKey: 'call-cancel-1',
        }),
        'correlate cancelCall',
      );
      expect(await taskNames(parent.id)).toEqual(['Handle cancellation']);
      const after = await instance(admin.http, child.id);
      expect(after.status).toBe('stopped');
      expect(after.tasks.filter((t) => t.status === 'open')).toEqual([]);
    });

    it('the normal path of the child still resumes the caller', async () => {
      await deploy(admin.http, rejectingChild('rejecting_ok'));
      await deploy(admin.http, callingParent('caller_ok', 'rejecting_ok', CATCHERS.byCode));
      const parent = await start(admin.http, { definitionKey: 'caller_ok' });
      const child = await childOf(parent.id);
      await complete(child.id, 'Review', { ok: true });
      await complete(child.id, 'Notes');
      expect(await taskNames(parent.id)).toEqual(['After child']);
    });
  });
});
