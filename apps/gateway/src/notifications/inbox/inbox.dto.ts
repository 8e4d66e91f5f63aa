import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@app/common';
import type { NotificationEntity } from '@app/database';

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'true: only unread; false: only read' })
  @IsOptional()
  @Transform(({ value }) =>
    value === 'true' || value === true ? true : value === 'false' || value === false ? false : value,
  )
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ description: 'Only this topic (task.created, instance.urged, sla.urged, ...)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  topic?: string;
}

export class NotificationDto {
  @ApiProperty() id!: string;
  @ApiProperty() topic!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) body!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) instanceId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) taskId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty() read!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) readAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class UnreadCountDto {
  @ApiProperty() unread!: number;
}

export class ReadAllDto {
  @ApiProperty() updated!: number;
}

export function mapNotification(n: NotificationEntity): NotificationDto {
  return {
    id: String(n.id),
    topic: n.topic,
    title: n.title,
    body: n.body,
    instanceId: n.instanceId,
    taskId: n.taskId,
    data: n.data,
    read: n.readAt !== null,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
  };
}
