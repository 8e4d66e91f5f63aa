import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';

/** The outbox as the gateway reads it (lease a batch of events, acknowledge it); appends for the runners. */
@Module({
  controllers: [EventsController],
  providers: [EventsRepository, EventsService],
  exports: [EventsRepository],
})
export class EventsModule {}
