import { ApiHeader } from '@nestjs/swagger';

export const LEGACY_004_TAG = 'legacy 004: 统一工单中心';

const HEADERS = [
  {
    name: 'requestType',
    required: false,
    description: '`app` or `service` (seed-004 callers; people may use a Bearer token)',
  },
  { name: 'appID', required: false },
  { name: 'serverID', required: false },
  { name: 'secretKey', required: false },
  { name: 'accessToken', required: false },
];

const IDEMPOTENCY = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A replay with the same key returns the first result (DESIGN §2)',
};

/** Documents the seed-004 caller headers (S004-30 … S004-32) on a route; writes also take `Idempotency-Key`. */
export const SeedHeaders =
  (options: { write?: boolean } = {}) =>
  (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    for (const header of options.write ? [...HEADERS, IDEMPOTENCY] : HEADERS)
      ApiHeader(header)(target, key as string, descriptor as PropertyDescriptor);
  };
