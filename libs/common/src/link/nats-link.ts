import { ClientNats, type NatsOptions, ServerNats } from '@nestjs/microservices';
import { isPlainPattern } from './link-route';

type NatsConnectionOptions = Required<NatsOptions>['options'];

/** What both apps need to reach NATS (from their validated config). */
export interface NatsLinkSettings {
  servers: string;
  subjectPrefix: string;
  name: string;
}

export function natsConnectionOptions(settings: NatsLinkSettings): NatsConnectionOptions {
  return {
    servers: settings.servers.split(',').map((s) => s.trim()),
    name: settings.name,
    // A NATS restart must not need an app restart: keep reconnecting (requests fail fast with 5004 meanwhile).
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
  };
}

/**
 * Nest's NATS client with every subject under a prefix, so several deployments (or test stacks) can share
 * one NATS cluster without answering each other's commands.
 */
export class PrefixedNatsClient extends ClientNats {
  constructor(
    private readonly subjectPrefix: string,
    options: NatsConnectionOptions,
  ) {
    super(options);
  }

  protected override normalizePattern(pattern: Parameters<ClientNats['send']>[0]): string {
    return `${this.subjectPrefix}.${super.normalizePattern(pattern)}`;
  }
}

interface Subscription {
  unsubscribe(): void;
}
interface Connection {
  subscribe(
    subject: string,
    options: { queue?: string; callback: (...args: never[]) => unknown },
  ): Subscription;
  drain(): Promise<void>;
  isClosed(): boolean;
}

/**
 * Nest's NATS server subscribing each pattern under the prefix, in one queue group: every command goes to
 * exactly one replica of the group, so replicas share the load (NATS picks one at random per message).
 */
export class PrefixedNatsServer extends ServerNats {
  constructor(
    private readonly subjectPrefix: string,
    private readonly queue: string,
    options: NatsConnectionOptions,
  ) {
    super({ ...options, queue });
  }

  override bindEvents(client: Connection): void {
    const handlers = (this as unknown as { messageHandlers: Map<string, unknown> }).messageHandlers;
    for (const channel of handlers.keys()) {
      client.subscribe(`${this.subjectPrefix}.${channel}`, {
        queue: this.queue,
        callback: this.getMessageHandler(channel).bind(this),
      });
    }
  }

  protected override getRouteFromPattern(pattern: string): string {
    return isPlainPattern(pattern) ? pattern : super.getRouteFromPattern(pattern);
  }

  /** On SIGTERM: stop taking commands, let the ones in hand finish (drain), then close. */
  override async close(): Promise<void> {
    try {
      const connection = this.unwrap<Connection>();
      if (!connection.isClosed()) await connection.drain();
    } catch {
      // never connected, or already closed
    }
    await super.close();
  }

  /** True while connected to NATS (readiness of a replica). */
  connected(): boolean {
    try {
      return !this.unwrap<Connection>().isClosed();
    } catch {
      return false;
    }
  }
}
