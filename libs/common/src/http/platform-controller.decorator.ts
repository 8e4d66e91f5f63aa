import { applyDecorators, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

export const API_PREFIX = 'api/v1';

/** A controller of the platform API: `/api/v1/<path>`, one Swagger tag. Legacy surfaces use their own paths. */
export function PlatformController(path: string, tag: string) {
  return applyDecorators(Controller(`${API_PREFIX}/${path}`), ApiTags(tag));
}
