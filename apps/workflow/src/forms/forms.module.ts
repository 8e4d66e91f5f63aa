import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { InstancesModule } from '../instances/instances.module';
import { FormsDataModule } from './forms-data.module';
import { FormsController } from './forms.controller';
import { FormsService } from './forms.service';

/** Versioned form definitions and the form a process step shows (seed 004 forms). */
@Module({
  imports: [DefinitionsModule, InstancesModule, FormsDataModule],
  controllers: [FormsController],
  providers: [FormsService],
  exports: [FormsService, FormsDataModule],
})
export class FormsModule {}
