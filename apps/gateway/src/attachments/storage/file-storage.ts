import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';

export type StorageKind = 'local' | 's3';

/** What a store answers once a file is written: its key, size and SHA-256, all counted on the way in. */
export interface StoredFile {
  key: string;
  size: number;
  sha256: string;
}

/**
 * Where attachment bytes live: local disk or an S3-compatible bucket, chosen by ATTACHMENTS_STORAGE.
 * Both stream in and out; names and types stay in the database, never in the key. `put` removes what
 * it wrote when the content stream fails (e.g. the upload is over the size limit) and rethrows the
 * stream's own error; `remove` of a missing key is not an error (a purge may run twice).
 */
export interface FileStorage {
  readonly kind: StorageKind;
  put(content: Readable): Promise<StoredFile>;
  read(key: string): Promise<Readable>;
  remove(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/** A pass-through that counts and hashes what flows through it. */
export class Digest extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    this.push(chunk);
    callback();
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}

/** `yyyy/mm/<32 hex>`: spread over folders by month, random so it reveals nothing. */
export function newKey(random: string, now = new Date()): string {
  return `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${random}`;
}

export const KEY_PATTERN = /^\d{4}\/\d{2}\/[0-9a-f]{32}$/;
