import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { GatewayEnv } from '../../config/gateway.env';

const CHANNEL = 'flowdesk_stream';
const HEARTBEAT_MS = 15_000;
/** While the LISTEN connection is down, streams poll at this pace instead. */
const FALLBACK_POLL_MS = 2_000;
const MAX_STREAMS_PER_MEMBER = 5;
const REPLAY_LIMIT = 500;

interface Stream {
  userId: string;
  lastId: bigint;
  res: ServerResponse;
  busy: boolean;
  again: boolean;
}

/**
 * The server-sent event streams this gateway holds. Events live in core.stream_event with increasing
 * ids; a stream writes every row of its member past the last id it sent, so a reconnect with
 * Last-Event-ID replays what it missed. Any gateway's insert wakes the member's streams on every
 * gateway through LISTEN/NOTIFY (the dispatcher notifies in the inserting transaction).
 */
@Injectable()
export class StreamHub implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StreamHub.name);
  private readonly streams = new Map<string, Set<Stream>>();
  private listener?: Client;
  private connected = false;
  private stopping = false;
  private heartbeat?: NodeJS.Timeout;
  private fallback?: NodeJS.Timeout;
  private reconnect?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  async onModuleInit(): Promise<void> {
    this.heartbeat = setInterval(() => this.ping(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.fallback = setInterval(() => {
      if (!this.connected) for (const set of this.streams.values()) for (const s of set) void this.pump(s);
    }, FALLBACK_POLL_MS);
    this.fallback.unref();
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    clearInterval(this.fallback);
    clearTimeout(this.reconnect);
    for (const set of this.streams.values()) for (const s of set) s.res.end();
    await this.listener?.end().catch(() => undefined);
  }

  /**
   * Starts a stream on a raw response: headers, then the replay after `lastEventId` (none: only new
   * events), then live events until the client goes.
   */
  async open(userId: string, res: ServerResponse, lastEventId: string | undefined): Promise<void> {
    let lastId: bigint;
    if (lastEventId && /^\d{1,19}$/.test(lastEventId)) lastId = BigInt(lastEventId);
    else {
      const [{ max }]: { max: string | null }[] = await this.dataSource.query(
        'SELECT max(id)::text AS max FROM core.stream_event WHERE user_id = $1',
        [userId],
      );
      lastId = BigInt(max ?? 0);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n: connected\n\n`);
    const stream: Stream = { userId, lastId, res, busy: false, again: false };
    const set = this.streams.get(userId) ?? new Set<Stream>();
    this.streams.set(userId, set);
    // a member with too many open streams (forgotten tabs) loses the oldest
    if (set.size >= MAX_STREAMS_PER_MEMBER) [...set][0].res.end();
    set.add(stream);
    res.on('close', () => {
      set.delete(stream);
      if (set.size === 0) this.streams.delete(userId);
    });
    await this.pump(stream);
  }

  /** Writes the member's events after the stream's last id; runs once at a time per stream. */
  private async pump(stream: Stream): Promise<void> {
    if (stream.busy) {
      stream.again = true;
      return;
    }
    stream.busy = true;
    try {
      do {
        stream.again = false;
        const rows: { id: string; topic: string; data: unknown }[] = await this.dataSource.query(
          `SELECT id::text, topic, data FROM core.stream_event WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT ${REPLAY_LIMIT}`,
          [stream.userId, stream.lastId.toString()],
        );
        for (const row of rows) {
          if (stream.res.destroyed) return;
          stream.res.write(`id: ${row.id}\nevent: ${row.topic}\ndata: ${JSON.stringify(row.data)}\n\n`);
          stream.lastId = BigInt(row.id);
        }
        if (rows.length === REPLAY_LIMIT) stream.again = true;
      } while (stream.again);
    } catch (error) {
      this.logger.warn({ err: error }, 'stream read failed');
    } finally {
      stream.busy = false;
    }
  }

  private wake(userId: string): void {
    for (const stream of this.streams.get(userId) ?? []) void this.pump(stream);
  }

  private ping(): void {
    for (const set of this.streams.values())
      for (const s of set) if (!s.res.destroyed) s.res.write(': ping\n\n');
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'flowdesk-gateway-stream',
    });
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload) this.wake(message.payload);
    });
    const lost = (error?: Error) => {
      if (client !== this.listener) return;
      this.connected = false;
      if (this.stopping) return;
      this.logger.warn({ err: error }, 'stream notifications lost; polling until back');
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      clearTimeout(this.reconnect);
      this.reconnect = setTimeout(() => void this.connect(), 1000);
      this.reconnect.unref();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.connected = true;
      // events inserted while not listening: catch up
      for (const set of this.streams.values()) for (const s of set) void this.pump(s);
    } catch (error) {
      lost(error as Error);
    }
  }
}
