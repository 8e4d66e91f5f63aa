import { Client } from 'pg';

const RECONNECT_MS = 1000;

export interface ChannelListenerOptions {
  url: string;
  channel: string;
  applicationName: string;
  /** A notification on the channel (its payload, '' when none). */
  onMessage(payload: string): void;
  /**
   * The connection was lost (`lost`, with its error if any; not called for `stop()`) or (re)established:
   * anything learnt before may have missed a notification.
   */
  onReset(lost: boolean, error?: Error): void;
}

/**
 * One PostgreSQL LISTEN connection that reconnects by itself. While it is down `live` is false: a
 * cache kept fresh by the channel must not serve then (it would miss changes).
 */
export class ChannelListener {
  private client?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private stopping = false;
  private connected = false;

  constructor(private readonly options: ChannelListenerOptions) {}

  get live(): boolean {
    return this.connected;
  }

  async start(): Promise<void> {
    const { channel, onMessage, onReset } = this.options;
    const client = new Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName,
    });
    client.on('notification', (message) => {
      if (message.channel === channel) onMessage(message.payload ?? '');
    });
    let ended = false;
    const lost = (error?: Error) => {
      if (ended || client !== this.client) return;
      ended = true;
      this.connected = false;
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.stopping) return;
      onReset(true, error);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      this.connected = true;
      onReset(false);
    } catch (error) {
      lost(error as Error);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.start();
    }, RECONNECT_MS);
    this.reconnectTimer.unref();
  }
}
