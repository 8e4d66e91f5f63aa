import type { Logger as TypeOrmLogger } from 'typeorm';
import { Counter } from 'prom-client';
import { registry } from './metrics';

export const dbQueriesTotal = new Counter({
  name: 'flowdesk_db_queries_total',
  help: 'SQL statements sent to PostgreSQL (round trips) by this process',
  registers: [registry],
});

/** TypeORM's logger hook, used only to count statements (logs nothing, like `logging: false`). */
export class QueryCountingLogger implements TypeOrmLogger {
  logQuery(): void {
    dbQueriesTotal.inc();
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
