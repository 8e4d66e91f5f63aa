import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiEnvelope, type Page, PlatformController } from '@app/common';
import { CurrentActor } from '@app/auth';
import { ParseIdPipe } from '../../shared/dto-helpers';
import { InboxQueryDto, NotificationDto, ReadAllDto, UnreadCountDto } from './inbox.dto';
import { InboxService } from './inbox.service';

@ApiBearerAuth()
@PlatformController('inbox', 'notifications: inbox')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({ summary: 'My in-app notifications, newest first (task notifications, urges, copies, SLA)' })
  @ApiEnvelope(NotificationDto, { paged: true, errors: [ErrorCode.InvalidToken] })
  list(@CurrentActor() actor: Actor, @Query() query: InboxQueryDto): Promise<Page<NotificationDto>> {
    return this.inbox.list(actor, query);
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many of my notifications are unread' })
  @ApiEnvelope(UnreadCountDto, { errors: [ErrorCode.InvalidToken] })
  unreadCount(@CurrentActor() actor: Actor): Promise<UnreadCountDto> {
    return this.inbox.unreadCount(actor);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all my notifications read' })
  @ApiEnvelope(ReadAllDto, { errors: [ErrorCode.InvalidToken] })
  readAll(@CurrentActor() actor: Actor): Promise<ReadAllDto> {
    return this.inbox.markAllRead(actor);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notifications read (someone else’s is 404)' })
  @ApiEnvelope(NotificationDto, { errors: [ErrorCode.InvalidToken, ErrorCode.NotFound] })
  read(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<NotificationDto> {
    return this.inbox.markRead(actor, id);
  }
}
