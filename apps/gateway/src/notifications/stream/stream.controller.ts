import { Get, Headers, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor } from '@app/contracts';
import { PlatformController, RawResponse } from '@app/common';
import { CurrentActor, StaffOnly } from '@app/auth';
import { StreamHub } from './stream-hub';

@ApiBearerAuth()
@PlatformController('events', 'messages: server push')
export class StreamController {
  constructor(private readonly hub: StreamHub) {}

  @Get('stream')
  @StaffOnly()
  @RawResponse()
  @ApiOperation({
    summary: 'Server-sent events for the signed-in member (task notifications, urges, copies, SLA steps)',
    description:
      'text/event-stream; each event has `id`, `event` (the topic) and `data` (JSON: topic, eventId, title, body, ' +
      'instanceId, taskId). Reconnect with `Last-Event-ID` (or `lastEventId`) to receive what was missed. ' +
      'Authenticated with the Bearer token like every route (use a fetch-based EventSource).',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiQuery({ name: 'lastEventId', required: false })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An endless text/event-stream', schema: { type: 'string' } })
  async stream(
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
    @Headers('last-event-id') header?: string,
    @Query('lastEventId') query?: string,
  ): Promise<void> {
    reply.hijack();
    await this.hub.open(actor.id, reply.raw, header ?? query);
  }
}
