import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { GatewayEnv } from '../config/gateway.env';

/**
 * Attachments on local disk under ATTACHMENTS_DIR (default `.data/attachments`), in `yyyy/mm/<random>`
 * files; names and types live in the database, never in the path. Written to a temporary name first
 * and renamed, so a crash never leaves a half file under a stored key.
 */
@Injectable()
export class LocalFileStorage {
  readonly root: string;

  constructor(@Inject(GatewayEnv) config: GatewayEnv) {
    this.root = resolve(config.ATTACHMENTS_DIR ?? join(process.cwd(), '.data', 'attachments'));
  }

  async put(content: Buffer): Promise<{ key: string; sha256: string }> {
    const now = new Date();
    const folder = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    const key = `${folder}/${randomBytes(16).toString('hex')}`;
    await mkdir(join(this.root, folder), { recursive: true });
    const temporary = join(this.root, `${key}.part`);
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, join(this.root, key));
    return { key, sha256: createHash('sha256').update(content).digest('hex') };
  }

  read(key: string): ReadStream {
    return createReadStream(this.path(key));
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  private path(key: string): string {
    if (!/^\d{4}\/\d{2}\/[0-9a-f]{32}$/.test(key)) throw new Error(`bad storage key ${key}`);
    return join(this.root, key);
  }
}
