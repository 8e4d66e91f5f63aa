import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { EmptyAsUndefined, IsBigintId, TimeWindowQueryDto, ToIdList } from '../crm/shared/crm-dto';

export const BUCKETS = ['month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];

export class StatsQueryDto extends TimeWindowQueryDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'organization_ids (repeated, comma list or [1,2,3]); default all',
  })
  @ToIdList()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsBigintId({ each: true })
  organizationIds?: string[];

  @ApiPropertyOptional({ enum: BUCKETS, description: 'also group by month, quarter or year in TZ_BUSINESS' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(BUCKETS)
  bucket?: Bucket;
}

class StatsRowBase {
  @ApiProperty() organizationId!: string;
  @ApiProperty() organizationName!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: '2024-03, 2024-Q1 or 2024 (TZ_BUSINESS); null without bucket',
  })
  bucket!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'start of the bucket',
  })
  bucketStart!: string | null;
}

export class SigningStatsDto extends StatsRowBase {
  @ApiProperty({ example: '100000.00' }) signAmount!: string;
  @ApiProperty() signCount!: number;
  @ApiProperty({ format: 'date-time', description: 'earliest sign time in the window (min_sign_time)' })
  firstSignTime!: string;
}

export class DemandStatsDto extends StatsRowBase {
  @ApiProperty() demandCount!: number;
  @ApiProperty({ format: 'date-time', description: 'earliest record time in the window (m_recordTime)' })
  firstRecordTime!: string;
}

export class FollowUpStatsDto extends StatsRowBase {
  @ApiProperty() followUpCount!: number;
  @ApiProperty({ format: 'date-time', description: 'earliest record time in the window' })
  firstRecordTime!: string;
}
