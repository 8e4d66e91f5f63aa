import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@app/contracts';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  pageNum = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize = 20;
}

export class PageMetaDto {
  @ApiProperty({
    description:
      'Number of matching records. Exact, except on lists that cap their count: the CRM customer and organization lists of /api/v1 ' +
      '(cap 10,000 records) and the /api/v1/stats routes (cap 1,000 groups, a group being an organization or an organization and bucket); ' +
      'there it is exact up to the cap and equals the cap when `more` is true.',
  })
  total!: number;
  @ApiPropertyOptional({
    description:
      'Present on lists that cap their count: true when more records match than `total` says (the count stopped at the cap); ' +
      'false when `total` is exact. Paging past the cap still returns rows.',
  })
  more?: boolean;
  @ApiProperty() pageNum!: number;
  @ApiProperty() pageSize!: number;
}

export interface Page<T> {
  total: number;
  /** Only on capped lists: more records match than `total` (see PageMetaDto). */
  more?: boolean;
  pageNum: number;
  pageSize: number;
  rows: T[];
}

export function toPage<T>(
  rows: T[],
  total: number,
  query: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
  more?: boolean,
): Page<T> {
  const page: Page<T> = { total, pageNum: query.pageNum, pageSize: query.pageSize, rows };
  if (more !== undefined) page.more = more;
  return page;
}

export function pageOffset(query: Pick<PageQueryDto, 'pageNum' | 'pageSize'>): number {
  return (query.pageNum - 1) * query.pageSize;
}
