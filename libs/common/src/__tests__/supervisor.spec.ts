import type { INestApplication } from '@nestjs/common';
import { exitWithSupervisor, SUPERVISOR_CLOSE_GRACE_MS } from '../lifecycle/supervisor';

describe('exitWithSupervisor', () => {
  let exit: jest.SpyInstance;
  beforeEach(() => {
    jest.useFakeTimers();
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  });
  afterEach(() => {
    exit.mockRestore();
    jest.useRealTimers();
  });

  const appClosing = (close: () => Promise<void>) =>
    ({ close: jest.fn(close) }) as unknown as INestApplication;

  it('stays while its supervisor does, and closes then leaves once it is gone', async () => {
    const app = appClosing(async () => undefined);
    exitWithSupervisor(app, process.ppid);
    await jest.advanceTimersByTimeAsync(3000);
    expect(app.close).not.toHaveBeenCalled();

    const orphan = appClosing(async () => undefined);
    exitWithSupervisor(orphan, -1); // not our parent: as after the supervisor died
    await jest.advanceTimersByTimeAsync(1000);
    expect(orphan.close).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('leaves after the grace when the close hangs (its database died with the supervisor)', async () => {
    const app = appClosing(() => new Promise<void>(() => undefined));
    exitWithSupervisor(app, -1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(app.close).toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(SUPERVISOR_CLOSE_GRACE_MS);
    expect(exit).toHaveBeenCalledWith(0);
  });
});
