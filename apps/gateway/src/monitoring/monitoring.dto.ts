import { IntersectionType, OmitType } from '@nestjs/swagger';
import { MonitoringListCommand } from '@app/contracts';
import { PageQueryDto } from '@app/common';

/** `GET /monitoring/instances` query: state, processKey, stuckAfterHours and a page. */
export class MonitoringQueryDto extends IntersectionType(
  OmitType(MonitoringListCommand, ['actor', 'pageNum', 'pageSize'] as const),
  PageQueryDto,
) {}
