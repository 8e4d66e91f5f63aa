import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { GatewayEnv } from '../../config/gateway.env';
import { Digest, type FileStorage, KEY_PATTERN, newKey, type StoredFile } from './file-storage';

/**
 * Attachments on local disk under ATTACHMENTS_DIR (default `.data/attachments`), in `yyyy/mm/<random>`
 * files. Streamed to a temporary name first and renamed, so a crash or a refused upload never leaves
 * a half file under a stored key.
 */
@Injectable()
export class LocalFileStorage implements FileStorage {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(@Inject(GatewayEnv) config: GatewayEnv) {
    this.root = resolve(config.ATTACHMENTS_DIR ?? join(process.cwd(), '.data', 'attachments'));
  }

  async put(content: Readable): Promise<StoredFile> {
    const key = newKey(randomBytes(16).toString('hex'));
    const target = this.path(key);
    const temporary = `${target}.part`;
    await mkdir(dirname(target), { recursive: true });
    const digest = new Digest();
    try {
      await pipeline(content, digest, createWriteStream(temporary, { flags: 'wx' }));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { key, size: digest.size, sha256: digest.sha256() };
  }

  read(key: string): Promise<Readable> {
    const path = this.path(key);
    // open first, so a missing file is an error here and not in the middle of the answer
    return new Promise((done, fail) => {
      const stream = createReadStream(path);
      stream.once('open', () => done(stream));
      stream.once('error', fail);
    });
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    return access(this.path(key)).then(
      () => true,
      () => false,
    );
  }

  private path(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new Error(`bad storage key ${key}`);
    return join(this.root, key);
  }
}
