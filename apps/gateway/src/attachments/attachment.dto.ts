import { ApiProperty } from '@nestjs/swagger';
import { ATTACHMENT_OWNERS, type AttachmentEntity } from '@app/database';

export class AttachmentDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ATTACHMENT_OWNERS }) ownerType!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty({ example: '合同.pdf' }) fileName!: string;
  @ApiProperty({ description: 'From the sniffed content, not from the client' }) contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty({ nullable: true, type: String }) uploadedBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ example: '/api/v1/attachments/12/content' }) url!: string;
}

export class UploadAttachmentBodyDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The file (multipart field `file`)' })
  file!: unknown;
}

export function mapAttachment(a: AttachmentEntity): AttachmentDto {
  return {
    id: String(a.id),
    ownerType: a.ownerType,
    ownerId: a.ownerId,
    fileName: a.fileName,
    contentType: a.contentType,
    size: Number(a.size),
    sha256: a.sha256,
    uploadedBy: a.uploadedBy,
    createdAt: a.createdAt.toISOString(),
    url: `/api/v1/attachments/${a.id}/content`,
  };
}
