import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProcessDefinitionEntity } from '@app/database';
import { TimerStartsModule } from '../timer-starts/timer-starts.module';
import { DefinitionRegistryModule } from './definition-registry.module';
import { DefinitionsController } from './definitions.controller';
import { DefinitionsService } from './definitions.service';

/** Process definitions: deploy, list, suspend; the compiled-definition registry every run reads. */
@Module({
  imports: [TypeOrmModule.forFeature([ProcessDefinitionEntity]), DefinitionRegistryModule, TimerStartsModule],
  controllers: [DefinitionsController],
  providers: [DefinitionsService],
  exports: [DefinitionRegistryModule, DefinitionsService],
})
export class DefinitionsModule {}
