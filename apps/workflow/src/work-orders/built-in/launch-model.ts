/**
 * Seed 002 (flow service): a launched flow over saved form data. `audit` (流程审批) either follows
 * the model, opens one task per department manager named in `taskDeptManager` (the gateway resolves
 * the names to managers; they arrive as `deptManagers`), or jumps to `nextNodeSeq`.
 */
export const LAUNCH_FORMS = {
  'launch-form': {
    name: '看板表单',
    schema: {
      type: 'default',
      id: 'launch-form',
      components: [
        { type: 'textfield', key: 'subject', label: '事项', validate: { required: true, maxLength: 200 } },
        { type: 'textarea', key: 'content', label: '内容', validate: { maxLength: 4000 } },
        { type: 'number', key: 'amount', label: '金额', decimalDigits: 2, validate: { min: 0 } },
      ],
    },
  },
  'launch-audit': {
    name: '审批意见',
    schema: {
      type: 'default',
      components: [
        { type: 'textarea', key: 'auditOpinion', label: '审批意见', validate: { maxLength: 2000 } },
      ],
    },
  },
} as const;

export const LAUNCH_XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="ztbxxDefs" targetNamespace="http://flowdesk.example/builtin/launch">
  <process id="ztbxx01" name="看板流程" isExecutable="true">
    <startEvent id="start" name="发起" camunda:initiator="initiator" camunda:formKey="launch-form" />
    <sequenceFlow id="f_start" sourceRef="start" targetRef="audit" />
    <userTask id="audit" name="审核" camunda:candidateGroups="flow_auditor,super_admin" camunda:formKey="launch-audit" />
    <sequenceFlow id="f_audit" sourceRef="audit" targetRef="toManagers" />
    <exclusiveGateway id="toManagers" name="部门经理审核？" default="f_no_managers" />
    <sequenceFlow id="f_managers" sourceRef="toManagers" targetRef="deptManagerAudit">
      <conditionExpression>\${managerReview}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="f_no_managers" sourceRef="toManagers" targetRef="archive" />
    <userTask id="deptManagerAudit" name="部门经理审核" camunda:assignee="\${manager}" camunda:formKey="launch-audit">
      <multiInstanceLoopCharacteristics isSequential="false" camunda:collection="deptManagers" camunda:elementVariable="manager" />
    </userTask>
    <sequenceFlow id="f_after_managers" sourceRef="deptManagerAudit" targetRef="archive" />
    <userTask id="archive" name="归档" camunda:assignee="\${initiator}" />
    <sequenceFlow id="f_archive" sourceRef="archive" targetRef="end" />
    <endEvent id="end" name="结束" />
  </process>
</definitions>`;
