import { AsyncLocalStorage } from 'node:async_hooks';

const SETUP = '../../setup/async-contexts.cjs';

describe('test setup: the earlier files’ AsyncLocalStorage instances are turned off', () => {
  it('disables a storage used in one file when the next file’s setup runs, and it works again once used', () => {
    const storage = new AsyncLocalStorage<number>();
    storage.enterWith(7);
    expect(storage.getStore()).toBe(7);

    // what the next test file of this worker does first (the setup file runs again in its registry)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => require(SETUP));
    expect(storage.getStore()).toBeUndefined();

    // a storage used again turns itself back on
    expect(storage.run(8, () => storage.getStore())).toBe(8);
  });
});
