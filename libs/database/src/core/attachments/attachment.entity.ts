import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ATTACHMENT_OWNERS = ['work-order', 'task-comment', 'crm-customer', 'crm-organization'] as const;
export type AttachmentOwner = (typeof ATTACHMENT_OWNERS)[number];

/** A file on a record; visible exactly when the record is (the owner is checked on every access). */
@Entity({ schema: 'core', name: 'attachment' })
@Index('ix_attachment_owner', ['ownerType', 'ownerId'])
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

  @Column({ type: 'varchar', length: 16 })
  storage!: 'local';

  @Column({ name: 'storage_key', type: 'varchar', length: 255 })
  storageKey!: string;

  @Column({ name: 'uploaded_by', type: 'bigint', nullable: true })
  uploadedBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
