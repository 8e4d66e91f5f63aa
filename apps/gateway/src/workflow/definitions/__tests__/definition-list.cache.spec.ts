import type { DefinitionReply, PageReply } from '@app/contracts';
import { ListDefinitionsCommand } from '@app/contracts';
import { DefinitionListCache } from '../definition-list.cache';

type Page = PageReply<DefinitionReply>;

/** The cache with its change feed replaced: `feed.live` and `feed.notify()` play PostgreSQL's part. */
function cacheWithFeed() {
  const cache = new DefinitionListCache({
    DEFINITION_LIST_CACHE_SECONDS: 60,
    DATABASE_URL: 'postgres://unused',
  } as ConstructorParameters<typeof DefinitionListCache>[0]);
  const feed = { live: true, notify: () => undefined as void };
  const internals = cache as unknown as { listener: { live: boolean }; forget(): void };
  Object.defineProperty(internals, 'listener', {
    value: {
      get live() {
        return feed.live;
      },
    },
  });
  feed.notify = () => internals.forget();
  return { cache, feed };
}

const command = (query: Record<string, unknown> = {}) =>
  ListDefinitionsCommand.create({ pageNum: 1, pageSize: 20, ...query } as ListDefinitionsCommand);
const page = (version: number): Page => ({
  total: 1,
  pageNum: 1,
  pageSize: 20,
  rows: [{ id: String(version), key: 'k', version } as DefinitionReply],
});

describe('DefinitionListCache', () => {
  it('answers a repeated query from memory, each query apart', async () => {
    const { cache } = cacheWithFeed();
    const load = jest.fn(async () => page(1));
    await cache.list(command(), load);
    await cache.list(command(), load);
    expect(load).toHaveBeenCalledTimes(1);
    await cache.list(command({ key: 'other' }), load);
    await cache.list(command({ pageNum: 2 }), load);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('forgets once a write through this gateway settles, even before any notification', async () => {
    const { cache } = cacheWithFeed();
    await cache.list(command(), async () => page(1));
    await cache.forgetAfter(Promise.resolve('deployed'));
    expect(await cache.list(command(), async () => page(2))).toEqual(page(2));
    await expect(cache.forgetAfter(Promise.reject(new Error('timed out')))).rejects.toThrow('timed out');
    expect(await cache.list(command(), async () => page(3))).toEqual(page(3));
  });

  it('forgets on a notification, and does not keep a page read across one', async () => {
    const { cache, feed } = cacheWithFeed();
    await cache.list(command(), async () => page(1));
    feed.notify();
    expect(await cache.list(command(), async () => page(2))).toEqual(page(2));
    // read before the change committed, answered after its notification: not kept
    const stale = await cache.list(command({ key: 'k' }), async () => {
      feed.notify();
      return page(3);
    });
    expect(stale).toEqual(page(3));
    expect(await cache.list(command({ key: 'k' }), async () => page(4))).toEqual(page(4));
  });

  it('neither serves nor keeps while the change feed is down', async () => {
    const { cache, feed } = cacheWithFeed();
    await cache.list(command(), async () => page(1));
    feed.live = false;
    expect(await cache.list(command(), async () => page(2))).toEqual(page(2));
    expect(await cache.list(command(), async () => page(3))).toEqual(page(3));
  });

  it('hands out a kept page frozen (one object answers many requests)', async () => {
    const { cache } = cacheWithFeed();
    const kept = await cache.list(command(), async () => page(1));
    expect(Object.isFrozen(kept) && Object.isFrozen(kept.rows) && Object.isFrozen(kept.rows[0])).toBe(true);
  });
});
