/**
 * Message patterns the gateway sends to the workflow app over the TCP transport.
 * Do not rename a value: a gateway and a workflow replica of different releases must still agree.
 */
export enum WorkflowPattern {
  Ping = 'workflow.system.ping',

  DefinitionDeploy = 'workflow.definition.deploy',
  DefinitionList = 'workflow.definition.list',
  DefinitionGet = 'workflow.definition.get',
  DefinitionXml = 'workflow.definition.xml',
  DefinitionUpdate = 'workflow.definition.update',
  CategoryList = 'workflow.category.list',
  CategorySave = 'workflow.category.save',
  CategoryDelete = 'workflow.category.delete',

  InstanceStart = 'workflow.instance.start',
  InstanceList = 'workflow.instance.list',
  InstanceGet = 'workflow.instance.get',
  InstanceDiagram = 'workflow.instance.diagram',
  InstanceCorrelate = 'workflow.instance.correlate',

  TaskList = 'workflow.task.list',
  TaskGet = 'workflow.task.get',
  TaskClaim = 'workflow.task.claim',
  TaskUnclaim = 'workflow.task.unclaim',
  TaskComplete = 'workflow.task.complete',

  JobList = 'workflow.job.list',
  JobExecute = 'workflow.job.execute',

  EventsFetch = 'workflow.events.fetch',
  EventsAck = 'workflow.events.ack',
}
