import { Readable } from 'node:stream';
import type { GatewayEnv } from '../../config/gateway.env';
import type * as S3StorageModule from '../storage/s3-storage';

/**
 * A gateway that stores attachments on disk never loads the S3 SDK: loading it cost every boot
 * ~120 ms of CPU. Only the first use of a configured S3 store loads it (test/messages covers that).
 */
describe('S3FileStorage: the SDK loads on first use only', () => {
  let loads = 0;
  beforeEach(() => {
    loads = 0;
    jest.resetModules();
    jest.doMock('@aws-sdk/client-s3', () => {
      loads += 1;
      return jest.requireActual('@aws-sdk/client-s3');
    });
  });

  it('loading the storages and using an unconfigured S3 store leave the SDK unloaded', async () => {
    // loaded afresh after the mock, as the gateway's module graph loads them
    const { S3FileStorage } = jest.requireActual<typeof S3StorageModule>('../storage/s3-storage');
    jest.requireActual('../storage/storages');
    expect(loads).toBe(0);

    const storage = new S3FileStorage({ S3_PREFIX: '' } as GatewayEnv);
    await expect(storage.read('2026/12/0123456789abcdef0123456789abcdef')).rejects.toThrow(/not configured/);
    await expect(storage.put(Readable.from([Buffer.from('x')]))).rejects.toThrow(/not configured/);
    storage.onApplicationShutdown();
    expect(loads).toBe(0);
  });
});
