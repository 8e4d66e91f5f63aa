import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type * as S3Sdk from '@aws-sdk/client-s3';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GatewayEnv } from '../../config/gateway.env';
import { Digest, type FileStorage, KEY_PATTERN, newKey, type StoredFile } from './file-storage';

/** S3's smallest part of a multipart upload (all but the last); also what one upload holds in memory. */
export const PART_BYTES = 5 * 1024 * 1024;

/**
 * Attachments in an S3-compatible bucket (AWS S3, MinIO, Alibaba OSS, Tencent COS, …), under
 * S3_PREFIX + `yyyy/mm/<random>`. Uploads stream through: a file smaller than one part is one
 * PutObject, a larger one a multipart upload whose parts are sent as they fill, so memory stays at one
 * part per upload; a failed upload is aborted. Downloads stream the object's body.
 */
@Injectable()
export class S3FileStorage implements FileStorage, OnApplicationShutdown {
  readonly kind = 's3' as const;
  readonly bucket: string;
  private readonly prefix: string;
  private sdk?: Promise<typeof S3Sdk>;
  private client?: S3Sdk.S3Client;

  constructor(@Inject(GatewayEnv) private readonly config: GatewayEnv) {
    this.bucket = config.S3_BUCKET ?? '';
    this.prefix = config.S3_PREFIX;
  }

  /**
   * The SDK is loaded and the client built on first use, so a gateway storing on disk never needs S3
   * settings nor pays for loading the SDK at boot.
   */
  private async s3(): Promise<{ client: S3Sdk.S3Client; sdk: typeof S3Sdk }> {
    if (!this.bucket) throw new Error('S3 storage is not configured (S3_BUCKET)');
    const sdk = await (this.sdk ??= import('@aws-sdk/client-s3'));
    this.client ??= new sdk.S3Client({
      region: this.config.S3_REGION,
      endpoint: this.config.S3_ENDPOINT || undefined,
      forcePathStyle: this.config.S3_FORCE_PATH_STYLE,
      credentials:
        this.config.S3_ACCESS_KEY_ID && this.config.S3_SECRET_ACCESS_KEY
          ? {
              accessKeyId: this.config.S3_ACCESS_KEY_ID,
              secretAccessKey: this.config.S3_SECRET_ACCESS_KEY,
            }
          : undefined,
      // many S3-compatible stores reject the newer default CRC checksums: only where S3 requires them
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return { client: this.client, sdk };
  }

  onApplicationShutdown(): void {
    this.client?.destroy();
  }

  async put(content: Readable): Promise<StoredFile> {
    const key = newKey(randomBytes(16).toString('hex'));
    const objectKey = this.objectKey(key);
    const digest = new Digest();
    content.once('error', (error) => digest.destroy(error));
    content.pipe(digest);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let uploadId: string | undefined;
    const parts: { ETag?: string; PartNumber: number }[] = [];
    const sendPart = async (body: Buffer) => {
      const { client, sdk } = await this.s3();
      if (!uploadId) {
        const created = await client.send(
          new sdk.CreateMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey }),
        );
        uploadId = created.UploadId;
      }
      const PartNumber = parts.length + 1;
      const answer = await client.send(
        new sdk.UploadPartCommand({
          Bucket: this.bucket,
          Key: objectKey,
          UploadId: uploadId,
          PartNumber,
          Body: body,
          ContentLength: body.length,
        }),
      );
      parts.push({ ETag: answer.ETag, PartNumber });
    };
    try {
      for await (const chunk of digest as AsyncIterable<Buffer>) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= PART_BYTES) {
          const all = Buffer.concat(pending);
          pending = [all.subarray(PART_BYTES)];
          pendingBytes = pending[0].length;
          await sendPart(all.subarray(0, PART_BYTES));
        }
      }
      const rest = Buffer.concat(pending);
      if (!uploadId) {
        const { client, sdk } = await this.s3();
        await client.send(
          new sdk.PutObjectCommand({
            Bucket: this.bucket,
            Key: objectKey,
            Body: rest,
            ContentLength: rest.length,
            ContentType: 'application/octet-stream',
          }),
        );
      } else {
        if (rest.length > 0) await sendPart(rest);
        const { client, sdk } = await this.s3();
        await client.send(
          new sdk.CompleteMultipartUploadCommand({
            Bucket: this.bucket,
            Key: objectKey,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        );
      }
    } catch (error) {
      if (uploadId) {
        const { client, sdk } = await this.s3();
        await client
          .send(
            new sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey, UploadId: uploadId }),
          )
          .catch(() => undefined); // the bucket's lifecycle rule cleans up what an abort misses
      }
      throw error;
    }
    return { key, size: digest.size, sha256: digest.sha256() };
  }

  async read(key: string): Promise<Readable> {
    const { client, sdk } = await this.s3();
    const answer = await client.send(
      new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
    );
    return answer.Body as Readable;
  }

  async remove(key: string): Promise<void> {
    const { client, sdk } = await this.s3();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async exists(key: string): Promise<boolean> {
    const { client, sdk } = await this.s3();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return false;
      throw error;
    }
  }

  private objectKey(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new Error(`bad storage key ${key}`);
    return `${this.prefix}${key}`;
  }
}
