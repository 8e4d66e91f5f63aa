import { Module } from '@nestjs/common';
import { IncidentsRepository } from './incidents.repository';

/**
 * Incidents (workflow.incident): raised where a run cannot go on by itself (an engine step past its
 * budget fails the instance; further kinds reuse the same rows), shown by the monitoring centre.
 */
@Module({
  providers: [IncidentsRepository],
  exports: [IncidentsRepository],
})
export class IncidentsModule {}
