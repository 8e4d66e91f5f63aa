import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, AppException, type Page, PageQueryDto, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../../shared/dto-helpers';
import {
  CreateWebhookDto,
  DeliveryDto,
  DeliveryQueryDto,
  PublishedDto,
  PushMessageDto,
  TOPIC_PATTERN,
  TopicDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookWithSecretDto,
} from './webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiBearerAuth()
@PlatformController('webhooks', 'notifications: webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @RequirePermissions('webhook:read')
  @ApiOperation({ summary: 'Webhook subscriptions (never their secrets)' })
  @ApiGuarded(WebhookDto, { paged: true })
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<Page<WebhookDto>> {
    return this.webhooks.list(actor, query);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('webhook:write')
  @ApiOperation({
    summary:
      'Subscribe a receiver to topics, optionally with excluded fields and a content template (S004-22); ' +
      'the answer carries its signing secret, shown once',
  })
  @ApiGuarded(WebhookWithSecretDto, { errors: [ErrorCode.InvalidParameter] })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    return this.webhooks.create(actor, dto);
  }

  @Get(':id')
  @RequirePermissions('webhook:read')
  @ApiOperation({ summary: 'One subscription' })
  @ApiGuarded(WebhookDto, { errors: [ErrorCode.NotFound] })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<WebhookDto> {
    return this.webhooks.get(actor, id);
  }

  @Patch(':id')
  @RequirePermissions('webhook:write')
  @ApiOperation({ summary: 'Rename, move, change topics, excluded fields or template, pause or resume' })
  @ApiGuarded(WebhookDto, { errors: [ErrorCode.NotFound, ErrorCode.InvalidParameter] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookDto> {
    return this.webhooks.update(actor, id, dto);
  }

  @Delete(':id')
  @RequirePermissions('webhook:write')
  @ApiOperation({ summary: 'Unsubscribe (its delivery log stays)' })
  @ApiGuarded(WebhookDto, { errors: [ErrorCode.NotFound] })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<WebhookDto> {
    return this.webhooks.remove(actor, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @RequirePermissions('webhook:write')
  @ApiOperation({ summary: 'A new signing secret (shown once)' })
  @ApiGuarded(WebhookWithSecretDto, { errors: [ErrorCode.NotFound] })
  rotate(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<WebhookWithSecretDto> {
    return this.webhooks.rotateSecret(actor, id);
  }

  @Get(':id/deliveries')
  @RequirePermissions('webhook:read')
  @ApiOperation({ summary: 'Delivery log: status, attempts, every answer or error' })
  @ApiGuarded(DeliveryDto, { paged: true, errors: [ErrorCode.NotFound] })
  deliveries(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Query() query: DeliveryQueryDto,
  ): Promise<Page<DeliveryDto>> {
    return this.webhooks.deliveries(actor, id, query);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(200)
  @RequirePermissions('webhook:write')
  @ApiOperation({ summary: 'Send a failed delivery again now' })
  @ApiGuarded(DeliveryDto, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  retry(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Param('deliveryId', ParseIdPipe) deliveryId: string,
  ): Promise<DeliveryDto> {
    return this.webhooks.retry(actor, id, deliveryId);
  }

  @Post(':id/messages')
  @HttpCode(200)
  @RequirePermissions('webhook:publish')
  @ApiOperation({ summary: 'Point-to-point: push one message to this receiver (S004-20)' })
  @ApiGuarded(PublishedDto, { errors: [ErrorCode.NotFound, ErrorCode.InvalidParameter] })
  push(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: PushMessageDto,
  ): Promise<PublishedDto> {
    return this.webhooks.push(actor, id, dto);
  }
}

@ApiBearerAuth()
@PlatformController('topics', 'notifications: webhooks')
export class TopicsController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @RequirePermissions('webhook:read')
  @ApiOperation({
    summary: 'Topics: built-in workflow and SLA events, and custom ones, with subscriber counts',
  })
  @ApiGuarded(TopicDto, { isArray: true })
  list(): Promise<TopicDto[]> {
    return this.webhooks.topics();
  }

  @Post(':topic/publish')
  @HttpCode(200)
  @RequirePermissions('webhook:publish')
  @ApiOperation({ summary: 'Publish/subscribe: one message to every subscriber of a custom topic (S004-21)' })
  @ApiGuarded(PublishedDto, { errors: [ErrorCode.InvalidParameter] })
  publish(
    @CurrentActor() actor: Actor,
    @Param('topic') topic: string,
    @Body() dto: PushMessageDto,
  ): Promise<PublishedDto> {
    if (!TOPIC_PATTERN.test(topic))
      throw AppException.invalid([{ field: 'topic', reason: 'bad topic name' }]);
    return this.webhooks.publish(actor, topic, dto);
  }
}
