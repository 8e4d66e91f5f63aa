import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface OutboxFigures {
  backlog: number;
  retrying: number;
  oldestAgeSeconds: number;
}

export interface JobFigures {
  due: number;
  failed: number;
  lagSeconds: number;
}

/** The queries behind the workflow app's scrape-time gauges (one small aggregate each). */
@Injectable()
export class MetricsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async outbox(): Promise<OutboxFigures> {
    const [row]: { backlog: number; retrying: number; age: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS backlog, (count(*) FILTER (WHERE attempts > 1))::int AS retrying,
              COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age
         FROM workflow.outbox_event WHERE delivered_at IS NULL`,
    );
    return { backlog: row.backlog, retrying: row.retrying, oldestAgeSeconds: row.age };
  }

  /** Due-job lag: how long the oldest due, unfired timer or SLA job has been waiting past its due time. */
  async jobs(): Promise<JobFigures> {
    const [row]: { due: number; failed: number; lag: number }[] = await this.dataSource.query(
      `SELECT (count(*) FILTER (WHERE status = 'pending' AND due_at <= now()))::int AS due,
              (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
              COALESCE(EXTRACT(EPOCH FROM now() - min(due_at) FILTER (WHERE status = 'pending' AND due_at <= now())), 0)::float8 AS lag
         FROM workflow.job WHERE status IN ('pending', 'failed')`,
    );
    return { due: row.due, failed: row.failed, lagSeconds: row.lag };
  }
}
