import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorCode, HTTP_STATUS_BY_CODE } from '@app/contracts';
import { PageMetaDto } from '../paging/page.dto';

const envelopeOf = (data: object) => ({
  type: 'object',
  required: ['code', 'msg', 'data'],
  properties: { code: { type: 'integer', example: 200 }, msg: { type: 'string', example: '成功' }, data },
});

export class FieldErrorDto {
  @ApiProperty({ example: 'phone' })
  field!: string;

  @ApiProperty({ example: 'phone must be a mobile number' })
  reason!: string;
}

/**
 * Every failure answers this shape (one shared component: documenting it inline in each operation made
 * the console's generated client ~1 MB larger).
 */
export class ErrorEnvelopeDto {
  @ApiProperty({ description: 'platform code; the HTTP status agrees with it', example: 4101 })
  code!: number;

  @ApiProperty({
    description: 'message in the caller’s language (Accept-Language)',
    example: '参数错误: phone',
  })
  msg!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: false,
    nullable: true,
    example: null,
    description: 'always null on a failure',
  })
  data!: null;

  @ApiProperty({ description: 'stable reason code of the feature', example: 'INVALID_PARAMETER' })
  reason!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'the refused fields (4101)' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'id of an unexpected failure (500) to quote to the operator; the logs carry it',
  })
  errorId?: string;
}

/** Documents `{code,msg,data}` around a DTO (or a page of DTOs) plus the error codes a route can answer. */
export function ApiEnvelope(
  model: Type<unknown> | null,
  options: { paged?: boolean; isArray?: boolean; errors?: ErrorCode[] } = {},
) {
  const item = model ? { $ref: getSchemaPath(model) } : { type: 'object', nullable: true };
  const data = options.paged
    ? {
        allOf: [
          { $ref: getSchemaPath(PageMetaDto) },
          { type: 'object', properties: { rows: { type: 'array', items: item } } },
        ],
      }
    : options.isArray
      ? { type: 'array', items: item }
      : item;
  return applyDecorators(
    ApiExtraModels(PageMetaDto, ...(model ? [model] : [])),
    ApiOkResponse({ schema: envelopeOf(data) }),
    ApiErrors(options.errors),
  );
}

/** The error envelope per HTTP status for 4101, 500 and the route's own codes. */
function ApiErrors(codes: readonly ErrorCode[] = []) {
  const errors = [ErrorCode.InvalidParameter, ErrorCode.Internal, ...codes];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errors)
    byStatus.set(HTTP_STATUS_BY_CODE[code], [...(byStatus.get(HTTP_STATUS_BY_CODE[code]) ?? []), code]);
  return applyDecorators(
    ApiExtraModels(ErrorEnvelopeDto),
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({
        status,
        description: `code ${[...new Set(group)].join(' | ')}`,
        schema: { $ref: getSchemaPath(ErrorEnvelopeDto) },
      }),
    ),
  );
}

/**
 * A route that answers a file or a page instead of the envelope: `contentType` on success (`*\/*` when
 * the file keeps its own type), the error envelope and its codes (as `ApiEnvelope`) on a failure.
 */
export function ApiRawAnswer(
  contentType: string,
  description: string,
  options: { binary?: boolean; errors?: ErrorCode[] } = {},
) {
  return applyDecorators(
    ApiOkResponse({
      description,
      content: {
        [contentType]: { schema: { type: 'string', ...(options.binary ? { format: 'binary' } : {}) } },
      },
    }),
    ApiErrors(options.errors),
  );
}

/**
 * The failures of a command the gateway forwards to the workflow app about one record: unknown or not
 * visible (404), not the caller's to do (4001), stale or already handled (4090), the app not answering.
 * `errors` adds the route's own codes.
 */
export const WORKFLOW_COMMAND_ERRORS: readonly ErrorCode[] = [
  ErrorCode.NotFound,
  ErrorCode.NoPermission,
  ErrorCode.Conflict,
  ErrorCode.WorkflowUnavailable,
];

/** `ApiEnvelope` of a workflow command (see `WORKFLOW_COMMAND_ERRORS`). */
export function ApiWorkflowCommand(
  model: Type<unknown> | null,
  options: { paged?: boolean; isArray?: boolean; errors?: ErrorCode[] } = {},
) {
  return ApiEnvelope(model, { ...options, errors: [...WORKFLOW_COMMAND_ERRORS, ...(options.errors ?? [])] });
}

/**
 * The failures of every route behind the AuthGuard that needs a permission: no valid token (4004),
 * a permission the caller does not hold (4001). `errors` adds the route's own codes.
 */
export const GUARDED_ROUTE_ERRORS: readonly ErrorCode[] = [ErrorCode.InvalidToken, ErrorCode.NoPermission];

/** `ApiEnvelope` of a route that needs a signed-in caller with a permission (see `GUARDED_ROUTE_ERRORS`). */
export function ApiGuarded(
  model: Type<unknown> | null,
  options: { paged?: boolean; isArray?: boolean; errors?: ErrorCode[] } = {},
) {
  return ApiEnvelope(model, { ...options, errors: [...GUARDED_ROUTE_ERRORS, ...(options.errors ?? [])] });
}
