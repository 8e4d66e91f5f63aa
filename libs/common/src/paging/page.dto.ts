import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  pageNum = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize = 20;
}

export class PageMetaDto {
  @ApiProperty() total!: number;
  @ApiProperty() pageNum!: number;
  @ApiProperty() pageSize!: number;
}

export interface Page<T> {
  total: number;
  pageNum: number;
  pageSize: number;
  rows: T[];
}

export function toPage<T>(
  rows: T[],
  total: number,
  query: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
): Page<T> {
  return { total, pageNum: query.pageNum, pageSize: query.pageSize, rows };
}

export function pageOffset(query: Pick<PageQueryDto, 'pageNum' | 'pageSize'>): number {
  return (query.pageNum - 1) * query.pageSize;
}
