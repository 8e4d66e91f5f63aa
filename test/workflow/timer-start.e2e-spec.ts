import { type EnvelopeBody, loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { deploy, ok } from './workflow-helpers';

/**
 * Issue 14: timer start events in the app. Two workflow replicas poll the same schedules; each firing
 * starts exactly one instance. A new version replaces the old version's schedules; a suspended
 * definition does not fire. The minimum cycle is an operator's setting (BPMN_MIN_TIMER_CYCLE_MS).
 */
const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t"';

const timerStart = (key: string, cycle: string, task: string) => `<definitions ${NS}>
  <process id="${key}" isExecutable="true">
    <startEvent id="tick"><timerEventDefinition><timeCycle>${cycle}</timeCycle></timerEventDefinition></startEvent>
    <sequenceFlow id="f1" sourceRef="tick" targetRef="work" />
    <userTask id="work" name="${task}" />
    <sequenceFlow id="f2" sourceRef="work" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;

interface Row {
  id: string;
  definitionVersion: number;
  initiatorId: string;
  startedAt: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));

describe('timer start events across two workflow replicas', () => {
  let stack: Stack;
  let admin: TestSession;
  /** Before and after the R3/PT2S deployment (the firings are timed from the first, waited for from the second). */
  let everyTwoSeconds: { deploying: number; deployed: number };

  beforeAll(async () => {
    const workflowEnv = { BPMN_MIN_TIMER_CYCLE_MS: '1000' };
    stack = await startStack({ label: 'timer_start', workflowEnv });
    await stack.addWorkflowReplica();
    admin = await loginAsAdmin(stack.http);
    // The R3/PT2S schedule runs for 11.5 s before its test has read it all: deployed here, its test is the
    // file's last, so the other tests' own schedules run in the meantime instead of after it.
    const deploying = Date.now();
    await deploy(admin.http, timerStart('everyTwoSeconds', 'R3/PT2S', 'Tick'));
    everyTwoSeconds = { deploying, deployed: Date.now() };
  });
  afterAll(() => stack?.stop());

  const instancesOf = async (key: string): Promise<Row[]> =>
    ok<{ rows: Row[] }>(
      await admin.http.get(`/api/v1/workflow/instances?scope=all&definitionKey=${key}&pageSize=200`),
    ).rows;

  it('a new version replaces the old version’s timer start; a suspended definition does not fire', async () => {
    const v1 = await deploy(admin.http, timerStart('replaced', 'R/PT2S', 'Old'));
    await sleep(3_000);
    const v2 = await deploy(admin.http, timerStart('replaced', 'R/PT1S', 'New'));
    const v1Count = (await instancesOf('replaced')).filter((r) => r.definitionVersion === v1.version).length;
    expect(v1Count).toBeGreaterThanOrEqual(1);
    await sleep(3_000);
    const after = await instancesOf('replaced');
    expect(after.filter((r) => r.definitionVersion === v1.version)).toHaveLength(v1Count);
    expect(after.filter((r) => r.definitionVersion === v2.version).length).toBeGreaterThanOrEqual(1);

    ok(await admin.http.patch(`/api/v1/workflow/definitions/${v2.id}`, { suspended: true }), 'suspend');
    await sleep(500); // a firing claimed before the suspension commits may still finish
    const frozen = (await instancesOf('replaced')).length;
    await sleep(3_000);
    expect(await instancesOf('replaced')).toHaveLength(frozen);
    ok(await admin.http.patch(`/api/v1/workflow/definitions/${v2.id}`, { suspended: false }), 'activate');
    await sleep(2_500);
    expect((await instancesOf('replaced')).length).toBeGreaterThan(frozen);
    // stop the schedule for the rest of the file
    ok(await admin.http.patch(`/api/v1/workflow/definitions/${v2.id}`, { suspended: true }), 'suspend again');
  });

  it('a cycle shorter than the configured minimum is refused naming the start event', async () => {
    const res = await admin.http.post<EnvelopeBody>('/api/v1/workflow/deployments', {
      xml: timerStart('tooFast', 'R/PT0.5S', 'Fast'),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field)).toContain('xml#tick');
    expect(JSON.stringify(res.body.errors)).toContain('1000 ms');
  });

  it('R3/PT2S creates three instances, one per firing, on schedule', async () => {
    const { deploying: deployedAt, deployed } = everyTwoSeconds;
    await sleepUntil(deployed + 9_000);
    const rows = await instancesOf('everyTwoSeconds');
    expect(rows).toHaveLength(3);
    const starts = rows.map((r) => Date.parse(r.startedAt) - deployedAt).sort((a, b) => a - b);
    // due at +2 s, +4 s, +6 s; a firing is never early and never two at once
    expect(starts[0]).toBeGreaterThanOrEqual(1_500);
    expect(starts[1]! - starts[0]!).toBeGreaterThan(1_000);
    expect(starts[2]! - starts[1]!).toBeGreaterThan(1_000);
    expect(rows.every((r) => r.initiatorId === 'system:timer')).toBe(true);
    await sleepUntil(deployed + 11_500);
    expect(await instancesOf('everyTwoSeconds')).toHaveLength(3); // the schedule is used up
  });
});
