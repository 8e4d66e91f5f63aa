import type { EntityManager } from 'typeorm';
import { type Actor, DeployDefinitionCommand, InstanceRefCommand, WorkflowPattern } from '@app/contracts';
import { ProcessInstanceEntity } from '@app/database';
import { makeActor } from '@app/testing';
import { startWorkflowMedium, type WorkflowMedium } from '../../__tests__/workflow-medium';
import { UrgeRule } from '../urge-rule';

const bpmn = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="urge">${body}</definitions>`;

/**
 * Urge (催办) as the instance detail offers it: `allows` answers what the urge command (`check`) would,
 * in every case of the rule (the initiator or an admin; a running instance; no urge within
 * WORKFLOW_URGE_INTERVAL_S; a task being approved, on a call activity's child too), with one statement
 * at most per detail read (it was three: the last urge, the descendants, their open tasks) and none
 * when the caller or the status already says no.
 */
describe('UrgeRule.allows (medium)', () => {
  let m: WorkflowMedium;
  let rule: UrgeRule;
  const initiator = makeActor({ id: '40' });
  const stranger = makeActor({ id: '41' });
  let key: string;

  beforeAll(async () => {
    m = await startWorkflowMedium('urge_rule');
    rule = m.app.get(UrgeRule);
    key = (await m.workflow.definition([{ id: 'approve', assignee: '42' }])).key;
    const deploy = (xml: string) =>
      m.call(
        WorkflowPattern.DefinitionDeploy,
        DeployDefinitionCommand.create({ xml, actor: m.workflow.admin }),
      );
    await deploy(
      bpmn(`<process id="urgeTimer" isExecutable="true">
        <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <sequenceFlow id="f2" sourceRef="wait" targetRef="e" /><endEvent id="e" /></process>`),
    );
    await deploy(
      bpmn(`<process id="urgeChild" isExecutable="true">
        <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
        <userTask id="t" name="Child approval" /><sequenceFlow id="f2" sourceRef="t" targetRef="e" /><endEvent id="e" /></process>`),
    );
    await deploy(
      bpmn(`<process id="urgeParent" isExecutable="true">
        <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="call" />
        <callActivity id="call" calledElement="urgeChild" /><sequenceFlow id="f2" sourceRef="call" targetRef="e" /><endEvent id="e" /></process>`),
    );
  });
  afterAll(() => m?.stop());

  const started = async (definitionKey: string) => (await m.workflow.instance(definitionKey, initiator)).id;
  const load = (id: string) => m.dataSource.manager.findOneByOrFail(ProcessInstanceEntity, { id });

  /** allows' answer and the statements it ran, beside check's answer for the same instance. */
  async function ask(
    actor: Actor,
    id: string,
  ): Promise<{ allows: boolean; statements: number; check: boolean }> {
    const instance = await load(id);
    const runner = m.dataSource.createQueryRunner();
    try {
      const query = jest.spyOn(runner, 'query');
      const allows = await rule.allows(runner.manager, actor, instance);
      const statements = query.mock.calls.length;
      const check = await rule.check(runner.manager as EntityManager, actor, instance).then(
        () => true,
        () => false,
      );
      return { allows, statements, check };
    } finally {
      await runner.release();
    }
  }

  it('the initiator and an admin may urge a run whose task is being approved: one statement', async () => {
    const id = await started(key);
    expect(await ask(initiator, id)).toEqual({ allows: true, statements: 1, check: true });
    expect(await ask(m.workflow.admin, id)).toEqual({ allows: true, statements: 1, check: true });
  });

  it('anyone else may not: no statement', async () => {
    const id = await started(key);
    expect(await ask(stranger, id)).toEqual({ allows: false, statements: 0, check: false });
  });

  it('not again within the interval after an urge', async () => {
    const id = await started(key);
    await m.call(WorkflowPattern.InstanceUrge, InstanceRefCommand.create({ id, actor: initiator }));
    expect(await ask(initiator, id)).toEqual({ allows: false, statements: 1, check: false });
  });

  it('not when no task is being approved (the run waits at a timer)', async () => {
    const id = await started('urgeTimer');
    expect(await ask(initiator, id)).toEqual({ allows: false, statements: 1, check: false });
  });

  it("a parent waiting at a call activity: its child's task counts", async () => {
    const id = await started('urgeParent');
    expect(await ask(initiator, id)).toEqual({ allows: true, statements: 1, check: true });
  });

  it('not when the run has ended: no statement', async () => {
    const id = await started(key);
    await m.call(WorkflowPattern.InstanceStop, InstanceRefCommand.create({ id, actor: initiator }));
    expect(await ask(initiator, id)).toEqual({ allows: false, statements: 0, check: false });
  });
});
