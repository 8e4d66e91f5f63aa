import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { OutboxSignal } from './outbox-signal';

/** The outbox as the gateway reads it (lease a batch of events, waiting for one; acknowledge it); appends for the runners. */
@Module({
  controllers: [EventsController],
  providers: [EventsRepository, EventsService, OutboxSignal],
  exports: [EventsRepository, OutboxSignal],
})
export class EventsModule {}
