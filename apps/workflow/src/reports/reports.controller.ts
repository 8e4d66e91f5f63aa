import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DurationReportCommand,
  InstanceReportCommand,
  ReportRangeCommand,
  WorkflowPattern,
} from '@app/contracts';
import { ReportsService } from './reports.service';

@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @MessagePattern(WorkflowPattern.ReportInstances)
  instances(@Payload('body') command: InstanceReportCommand) {
    return this.reports.instances(command);
  }

  @MessagePattern(WorkflowPattern.ReportDurations)
  durations(@Payload('body') command: DurationReportCommand) {
    return this.reports.durations(command);
  }

  @MessagePattern(WorkflowPattern.ReportWorkOrders)
  workOrders(@Payload('body') command: ReportRangeCommand) {
    return this.reports.workOrders(command);
  }
}
