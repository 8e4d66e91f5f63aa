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
  InstanceStop = 'workflow.instance.stop',
  InstanceDiscard = 'workflow.instance.discard',
  InstanceDelete = 'workflow.instance.delete',
  InstanceRelaunch = 'workflow.instance.relaunch',
  InstanceRevoke = 'workflow.instance.revoke',
  InstanceUrge = 'workflow.instance.urge',
  InstanceJump = 'workflow.instance.jump',
  InstanceAddSigner = 'workflow.instance.signer.add',
  InstanceRemoveSigner = 'workflow.instance.signer.remove',

  TaskList = 'workflow.task.list',
  TaskGet = 'workflow.task.get',
  TaskClaim = 'workflow.task.claim',
  TaskUnclaim = 'workflow.task.unclaim',
  TaskComplete = 'workflow.task.complete',
  TaskReject = 'workflow.task.reject',
  TaskReturn = 'workflow.task.return',
  TaskReturnTargets = 'workflow.task.return-targets',
  TaskDelegate = 'workflow.task.delegate',
  TaskResolve = 'workflow.task.resolve',
  TaskTransfer = 'workflow.task.transfer',

  JobList = 'workflow.job.list',
  JobExecute = 'workflow.job.execute',

  EventsFetch = 'workflow.events.fetch',
  EventsAck = 'workflow.events.ack',
}
