import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { containsPattern } from '@app/common';
import type { PersonDto } from './people.dto';

@Injectable()
export class PeopleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Enabled members by id (names on screen) or by a fragment of name or sign-in name (pickers). */
  async findEnabled(filter: { ids?: string[]; keyword?: string }): Promise<PersonDto[]> {
    const where: string[] = [`s.status = 'enabled'`];
    const params: unknown[] = [];
    if (filter.ids) {
      params.push(filter.ids);
      where.push(`s.id = ANY($${params.length}::bigint[])`);
    }
    if (filter.keyword) {
      params.push(containsPattern(filter.keyword));
      where.push(`(s.real_name ILIKE $${params.length} OR s.account ILIKE $${params.length})`);
    }
    const limit = filter.ids ? 200 : 20;
    return this.dataSource.query(
      `SELECT s.id::text AS id, s.real_name AS name, s.account, d.name AS "departmentName"
         FROM core.staff s LEFT JOIN core.departments d ON d.id = s.department_id
        WHERE ${where.join(' AND ')}
        ORDER BY s.id LIMIT ${limit}`,
      params,
    );
  }
}
