import { Module } from '@nestjs/common';
import { DefinitionRegistry } from './definition.registry';
import { DefinitionsRepository } from './definitions.repository';

/**
 * The compiled-definition registry and its repository on their own: the execution step and the timer
 * start runner read definitions through it, and the deploy (DefinitionsModule) writes timer start
 * schedules, which run through the execution step (no module cycle). One instance, one cache.
 */
@Module({
  providers: [DefinitionsRepository, DefinitionRegistry],
  exports: [DefinitionsRepository, DefinitionRegistry],
})
export class DefinitionRegistryModule {}
