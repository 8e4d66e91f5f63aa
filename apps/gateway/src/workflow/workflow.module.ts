import { Module } from '@nestjs/common';
import { BpmnEventsController } from './bpmn-events/bpmn-events.controller';
import { DefinitionListCache } from './definitions/definition-list.cache';
import { DefinitionReferencesRepository } from './definitions/definition-references.repository';
import { DefinitionsController } from './definitions/definitions.controller';
import { ExternalTasksController } from './external-tasks/external-tasks.controller';
import { InstancesController } from './instances/instances.controller';
import { JobsController } from './jobs/jobs.controller';
import { WorkflowSystemController } from './system/workflow-system.controller';
import { TasksController } from './tasks/tasks.controller';

/** The public face of the workflow app: REST routes that forward commands over the typed client. */
@Module({
  controllers: [
    WorkflowSystemController,
    DefinitionsController,
    InstancesController,
    TasksController,
    JobsController,
    BpmnEventsController,
    ExternalTasksController,
  ],
  providers: [DefinitionReferencesRepository, DefinitionListCache],
})
export class WorkflowModule {}
