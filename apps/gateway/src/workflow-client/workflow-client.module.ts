import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { LinkJsonSocket, natsConnectionOptions, PrefixedNatsClient } from '@app/common';
import { NamedUsers } from './named-users';
import { WORKFLOW_CLIENT_OPTIONS, WORKFLOW_TRANSPORT, WorkflowClient } from './workflow.client';

export interface WorkflowLinkSettings {
  transport: 'tcp' | 'nats';
  host: string;
  port: number;
  natsServers: string;
  natsSubjectPrefix: string;
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
            settings.transport === 'nats'
              ? new PrefixedNatsClient(
                  settings.natsSubjectPrefix,
                  natsConnectionOptions({
                    servers: settings.natsServers,
                    subjectPrefix: settings.natsSubjectPrefix,
                    name: `flowdesk-gateway-${process.pid}`,
                  }),
                )
              : ClientProxyFactory.create({
                  transport: Transport.TCP,
                  // reads a reply sent as JSON text without parsing it (WorkflowClient.relay)
                  options: { host: settings.host, port: settings.port, socketClass: LinkJsonSocket },
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
