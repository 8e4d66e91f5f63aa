import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode, HTTP_STATUS_BY_CODE } from '@app/contracts';
import { PageMetaDto } from '../paging/page.dto';

const envelopeOf = (data: object) => ({
  type: 'object',
  required: ['code', 'msg', 'data'],
  properties: { code: { type: 'integer', example: 200 }, msg: { type: 'string', example: '成功' }, data },
});

const errorEnvelope = {
  type: 'object',
  required: ['code', 'msg', 'data', 'reason'],
  properties: {
    code: { type: 'integer' },
    msg: { type: 'string' },
    data: { type: 'object', nullable: true, example: null },
    reason: { type: 'string', example: 'INVALID_PARAMETER' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, reason: { type: 'string' } } },
    },
    errorId: { type: 'string', format: 'uuid' },
  },
};

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
  const errors = [ErrorCode.InvalidParameter, ErrorCode.Internal, ...(options.errors ?? [])];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errors)
    byStatus.set(HTTP_STATUS_BY_CODE[code], [...(byStatus.get(HTTP_STATUS_BY_CODE[code]) ?? []), code]);
  return applyDecorators(
    ApiExtraModels(PageMetaDto, ...(model ? [model] : [])),
    ApiOkResponse({ schema: envelopeOf(data) }),
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({ status, description: `code ${[...new Set(codes)].join(' | ')}`, schema: errorEnvelope }),
    ),
  );
}
