import { Inject, Injectable } from '@nestjs/common';
import { GatewayEnv } from '../../config/gateway.env';
import type { FileStorage, StorageKind } from './file-storage';
import { LocalFileStorage } from './local-storage';
import { S3FileStorage } from './s3-storage';

/**
 * The store new files go to (ATTACHMENTS_STORAGE) and, by each attachment's recorded kind, the store
 * that holds an older one: switching to S3 keeps the files already on disk readable and removable.
 */
@Injectable()
export class FileStorages {
  constructor(
    private readonly local: LocalFileStorage,
    private readonly s3: S3FileStorage,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  get current(): FileStorage {
    return this.of(this.config.ATTACHMENTS_STORAGE);
  }

  of(kind: StorageKind): FileStorage {
    return kind === 's3' ? this.s3 : this.local;
  }
}
