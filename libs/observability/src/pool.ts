import type { DataSource } from 'typeorm';
import { scrapeGauge } from './metrics';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** Connection-pool use of this process (pg's pool under TypeORM): in use, idle, callers waiting, size. */
export function registerPoolMetrics(dataSource: DataSource): void {
  const pool = () => (dataSource.driver as unknown as { master?: PgPool }).master;
  scrapeGauge('flowdesk_db_pool_connections', 'Database pool connections by state', ['state'], (set) => {
    const p = pool();
    if (!p) return;
    set({ state: 'in_use' }, p.totalCount - p.idleCount);
    set({ state: 'idle' }, p.idleCount);
    set({ state: 'waiting' }, p.waitingCount);
    set({ state: 'max' }, p.options?.max ?? 0);
  });
}
