import { FormsService } from '../forms/forms.service';
import { SlaRunnerService } from '../sla/sla-runner.service';
import { ClassificationService } from './classification.service';
import { FormsController, WorkOrdersController } from './work-orders.controller';
import { WorkOrdersService } from './work-orders.service';

/** The work-order centre's controllers and providers, registered in the workflow app's root module. */
export const WORK_ORDER_CENTRE_CONTROLLERS = [FormsController, WorkOrdersController];
export const WORK_ORDER_CENTRE_PROVIDERS = [
  FormsService,
  WorkOrdersService,
  ClassificationService,
  SlaRunnerService,
];
