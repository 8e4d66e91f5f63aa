/**
 * Operation ids clients can read (`listCustomers`, `getWorkOrder`, `claimTask`) instead of Nest's
 * `CustomersController_list`, derived from the controller and method names so new routes get one too.
 * A route whose `@ApiOperation` sets `operationId` keeps it.
 */

/** First words of a method name read as the operation's verb (`createCategory` → create + Category). */
const VERBS = new Set(
  (
    'list get find tree create add save set update change replace remove delete restore disable enable reset ' +
    'revoke rotate claim unclaim complete reject delegate resolve transfer return stop discard relaunch urge ' +
    'jump start launch handle audit close evaluate intervene print execute deploy run undo upload download ' +
    'export import read retry push publish preview check send resend correlate signal message comment login ' +
    'logout refresh ping stream'
  ).split(' '),
);
/** Verbs over a collection keep the plural noun (`listCustomers`); the others act on one (`getCustomer`). */
const COLLECTION_VERBS = new Set(['list', 'find', 'tree', 'upload', 'export', 'import', 'read', 'stream']);

/** Controller stem → [plural, singular] where the class name does not say it well. */
const NOUNS: Record<string, [string, string]> = {
  Auth: ['', ''],
  Me: ['Me', 'Me'],
  People: ['People', 'Person'],
  Staff: ['Staff', 'Staff'],
  Audit: ['AuditLogs', 'AuditLog'],
  Satisfaction: ['Satisfaction', 'Satisfaction'],
  Sms: ['Sms', 'Sms'],
  Models: ['DataModels', 'DataModel'],
  Records: ['DataRecords', 'DataRecord'],
  Views: ['DataViews', 'DataView'],
  Stats: ['CrmStats', 'CrmStats'],
  WorkflowSystem: ['Workflow', 'Workflow'],
  BpmnEvents: ['', ''],
  Erp: ['ErpSyncs', 'ErpSync'],
  DingTalk: ['DingTalk', 'DingTalk'],
  Monitoring: ['Monitoring', 'Monitoring'],
  Reports: ['Report', 'Report'],
  Inbox: ['InboxMessages', 'InboxMessage'],
  MessageCentre: ['Messages', 'Message'],
  Stream: ['Events', 'Events'],
  Health: ['Health', 'Health'],
  DefinitionForm: ['DefinitionForm', 'DefinitionForm'],
  Attachments: ['Attachments', 'Attachment'],
};

/** Whole ids where the rule reads badly. Key: `Controller.method`. */
const OVERRIDES: Record<string, string> = {
  'HealthController.check': 'getHealth',
  'RecordFormsController.submit': 'submitDataModelForm',
  'HealthController.live': 'getLiveness',
  'HealthController.ready': 'getReadiness',
  'AuthController.refresh': 'refreshToken',
  'AuthController.changePassword': 'changeOwnPassword',
  'DepartmentsController.tree': 'getDepartmentTree',
  'WorkOrderCategoriesController.tree': 'getWorkOrderCategoryTree',
  'ApplicationsController.rotate': 'rotateApplicationSecret',
  'WebhooksController.rotate': 'rotateWebhookSecret',
  'WebhooksController.retry': 'retryWebhookDelivery',
  'WebhooksController.push': 'pushWebhookMessage',
  'TopicsController.publish': 'publishToTopic',
  'BpmnEventsController.signal': 'broadcastSignal',
  'BpmnEventsController.message': 'correlateMessage',
  'InstancesController.correlate': 'correlateInstanceMessage',
  'InstancesController.returnTask': 'returnTask',
  'TasksController.returnTask': 'returnTask',
  'StreamController.stream': 'streamEvents',
  'ExportsController.export': 'exportCrmRecords',
  'ImportsController.run': 'runCrmImport',
  'ImportsController.get': 'getCrmImport',
  'ImportsController.undo': 'undoCrmImport',
  'AttachmentsController.download': 'downloadAttachment',
  'AttachmentsController.remove': 'deleteAttachment',
  'MonitoringController.instances': 'monitorInstances',
  'ReportsController.instances': 'getInstanceReport',
  'ReportsController.durations': 'getDurationReport',
  'ReportsController.workOrders': 'getWorkOrderReport',
  'InboxController.unreadCount': 'countUnreadInboxMessages',
  'InboxController.readAll': 'readAllInboxMessages',
  'InboxController.read': 'readInboxMessage',
  'MessageCentreController.sends': 'listMessageSends',
  'MessageCentreController.send': 'getMessageSend',
  'MessageCentreController.resend': 'resendMessage',
  'MessageCentreController.channels': 'listMessageChannels',
  'MessageCentreController.saveChannel': 'saveMessageChannel',
  'MessageCentreController.words': 'listSensitiveWords',
  'MessageCentreController.saveWords': 'saveSensitiveWords',
  'MessageCentreController.check': 'checkSensitiveWords',
  'MessageCentreController.defaults': 'getPreferenceDefaults',
  'MessageCentreController.saveDefaults': 'savePreferenceDefaults',
  'MessageCentreController.myPreferences': 'getMyPreferences',
  'MessageCentreController.saveMyPreferences': 'saveMyPreferences',
  'MessageCentreController.eventTypes': 'listEventTypes',
  'MessageCentreController.listTemplates': 'listMessageTemplates',
  'MessageCentreController.saveTemplate': 'saveMessageTemplate',
  'MessageCentreController.getTemplate': 'getMessageTemplate',
  'MessageCentreController.setActive': 'setMessageTemplateActive',
  'MessageCentreController.preview': 'previewMessageTemplate',
  'DefinitionsController.categories': 'listDefinitionCategories',
  'DefinitionFormController.form': 'getDefinitionForm',
  'FormsController.processForm': 'getProcessForm',
  'PeopleController.find': 'findPeople',
  'CustomersController.wechatStatus': 'setCustomerWechatStatus',
  'TasksController.returnTargets': 'getTaskReturnTargets',
  'RecordsController.start': 'startDataRecordProcess',
  'StatsController.signing': 'getSigningStats',
  'StatsController.demands': 'getDemandStats',
  'StatsController.followUps': 'getFollowUpStats',
  'DingTalkController.tree': 'getDingTalkDepartmentTree',
};

const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function singular(plural: string): string {
  if (/ies$/.test(plural)) return plural.replace(/ies$/, 'y');
  if (/(ch|sh|ss|x)es$/.test(plural)) return plural.replace(/es$/, '');
  if (/[^s]s$/.test(plural)) return plural.slice(0, -1);
  return plural;
}

function nouns(stem: string): [string, string] {
  return NOUNS[stem] ?? [stem, singular(stem)];
}

/**
 * The id of a platform route from Nest's `Controller_method` (an alias path of the same method has
 * `method[n]`); legacy routes are `legacy` + the surface's controller + the method (`legacyTaskComplete`).
 */
export function operationIdOf(nestId: string, path: string): string {
  const match = /^(\w+?)Controller_(\w+?)(?:\[\d+\])?$/.exec(nestId);
  if (!match) return nestId; // set explicitly with @ApiOperation({ operationId })
  const [, stem, method] = match;
  const override = OVERRIDES[`${stem}Controller.${method}`];
  if (override) return override;
  if (!path.startsWith('/api/v1/')) return `legacy${stem.replace(/Legacy/, '')}${pascal(method)}`;
  const [plural, one] = nouns(stem);
  const [first, ...rest] = method.split(/(?=[A-Z])/);
  if (!VERBS.has(first)) return `get${one}${pascal(method)}`; // a noun: `timeline` → getCustomerTimeline
  if (rest.length > 0) {
    const object = rest.join('');
    // `listOfWorkOrder` (attachments of a work order) → listWorkOrderAttachments
    if (rest[0] === 'Of') return `${first}${rest.slice(1).join('')}${plural}`;
    if (rest[0] === 'To') return `${first}${rest.slice(1).join('')}${one}`;
    return `${first}${one}${object}`;
  }
  return `${first}${COLLECTION_VERBS.has(first) ? plural : one}`;
}
