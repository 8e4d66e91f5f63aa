import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Look-ups that translate seed 001 codes into platform ids. */
@Injectable()
export class CrmBackendRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Role id by code (`role_id` 1 admin, 2 staff, 3 courier; A-42). */
  async roleIdByCode(code: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id::text AS id FROM core.roles WHERE code = $1`,
      [code],
    );
    return rows[0]?.id ?? null;
  }
}
