import { OmitType } from '@nestjs/swagger';
import { DurationReportCommand, InstanceReportCommand, ReportRangeCommand } from '@app/contracts';

/** `GET /reports/instances`: period, from, to, processKey. */
export class InstanceReportQueryDto extends OmitType(InstanceReportCommand, ['actor'] as const) {}
/** `GET /reports/durations`: by, from, to, processKey. */
export class DurationReportQueryDto extends OmitType(DurationReportCommand, ['actor'] as const) {}
/** `GET /reports/work-orders`: from, to (creation time), processKey. */
export class WorkOrderReportQueryDto extends OmitType(ReportRangeCommand, ['actor'] as const) {}
