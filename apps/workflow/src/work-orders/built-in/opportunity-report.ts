/**
 * Seed 000 (云改商机上报): the business-opportunity report. The start form holds the report's own ten
 * fields; each stage adds its own: town-branch leader approval (isSubstLeaderApprove), city
 * government-enterprise approval when support is needed (isZhengQiApprove), collaboration order
 * (boCollaborationOrderNo), marketing outcome (isMarketingSuccess), delivery confirmation
 * (deliveryConfirmLetter): fifteen fields in all.
 */
const YES_NO = [
  { label: '是', value: '是' },
  { label: '否', value: '否' },
];

export const OPPORTUNITY_FORMS = {
  'opportunity-report': {
    name: '商机上报',
    schema: {
      type: 'default',
      id: 'opportunity-report',
      components: [
        {
          type: 'textfield',
          key: 'custName',
          label: '客户名称',
          validate: { required: true, maxLength: 100 },
        },
        {
          type: 'datetime',
          key: 'lastVisitDate',
          subtype: 'date',
          label: '最后拜访日期',
          validate: { required: true },
        },
        {
          type: 'textfield',
          key: 'opportunityType',
          label: '商机类型',
          validate: { required: true, maxLength: 50 },
        },
        {
          type: 'textarea',
          key: 'custBusinessNeeds',
          label: '客户业务需求',
          validate: { required: true, maxLength: 2000 },
        },
        {
          type: 'radio',
          key: 'isNeedSupport',
          label: '是否需要市公司支撑',
          values: YES_NO,
          validate: { required: true },
        },
        { type: 'radio', key: 'isSigned', label: '是否已签约', values: YES_NO, validate: { required: true } },
        { type: 'radio', key: 'isAccepted', label: '是否已受理', values: YES_NO },
        {
          type: 'textfield',
          key: 'accNbr',
          label: '业务接入号',
          validate: { pattern: '[A-Za-z0-9-]{1,32}' },
        },
        { type: 'textarea', key: 'memo', label: '备注', validate: { maxLength: 500 } },
        {
          type: 'number',
          key: 'expectedRevenueIncreasePerMonth',
          label: '预计增收（元/月）',
          decimalDigits: 2,
          validate: { min: 0, max: 100000000 },
        },
      ],
    },
  },
  'opportunity-town-approval': {
    name: '镇分领导审核',
    schema: {
      type: 'default',
      components: [
        {
          type: 'radio',
          key: 'isSubstLeaderApprove',
          label: '镇分领导审核是否同意',
          values: YES_NO,
          validate: { required: true },
        },
      ],
    },
  },
  'opportunity-city-approval': {
    name: '市政企审核',
    schema: {
      type: 'default',
      components: [
        {
          type: 'radio',
          key: 'isZhengQiApprove',
          label: '市政企审核是否同意',
          values: YES_NO,
          validate: { required: true },
        },
      ],
    },
  },
  'opportunity-collaboration': {
    name: '商机协同单',
    schema: {
      type: 'default',
      components: [
        {
          type: 'textfield',
          key: 'boCollaborationOrderNo',
          label: '商机协同单号',
          validate: { required: true, pattern: '[A-Za-z0-9-]{4,40}' },
        },
      ],
    },
  },
  'opportunity-marketing': {
    name: '营销结果',
    schema: {
      type: 'default',
      components: [
        {
          type: 'radio',
          key: 'isMarketingSuccess',
          label: '是否营销成功',
          values: YES_NO,
          validate: { required: true },
        },
      ],
    },
  },
  'opportunity-delivery': {
    name: '交付确认',
    schema: {
      type: 'default',
      components: [
        {
          type: 'textfield',
          key: 'deliveryConfirmLetter',
          label: '交付确认书（地址或编号）',
          validate: { required: true, maxLength: 500 },
        },
      ],
    },
  },
} as const;

export const OPPORTUNITY_XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="opportunityReportDefs" targetNamespace="http://flowdesk.example/builtin/opportunity-report">
  <process id="opportunityReport" name="云改商机上报" isExecutable="true">
    <startEvent id="start" name="商机上报" camunda:initiator="initiator" camunda:formKey="opportunity-report" />
    <sequenceFlow id="f_start" sourceRef="start" targetRef="townLeaderApproval" />
    <userTask id="townLeaderApproval" name="镇分领导审核" camunda:candidateGroups="town_branch_leader" camunda:formKey="opportunity-town-approval" />
    <sequenceFlow id="f_town" sourceRef="townLeaderApproval" targetRef="townApproved" />
    <exclusiveGateway id="townApproved" name="镇分领导同意？" default="f_town_no" />
    <sequenceFlow id="f_town_yes" sourceRef="townApproved" targetRef="needSupport">
      <conditionExpression>\${isSubstLeaderApprove == '是'}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="f_town_no" sourceRef="townApproved" targetRef="endNotApproved" />
    <exclusiveGateway id="needSupport" name="需要市公司支撑？" default="f_support_no" />
    <sequenceFlow id="f_support_yes" sourceRef="needSupport" targetRef="cityApproval">
      <conditionExpression>\${isNeedSupport == '是'}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="f_support_no" sourceRef="needSupport" targetRef="collaborationOrder" />
    <userTask id="cityApproval" name="市政企审核" camunda:candidateGroups="city_gov_enterprise" camunda:formKey="opportunity-city-approval" />
    <sequenceFlow id="f_city" sourceRef="cityApproval" targetRef="cityApproved" />
    <exclusiveGateway id="cityApproved" name="市政企同意？" default="f_city_no" />
    <sequenceFlow id="f_city_yes" sourceRef="cityApproved" targetRef="collaborationOrder">
      <conditionExpression>\${isZhengQiApprove == '是'}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="f_city_no" sourceRef="cityApproved" targetRef="endNotApproved" />
    <userTask id="collaborationOrder" name="商机协同单" camunda:assignee="\${initiator}" camunda:formKey="opportunity-collaboration" />
    <sequenceFlow id="f_collab" sourceRef="collaborationOrder" targetRef="marketingOutcome" />
    <userTask id="marketingOutcome" name="营销结果" camunda:assignee="\${initiator}" camunda:formKey="opportunity-marketing" />
    <sequenceFlow id="f_marketing" sourceRef="marketingOutcome" targetRef="marketingSucceeded" />
    <exclusiveGateway id="marketingSucceeded" name="营销成功？" default="f_marketing_no" />
    <sequenceFlow id="f_marketing_yes" sourceRef="marketingSucceeded" targetRef="deliveryConfirmation">
      <conditionExpression>\${isMarketingSuccess == '是'}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="f_marketing_no" sourceRef="marketingSucceeded" targetRef="endNoSale" />
    <userTask id="deliveryConfirmation" name="交付确认" camunda:assignee="\${initiator}" camunda:formKey="opportunity-delivery" />
    <sequenceFlow id="f_delivery" sourceRef="deliveryConfirmation" targetRef="endDelivered" />
    <endEvent id="endDelivered" name="已交付" />
    <endEvent id="endNoSale" name="营销未成功" />
    <endEvent id="endNotApproved" name="审核未通过" />
  </process>
</definitions>`;
