import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';

export class DirectorySyncDto {
  @ApiPropertyOptional({ default: false, description: 'Plan only: answer what would change, write nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    default: '1',
    description: 'The DingTalk department to start from (company root 1)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,15}$/, { message: 'rootId must be a DingTalk department id' })
  rootId?: string;
}

export const SYNC_ACTIONS = ['create', 'update', 'link', 'unchanged', 'missing'] as const;
export type SyncAction = (typeof SYNC_ACTIONS)[number];

export class DirectoryChangeDto {
  @ApiProperty({ enum: ['department', 'staff'] }) kind!: 'department' | 'staff';
  @ApiProperty({
    enum: SYNC_ACTIONS,
    description:
      'create; update (fields differ); link (an existing member matched by phone or employee number); unchanged; missing (linked here, gone in DingTalk: left as it is)',
  })
  action!: SyncAction;
  @ApiProperty({ description: 'DingTalk department id or userid' }) dingtalkId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Flowdesk id (null when not created yet)',
  })
  localId!: string | null;
  @ApiProperty({ type: [String], description: 'Fields that change' }) fields!: string[];
}

export class DirectorySyncCountsDto {
  @ApiProperty() create!: number;
  @ApiProperty() update!: number;
  @ApiProperty() link!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() missing!: number;
}

export class DirectorySyncReplyDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ type: DirectorySyncCountsDto }) departments!: DirectorySyncCountsDto;
  @ApiProperty({ type: DirectorySyncCountsDto }) staff!: DirectorySyncCountsDto;
  @ApiProperty({ type: [DirectoryChangeDto], description: 'Every record that is not unchanged' })
  changes!: DirectoryChangeDto[];
}
