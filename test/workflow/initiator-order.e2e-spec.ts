import { createStaff, loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { deploy, instance, ok, start } from './workflow-helpers';

/** yudao / RuoYi leave files name the applicant through the start event's initiator variable. */
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:activiti="http://activiti.org/bpmn" id="ioDefs" targetNamespace="http://flowdesk.example/initiator">
  <process id="initiatorOrder" name="Initiator order" isExecutable="true">
    <startEvent id="start" activiti:initiator="employeeName" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="apply" />
    <userTask id="apply" name="Apply" activiti:assignee="\${employeeName}" />
    <sequenceFlow id="f2" sourceRef="apply" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

/**
 * Issue 14, Build 8: Flowable sets the initiator variable first and the start variables after it, so
 * an administrator starting on someone's behalf names them explicitly; the instance's own initiator
 * stays the caller.
 */
describe('activiti:initiator and explicit start variables', () => {
  let stack: Stack;
  let admin: TestSession;
  let applicantId: string;

  beforeAll(async () => {
    stack = await startStack({ label: 'initiator_order' });
    admin = await loginAsAdmin(stack.http);
    applicantId = (await createStaff(admin.http, { account: 'on-behalf' })).id;
    await deploy(admin.http, XML);
  });
  afterAll(() => stack?.stop());

  it('without the variable, the initiator variable is the starter', async () => {
    const run = await start(admin.http, { definitionKey: 'initiatorOrder' });
    const detail = await instance(admin.http, run.id);
    expect(detail.variables).toMatchObject({ employeeName: admin.staffId });
    expect(detail.tasks.map((t) => t.assigneeId)).toEqual([admin.staffId]);
  });

  it('an explicit start variable of the same name wins; the instance initiator stays the caller', async () => {
    const run = await start(admin.http, {
      definitionKey: 'initiatorOrder',
      variables: { employeeName: applicantId },
    });
    const detail = ok<{
      initiatorId: string;
      variables: Record<string, unknown>;
      tasks: { assigneeId: string }[];
    }>(await admin.http.get(`/api/v1/workflow/instances/${run.id}`));
    expect(detail.variables).toMatchObject({ employeeName: applicantId });
    expect(detail.tasks.map((t) => t.assigneeId)).toEqual([applicantId]);
    expect(detail.initiatorId).toBe(admin.staffId);
  });
});
