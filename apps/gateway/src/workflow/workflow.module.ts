import { Module } from '@nestjs/common';
import { WorkflowSystemController } from './system/workflow-system.controller';

/** The public face of the workflow app: REST routes that forward commands over the typed client. */
@Module({ controllers: [WorkflowSystemController] })
export class WorkflowModule {}
