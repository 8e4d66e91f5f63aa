import { Inject, Injectable } from '@nestjs/common';
import type { UploadedMultipartFile } from '@nestjs/platform-fastify/multipart';
import { DataSource, IsNull } from 'typeorm';
import {
  type Actor,
  ErrorCode,
  GetInstanceCommand,
  WorkflowPattern,
  WorkOrderRefCommand,
} from '@app/contracts';
import { AppException } from '@app/common';
import { hasPermission } from '@app/auth';
import { AttachmentEntity, type AttachmentOwner } from '@app/database';
import { GatewayEnv } from '../config/gateway.env';
import { CustomersRepository } from '../crm/customers/customers.repository';
import { OrganizationsRepository } from '../crm/organizations/organizations.repository';
import { WorkflowClient } from '../workflow-client/workflow.client';
import { type AttachmentDto, mapAttachment } from './attachment.dto';
import { checkContent, cleanFileName } from './content-sniff';
import { LocalFileStorage } from './local-storage';

export interface OwnerRef {
  type: AttachmentOwner;
  id: string;
  /** Task comments: the instance that holds the comment. */
  parentId?: string;
}

const MAX_PER_RECORD = 100;

/**
 * Files on work orders, task comments and CRM records. Every access first asks whether the caller can
 * see the record (the workflow app for work orders and comments, the CRM scope for CRM records), so an
 * attachment is visible exactly when its record is: otherwise 404, as for the record itself.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: LocalFileStorage,
    private readonly workflow: WorkflowClient,
    private readonly customers: CustomersRepository,
    private readonly organizations: OrganizationsRepository,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  async upload(
    actor: Actor,
    owner: OwnerRef,
    file: UploadedMultipartFile | undefined,
  ): Promise<AttachmentDto> {
    if (!file?.buffer)
      throw AppException.invalid([{ field: 'file', reason: 'send the file as multipart field `file`' }]);
    await this.assertVisible(actor, owner);
    if (file.buffer.length > this.config.UPLOAD_LIMIT_BYTES)
      throw AppException.invalid([
        { field: 'file', reason: `larger than ${this.config.UPLOAD_LIMIT_BYTES} bytes` },
      ]);
    const fileName = cleanFileName(file.originalname);
    const checked = checkContent(fileName, file.buffer);
    if (!checked.ok) throw AppException.invalid([{ field: 'file', reason: checked.reason }]);
    const count = await this.dataSource.manager.countBy(AttachmentEntity, {
      ownerType: owner.type,
      ownerId: owner.id,
      deletedAt: IsNull(),
    });
    if (count >= MAX_PER_RECORD)
      throw AppException.invalid([
        { field: 'file', reason: `a record holds at most ${MAX_PER_RECORD} files` },
      ]);
    const stored = await this.storage.put(file.buffer);
    const repo = this.dataSource.getRepository(AttachmentEntity);
    const saved = await repo.save(
      repo.create({
        ownerType: owner.type,
        ownerId: owner.id,
        parentId: owner.parentId ?? null,
        fileName,
        contentType: checked.mime,
        size: String(file.buffer.length),
        sha256: stored.sha256,
        storage: 'local',
        storageKey: stored.key,
        uploadedBy: actor.id,
      }),
    );
    return mapAttachment(saved);
  }

  async list(actor: Actor, owner: OwnerRef): Promise<AttachmentDto[]> {
    await this.assertVisible(actor, owner);
    const rows = await this.dataSource.manager.find(AttachmentEntity, {
      where: { ownerType: owner.type, ownerId: owner.id, deletedAt: IsNull() },
      order: { id: 'ASC' },
    });
    return rows.map(mapAttachment);
  }

  /** The attachment and a stream of its bytes, once its record is visible to the caller. */
  async open(actor: Actor, id: string) {
    const found = await this.visible(actor, id);
    return { attachment: found, stream: this.storage.read(found.storageKey) };
  }

  /** The uploader, or whoever may change the record, removes a file (the bytes go at once). */
  async remove(actor: Actor, id: string): Promise<AttachmentDto> {
    const found = await this.visible(actor, id);
    const admin = found.ownerType.startsWith('crm-')
      ? hasPermission(actor, 'crm:write')
      : hasPermission(actor, 'workorder:admin');
    if (found.uploadedBy !== actor.id && !admin)
      throw AppException.forbidden(
        'NOT_UPLOADER',
        'only the uploader or an administrator of the record may remove it',
      );
    found.deletedAt = new Date();
    await this.dataSource.getRepository(AttachmentEntity).update({ id }, { deletedAt: found.deletedAt });
    await this.storage.remove(found.storageKey);
    return mapAttachment(found);
  }

  private async visible(actor: Actor, id: string): Promise<AttachmentEntity> {
    const found = await this.dataSource.manager.findOneBy(AttachmentEntity, { id, deletedAt: IsNull() });
    if (!found) throw AppException.notFound('attachment', id);
    await this.assertVisible(actor, {
      type: found.ownerType,
      id: found.ownerId,
      parentId: found.parentId ?? undefined,
    }).catch((error: unknown) => {
      // the record is gone or out of scope: so is its file (never say which)
      if (error instanceof AppException && error.code === ErrorCode.NotFound)
        throw AppException.notFound('attachment', id);
      throw error;
    });
    return found;
  }

  private async assertVisible(actor: Actor, owner: OwnerRef): Promise<void> {
    switch (owner.type) {
      case 'work-order':
        await this.workflow.send(
          WorkflowPattern.WorkOrderGet,
          WorkOrderRefCommand.create({ id: owner.id, actor }),
        );
        return;
      case 'task-comment': {
        const instance = await this.workflow.send(
          WorkflowPattern.InstanceGet,
          GetInstanceCommand.create({ id: owner.parentId ?? '', actor }),
        );
        if (!instance.comments.some((c) => c.id === owner.id))
          throw AppException.notFound('comment', owner.id);
        return;
      }
      case 'crm-customer':
      case 'crm-organization': {
        const repo = owner.type === 'crm-customer' ? this.customers : this.organizations;
        const record = await repo.findVisible(actor, owner.id);
        // a soft-deleted record keeps its files for a restore, but shows none
        if (!record || record.deletedAt) throw AppException.notFound(owner.type, owner.id);
        return;
      }
    }
  }
}
