import {
  applyDecorators,
  BadRequestException,
  type CallHandler,
  Delete,
  type ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  type NestInterceptor,
  Param,
  PayloadTooLargeException,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileStreamInterceptor, type MultipartFileStream } from '@nestjs/platform-fastify/multipart';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { catchError, type Observable, throwError } from 'rxjs';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiEnvelope, AppException, PlatformController, RawResponse } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../identity/shared/dto-helpers';
import { AttachmentDto, UploadAttachmentBodyDto } from './attachment.dto';
import { AttachmentsService } from './attachments.service';
import { contentDisposition } from './content-sniff';

/**
 * A malformed upload is a bad parameter of this route (4101 naming the field), like a disguised one:
 * oversize (the stream fails once UPLOAD_LIMIT_BYTES is passed, wherever it is being read), a file under
 * another field name, a second file, too many fields or a multipart body cut short (a 500 before). The multipart
 * interceptor reports these as Nest's PayloadTooLarge / BadRequest exceptions; the handler's own
 * refusals are AppExceptions and pass unchanged.
 */
@Injectable()
class UploadErrorsAreInvalid implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => uploadRefusal(error))));
  }
}

const TRUNCATED_MULTIPART = /^Unexpected end of multipart data$|terminated early/;

function uploadRefusal(error: unknown): unknown {
  if (error instanceof PayloadTooLargeException)
    return AppException.invalid([
      { field: 'file', reason: 'the file is larger than allowed (UPLOAD_LIMIT_BYTES)' },
    ]);
  // busboy's own errors while the handler reads the stream (a body cut short): plain Errors, no code
  if (error instanceof Error && TRUNCATED_MULTIPART.test(error.message))
    return AppException.invalid([{ field: 'body', reason: `malformed multipart body: ${error.message}` }]);
  if (!(error instanceof BadRequestException)) return error;
  const message = error.message;
  const unexpected = /^Unexpected file field - (.+)$/.exec(message);
  if (unexpected)
    return AppException.invalid([
      { field: unexpected[1], reason: 'unexpected file field; send the file as multipart field `file`' },
    ]);
  if (message === 'Too many files')
    return AppException.invalid([{ field: 'file', reason: 'send exactly one file' }]);
  return AppException.invalid([{ field: 'body', reason: `malformed multipart body: ${message}` }]);
}

const ERRORS = [ErrorCode.NotFound, ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable];

/** A streamed multipart upload of one file onto a record (the same contract on every record type). */
const UploadRoute = () =>
  applyDecorators(
    HttpCode(200),
    UseInterceptors(UploadErrorsAreInvalid, FileStreamInterceptor('file')),
    ApiConsumes('multipart/form-data'),
    ApiBody({ type: UploadAttachmentBodyDto }),
    ApiOperation({
      summary:
        'Attach a file (multipart field `file`): size limit UPLOAD_LIMIT_BYTES, allowed types checked against the content (4101 on `file` otherwise); 404 when the record is not visible to you',
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
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
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
