import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ATTACHMENT_OWNERS = ['work-order', 'task-comment', 'crm-customer', 'crm-organization'] as const;
export type AttachmentOwner = (typeof ATTACHMENT_OWNERS)[number];

/** A file on a record; visible exactly when the record is (the owner is checked on every access). */
@Entity({ schema: 'core', name: 'attachment' })
@Index('ix_attachment_owner', ['ownerType', 'ownerId'])
@Index('ix_attachment_purge', ['purgeAt'], { where: 'purge_at IS NOT NULL' })
export class AttachmentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'owner_type', type: 'varchar', length: 32 })
  ownerType!: AttachmentOwner;

  @Column({ name: 'owner_id', type: 'varchar', length: 64 })
  ownerId!: string;

  /** For task comments: the instance the comment belongs to (its visibility decides). */
  @Column({ name: 'parent_id', type: 'varchar', length: 64, nullable: true })
  parentId!: string | null;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ name: 'content_type', type: 'varchar', length: 128 })
  contentType!: string;

  @Column({ type: 'bigint' })
  size!: string;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  /** The store that holds the bytes (`local` disk or `s3`), so switching stores keeps old files readable. */
  @Column({ type: 'varchar', length: 16 })
  storage!: 'local' | 's3';

  @Column({ name: 'storage_key', type: 'varchar', length: 255 })
  storageKey!: string;

  @Column({ name: 'uploaded_by', type: 'bigint', nullable: true })
  uploadedBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  /**
   * When the bytes and this row are to be removed: set when the file is removed, when its record is
   * deleted for good (an instance's comments) or when the record's retention ends; the purge worker
   * does the rest, so a store that is down only delays it.
   */
  @Column({ name: 'purge_at', type: 'timestamptz', nullable: true })
  purgeAt!: Date | null;
}
