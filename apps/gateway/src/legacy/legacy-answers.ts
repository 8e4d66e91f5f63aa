/**
 * The answer shapes of the legacy surfaces, as OpenAPI component schemas. Each legacy route keeps the
 * envelope its seed system used (failures usually in the same shape with HTTP 200), so clients generated
 * from the document see the fields they read. Attached to every operation of the surface's tag by the
 * gateway's Swagger setup.
 */
type Schema = Record<string, unknown>;

const anyData = { description: 'the answer; its shape depends on the route (see the summary)' };

export const LEGACY_ANSWER_SCHEMAS: Record<string, Schema> = {
  LegacyPlatformAnswer: {
    type: 'object',
    description:
      'The platform envelope: `code` 200 with `data` on success; a failure carries the platform code and ' +
      '`msg` (seed 002 with HTTP 200), or `status: "ok"` and `msg` for `/doLogin`.',
    properties: {
      code: { type: 'integer', example: 200 },
      msg: { type: 'string', example: '成功' },
      data: anyData,
      status: { type: 'string', example: 'ok', description: '`/doLogin` only' },
      errorId: { type: 'string', format: 'uuid', description: 'id of an unexpected failure' },
    },
    required: ['msg'],
  },
  LegacyCrmBackendAnswer: {
    type: 'object',
    description:
      '`status` 0 on success (with `data`, and `page_info` on lists); non-zero with `msg` on a failure.',
    properties: {
      status: { type: 'integer', example: 0 },
      msg: { type: 'string', example: '查询成功' },
      data: anyData,
      page_info: {
        type: 'object',
        properties: {
          total: { type: 'integer' },
          page: { type: 'integer' },
          count: { type: 'integer' },
        },
      },
    },
    required: ['status', 'msg'],
  },
  LegacySalesAssistantAnswer: {
    type: 'object',
    description:
      '`code` 0 with `data` on success, 1 with `msg` on a failure, 500 with `msg` "不合法的token" for a bad token.',
    properties: {
      code: { type: 'integer', enum: [0, 1, 500], example: 0 },
      msg: { type: 'string', example: '操作成功' },
      data: anyData,
    },
    required: ['code', 'msg'],
  },
  LegacyWorkOrderCentreAnswer: {
    type: 'object',
    description:
      '`code` 200 with `data`, or a list as `total` and `rows`; a failure carries its code and `msg`.',
    properties: {
      code: { type: 'integer', example: 200 },
      msg: { type: 'string', example: '查询成功' },
      data: anyData,
      total: { type: 'integer', description: 'lists only' },
      rows: { type: 'array', items: {}, description: 'lists only' },
    },
    required: ['code', 'msg'],
  },
};

/** Swagger tag of a legacy surface → the component schema of its answers. */
export const LEGACY_ANSWER_BY_TAG: Record<string, keyof typeof LEGACY_ANSWER_SCHEMAS> = {
  'legacy 000: 云改商机上报支撑系统': 'LegacyPlatformAnswer',
  'legacy 001: CRM 后台': 'LegacyCrmBackendAnswer',
  'legacy 002: 流程服务': 'LegacyPlatformAnswer',
  'legacy 003: 融助手': 'LegacySalesAssistantAnswer',
  'legacy 004: 统一工单中心': 'LegacyWorkOrderCentreAnswer',
};
