import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

/** The outbox as the gateway reads it: lease a batch of events, acknowledge it. */
@Module({
  controllers: [EventsController],
  providers: [EventsService],
})
export class EventsModule {}
