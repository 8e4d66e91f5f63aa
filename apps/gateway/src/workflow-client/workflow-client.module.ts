import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { NamedUsers } from './named-users';
import { WORKFLOW_CLIENT_OPTIONS, WORKFLOW_TRANSPORT, WorkflowClient } from './workflow.client';

export interface WorkflowLinkSettings {
  host: string;
  port: number;
  timeoutMs: number;
  linkSecret?: string;
}

@Global()
@Module({})
export class WorkflowClientModule {
  static forRoot(settings: WorkflowLinkSettings): DynamicModule {
    return {
      module: WorkflowClientModule,
      providers: [
        {
          provide: WORKFLOW_TRANSPORT,
          useFactory: () =>
            ClientProxyFactory.create({
              transport: Transport.TCP,
              options: { host: settings.host, port: settings.port },
            }),
        },
        {
          provide: WORKFLOW_CLIENT_OPTIONS,
          useValue: { timeoutMs: settings.timeoutMs, linkSecret: settings.linkSecret },
        },
        NamedUsers,
        WorkflowClient,
      ],
      exports: [WorkflowClient],
    };
  }
}
