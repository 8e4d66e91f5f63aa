/** One description per Swagger tag (the document lists them in this order; an undescribed tag fails its test). */
export const TAG_DESCRIPTIONS: Record<string, string> = {
  health: 'Liveness and readiness of the gateway and the workflow app (no credentials).',
  'identity: auth': 'Sign in, refresh and sign out; change your own password.',
  'identity: me': 'The signed-in member: profile, permissions and menus.',
  'identity: people': 'Find members by name or account to pick assignees and approvers.',
  'identity: staff': 'Members: create, edit, disable, delete and restore; password resets and menu grants.',
  'identity: departments': 'The department tree that data scopes are based on.',
  'identity: groups': 'Groups of members (approver pools, candidate groups of user tasks).',
  'identity: roles': 'Roles: permission sets and a data scope.',
  'identity: menus': 'Menu entries of the console and what grants them.',
  'identity: applications': 'Registered applications and back-end services: the app/service credentials.',
  'identity: audit': 'Who changed what: the audit log.',
  'crm: organizations': 'Client organizations (客户单位).',
  'crm: customers': 'Customers (客户) within the caller’s data scope.',
  'crm: potentials': 'Sales opportunities (商机).',
  'crm: follow-ups': 'Visit and follow-up records (拜访记录).',
  'crm: demands': 'Customer demands (需求).',
  'crm: satisfaction': 'Satisfaction surveys (满意度).',
  'crm: contracts': 'Contracts (合同).',
  'crm: phone uploads': 'SMS templates and the messages and call records uploaded from sales phones.',
  'crm: import and export': 'CSV import (with undo) and export of CRM records.',
  'crm: statistics': 'Signing, demand and follow-up statistics.',
  attachments: 'Files attached to work orders, comments, customers and organizations.',
  'data models: models': 'Custom data models: fields, versions and their form schema.',
  'data models: records':
    'Records of a data model: CRUD, grouping, import/export, change history, starting a process.',
  'data models: views': 'Saved list views of a data model.',
  workflow: 'Reachability of the workflow app.',
  'workflow: definitions': 'BPMN 2.0 deployments, process definitions and their categories.',
  'workflow: instances':
    'Process instances: start, inspect, stop, revoke, urge, jump, add or remove signers.',
  'workflow: tasks': 'User tasks: to-do lists, claim, complete, reject, return, delegate, transfer.',
  'workflow: jobs': 'Timer and retry jobs of the engine.',
  'workflow: signals and messages': 'BPMN signals (broadcast) and messages (correlated to one instance).',
  'workflow: external tasks':
    'External service tasks for REST workers: fetch and lock by topic, complete, fail with retries, extend locks, BPMN errors.',
  'work orders': 'Work orders: create, launch, handle, audit, close, evaluate, print.',
  forms: 'Form schemas (form-js) and their versions; the form of a process step.',
  'monitoring and reports':
    'Running-instance monitoring and reports on instances, durations and work orders.',
  'integrations: ERP': 'Synchronisation runs with the ERP system.',
  'integrations: DingTalk': 'DingTalk departments, members and attendance.',
  'notifications: inbox': 'The signed-in member’s in-app notifications.',
  'notifications: webhooks': 'Webhook subscriptions, their signed deliveries and retries; custom topics.',
  'messages: centre': 'Message templates, channels, sensitive words, preferences and the send log.',
  'admin: dead letters':
    'Events a consumer gave up on after its bounded retries: list them and replay one once the cause is fixed.',
  'messages: server push': 'Server-sent events for the signed-in member.',
  'legacy 000: 云改商机上报支撑系统':
    'The opportunity-reporting system’s original routes, kept for its existing clients; new clients use the platform API.',
  'legacy 001: CRM 后台':
    'The CRM back office’s original routes and answer shape (`status`, `msg`, `data`, `page_info`).',
  'legacy 002: 流程服务':
    'The flow service’s original routes for back-end callers (GET or POST, parameters in the query or body).',
  'legacy 003: 融助手': 'The sales-assistant app’s original routes and answer shape (`code: 0`).',
  'legacy 004: 统一工单中心':
    'The unified work-order centre’s original routes (RuoYi-style answers) for apps and services.',
};
