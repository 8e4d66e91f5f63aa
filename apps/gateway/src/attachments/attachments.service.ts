import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { MultipartFileStream } from '@nestjs/platform-fastify/multipart';
import {
  type Actor,
  attachmentRefId,
  MAX_ATTACHMENT_URLS,
  ErrorCode,
  GetInstanceCommand,
  WorkflowPattern,
  WorkOrderRefCommand,
} from '@app/contracts';
import { AppException } from '@app/common';
import { hasPermission } from '@app/auth';
import type { AttachmentEntity, AttachmentOwner } from '@app/database';
import { CustomersRepository } from '../crm/customers/customers.repository';
import { OrganizationsRepository } from '../crm/organizations/organizations.repository';
import { WorkflowClient } from '../workflow-client/workflow.client';
import { type AttachmentDto, mapAttachment } from './attachment.dto';
import { checkContent, cleanFileName } from './content-sniff';
import { AttachmentPurger } from './attachment-purger';
import { AttachmentsRepository } from './attachments.repository';
import { FileStorages } from './storage/storages';

export interface OwnerRef {
  type: AttachmentOwner;
  id: string;
  /** Task comments: the instance that holds the comment. */
  parentId?: string;
}

const MAX_PER_RECORD = 100;
const full = () =>
  AppException.invalid([{ field: 'file', reason: `a record holds at most ${MAX_PER_RECORD} files` }]);
const SNIFF_BYTES = 8192;

/** The first `bytes` of a stream (fewer if it is shorter) and the whole content again as a stream. */
export async function peek(stream: Readable, bytes: number): Promise<{ head: Buffer; content: Readable }> {
  const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* all() {
    yield head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head: head.subarray(0, bytes), content: Readable.from(all(), { objectMode: false }) };
}

const isMissing = (error: unknown) => {
  const e = error as { code?: string; name?: string; $metadata?: { httpStatusCode?: number } };
  return e.code === 'ENOENT' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Files on work orders, task comments and CRM records. Every access first asks whether the caller can
 * see the record (the workflow app for work orders and comments, the CRM scope for CRM records), so an
 * attachment is visible exactly when its record is: otherwise 404, as for the record itself.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly repository: AttachmentsRepository,
    private readonly storages: FileStorages,
    private readonly purger: AttachmentPurger,
    private readonly workflow: WorkflowClient,
    private readonly customers: CustomersRepository,
    private readonly organizations: OrganizationsRepository,
  ) {}

  async upload(actor: Actor, owner: OwnerRef, file: MultipartFileStream | undefined): Promise<AttachmentDto> {
    if (!file?.stream)
      throw AppException.invalid([{ field: 'file', reason: 'send the file as multipart field `file`' }]);
    await this.assertVisible(actor, owner);
    const fileName = cleanFileName(file.originalname);
    // the type is judged from the first bytes; the rest streams on into the store
    const { head, content } = await peek(file.stream, SNIFF_BYTES);
    const checked = checkContent(fileName, head);
    if (!checked.ok) throw AppException.invalid([{ field: 'file', reason: checked.reason }]);
    // refused before the bytes are stored; `addWithin` decides under the record's lock
    if ((await this.repository.countLive(owner.type, owner.id)) >= MAX_PER_RECORD) throw full();
    const storage = this.storages.current;
    // over UPLOAD_LIMIT_BYTES the stream fails (PayloadTooLargeException → 4101) and the store drops it
    const stored = await storage.put(content);
    try {
      const saved = await this.repository.addWithin(
        {
          ownerType: owner.type,
          ownerId: owner.id,
          parentId: owner.parentId ?? null,
          fileName,
          contentType: checked.mime,
          size: String(stored.size),
          sha256: stored.sha256,
          storage: storage.kind,
          storageKey: stored.key,
          uploadedBy: actor.id,
        },
        MAX_PER_RECORD,
      );
      if (!saved) throw full();
      return mapAttachment(saved);
    } catch (error) {
      await storage.remove(stored.key).catch(() => undefined);
      throw error;
    }
  }

  async list(actor: Actor, owner: OwnerRef): Promise<AttachmentDto[]> {
    await this.assertVisible(actor, owner);
    return (await this.repository.listLive(owner.type, owner.id)).map(mapAttachment);
  }

  /** The attachment and a stream of its bytes, once its record is visible to the caller. */
  async open(actor: Actor, id: string): Promise<{ attachment: AttachmentEntity; stream: Readable }> {
    const found = await this.visible(actor, id);
    try {
      return { attachment: found, stream: await this.storages.of(found.storage).read(found.storageKey) };
    } catch (error) {
      // the bytes are gone (purged under us, or lost): the file is gone
      if (isMissing(error)) throw AppException.notFound('attachment', id);
      throw error;
    }
  }

  /**
   * The uploader, or whoever may change the record, removes a file: hidden at once, and its bytes are
   * purged now (or by the purge worker if the store is down right now).
   */
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
    found.deletedAt = await this.repository.markForPurge(id);
    await this.purger.purgeNow(found).catch(() => undefined);
    return mapAttachment(found);
  }

  /**
   * Attachment references in a body (`attachmentUrls`): each `/api/v1/attachments/{id}/content` must be a
   * file the caller can see (one of another department's records, or none, would link a file the reader
   * may not open): otherwise 4101 on `<field>[i]`, the same answer for both (never say which).
   */
  async assertReferencesVisible(actor: Actor, urls: readonly string[] | undefined, field: string) {
    // more than a work order holds is refused by its command: no look-ups for those
    if (!urls || urls.length > MAX_ATTACHMENT_URLS) return;
    // each file once, side by side (a look-up may ask the workflow app about the record)
    const checked = new Map<string, Promise<boolean>>();
    const seen = (id: string) => {
      let visible = checked.get(id);
      if (!visible) {
        visible = this.visible(actor, id).then(
          () => true,
          (error: unknown) => {
            if (error instanceof AppException && error.code === ErrorCode.NotFound) return false;
            throw error;
          },
        );
        checked.set(id, visible);
      }
      return visible;
    };
    const ids = urls.map(attachmentRefId);
    const answers = await Promise.all(ids.map((id) => (id ? seen(id) : true)));
    const refused = ids.flatMap((id, index) =>
      answers[index] ? [] : [{ field: `${field}[${index}]`, reason: `attachment ${id} not found` }],
    );
    if (refused.length) throw AppException.invalid(refused);
  }

  private async visible(actor: Actor, id: string): Promise<AttachmentEntity> {
    const found = await this.repository.findLive(id);
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
