import {
  applyDecorators,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import type { MultipartFileStream } from '@nestjs/platform-fastify/multipart';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, ErrorCode } from '@app/contracts';
import {
  AcceptsMultipart,
  ApiEnvelope,
  ApiRawAnswer,
  PlatformController,
  RawResponse,
  UploadRefusals,
} from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../shared/dto-helpers';
import { AttachmentDto, UploadAttachmentBodyDto } from './attachment.dto';
import { AttachmentsService } from './attachments.service';
import { contentDisposition } from './content-sniff';
import { SingleFileUpload } from '../uploads/file-upload';

const ERRORS = [ErrorCode.NotFound, ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable];

/** A streamed multipart upload of one file onto a record (the same contract on every record type). */
const UploadRoute = () =>
  applyDecorators(
    HttpCode(200),
    AcceptsMultipart(),
    UseInterceptors(new UploadRefusals('UPLOAD_LIMIT_BYTES'), SingleFileUpload),
    ApiConsumes('multipart/form-data'),
    ApiBody({ type: UploadAttachmentBodyDto }),
    ApiOperation({
      summary:
        'Attach one file (multipart field `file`; a second file is 4101 on `file`): size limit UPLOAD_LIMIT_BYTES, allowed types checked against the content (4101 on `file` otherwise); 404 when the record is not visible to you',
    }),
    ApiEnvelope(AttachmentDto, { errors: ERRORS }),
  );

const ListRoute = (summary: string) =>
  applyDecorators(ApiOperation({ summary }), ApiEnvelope(AttachmentDto, { isArray: true, errors: ERRORS }));

@ApiBearerAuth()
@PlatformController('', 'attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post('work-orders/:id/attachments')
  @UploadRoute()
  uploadToWorkOrder(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @UploadedFile() file?: MultipartFileStream,
  ): Promise<AttachmentDto> {
    return this.attachments.upload(actor, { type: 'work-order', id }, file);
  }

  @Get('work-orders/:id/attachments')
  @ListRoute('Files of a work order you can see')
  listOfWorkOrder(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<AttachmentDto[]> {
    return this.attachments.list(actor, { type: 'work-order', id });
  }

  @Post('workflow/instances/:instanceId/comments/:commentId/attachments')
  @UploadRoute()
  uploadToComment(
    @CurrentActor() actor: Actor,
    @Param('instanceId', ParseIdPipe) instanceId: string,
    @Param('commentId', ParseIdPipe) commentId: string,
    @UploadedFile() file?: MultipartFileStream,
  ): Promise<AttachmentDto> {
    return this.attachments.upload(
      actor,
      { type: 'task-comment', id: commentId, parentId: instanceId },
      file,
    );
  }

  @Get('workflow/instances/:instanceId/comments/:commentId/attachments')
  @ListRoute('Files of a task comment on an instance you can see')
  listOfComment(
    @CurrentActor() actor: Actor,
    @Param('instanceId', ParseIdPipe) instanceId: string,
    @Param('commentId', ParseIdPipe) commentId: string,
  ): Promise<AttachmentDto[]> {
    return this.attachments.list(actor, { type: 'task-comment', id: commentId, parentId: instanceId });
  }

  @Post('crm/customers/:id/attachments')
  @RequirePermissions('crm:write')
  @UploadRoute()
  uploadToCustomer(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @UploadedFile() file?: MultipartFileStream,
  ): Promise<AttachmentDto> {
    return this.attachments.upload(actor, { type: 'crm-customer', id }, file);
  }

  @Get('crm/customers/:id/attachments')
  @RequirePermissions('crm:read')
  @ListRoute('Files of a customer within your data scope')
  listOfCustomer(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<AttachmentDto[]> {
    return this.attachments.list(actor, { type: 'crm-customer', id });
  }

  @Post('crm/organizations/:id/attachments')
  @RequirePermissions('crm:write')
  @UploadRoute()
  uploadToOrganization(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @UploadedFile() file?: MultipartFileStream,
  ): Promise<AttachmentDto> {
    return this.attachments.upload(actor, { type: 'crm-organization', id }, file);
  }

  @Get('crm/organizations/:id/attachments')
  @RequirePermissions('crm:read')
  @ListRoute('Files of an organization within your data scope')
  listOfOrganization(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<AttachmentDto[]> {
    return this.attachments.list(actor, { type: 'crm-organization', id });
  }

  @Get('attachments/:id/content')
  @RawResponse()
  @ApiOperation({
    summary:
      'Download (streamed) with the UTF-8 file name (RFC 5987 Content-Disposition); 404 unless you can see its record',
  })
  // the file keeps the content type it was uploaded with
  @ApiRawAnswer('*/*', 'The file', { binary: true, errors: ERRORS })
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { attachment, stream } = await this.attachments.open(actor, id);
    void reply
      .header('content-type', attachment.contentType)
      .header('content-length', attachment.size)
      .header('content-disposition', contentDisposition(attachment.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store');
    return new StreamableFile(stream);
  }

  @Delete('attachments/:id')
  @ApiOperation({ summary: 'Remove a file (its uploader, or an administrator of its record)' })
  @ApiEnvelope(AttachmentDto, { errors: ERRORS })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<AttachmentDto> {
    return this.attachments.remove(actor, id);
  }
}
