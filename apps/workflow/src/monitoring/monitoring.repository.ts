import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor, MonitoringState } from '@app/contracts';
import { scopeInstances, SqlFilter } from '../reports/report-sql';

export interface MonitoredRaw {
  id: string;
  serial_no: string;
  definition_key: string;
  process_name: string;
  status: string;
  initiator_id: string;
  started_at: Date;
  updated_at: Date;
  total: number;
}

export interface OverdueTaskRaw {
  instance_id: string;
  task_id: string;
  name: string;
  assignee_id: string | null;
  due_at: Date;
}

export interface FailedJobRaw {
  instance_id: string;
  job_id: string;
  kind: string;
  element_id: string;
  attempts: number;
  last_error: string | null;
  failed_at: Date;
}

export interface MonitoringQuery {
  actor: Actor;
  state: MonitoringState;
  processKey?: string;
  stuckAfterHours: number;
  limit: number;
  offset: number;
}

/**
 * Running instances split into abnormal and normal. Abnormal means at least one of: an open task whose
 * due time has passed; a job that failed for good (status `failed`); stuck, i.e. no state change for
 * `stuckAfterHours` while no timer of the instance is due later (a future timer is a legitimate wait);
 * an open incident (apps/workflow/src/incidents), which also keeps a failed instance listed.
 */
@Injectable()
export class MonitoringRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(query: MonitoringQuery): Promise<MonitoredRaw[]> {
    const where = new SqlFilter();
    // failed instances (an engine step stopped past its budget) stay listed while their incident is open
    where.where(
      `(i.status = 'running' OR (i.status = 'failed' AND EXISTS (SELECT 1 FROM workflow.incident ic WHERE ic.instance_id = i.id AND ic.resolved_at IS NULL)))`,
    );
    if (query.processKey) where.where('i.definition_key = $?', query.processKey);
    scopeInstances(where, query.actor, 'i.initiator_id', 'i.initiator_department_id');
    const hours = where.param(query.stuckAfterHours);
    const limit = where.param(query.limit);
    const offset = where.param(query.offset);
    return this.dataSource.query(
      `WITH running AS (
         SELECT i.id, i.serial_no, i.definition_key, i.process_name, i.status, i.initiator_id, i.started_at,
                i.updated_at
           FROM workflow.process_instance i ${where.sql()}
       ), abnormal AS (
         SELECT t.instance_id AS id FROM workflow.task t JOIN running r ON r.id = t.instance_id
          WHERE t.status = 'open' AND t.due_at < now()
         UNION
         SELECT j.instance_id FROM workflow.job j JOIN running r ON r.id = j.instance_id WHERE j.status = 'failed'
         UNION
         SELECT ic.instance_id FROM workflow.incident ic JOIN running r ON r.id = ic.instance_id
          WHERE ic.resolved_at IS NULL
         UNION
         SELECT r.id FROM running r
          WHERE r.status = 'running' AND r.updated_at < now() - make_interval(hours => ${hours}::int)
            AND NOT EXISTS (SELECT 1 FROM workflow.job j WHERE j.instance_id = r.id AND j.status = 'pending'
                              AND j.kind = 'timer' AND j.due_at >= now())
       )
       SELECT r.id::text AS id, r.serial_no, r.definition_key, r.process_name, r.status, r.initiator_id,
              r.started_at, r.updated_at, count(*) OVER ()::int AS total
         FROM running r
        WHERE ${query.state === 'abnormal' ? '' : 'NOT'} EXISTS (SELECT 1 FROM abnormal a WHERE a.id = r.id)
        ORDER BY r.started_at, r.id
        LIMIT ${limit} OFFSET ${offset}`,
      where.params,
    );
  }

  overdueTasks(instanceIds: string[]): Promise<OverdueTaskRaw[]> {
    return this.dataSource.query(
      `SELECT t.instance_id::text AS instance_id, t.id::text AS task_id, t.name, t.assignee_id, t.due_at
         FROM workflow.task t
        WHERE t.instance_id = ANY($1::bigint[]) AND t.status = 'open' AND t.due_at < now()
        ORDER BY t.due_at, t.id`,
      [instanceIds],
    );
  }

  failedJobs(instanceIds: string[]): Promise<FailedJobRaw[]> {
    return this.dataSource.query(
      `SELECT j.instance_id::text AS instance_id, j.id::text AS job_id, j.kind, j.element_id, j.attempts,
              j.last_error, COALESCE(j.finished_at, j.due_at) AS failed_at
         FROM workflow.job j
        WHERE j.instance_id = ANY($1::bigint[]) AND j.status = 'failed'
        ORDER BY j.id`,
      [instanceIds],
    );
  }

  /** Instances (of those given) that have a timer due later: waiting on it is not being stuck. */
  async withFutureTimer(instanceIds: string[]): Promise<Set<string>> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT j.instance_id::text AS id FROM workflow.job j
        WHERE j.instance_id = ANY($1::bigint[]) AND j.status = 'pending' AND j.kind = 'timer' AND j.due_at >= now()`,
      [instanceIds],
    );
    return new Set(rows.map((r) => r.id));
  }

  async openTaskNames(instanceIds: string[]): Promise<Map<string, string[]>> {
    const rows: { id: string; names: string[] }[] = await this.dataSource.query(
      `SELECT t.instance_id::text AS id, array_agg(DISTINCT t.name) AS names FROM workflow.task t
        WHERE t.instance_id = ANY($1::bigint[]) AND t.status = 'open' GROUP BY t.instance_id`,
      [instanceIds],
    );
    return new Map(rows.map((r) => [r.id, r.names]));
  }
}
