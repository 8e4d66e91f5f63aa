import type { DefinitionReply, PageReply } from '@app/contracts';
import { Actor, ListDefinitionsCommand } from '@app/contracts';
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

  it('keeps a startable page per caller starter keys: shared by equals, never handed to another', async () => {
    const { cache } = cacheWithFeed();
    const actor = (fields: Partial<Actor>) =>
      Object.assign(new Actor(), { id: 'u1', kind: 'staff', groupIds: ['sales', 'north'], ...fields });
    const startable = (fields: Partial<Actor>) => command({ startableOnly: true, actor: actor(fields) });
    let loads = 0;
    const load = jest.fn(async () => page((loads += 1)));
    const member = await cache.list(startable({}), load);
    // the same keys, in another order: the same page
    expect(await cache.list(startable({ groupIds: ['north', 'sales'], roles: [] }), load)).toBe(member);
    expect(await cache.list(startable({ groupIds: ['support'] }), load)).not.toBe(member);
    expect(await cache.list(startable({ id: 'u2' }), load)).not.toBe(member);
    const admin = await cache.list(startable({ dataScope: 'all' }), load);
    expect(admin).not.toBe(member);
    expect(await cache.list(startable({ id: 'u9', dataScope: 'all' }), load)).toBe(admin);
    expect(load).toHaveBeenCalledTimes(4);
    // a list that is not startable is the same for everyone
    const all = await cache.list(command({ actor: actor({}) }), load);
    expect(await cache.list(command({ actor: actor({ id: 'u2', groupIds: [] }) }), load)).toBe(all);
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
