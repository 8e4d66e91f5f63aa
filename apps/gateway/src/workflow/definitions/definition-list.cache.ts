import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  type DefinitionReply,
  type ListDefinitionsCommand,
  type PageReply,
  starterKeysOfActor,
} from '@app/contracts';
import { type ForgetsForTest, forgetOnTestReset } from '@app/common';
import { ChannelListener, DEFINITIONS_CHANGED_CHANNEL } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { TtlCache } from '../../identity/shared/ttl-cache';

type DefinitionPage = PageReply<DefinitionReply>;

const MAX_PAGES = 1000;

/**
 * Pages of the definitions list, kept per query on this replica. Only a startable list depends on the
 * caller, through their starter keys (candidate starters, `starterKeysOfActor`): it is kept per query and
 * those keys, so callers who may start the same definitions share it. Kept fresh without asking the workflow app per request:
 * - every statement that changes a definition notifies DEFINITIONS_CHANGED_CHANNEL on commit (a trigger),
 *   and each replica forgets every page when it hears it: another replica's deploy is seen as soon as the
 *   notification arrives (it is sent on commit, before the deploying client has its answer);
 * - a deploy or update sent through this replica forgets when its answer (or failure) arrives, before the
 *   client sees it: read-your-writes even when the notification is slower than the link;
 * - nothing is served while the LISTEN connection is down (a notification could be missed), and a page
 *   read while a change arrived is not kept (`generation`);
 * - DEFINITION_LIST_CACHE_SECONDS bounds an entry's age if a notification were lost anyway.
 */
@Injectable()
export class DefinitionListCache implements OnModuleInit, OnApplicationShutdown, ForgetsForTest {
  private readonly logger = new Logger(DefinitionListCache.name);
  private readonly pages: TtlCache<DefinitionPage>;
  private readonly listener?: ChannelListener;
  /** Bumped on every change: a page read across one is not kept. */
  private generation = 0;

  constructor(@Inject(GatewayEnv) config: GatewayEnv) {
    this.pages = new TtlCache(config.DEFINITION_LIST_CACHE_SECONDS * 1000, MAX_PAGES);
    if (config.DEFINITION_LIST_CACHE_SECONDS > 0)
      this.listener = new ChannelListener({
        url: config.DATABASE_URL,
        channel: DEFINITIONS_CHANGED_CHANNEL,
        applicationName: 'flowdesk-gateway-listen-definitions',
        onMessage: () => this.forget(),
        onReset: (lost, error) => {
          this.forget();
          if (lost) this.logger.warn({ err: error }, 'definitions change feed lost; list cache off');
        },
      });
    forgetOnTestReset(this);
  }

  async onModuleInit(): Promise<void> {
    await this.listener?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  forgetForTest(): void {
    this.forget();
  }

  /** The page `command` asks for: kept, or read by `load` (and kept when nothing changed meanwhile). */
  async list(command: ListDefinitionsCommand, load: () => Promise<DefinitionPage>): Promise<DefinitionPage> {
    if (!this.listener?.live) return load();
    const key = JSON.stringify([
      command.pageNum,
      command.pageSize,
      command.key ?? null,
      command.name ?? null,
      command.category ?? null,
      command.latestOnly ?? null,
      command.startableOnly ?? null,
      command.startableOnly ? (starterKeysOfActor(command.actor)?.sort() ?? 'all') : null,
    ]);
    const kept = this.pages.get(key);
    if (kept) return kept;
    const generation = this.generation;
    const page = await load();
    if (generation === this.generation && this.listener.live) {
      // one object answers many requests: nothing may change it
      for (const row of page.rows) Object.freeze(row);
      Object.freeze(page.rows);
      this.pages.set(key, Object.freeze(page));
    }
    return page;
  }

  /** `write` (a deploy or update sent through this replica), forgetting every page once it settles. */
  async forgetAfter<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.forget();
    }
  }

  private forget(): void {
    this.generation += 1;
    this.pages.clear();
  }
}
