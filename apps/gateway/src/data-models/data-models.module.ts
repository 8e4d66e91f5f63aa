import { Module } from '@nestjs/common';
import { CrmModule } from '../crm/crm.module';
import { IdentityModule } from '../identity/identity.module';
import {
  ModelsController,
  RecordFormsController,
  RecordsController,
  ViewsController,
} from './data-models.controller';
import { RecordFlowsRepository } from './flows/record-flows.repository';
import { RecordFlowsService } from './flows/record-flows.service';
import { RecordFormsService } from './forms/record-forms.service';
import { RecordCsvService } from './records/record-csv.service';
import { RecordsRepository } from './records/records.repository';
import { RecordsService } from './records/records.service';
import { ModelsRepository } from './schema/models.repository';
import { ModelsService } from './schema/models.service';
import { ViewsRepository } from './views/views.repository';
import { ViewsService } from './views/views.service';

/**
 * Data models and views (seed 004's modelling and view tools): typed models, records with data scopes,
 * change log, CSV import/export, saved table and kanban views, flows started from records.
 */
@Module({
  imports: [CrmModule, IdentityModule],
  controllers: [ModelsController, RecordsController, RecordFormsController, ViewsController],
  providers: [
    ModelsRepository,
    ModelsService,
    RecordsRepository,
    RecordsService,
    ViewsRepository,
    ViewsService,
    RecordCsvService,
    RecordFlowsRepository,
    RecordFlowsService,
    RecordFormsService,
  ],
  exports: [RecordFlowsService],
})
export class DataModelsModule {}
