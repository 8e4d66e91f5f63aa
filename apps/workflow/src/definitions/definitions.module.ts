import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProcessDefinitionEntity } from '@app/database';
import { DefinitionRegistry } from './definition.registry';
import { DefinitionsController } from './definitions.controller';
import { DefinitionsRepository } from './definitions.repository';
import { DefinitionsService } from './definitions.service';

/** Process definitions: deploy, list, suspend; the compiled-definition registry every run reads. */
@Module({
  imports: [TypeOrmModule.forFeature([ProcessDefinitionEntity])],
  controllers: [DefinitionsController],
  providers: [DefinitionRegistry, DefinitionsRepository, DefinitionsService],
  exports: [DefinitionRegistry, DefinitionsService],
})
export class DefinitionsModule {}
