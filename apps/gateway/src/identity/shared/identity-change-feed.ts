import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChannelListener } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';

/** Something that changes who may do what; caches of resolved callers must forget it. */
export type IdentityChange =
  | { kind: 'session'; id: string }
  | { kind: 'staff'; id: string }
  | { kind: 'application'; clientId: string }
  | { kind: 'all' };

const CHANNEL = 'flowdesk_identity';

/**
 * Tells every gateway replica about identity changes: writes run in `transaction()`, which issues
 * `pg_notify` inside the transaction (delivered only on commit) and applies the change to this
 * replica's subscribers right after commit. One LISTEN connection per replica receives the others'.
 * While that connection is down, `live` is false and caches must not serve (they would miss changes).
 */
@Injectable()
export class IdentityChangeFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(IdentityChangeFeed.name);
  private readonly subscribers: ((change: IdentityChange | null) => void)[] = [];
  private listener?: ChannelListener;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  get live(): boolean {
    return this.listener?.live ?? false;
  }

  /** `change` null means "forget everything" (the feed was interrupted). */
  subscribe(subscriber: (change: IdentityChange | null) => void): void {
    this.subscribers.push(subscriber);
  }

  async onModuleInit(): Promise<void> {
    if (this.config.AUTH_CACHE_TTL_SECONDS > 0) await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  /** Runs `work` in a transaction; every change it reports reaches all replicas once it commits. */
  async transaction<T>(
    work: (manager: EntityManager, changed: (change: IdentityChange) => void) => Promise<T>,
  ): Promise<T> {
    const changes: IdentityChange[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const value = await work(manager, (change) => changes.push(change));
      for (const change of changes)
        await manager.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(change)]);
      return value;
    });
    for (const change of changes) this.emit(change);
    return result;
  }

  /**
   * `transaction` for a change to the directory's structure: departments, roles, groups, menus and
   * members' places in them. These serialize on one lock, so each check ("is the role still held?",
   * "does the department exist, and is it not below this one?") sees every change committed before
   * it; checked apart, a delete and a use of the same row both passed and one died on a foreign key or
   * a deadlock (503). Such changes are an administrator's, and rare: sign-ins do not take the lock.
   */
  directoryChange<T>(
    work: (manager: EntityManager, changed: (change: IdentityChange) => void) => Promise<T>,
  ): Promise<T> {
    return this.transaction(async (manager, changed) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('core.directory'))`);
      return work(manager, changed);
    });
  }

  private emit(change: IdentityChange | null): void {
    for (const subscriber of this.subscribers) subscriber(change);
  }

  private async connect(): Promise<void> {
    this.listener = new ChannelListener({
      url: this.config.DATABASE_URL,
      channel: CHANNEL,
      applicationName: 'flowdesk-gateway-listen',
      onMessage: (payload) => {
        if (!payload) return;
        try {
          this.emit(JSON.parse(payload) as IdentityChange);
        } catch {
          this.emit(null);
        }
      },
      // anything cached before now may have missed a change
      onReset: (lost, error) => {
        this.emit(null);
        if (lost) this.logger.warn({ err: error }, 'identity change feed lost; caches off until it is back');
      },
    });
    await this.listener.start();
  }
}
