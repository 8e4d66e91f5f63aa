import { Injectable } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { LinkTcpServer, natsConnectionOptions, PrefixedNatsServer } from '@app/common';
import { WorkflowEnv } from '../config/workflow.env';

/** The command transport this replica serves, kept so readiness can ask whether it is connected. */
@Injectable()
export class LinkServerState {
  nats?: PrefixedNatsServer;

  /** TCP: listening is enough (the port is bound before /ready answers). NATS: connected to the cluster. */
  ready(): { transport: string; connected: boolean } {
    if (!this.nats) return { transport: 'tcp', connected: true };
    return { transport: 'nats', connected: this.nats.connected() };
  }
}

export function linkServerOptions(config: WorkflowEnv, state: LinkServerState): MicroserviceOptions {
  if (config.WORKFLOW_TRANSPORT === 'nats') {
    state.nats = new PrefixedNatsServer(
      config.NATS_SUBJECT_PREFIX,
      config.NATS_QUEUE,
      natsConnectionOptions({
        servers: config.NATS_SERVERS,
        subjectPrefix: config.NATS_SUBJECT_PREFIX,
        name: `flowdesk-workflow-${process.pid}`,
      }),
    );
    return { strategy: state.nats };
  }
  return { strategy: new LinkTcpServer({ host: config.WORKFLOW_TCP_HOST, port: config.WORKFLOW_TCP_PORT }) };
}

export function describeLink(config: WorkflowEnv): string {
  return config.WORKFLOW_TRANSPORT === 'nats'
    ? `nats ${config.NATS_SERVERS} (subjects ${config.NATS_SUBJECT_PREFIX}.*, queue ${config.NATS_QUEUE})`
    : `tcp://${config.WORKFLOW_TCP_HOST}:${config.WORKFLOW_TCP_PORT}`;
}
